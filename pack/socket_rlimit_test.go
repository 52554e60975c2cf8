//go:build linux || darwin

package pack_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// acceptChildEnv makes the test binary run the child side of
// TestServeThroughAcceptErrors.
const acceptChildEnv = "PYSTRUCT_ACCEPT_CHILD"

// The example's server keeps serving when Accept fails for want of file
// descriptors. The test runs in a child process (the test binary again)
// whose descriptor limit it lowers: idle clients take descriptors until
// the server's Accept fails with EMFILE, then they hang up, and new
// clients must be served. Nothing depends on timing: every wait is for an
// outcome, with deadlines far beyond what the steps take.
func TestServeThroughAcceptErrors(t *testing.T) {
	if os.Getenv(acceptChildEnv) == "1" {
		acceptChild(t)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestServeThroughAcceptErrors$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), acceptChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("child:\n%s", out)
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	if !strings.Contains(string(out), "served new clients after EMFILE") {
		t.Fatalf("the child did not get through its steps")
	}
}

// watchedListener tells of every Accept's outcome.
type watchedListener struct {
	net.Listener
	accepts chan error
}

func (l *watchedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	select {
	case l.accepts <- err:
	default:
	}
	return c, err
}

func acceptChild(t *testing.T) {
	const wait = 30 * time.Second // for any one step; each takes milliseconds
	path := socketPath(t)
	inner, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln := &watchedListener{inner, make(chan error, 1<<16)}
	var mu sync.Mutex
	var reports []error
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		defer close(served)
		serve(ctx, ln, time.Minute, func(err error) {
			mu.Lock()
			reports = append(reports, err)
			mu.Unlock()
		})
	}()
	defer func() {
		stop()
		<-served
	}()

	// Leave room for a few dozen descriptors beyond those open now (the
	// lowest free one stands for how many are).
	probe, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	inUse := probe.Fd()
	probe.Close()
	lim := syscall.Rlimit{Cur: uint64(inUse) + 40, Max: ^uint64(0)}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Fatal(err)
	}
	lim.Max = old.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	t.Logf("descriptor limit %d (%d in use)", lim.Cur, inUse)

	// Idle clients until the server's Accept fails. A client that cannot
	// get a descriptor itself frees the spare one and tries again: then
	// it connects, and the server is the one out of descriptors.
	spare, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	var idle []net.Conn
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	acceptFailed := false
	for !acceptFailed && len(idle) < 1000 {
		c, err := net.Dial("unix", path)
		if errors.Is(err, syscall.EMFILE) && spare != nil {
			spare.Close()
			spare = nil
			continue
		}
		if err != nil {
			t.Fatalf("client %d: %v", len(idle), err)
		}
		idle = append(idle, c)
		select {
		case err := <-ln.accepts:
			if err != nil {
				if !errors.Is(err, syscall.EMFILE) {
					t.Fatalf("Accept failed with %v, want EMFILE", err)
				}
				acceptFailed = true
			}
		case <-time.After(wait):
			t.Fatalf("the server neither accepted client %d nor failed within %v", len(idle), wait)
		}
	}
	if !acceptFailed {
		t.Fatalf("%d idle clients and Accept has not failed", len(idle))
	}
	t.Logf("Accept failed with EMFILE after %d idle clients", len(idle))
	// The server tries again, and fails again while the clients stay.
	select {
	case err := <-ln.accepts:
		if !errors.Is(err, syscall.EMFILE) {
			t.Fatalf("Accept retried with %v, want EMFILE", err)
		}
	case <-served:
		t.Fatalf("serve returned after a temporary Accept error")
	case <-time.After(wait):
		t.Fatalf("the server did not retry Accept within %v", wait)
	}

	// The idle clients hang up; new clients must be served.
	for _, c := range idle {
		c.Close()
	}
	idle = nil
	type result struct {
		lines []string
		err   error
	}
	results := make(chan result, 3)
	for i := range 3 {
		go func() {
			lines, err := ask(path, [][]any{{i, "zhang", 1.75}})
			results <- result{lines, err}
		}()
	}
	for i := range 3 {
		select {
		case r := <-results:
			if r.err != nil || len(r.lines) != 1 || !strings.HasSuffix(r.lines[0], " ZHANG 175 cm") {
				t.Fatalf("new client: %q, %v", r.lines, r.err)
			}
		case <-served:
			t.Fatalf("serve returned")
		case <-time.After(wait):
			t.Fatalf("new client %d not served within %v", i, wait)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	sawEMFILE := false
	for _, err := range reports {
		if errors.Is(err, syscall.EMFILE) {
			sawEMFILE = true
		} else if !errors.Is(err, net.ErrClosed) && !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, syscall.EPIPE) {
			t.Errorf("serve reported %v", err)
		}
	}
	if !sawEMFILE {
		t.Errorf("serve did not report the EMFILE it met; reports: %v", reports)
	}
	fmt.Println("served new clients after EMFILE")
}
