package pack_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

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
	for i, prefix := range framePrefixes {
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
