package pack_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/pystruct/pystruct/pack"
)

// FuzzReadFrame reads any bytes as frames, under a prefix, option, limit
// and chunking chosen by the first bytes, and checks each frame against a
// reading of the stream by Unpack: the same payloads, then io.EOF,
// io.ErrUnexpectedEOF or a sticky *FrameError, never a panic.
func FuzzReadFrame(f *testing.F) {
	f.Add(byte(0), byte(0), uint16(100), []byte("\x00\x00\x00\x03abc\x00\x00\x00\x00"))
	f.Add(byte(3), byte(1), uint16(2), []byte("\x00\x05ab"))
	f.Add(byte(7), byte(2), uint16(10), []byte("\xff\xff\xff\xff"))
	f.Add(byte(40), byte(255), uint16(0), []byte("\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, sel, chunk byte, limit uint16, stream []byte) {
		prefix := framePrefixes[int(sel)%len(framePrefixes)]
		includes := sel >= 128
		var opts []pack.FrameOption
		if includes {
			opts = append(opts, pack.LengthIncludesPrefix())
		}
		ps := pack.MustCompile(prefix)
		var sizes []int
		for i := range 64 {
			sizes = append(sizes, int(chunk>>(i%8))%5)
		}
		fr, err := pack.NewFrameReader(&sizedReader{b: stream, sizes: sizes}, prefix, int(limit), opts...)
		if err != nil {
			t.Fatal(err)
		}
		rest := stream
		for {
			p, err := fr.ReadFrame()
			// The reference reading.
			if len(rest) == 0 {
				if err != io.EOF {
					t.Fatalf("at the end: %q, %v; want io.EOF", p, err)
				}
				return
			}
			if len(rest) < ps.Size() {
				if err != io.ErrUnexpectedEOF {
					t.Fatalf("torn prefix: %q, %v", p, err)
				}
				return
			}
			vals, _ := ps.Unpack(rest[:ps.Size()])
			var n int64
			switch v := vals[0].(type) {
			case int64:
				n = v
			case uint64:
				n = int64(min(v, 1<<62))
			}
			if includes {
				n -= int64(ps.Size())
			}
			if (includes && n < 0) || n < 0 || n > int64(limit) {
				var fe *pack.FrameError
				if !errors.As(err, &fe) || !errors.Is(err, pack.ErrRange) || !errors.Is(err, pack.ErrFrame) {
					t.Fatalf("hostile prefix %x: %q, %v", rest[:ps.Size()], p, err)
				}
				if _, again := fr.ReadFrame(); again != err {
					t.Fatalf("after a hostile prefix: %v, want the same error", again)
				}
				return
			}
			rest = rest[ps.Size():]
			if int64(len(rest)) < n {
				if err != io.ErrUnexpectedEOF || p != nil {
					t.Fatalf("torn payload: %q, %v", p, err)
				}
				return
			}
			if err != nil || !bytes.Equal(p, rest[:n]) {
				t.Fatalf("frame: %q, %v; want %q", p, err, rest[:n])
			}
			rest = rest[n:]
		}
	})
}
