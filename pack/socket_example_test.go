package pack_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/pystruct/pystruct/pack"
)

// The protocol: a client sends requests, and the server answers each one,
// in order, with a reply. In Python:
//
//	sock.sendall(struct.pack('!i5sf', 1, b'zhang', 1.75))
//	struct.unpack('!i5sd', reply)  # (1, b'ZHANG', 175.0)
var (
	requestFormat = pack.MustCompile("!i5sf") // id, name, height in metres
	replyFormat   = pack.MustCompile("!i5sd") // id, NAME, height in centimetres
)

// A member is a request, as the server reads it; a card is its reply.
type member struct {
	ID     int32
	Name   [5]byte
	Height float32
}

type card struct {
	ID   int32
	Name [5]byte
	CM   float64
}

// answer computes the reply to a request. A height that is not a finite
// number makes the request garbage.
func answer(m member) (card, error) {
	h := float64(m.Height)
	if math.IsNaN(h) || math.IsInf(h, 0) {
		return card{}, fmt.Errorf("bad request %d: height %v", m.ID, h)
	}
	c := card{ID: m.ID, Name: m.Name, CM: h * 100}
	for i, b := range c.Name {
		if 'a' <= b && b <= 'z' {
			c.Name[i] = b - ('a' - 'A')
		}
	}
	return c, nil
}

// serve accepts clients on ln until ctx is done, then closes ln and every
// connection and returns once their goroutines have. Each client gets a
// goroutine that blocks in Read: Go's network poller uses epoll on Linux
// (kqueue on BSD and macOS), so a goroutine per connection blocking in
// Read is multiplexed by the runtime the way a poll/epoll server
// multiplexes its clients by hand.
//
// A client that keeps the server waiting for longer than idle, for a
// request, for the rest of one or to take a reply, is cut off. serve
// reports the error that ended each connection, other than the client
// closing it between records.
//
// An Accept error that passes (too many open files, a connection aborted
// before it was accepted: see temporaryAccept) does not stop the server:
// serve reports it and tries again after a pause that starts at 5ms and
// doubles up to 1s, as net/http's Server.Serve does, so a burst of idle
// clients delays new ones rather than locking them out. Any other Accept
// error is reported and ends serve; the listener closing (net.ErrClosed)
// ends it quietly.
func serve(ctx context.Context, ln net.Listener, idle time.Duration, report func(error)) {
	var wg sync.WaitGroup
	defer wg.Wait()
	defer context.AfterFunc(ctx, func() { ln.Close() })()
	var pause time.Duration // before the next Accept, after a temporary error
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			report(err)
			if !temporaryAccept(err) {
				return
			}
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			select {
			case <-time.After(pause):
			case <-ctx.Done():
				return
			}
			continue
		}
		pause = 0
		wg.Go(func() {
			defer conn.Close()
			defer context.AfterFunc(ctx, func() { conn.Close() })()
			if err := serveConn(conn, idle); err != nil && ctx.Err() == nil {
				report(err)
			}
		})
	}
}

// temporaryAccept reports whether an Accept error passes with time: the
// process or the system is out of file descriptors or memory for the
// moment, or one connection failed before it could be accepted.
func temporaryAccept(err error) bool {
	for _, errno := range []syscall.Errno{
		syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM,
		syscall.ECONNABORTED, syscall.ECONNRESET, syscall.EINTR, syscall.EAGAIN,
	} {
		if errors.Is(err, errno) {
			return true
		}
	}
	var timeout interface{ Timeout() bool }
	return errors.As(err, &timeout) && timeout.Timeout()
}

// serveConn answers the requests of one client until it closes the
// connection. Decode and Encode read and write one whole record each and
// allocate nothing.
func serveConn(conn net.Conn, idle time.Duration) error {
	dec := pack.NewDecoder(conn, requestFormat)
	enc := pack.NewEncoder(conn, replyFormat)
	var m member
	for {
		conn.SetDeadline(time.Now().Add(idle))
		if err := dec.Decode(&m); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		c, err := answer(m)
		if err != nil {
			return err
		}
		if err := enc.Encode(&c); err != nil {
			return err
		}
	}
}

// ask sends requests to the server at path, one at a time, and returns the
// replies as text. It packs and unpacks values, as a Python client does.
func ask(path string, requests [][]any) ([]string, error) {
	conn, err := net.Dial("unix", path)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	enc := pack.NewEncoder(conn, requestFormat)
	dec := pack.NewDecoder(conn, replyFormat)
	var lines []string
	for _, req := range requests {
		if err := enc.Pack(req...); err != nil {
			return nil, err
		}
		reply, err := dec.Unpack()
		if err != nil {
			return nil, err
		}
		name := bytes.TrimRight(reply[1].([]byte), "\x00")
		lines = append(lines, fmt.Sprintf("%d %s %g cm", reply[0], name, reply[2]))
	}
	return lines, nil
}

// Several clients at once talk to a server on a Unix socket, each sending
// "!i5sf" records and reading the server's reply to each.
func Example_unixSocket() {
	// A socket's path must fit in about 108 bytes (104 on macOS), so the
	// socket goes in a new folder with a short name.
	dir, err := os.MkdirTemp("", "pystruct")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "sock")

	ln, err := net.Listen("unix", path)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		serve(ctx, ln, 10*time.Second, func(err error) { log.Print(err) })
		close(served)
	}()

	clients := [][][]any{
		{{1, "zhang", 1.75}, {2, "li", 1.625}},
		{{3, "wang", 1.8125}, {4, "zhao", 1.5625}},
		{{5, "chen", 1.6875}, {6, "liu", 1.875}},
	}
	replies := make([][]string, len(clients))
	var wg sync.WaitGroup
	for i, requests := range clients {
		wg.Go(func() {
			lines, err := ask(path, requests)
			if err != nil {
				log.Fatal(err)
			}
			replies[i] = lines
		})
	}
	wg.Wait()
	stop()
	<-served

	for i, lines := range replies {
		for _, line := range lines {
			fmt.Printf("client %d: %s\n", i, line)
		}
	}
	// Output:
	// client 0: 1 ZHANG 175 cm
	// client 0: 2 LI 162.5 cm
	// client 1: 3 WANG 181.25 cm
	// client 1: 4 ZHAO 156.25 cm
	// client 2: 5 CHEN 168.75 cm
	// client 2: 6 LIU 187.5 cm
}
