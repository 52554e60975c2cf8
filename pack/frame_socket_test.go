package pack_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pystruct/pystruct/internal/livepy"
	"github.com/pystruct/pystruct/pack"
)

// echoFrames has count Python peers (testdata/frame_peer.py) connect to a
// Unix socket and echo frames; each connection writes n random payloads
// of up to limit bytes with a FrameWriter and reads them back with a
// FrameReader, checking that none is lost, changed or duplicated.
func echoFrames(t *testing.T, prefix string, includes bool, mode string, peers, n, limit int, seed uint64) {
	t.Helper()
	path := socketPath(t)
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a hang guard only
	defer cancel()
	inc := "0"
	var opts []pack.FrameOption
	if includes {
		inc = "1"
		opts = append(opts, pack.LengthIncludesPrefix())
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*peers)
	for range peers {
		cmd := livepy.CommandContext(ctx, t, filepath.Join("testdata", "frame_peer.py"), path, prefix, inc, mode)
		cmd.WaitDelay = time.Second
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := cmd.Wait(); err != nil {
				t.Errorf("frame_peer.py %s: %v\n%s", prefix, err, stderr.String())
			}
		}()
	}
	var conv sync.WaitGroup
	for c := range peers {
		conn, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := ctx.Deadline(); ok {
			conn.SetDeadline(d)
		}
		conv.Add(1)
		go func() {
			defer conv.Done()
			defer conn.Close()
			rng := rand.New(rand.NewPCG(seed, uint64(c)))
			payloads := make([][]byte, n)
			for i := range payloads {
				p := make([]byte, rng.IntN(limit+1))
				for j := range p {
					p[j] = byte(rng.Uint32())
				}
				payloads[i] = p
			}
			fw, err := pack.NewFrameWriter(conn, prefix, opts...)
			if err != nil {
				errs <- err
				return
			}
			wrote := make(chan struct{})
			defer func() { <-wrote }()
			go func() {
				defer close(wrote)
				for _, p := range payloads {
					if err := fw.WriteFrame(p); err != nil {
						errs <- err
						return
					}
				}
			}()
			fr, err := pack.NewFrameReader(conn, prefix, limit, opts...)
			if err != nil {
				errs <- err
				return
			}
			for i, want := range payloads {
				got, err := fr.ReadFrame()
				if err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s peer %d frame %d: %d bytes back, want %d", prefix, c, i, len(got), len(want))
					return
				}
			}
		}()
	}
	conv.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("%s: %v", prefix, err)
	}
	wg.Wait()
}

// Every prefix code and byte order, through a Python peer, with random
// payload sizes from 0 to the limit, sent whole and a byte at a time.
func TestFrameSocketPython(t *testing.T) {
	py, left := pythonPlatform(t), 0
	defer func() { logLeftOut(t, left, len(framePrefixes), "prefixes") }()
	for i, prefix := range framePrefixes {
		if !py.Holds(prefix) {
			left++
			continue
		}
		includes := i%3 == 0
		limit := min(frameMax(prefix, includes), 2000)
		mode := "whole"
		if i%2 == 1 {
			mode = "bytes"
		}
		t.Run(prefix+"/"+mode+"/"+strconv.FormatBool(includes), func(t *testing.T) {
			echoFrames(t, prefix, includes, mode, 1, 20, limit, uint64(i))
		})
	}
}

// 10 000 frames from several concurrent Python peers: nothing lost or
// duplicated.
func TestFrameSocketPythonLoad(t *testing.T) {
	echoFrames(t, "!I", false, "whole", 4, 2500, 300, 7)
}

// Scripted Python peers over a Unix socket: torn frames and hostile
// lengths sent to a FrameReader (testdata/frame_send_peer.py), and a
// FrameWriter's frames read by Python (testdata/frame_read_peer.py).

// A pyPeer is a Python script from testdata connected to the test over a
// Unix socket of its own.
type pyPeer struct {
	ln     net.Listener
	conn   net.Conn // the script's first connection
	cmd    *exec.Cmd
	stdout bytes.Buffer
	stderr bytes.Buffer
}

// startPyPeer runs testdata/script with the socket's path and args, and
// accepts the first connection it makes. The connections, the listener
// and the script end with the test; every deadline here is a hang guard
// only.
func startPyPeer(t *testing.T, script string, args ...string) *pyPeer {
	t.Helper()
	path := socketPath(t)
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	p := &pyPeer{ln: ln}
	p.cmd = livepy.CommandContext(ctx, t, append([]string{filepath.Join("testdata", script), path}, args...)...)
	p.cmd.WaitDelay = time.Second
	p.cmd.Stdout = &p.stdout
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.conn = p.accept(t)
	return p
}

// accept accepts the script's next connection, which ends with the test.
func (p *pyPeer) accept(t *testing.T) net.Conn {
	t.Helper()
	p.ln.(*net.UnixListener).SetDeadline(time.Now().Add(time.Minute))
	conn, err := p.ln.Accept()
	if err != nil {
		p.cmd.Process.Kill()
		p.cmd.Wait()
		t.Fatalf("%v did not connect: %v\n%s", p.cmd.Args, err, p.stderr.String())
	}
	conn.SetDeadline(time.Now().Add(2 * time.Minute))
	t.Cleanup(func() { conn.Close() })
	return conn
}

// playAll runs frame_send_peer.py under prefix and mode with each of
// scripts on a connection of its own, in turn, and calls check with each
// connection in a subtest named by names.
func playAll(t *testing.T, prefix, mode string, names []string, scripts [][]string, check func(t *testing.T, i int, conn net.Conn)) {
	t.Helper()
	args := []string{prefix, mode}
	for i, sc := range scripts {
		if i > 0 {
			args = append(args, "--")
		}
		args = append(args, sc...)
	}
	p := startPyPeer(t, "frame_send_peer.py", args...)
	conn := p.conn
	for i := range scripts {
		if i > 0 {
			conn = p.accept(t)
		}
		t.Run(names[i], func(t *testing.T) {
			defer conn.Close()
			check(t, i, conn)
		})
	}
	p.wait(t)
}

// wait waits for the script to end and returns what it printed.
func (p *pyPeer) wait(t *testing.T) string {
	t.Helper()
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("%v: %v\nstdout:\n%s\nstderr:\n%s", p.cmd.Args, err, p.stdout.String(), p.stderr.String())
	}
	return p.stdout.String()
}

// peerPayload is frame_send_peer.py's run of n payload bytes.
func peerPayload(n int) []byte {
	b := make([]byte, n)
	for j := range b {
		b[j] = byte(31*j + n)
	}
	return b
}

// framePeerPrefixes are prefixes of every size, signedness and byte order
// for the scripted peers.
var framePeerPrefixes = []string{"!I", "<H", ">Q", "<B", "b", "@i", "=h", "@N", "<q", ">l", "@P", "!b"}

// peerPrefixes returns the framePeerPrefixes whose sizes and byte order
// are the same on CPython's platform as on pystruct's.
func peerPrefixes(t *testing.T) []string {
	t.Helper()
	py := pythonPlatform(t)
	var out []string
	for _, prefix := range framePeerPrefixes {
		if py.Holds(prefix) {
			out = append(out, prefix)
		}
	}
	logLeftOut(t, len(framePeerPrefixes)-len(out), len(framePeerPrefixes), "prefixes")
	return out
}

// A Python peer that closes the stream between frames gives io.EOF after
// the last frame; one that closes it inside a prefix or a payload gives
// io.ErrUnexpectedEOF, never part of a payload, sent whole or a byte at a
// time.
func TestFrameSocketPythonTorn(t *testing.T) {
	prefixes := peerPrefixes(t)
	for _, prefix := range prefixes {
		size := pack.MustCompile(prefix).Size()
		long := min(frameMax(prefix, false), 200)
		type torn struct {
			name  string
			steps []string
			want  error
		}
		cases := []torn{
			{"between frames", []string{"f:3", "f:0", "f:" + strconv.Itoa(long)}, io.EOF},
			{"before any frame", nil, io.EOF},
			{"in a payload, after its prefix", []string{"f:3", "p:10"}, io.ErrUnexpectedEOF},
			{"in a payload, one byte short", []string{"f:3", "p:10", "d:9"}, io.ErrUnexpectedEOF},
			{"in the first payload", []string{"p:" + strconv.Itoa(long), "d:1"}, io.ErrUnexpectedEOF},
		}
		for k := 1; k < size; k += max(size-2, 1) {
			cases = append(cases, torn{"in a prefix, after " + strconv.Itoa(k) + " bytes",
				[]string{"f:3", "f:0", "h:5:" + strconv.Itoa(k)}, io.ErrUnexpectedEOF})
		}
		var names []string
		var scripts [][]string
		for _, c := range cases {
			names = append(names, c.name)
			scripts = append(scripts, c.steps)
		}
		for _, mode := range []string{"whole", "bytes"} {
			t.Run(prefix+"/"+mode, func(t *testing.T) {
				playAll(t, prefix, mode, names, scripts, func(t *testing.T, i int, conn net.Conn) {
					c := cases[i]
					fr, err := pack.NewFrameReader(conn, prefix, long)
					if err != nil {
						t.Fatal(err)
					}
					for _, step := range c.steps {
						n, ok := strings.CutPrefix(step, "f:")
						if !ok {
							continue
						}
						want := peerPayload(atoi(t, n))
						if got, err := fr.ReadFrame(); err != nil || !bytes.Equal(got, want) {
							t.Fatalf("ReadFrame = %x, %v; want %x", got, err, want)
						}
					}
					for range 2 {
						if got, err := fr.ReadFrame(); err != c.want || got != nil {
							t.Errorf("ReadFrame after %q = %x, %v; want nil, %v", c.steps, got, err, c.want)
						}
					}
				})
			})
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A Python peer that announces a gigabyte and sends three bytes before
// closing costs a small buffer, not a gigabyte.
func TestFrameSocketPythonAnnouncesAGigabyte(t *testing.T) {
	const gig = 1 << 30
	for _, mode := range []string{"whole", "bytes"} {
		p := startPyPeer(t, "frame_send_peer.py", "!I", mode, "f:5", "p:"+strconv.Itoa(gig), "d:3")
		fr, err := pack.NewFrameReader(p.conn, "!I", gig)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := fr.ReadFrame(); err != nil || !bytes.Equal(got, peerPayload(5)) {
			t.Fatalf("%s: first frame = %x, %v", mode, got, err)
		}
		var got []byte
		n := allocated(func() { got, err = fr.ReadFrame() })
		if err != io.ErrUnexpectedEOF || got != nil {
			t.Errorf("%s: ReadFrame of a gigabyte frame torn after 3 bytes = %x, %v; want nil, io.ErrUnexpectedEOF", mode, got, err)
		}
		if n > 1<<20 {
			t.Errorf("%s: ReadFrame of a gigabyte frame torn after 3 bytes allocated %d bytes", mode, n)
		}
		p.wait(t)
	}
}

// A Python peer that sends a length over the limit, a negative one under
// a signed code, or (with LengthIncludesPrefix) one shorter than the
// prefix gets a *FrameError naming the length and the limit; nothing is
// allocated for the payload nor read past the prefix, and the reader
// refuses every later frame.
func TestFrameSocketPythonHostile(t *testing.T) {
	const limit = 100
	type hostile struct {
		prefix   string
		includes bool
		length   string // as Python packs it
		want     pack.FrameError
	}
	var cases []hostile
	prefixes := peerPrefixes(t)
	for _, prefix := range prefixes {
		s := pack.MustCompile(prefix)
		size := s.Size()
		signed := strings.ContainsAny(prefix, "bhilqn")
		over := []uint64{limit + 1}
		if max := uint64(1)<<(8*size-1) - 1; !signed {
			over = append(over, max<<1|1) // the code's largest value
		} else {
			over = append(over, max)
		}
		for _, n := range over {
			cases = append(cases, hostile{prefix, false, strconv.FormatUint(n, 10), pack.FrameError{
				Prefix: prefix, Length: n, Limit: limit,
				Msg: fmt.Sprintf("length %d exceeds the limit of %d bytes", n, limit),
			}})
		}
		if signed {
			for _, n := range []uint64{1, 5, 1 << (8*size - 1)} {
				cases = append(cases, hostile{prefix, false, "-" + strconv.FormatUint(n, 10), pack.FrameError{
					Prefix: prefix, Length: n, Negative: true, Limit: limit,
					Msg: fmt.Sprintf("length -%d is negative (limit %d bytes)", n, limit),
				}})
			}
		}
		if size > 1 {
			n := uint64(size - 1)
			cases = append(cases, hostile{prefix, true, strconv.FormatUint(n, 10), pack.FrameError{
				Prefix: prefix, Length: n, Limit: limit,
				Msg: fmt.Sprintf("length %d is shorter than its own %d-byte prefix (limit %d bytes)", n, size, limit),
			}})
		}
		n := uint64(limit + size + 1)
		cases = append(cases, hostile{prefix, true, strconv.FormatUint(n, 10), pack.FrameError{
			Prefix: prefix, Length: n, Limit: limit,
			Msg: fmt.Sprintf("length %d (a payload of %d bytes) exceeds the limit of %d bytes", n, limit+1, limit),
		}})
	}
	byPrefix := map[string][]hostile{}
	for _, c := range cases {
		byPrefix[c.prefix] = append(byPrefix[c.prefix], c)
	}
	for _, prefix := range prefixes {
		pcs := byPrefix[prefix]
		var names []string
		var scripts [][]string
		for _, c := range pcs {
			// A good frame, the hostile prefix, then payload bytes the
			// reader must leave unread.
			first := []string{"f:5"}
			if c.includes {
				first = []string{"p:" + strconv.Itoa(5+pack.MustCompile(c.prefix).Size()), "d:5"}
			}
			names = append(names, fmt.Sprintf("%s/includes=%v", c.length, c.includes))
			scripts = append(scripts, append(first, "p:"+c.length, "d:40"))
		}
		for _, mode := range []string{"whole", "bytes"} {
			t.Run(prefix+"/"+mode, func(t *testing.T) {
				playAll(t, prefix, mode, names, scripts, func(t *testing.T, i int, conn net.Conn) {
					c := pcs[i]
					var opts []pack.FrameOption
					if c.includes {
						opts = append(opts, pack.LengthIncludesPrefix())
					}
					fr, err := pack.NewFrameReader(conn, c.prefix, limit, opts...)
					if err != nil {
						t.Fatal(err)
					}
					if got, err := fr.ReadFrame(); err != nil || !bytes.Equal(got, peerPayload(5)) {
						t.Fatalf("first frame = %x, %v; want %x", got, err, peerPayload(5))
					}
					var got []byte
					n := allocated(func() { got, err = fr.ReadFrame() })
					var fe *pack.FrameError
					if got != nil || !errors.As(err, &fe) || !errors.Is(err, pack.ErrFrame) || !errors.Is(err, pack.ErrRange) {
						t.Fatalf("ReadFrame of length %s = %x, %v; want a *FrameError", c.length, got, err)
					}
					if diff := cmp.Diff(c.want, *fe); diff != "" {
						t.Errorf("ReadFrame of length %s: error (-want +got):\n%s", c.length, diff)
					}
					if want := fmt.Sprintf("frame %q: %s", c.prefix, c.want.Msg); err.Error() != want {
						t.Errorf("ReadFrame of length %s = %q, want %q", c.length, err, want)
					}
					if n > 64<<10 {
						t.Errorf("ReadFrame of length %s allocated %d bytes", c.length, n)
					}
					for range 2 {
						if got, err2 := fr.ReadFrame(); err2 != err || got != nil {
							t.Errorf("ReadFrame after the hostile length = %x, %v; want the same error %v", got, err2, err)
						}
					}
					// Everything after the prefix is still in the socket.
					rest, err := io.ReadAll(conn)
					if err != nil || !bytes.Equal(rest, peerPayload(40)) {
						t.Errorf("after the hostile prefix the socket holds %x, %v; want the 40 bytes sent after it, %x", rest, err, peerPayload(40))
					}
				})
			})
		}
	}
}

// A Python reader, with plain socket and struct, sees exactly the frames a
// FrameWriter writes, under every prefix code and byte order; a payload
// the prefix cannot express is refused with the message CPython gives for
// packing its length, and writes nothing, so the frames after it arrive
// intact.
func TestFrameSocketPythonReadsFrameWriter(t *testing.T) {
	py, left := pythonPlatform(t), 0
	defer func() { logLeftOut(t, left, len(framePrefixes), "prefixes") }()
	for i, prefix := range framePrefixes {
		if !py.Holds(prefix) {
			left++
			continue
		}
		includes := i%3 == 1
		size := pack.MustCompile(prefix).Size()
		inc := "0"
		var opts []pack.FrameOption
		if includes {
			inc = "1"
			opts = append(opts, pack.LengthIncludesPrefix())
		}
		t.Run(prefix+"/includes="+inc, func(t *testing.T) {
			max := frameMax(prefix, includes)
			// Payload lengths the prefix cannot express: under a prefix of
			// fewer than 4 bytes, frameMax is the code's largest length.
			var refuse []int
			if size < 4 {
				refuse = []int{max + 1, 70000}
			}
			var lens []string
			for _, n := range refuse {
				if includes {
					n += size
				}
				lens = append(lens, strconv.Itoa(n))
			}
			p := startPyPeer(t, "frame_read_peer.py", append([]string{prefix, inc}, lens...)...)
			fw, err := pack.NewFrameWriter(p.conn, prefix, opts...)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(uint64(i), 9))
			var want []string
			write := func(n int) {
				b := make([]byte, n)
				for j := range b {
					b[j] = byte(rng.Uint32())
				}
				if err := fw.WriteFrame(b); err != nil {
					t.Fatalf("WriteFrame(%d bytes) = %v", n, err)
				}
				want = append(want, fmt.Sprintf("%d %x", n, sha256.Sum256(b)))
			}
			var refused []error
			for k := range 12 {
				write([]int{0, max, rng.IntN(min(max, 2000) + 1)}[min(k, 2)])
				if k < len(refuse) {
					refused = append(refused, fw.WriteFrame(make([]byte, refuse[k])))
				}
			}
			p.conn.(*net.UnixConn).CloseWrite()
			out := strings.Split(strings.TrimSuffix(p.wait(t), "\n"), "\n")
			if len(out) < len(refuse) {
				t.Fatalf("frame_read_peer.py printed %q", out)
			}
			for k, err := range refused {
				// CPython's message for struct.pack(prefix, length).
				cpy := out[k]
				wantErr := fmt.Sprintf("pack %q: item 0: %s", prefix, cpy)
				if !errors.Is(err, pack.ErrRange) || err == nil || err.Error() != wantErr || cpy == "ok" {
					t.Errorf("WriteFrame(%d bytes) = %v, want ErrRange %q", refuse[k], err, wantErr)
				}
			}
			if diff := cmp.Diff(want, out[len(refuse):]); diff != "" {
				t.Errorf("frames Python read (-wrote +read):\n%s", diff)
			}
		})
	}
}

// A read deadline that passes inside a frame, in its prefix or its
// payload, on a real socket, loses nothing: the next ReadFrame finishes
// the frame. The Python peer waits for a byte from the test at each
// deadline, so the deadline always passes with the frame unfinished.
func TestFrameSocketPythonDeadline(t *testing.T) {
	for _, prefix := range []string{"!I", "<H", ">Q"} {
		for _, mode := range []string{"whole", "bytes"} {
			t.Run(prefix+"/"+mode, func(t *testing.T) {
				size := pack.MustCompile(prefix).Size()
				p := startPyPeer(t, "frame_send_peer.py", prefix, mode,
					"f:3", "p:9000", "d:5000", "w", "d:4000", "h:7:"+strconv.Itoa(size/2), "w", "t:7:"+strconv.Itoa(size/2), "d:7")
				fr, err := pack.NewFrameReader(p.conn, prefix, 10000)
				if err != nil {
					t.Fatal(err)
				}
				if got, err := fr.ReadFrame(); err != nil || !bytes.Equal(got, peerPayload(3)) {
					t.Fatalf("ReadFrame = %x, %v; want %x", got, err, peerPayload(3))
				}
				for _, want := range [][]byte{append(peerPayload(5000), peerPayload(4000)...), peerPayload(7)} {
					p.conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
					if got, err := fr.ReadFrame(); !errors.Is(err, os.ErrDeadlineExceeded) || got != nil {
						t.Fatalf("ReadFrame with the peer waiting = %d bytes, %v; want nil, a deadline error", len(got), err)
					}
					p.conn.SetReadDeadline(time.Now().Add(time.Minute)) // a hang guard only
					if _, err := p.conn.Write([]byte{1}); err != nil {
						t.Fatal(err)
					}
					if got, err := fr.ReadFrame(); err != nil || !bytes.Equal(got, want) {
						t.Fatalf("ReadFrame after the deadline = %d bytes, %v; want the %d bytes of the frame", len(got), err, len(want))
					}
				}
				if got, err := fr.ReadFrame(); err != io.EOF || got != nil {
					t.Errorf("ReadFrame at the end = %x, %v; want nil, io.EOF", got, err)
				}
				p.wait(t)
			})
		}
	}
}

// The same for a Decoder of a record larger than its first buffer.
func TestStreamSocketPythonDeadline(t *testing.T) {
	s := pack.MustCompile("<9000s")
	for _, mode := range []string{"whole", "bytes"} {
		p := startPyPeer(t, "frame_send_peer.py", "<I", mode, "d:5000", "w", "d:4000")
		dec := pack.NewDecoder(p.conn, s)
		p.conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		if vals, err := dec.Unpack(); !errors.Is(err, os.ErrDeadlineExceeded) || vals != nil {
			t.Fatalf("%s: Unpack with the peer waiting = %v, %v; want nil, a deadline error", mode, vals, err)
		}
		p.conn.SetReadDeadline(time.Now().Add(time.Minute)) // a hang guard only
		if _, err := p.conn.Write([]byte{1}); err != nil {
			t.Fatal(err)
		}
		want := append(peerPayload(5000), peerPayload(4000)...)
		if vals, err := dec.Unpack(); err != nil || !bytes.Equal(vals[0].([]byte), want) {
			t.Fatalf("%s: Unpack after the deadline = %v", mode, err)
		}
		if vals, err := dec.Unpack(); err != io.EOF || vals != nil {
			t.Errorf("%s: Unpack at the end = %v, %v; want nil, io.EOF", mode, vals, err)
		}
		p.wait(t)
	}
}
