package pack_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pystruct/pystruct/internal/livepy"
	"github.com/pystruct/pystruct/pack"
)

// The tests here run the server of Example_unixSocket (serve, answer) and
// the Python peer testdata/unix_peer.py, over real Unix sockets.

// socketPath returns a path for a Unix socket in a new temporary folder.
// t.TempDir's paths, which hold the test's name, can pass the ~104-byte
// limit of sun_path on macOS.
func socketPath(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pystruct")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "sock")
}

// A testServer runs serve on a socket of its own, and collects the errors
// it reports.
type testServer struct {
	path string
	stop func() // stops the server and waits for it

	mu     sync.Mutex
	errs   []error
	report chan struct{} // receives after each report
}

// startServer starts serve with the given idle timeout; the server stops
// when the test ends.
func startServer(t *testing.T, idle time.Duration) *testServer {
	t.Helper()
	srv := &testServer{path: socketPath(t), report: make(chan struct{}, 1000)}
	ln, err := net.Listen("unix", srv.path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		serve(ctx, ln, idle, func(err error) {
			srv.mu.Lock()
			srv.errs = append(srv.errs, err)
			srv.mu.Unlock()
			srv.report <- struct{}{}
		})
	}()
	srv.stop = sync.OnceFunc(func() {
		cancel()
		<-done
	})
	t.Cleanup(srv.stop)
	return srv
}

// errors stops the server and returns the errors it reported.
func (srv *testServer) errors() []error {
	srv.stop()
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return srv.errs
}

// waitReport waits up to d for the server's next report.
func (srv *testServer) waitReport(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case <-srv.report:
	case <-time.After(d):
		t.Fatalf("the server reported nothing within %v", d)
	}
}

// peerCommand returns a command running testdata/unix_peer.py with args.
func peerCommand(t *testing.T, ctx context.Context, args ...string) *exec.Cmd {
	t.Helper()
	cmd := livepy.CommandContext(ctx, t, append([]string{filepath.Join("testdata", "unix_peer.py")}, args...)...)
	cmd.WaitDelay = time.Second
	return cmd
}

// A socketRequest is one random request, as a client sends it, and the
// reply the server owes it. The name may be shorter or longer than 5 bytes
// ('s' pads and cuts) and the height may need rounding to float32, so the
// server's member differs from the request.
type socketRequest struct {
	ID     int32
	Name   []byte
	Height float64
	reply  card
}

// values returns the request as values for Pack.
func (r *socketRequest) values() []any { return []any{r.ID, r.Name, r.Height} }

// values returns c as Unpack returns it.
func (c card) values() []any { return []any{int64(c.ID), c.Name[:], c.CM} }

// randomRequest returns a random request, as unix_peer.py makes them:
// names of 0 to 7 bytes, heights that are any finite float32 or a float64
// that 'f' must round.
func randomRequest(rng *rand.Rand) socketRequest {
	r := socketRequest{ID: int32(rng.Uint32()), Name: make([]byte, rng.IntN(8))}
	for i := range r.Name {
		r.Name[i] = byte(rng.Uint32())
	}
	if rng.IntN(2) == 0 {
		for {
			f := float64(math.Float32frombits(rng.Uint32()))
			if !math.IsNaN(f) && !math.IsInf(f, 0) {
				r.Height = f
				break
			}
		}
	} else {
		r.Height = 0.3 + 2.2*rng.Float64()
	}
	m := member{ID: r.ID, Height: float32(r.Height)}
	copy(m.Name[:], r.Name)
	var err error
	if r.reply, err = answer(m); err != nil {
		panic(err)
	}
	return r
}

// sameCard reports whether two replies are equal, floats bit for bit.
func sameCard(a, b card) bool {
	return a.ID == b.ID && a.Name == b.Name && math.Float64bits(a.CM) == math.Float64bits(b.CM)
}

// sameValues reports whether Unpack's values are c's, floats bit for bit:
// cmp.Equal(c.values(), vals, floatBits) at a fraction of the cost.
func sameValues(c card, vals []any) bool {
	id, ok1 := vals[0].(int64)
	name, ok2 := vals[1].([]byte)
	cm, ok3 := vals[2].(float64)
	return len(vals) == 3 && ok1 && ok2 && ok3 && id == int64(c.ID) && bytes.Equal(name, c.Name[:]) &&
		math.Float64bits(cm) == math.Float64bits(c.CM)
}

// floatBits compares floats bit for bit, so -0 differs from 0.
var floatBits = cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) })

// converse sends n random requests on conn while it reads and checks the
// replies, then closes its side and expects a clean end of stream. The
// writer runs ahead of the reader, so many requests are in flight at once.
// A typed client encodes and decodes structs; an untyped one packs and
// unpacks values.
func converse(conn net.Conn, n int, seed uint64, typed bool) error {
	rng := rand.New(rand.NewPCG(seed, 0))
	reqs := make([]socketRequest, n)
	for i := range reqs {
		reqs[i] = randomRequest(rng)
	}
	sent := make(chan error, 1)
	go func() {
		enc := pack.NewEncoder(conn, requestFormat)
		for i := range reqs {
			var err error
			if typed {
				err = enc.Encode(&reqs[i])
			} else {
				err = enc.Pack(reqs[i].values()...)
			}
			if err != nil {
				sent <- fmt.Errorf("request %d: %w", i, err)
				return
			}
		}
		sent <- conn.(*net.UnixConn).CloseWrite()
	}()
	dec := pack.NewDecoder(conn, replyFormat)
	for i := range reqs {
		want := reqs[i].reply
		if typed {
			var got card
			if err := dec.Decode(&got); err != nil {
				return fmt.Errorf("reply %d of %d: %w", i, n, err)
			}
			if !sameCard(want, got) {
				return fmt.Errorf("reply %d (-want +got):\n%s", i, cmp.Diff(want.values(), got.values(), floatBits))
			}
			continue
		}
		got, err := dec.Unpack()
		if err != nil {
			return fmt.Errorf("reply %d of %d: %w", i, n, err)
		}
		if !sameValues(want, got) {
			return fmt.Errorf("reply %d (-want +got):\n%s", i, cmp.Diff(want.values(), got, floatBits))
		}
	}
	if _, err := dec.Unpack(); err != io.EOF {
		return fmt.Errorf("after %d replies: %v, want io.EOF", n, err)
	}
	return <-sent
}

// Go server, Python clients: several unix_peer.py processes at once, each
// sending random records packed by CPython and checking the replies with
// struct.unpack.
func TestSocketPythonClients(t *testing.T) {
	const clients, records = 4, 2500
	srv := startServer(t, 10*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for i := range clients {
		cmd := peerCommand(t, ctx, "client", srv.path, fmt.Sprint(records), fmt.Sprint(i+1))
		wg.Go(func() {
			out, err := cmd.CombinedOutput()
			if want := fmt.Sprintf("ok %d\n", records); err != nil || string(out) != want {
				t.Errorf("Python client %d: %v, output %q; want output %q", i, err, out, want)
			}
		})
	}
	wg.Wait()
	if errs := srv.errors(); len(errs) != 0 {
		t.Errorf("server reported %v", errs)
	}
}

// Python server, Go clients: unix_peer.py serves with selectors (epoll),
// several Go clients at once send random records and check the replies,
// half of them encoding and decoding structs, half packing and unpacking
// values.
func TestSocketPythonServer(t *testing.T) {
	const clients, records = 4, 2500
	path := socketPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := peerCommand(t, ctx, "server", path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewScanner(stdout)
	if !out.Scan() || out.Text() != "ready" {
		stdin.Close()
		cmd.Wait()
		t.Fatalf("Python server did not start: %q, stderr %q", out.Text(), stderr.String())
	}

	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			conn, err := net.Dial("unix", path)
			if err != nil {
				t.Errorf("client %d: %v", i, err)
				return
			}
			defer conn.Close()
			if deadline, ok := ctx.Deadline(); ok {
				conn.SetDeadline(deadline)
			}
			if err := converse(conn, records, uint64(i), i%2 == 0); err != nil {
				t.Errorf("client %d: %v", i, err)
			}
		})
	}
	wg.Wait()

	stdin.Close()
	var last string
	for out.Scan() {
		last = out.Text()
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("Python server: %v, stderr %q", err, stderr.String())
	}
	if want := fmt.Sprintf("served %d", clients*records); last != want || stderr.Len() != 0 {
		t.Errorf("Python server said %q, stderr %q; want %q and no stderr", last, stderr.String(), want)
	}
}

// Bad peers: each case runs one bad client against a server, and a good
// client after it (and, for the stalling ones, while the bad client
// stalls). The server must report the bad client's error, once, and keep
// serving the good client; a server that crashed would end the test
// binary, and one that wedged would fail the good client's deadline.
//
// Records of a fixed size have no framing to break: any 13 bytes are some
// request. So "garbage" is of two kinds: a request whose values the server
// rejects (a height that is not a finite number), and bytes that were
// never records at all, which the server reads as requests, answering
// each, until it meets a value it rejects or the stream ends inside a
// record.
func TestSocketBadPeers(t *testing.T) {
	// The idle timeout is long enough that a good client on a loaded
	// machine, between two of its records, never meets it; the stalling
	// cases wait it out, and assert only that the cut-off came after it.
	const idle = 5 * time.Second
	good := func(t *testing.T, srv *testServer) {
		t.Helper()
		conn, err := net.Dial("unix", srv.path)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		if err := converse(conn, 100, 7, true); err != nil {
			t.Errorf("good client: %v", err)
		}
	}
	dial := func(t *testing.T, srv *testServer) *net.UnixConn {
		t.Helper()
		conn, err := net.Dial("unix", srv.path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		return conn.(*net.UnixConn)
	}
	request := func(values ...any) []byte {
		b, err := requestFormat.Pack(values...)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// readReplies reads replies until the server closes the connection.
	// The server hangs up without reading what is left of a bad
	// client's requests, so the kernel may reset the connection instead
	// of ending it cleanly.
	readReplies := func(t *testing.T, conn net.Conn) (replies [][]any) {
		t.Helper()
		for reply, err := range pack.NewDecoder(conn, replyFormat).All() {
			if err != nil {
				if !errors.Is(err, syscall.ECONNRESET) {
					t.Fatalf("after %d replies: %v, want io.EOF or ECONNRESET", len(replies), err)
				}
				break
			}
			replies = append(replies, reply)
		}
		return replies
	}
	check := func(t *testing.T, srv *testServer, want func(error) bool, desc string) {
		t.Helper()
		good(t, srv)
		errs := srv.errors()
		if len(errs) != 1 || !want(errs[0]) {
			t.Errorf("server reported %v, want one error: %s", errs, desc)
		}
	}

	t.Run("disconnects mid-record", func(t *testing.T) {
		srv := startServer(t, 10*time.Second)
		good(t, srv)
		conn := dial(t, srv)
		msg := append(request(1, "zhang", 1.75), request(2, "li", 1.625)...)
		conn.Write(append(msg, request(3, "wang", 1.8125)[:6]...))
		conn.CloseWrite()
		if got := readReplies(t, conn); len(got) != 2 {
			t.Errorf("got %d replies, want 2", len(got))
		}
		srv.waitReport(t, 10*time.Second)
		check(t, srv, func(err error) bool { return err == io.ErrUnexpectedEOF }, "io.ErrUnexpectedEOF")
	})

	t.Run("sends a request it rejects", func(t *testing.T) {
		srv := startServer(t, 10*time.Second)
		conn := dial(t, srv)
		msg := append(request(1, "zhang", 1.75), request(2, "nan", math.NaN())...)
		conn.Write(append(msg, request(3, "wang", 1.8125)...))
		if got := readReplies(t, conn); len(got) != 1 {
			t.Errorf("got %d replies, want 1: the server stops at the bad request", len(got))
		}
		srv.waitReport(t, 10*time.Second)
		check(t, srv, func(err error) bool { return err != nil && strings.Contains(err.Error(), "height NaN") },
			`"bad request 2: height NaN"`)
	})

	t.Run("sends bytes that are not records", func(t *testing.T) {
		srv := startServer(t, 10*time.Second)
		conn := dial(t, srv)
		http := "GET / HTTP/1.1\r\nHost: x\r\n\r\n" // 27 bytes: two requests and one byte
		conn.Write([]byte(http))
		conn.CloseWrite()
		got := readReplies(t, conn)
		var m member
		if err := requestFormat.Unmarshal([]byte(http[:13]), &m); err != nil {
			t.Fatal(err)
		}
		want, err := answer(m)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || !sameValues(want, got[0]) {
			t.Errorf("got replies %v, want 2 starting %v", got, want.values())
		}
		srv.waitReport(t, 10*time.Second)
		check(t, srv, func(err error) bool { return err == io.ErrUnexpectedEOF }, "io.ErrUnexpectedEOF")
	})

	t.Run("sends random bytes", func(t *testing.T) {
		srv := startServer(t, 10*time.Second)
		conn := dial(t, srv)
		rng := rand.New(rand.NewPCG(1, 2))
		junk := make([]byte, 10_000) // 769 requests and 3 bytes
		for i := range junk {
			junk[i] = byte(rng.Uint32())
		}
		conn.Write(junk)
		conn.CloseWrite()
		got := readReplies(t, conn)
		// The server answers requests up to the first it rejects, if any.
		var want []card
		var bad error
		for m, err := range pack.DecodeAll[member](pack.NewDecoder(bytes.NewReader(junk), requestFormat)) {
			if err != nil {
				t.Fatal(err)
			}
			c, err := answer(m)
			if err != nil {
				bad = err
				break
			}
			want = append(want, c)
		}
		if len(got) != len(want) {
			t.Errorf("got %d replies, want %d", len(got), len(want))
		}
		for i := range min(len(got), len(want)) {
			if !sameValues(want[i], got[i]) {
				t.Errorf("reply %d = %v, want %v", i, got[i], want[i].values())
			}
		}
		if bad != nil {
			t.Logf("the server should answer %d requests and reject the next: %v", len(want), bad)
		} else {
			t.Logf("the server should answer %d requests and meet a torn one", len(want))
		}
		srv.waitReport(t, 10*time.Second)
		if bad != nil {
			check(t, srv, func(err error) bool { return err.Error() == bad.Error() }, bad.Error())
		} else {
			check(t, srv, func(err error) bool { return err == io.ErrUnexpectedEOF }, "io.ErrUnexpectedEOF")
		}
	})

	t.Run("sends part of a record and stalls", func(t *testing.T) {
		srv := startServer(t, idle)
		start := time.Now() // before the server can set its first deadline
		conn := dial(t, srv)
		conn.Write(request(1, "zhang", 1.75)[:6])
		good(t, srv) // while the bad client stalls
		if got := readReplies(t, conn); len(got) != 0 {
			t.Errorf("got replies %v, want none", got)
		}
		if d := time.Since(start); d < idle {
			t.Errorf("server cut the client off after %v, before the idle timeout %v", d, idle)
		}
		srv.waitReport(t, 10*time.Second)
		check(t, srv, func(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }, "os.ErrDeadlineExceeded")
	})

	t.Run("connects and sends nothing", func(t *testing.T) {
		srv := startServer(t, idle)
		conn := dial(t, srv)
		good(t, srv)
		readReplies(t, conn)
		srv.waitReport(t, 10*time.Second)
		check(t, srv, func(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }, "os.ErrDeadlineExceeded")
	})

	t.Run("never reads its replies", func(t *testing.T) {
		srv := startServer(t, idle)
		conn := dial(t, srv)
		// Far more than the socket buffers hold, so the server's writes
		// block until its deadline passes.
		written := make(chan error, 1)
		go func() {
			enc := pack.NewEncoder(conn, requestFormat)
			for i := range 1_000_000 {
				if err := enc.Pack(i, "zhang", 1.75); err != nil {
					written <- err
					return
				}
			}
			written <- nil
		}()
		srv.waitReport(t, 10*time.Second)
		if err := <-written; err == nil {
			t.Errorf("the client wrote all its requests, want the server to hang up on it")
		}
		check(t, srv, func(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }, "os.ErrDeadlineExceeded")
	})
}

// The load test: at least 8 clients at once, 100 000 records in all, in
// bounded time, every reply checked.
func TestSocketLoad(t *testing.T) {
	const clients, records = 8, 100_000
	srv := startServer(t, 10*time.Second)
	deadline := time.Now().Add(time.Minute)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			conn, err := net.Dial("unix", srv.path)
			if err != nil {
				t.Errorf("client %d: %v", i, err)
				return
			}
			defer conn.Close()
			conn.SetDeadline(deadline)
			if err := converse(conn, records/clients, uint64(100+i), i%2 == 0); err != nil {
				t.Errorf("client %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	d := time.Since(start)
	t.Logf("%d records from %d clients in %v (%.0f records/s)", records, clients, d, records/d.Seconds())
	if errs := srv.errors(); len(errs) != 0 {
		t.Errorf("server reported %v", errs)
	}
}
