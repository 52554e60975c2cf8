package pack_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/pack"
)

// framePrefixes are every integer code in every byte order that has it.
var framePrefixes = func() []string {
	var out []string
	for _, o := range []string{"", "@", "=", "<", ">", "!"} {
		for _, c := range "bBhHiIlLqQnNP" {
			if o != "" && o != "@" && strings.ContainsRune("nNP", c) {
				continue
			}
			out = append(out, o+string(c))
		}
	}
	return out
}()

// frameBytes frames payloads by hand with Struct.Append, as Python's
// struct.pack(prefix, len(p)) + p does.
func frameBytes(t testing.TB, prefix string, includes bool, payloads ...[]byte) []byte {
	t.Helper()
	s := pack.MustCompile(prefix)
	var b []byte
	for _, p := range payloads {
		n := len(p)
		if includes {
			n += s.Size()
		}
		var err error
		if b, err = s.Append(b, n); err != nil {
			t.Fatalf("Append(%q, %d) = %v", prefix, n, err)
		}
		b = append(b, p...)
	}
	return b
}

func TestFramePrefixes(t *testing.T) {
	for _, prefix := range framePrefixes {
		if _, err := pack.NewFrameReader(nil, prefix, 10); err != nil {
			t.Errorf("NewFrameReader(%q) = %v", prefix, err)
		}
		if _, err := pack.NewFrameWriter(nil, prefix); err != nil {
			t.Errorf("NewFrameWriter(%q) = %v", prefix, err)
		}
	}
	for _, prefix := range []string{"", "!", "@", "!2I", "!II", "!Ih", "!f", "!e", "!d", "!?", "!c", "!s", "!4s", "!p",
		"!xI", "!Ix", "!0I", "!0xI", "@bi"} {
		_, err := pack.NewFrameReader(nil, prefix, 10)
		_, werr := pack.NewFrameWriter(nil, prefix)
		const msg = "a frame prefix must be exactly one integer code with its byte order, such as '!I' or '<H'"
		for _, err := range []error{err, werr} {
			if !errors.Is(err, pack.ErrFrame) || !strings.HasSuffix(err.Error(), msg) {
				t.Errorf("NewFrame*(%q) = %v, want ErrFrame ending %q", prefix, err, msg)
			}
		}
	}
	for _, prefix := range []string{"!N", "<P", "Z", "I<", "\xe9"} {
		_, err := pack.NewFrameReader(nil, prefix, 10)
		_, werr := pack.NewFrameWriter(nil, prefix)
		if !errors.Is(err, format.ErrSyntax) || !errors.Is(werr, format.ErrSyntax) {
			t.Errorf("NewFrame*(%q) = %v, %v; want format.ErrSyntax", prefix, err, werr)
		}
	}
	if _, err := pack.NewFrameReader(nil, "!I", -1); !errors.Is(err, pack.ErrFrame) || !strings.Contains(err.Error(), "-1") {
		t.Errorf("NewFrameReader with limit -1 = %v, want ErrFrame naming -1", err)
	}
}

// The bytes of WriteFrame, as CPython's struct.pack(prefix, len(p)) + p
// gives them.
var frameWriteTests = []struct {
	prefix   string
	includes bool
	payload  string
	hex      string
}{
	{"!I", false, "abc", "00000003616263"},
	{"<I", false, "abc", "03000000616263"},
	{">H", false, "", "0000"},
	{"<B", false, "\xff", "01ff"},
	{"!q", false, "a", "000000000000000161"},
	{"<Q", false, "ab", "02000000000000006162"},
	{"!I", true, "abc", "00000007616263"},
	{"<h", true, "", "0200"},
	{"b", true, "xyz", "0478797a"},
}

func TestFrameWriterBytes(t *testing.T) {
	for _, tt := range frameWriteTests {
		var opts []pack.FrameOption
		if tt.includes {
			opts = append(opts, pack.LengthIncludesPrefix())
		}
		var w writeLog
		fw, err := pack.NewFrameWriter(&w, tt.prefix, opts...)
		if err != nil {
			t.Fatal(err)
		}
		if err := fw.WriteFrame([]byte(tt.payload)); err != nil {
			t.Fatalf("WriteFrame(%q) under %q = %v", tt.payload, tt.prefix, err)
		}
		if diff := cmp.Diff([][]byte{hexBytes(tt.hex)}, w.writes); diff != "" {
			t.Errorf("WriteFrame(%q) under %q, includes %v: writes (-want +got):\n%s", tt.payload, tt.prefix, tt.includes, diff)
		}
		fr, err := pack.NewFrameReader(bytes.NewReader(hexBytes(tt.hex)), tt.prefix, 10, opts...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fr.ReadFrame()
		if err != nil || string(got) != tt.payload {
			t.Errorf("ReadFrame of %s under %q = %q, %v; want %q", tt.hex, tt.prefix, got, err, tt.payload)
		}
		if got, err := fr.ReadFrame(); err != io.EOF {
			t.Errorf("ReadFrame at the end = %q, %v; want io.EOF", got, err)
		}
	}
}

// Every prefix, every reader of streamReaders, payloads of assorted
// lengths: ReadFrame gives back what WriteFrame wrote, and the bytes are
// those of Struct.Append.
func TestFrameRoundTrip(t *testing.T) {
	for _, prefix := range framePrefixes {
		for _, includes := range []bool{false, true} {
			var opts []pack.FrameOption
			if includes {
				opts = append(opts, pack.LengthIncludesPrefix())
			}
			payloads := [][]byte{{}, []byte("a"), []byte("hello, world"), bytes.Repeat([]byte{0xa5}, 100)}
			var buf bytes.Buffer
			fw, err := pack.NewFrameWriter(&buf, prefix, opts...)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range payloads {
				if err := fw.WriteFrame(p); err != nil {
					t.Fatalf("WriteFrame(%d bytes) under %q = %v", len(p), prefix, err)
				}
			}
			if want := frameBytes(t, prefix, includes, payloads...); !bytes.Equal(buf.Bytes(), want) {
				t.Fatalf("frames under %q, includes %v = %x, want %x", prefix, includes, buf.Bytes(), want)
			}
			for _, rd := range streamReaders {
				fr, err := pack.NewFrameReader(rd.r(buf.Bytes()), prefix, 100, opts...)
				if err != nil {
					t.Fatal(err)
				}
				for i, p := range payloads {
					got, err := fr.ReadFrame()
					if err != nil || !bytes.Equal(got, p) {
						t.Fatalf("%s reader, %q, includes %v: frame %d = %q, %v; want %q", rd.name, prefix, includes, i, got, err, p)
					}
					if got == nil {
						t.Errorf("%s reader, %q: frame %d is a nil slice", rd.name, prefix, i)
					}
				}
				if got, err := fr.ReadFrame(); err != io.EOF {
					t.Errorf("%s reader, %q: ReadFrame at the end = %q, %v; want io.EOF", rd.name, prefix, got, err)
				}
			}
		}
	}
}

func TestFrameReaderTorn(t *testing.T) {
	whole := frameBytes(t, "!I", false, []byte("first"), []byte("second"))
	first := 4 + len("first")
	for cut := first + 1; cut < len(whole); cut++ {
		for _, rd := range streamReaders {
			fr, _ := pack.NewFrameReader(rd.r(whole[:cut]), "!I", 100)
			if got, err := fr.ReadFrame(); err != nil || string(got) != "first" {
				t.Fatalf("cut %d, %s: first frame = %q, %v", cut, rd.name, got, err)
			}
			for range 2 {
				if got, err := fr.ReadFrame(); err != io.ErrUnexpectedEOF || got != nil {
					t.Errorf("cut %d, %s: torn frame = %q, %v; want nil, io.ErrUnexpectedEOF", cut, rd.name, got, err)
				}
			}
		}
	}
	fr, _ := pack.NewFrameReader(strings.NewReader(""), "!I", 100)
	if got, err := fr.ReadFrame(); err != io.EOF || got != nil {
		t.Errorf("ReadFrame of an empty stream = %q, %v; want nil, io.EOF", got, err)
	}
}

// ReadFrame reads nothing past the frame it returns.
func TestFrameReaderNoReadAhead(t *testing.T) {
	tail := []byte("rest of the stream")
	wraps := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"whole", func(r io.Reader) io.Reader { return r }},
		{"one byte", iotest.OneByteReader},
		{"half", iotest.HalfReader},
	}
	for _, rd := range wraps {
		r := bytes.NewReader(append(frameBytes(t, "<H", false, []byte("one"), []byte("")), tail...))
		fr, _ := pack.NewFrameReader(rd.wrap(r), "<H", 100)
		for _, want := range []string{"one", ""} {
			if got, err := fr.ReadFrame(); err != nil || string(got) != want {
				t.Fatalf("%s: ReadFrame = %q, %v; want %q", rd.name, got, err, want)
			}
		}
		if rest, _ := io.ReadAll(r); !bytes.Equal(rest, tail) {
			t.Errorf("%s: after the frames the reader holds %q, want %q", rd.name, rest, tail)
		}
	}
}

// stallReader fails with os.ErrDeadlineExceeded before each read in
// stalls (counted in Reads), as a net.Conn whose read deadline passed,
// and otherwise reads from r.
type stallReader struct {
	r      io.Reader
	reads  int
	stalls map[int]bool
}

func (s *stallReader) Read(p []byte) (int, error) {
	s.reads++
	if s.stalls[s.reads] {
		return 0, os.ErrDeadlineExceeded
	}
	return s.r.Read(p)
}

// A read deadline inside a frame loses nothing: the next call finishes the
// frame.
func TestFrameReaderResumes(t *testing.T) {
	payloads := [][]byte{[]byte("hello"), {}, bytes.Repeat([]byte("xy"), 40)}
	whole := frameBytes(t, ">I", false, payloads...)
	for stall := 1; stall < len(whole)+len(payloads)+2; stall++ {
		sr := &stallReader{r: iotest.OneByteReader(bytes.NewReader(whole)), stalls: map[int]bool{stall: true, stall + 1: true, stall + 3: true}}
		fr, _ := pack.NewFrameReader(sr, ">I", 1000)
		var got [][]byte
		for tries := 0; len(got) < len(payloads) && tries < 100; tries++ {
			p, err := fr.ReadFrame()
			if errors.Is(err, os.ErrDeadlineExceeded) {
				if p != nil {
					t.Fatalf("stall %d: a deadline returned %q", stall, p)
				}
				continue
			}
			if err != nil {
				t.Fatalf("stall %d: ReadFrame = %v", stall, err)
			}
			got = append(got, bytes.Clone(p))
		}
		if diff := cmp.Diff(payloads, got); diff != "" {
			t.Fatalf("stall %d: frames (-want +got):\n%s", stall, diff)
		}
		_, err := fr.ReadFrame()
		for tries := 0; errors.Is(err, os.ErrDeadlineExceeded) && tries < 3; tries++ {
			_, err = fr.ReadFrame() // the stall fell on the read of the end
		}
		if err != io.EOF {
			t.Errorf("stall %d: ReadFrame at the end = %v, want io.EOF", stall, err)
		}
	}
}

// Hostile prefixes: the error names the length and the limit, matches
// ErrFrame and ErrRange, reads nothing past the prefix, and sticks.
func TestFrameReaderHostile(t *testing.T) {
	tests := []struct {
		prefix   string
		includes bool
		limit    int
		hex      string
		length   uint64
		negative bool
		msg      string
	}{
		{"!I", false, 1 << 20, "40000000", 1 << 30, false, `frame "!I": length 1073741824 exceeds the limit of 1048576 bytes`},
		{"<H", false, 0, "0100", 1, false, `frame "<H": length 1 exceeds the limit of 0 bytes`},
		{"!i", false, 100, "fffffffb", 5, true, `frame "!i": length -5 is negative (limit 100 bytes)`},
		{"<q", false, 100, "0000000000000080", 1 << 63, true, `frame "<q": length -9223372036854775808 is negative (limit 100 bytes)`},
		{">Q", false, 100, "ffffffffffffffff", 1<<64 - 1, false, `frame ">Q": length 18446744073709551615 exceeds the limit of 100 bytes`},
		{"!I", true, 100, "00000003", 3, false, `frame "!I": length 3 is shorter than its own 4-byte prefix (limit 100 bytes)`},
		{"!I", true, 100, "00000069", 105, false, `frame "!I": length 105 (a payload of 101 bytes) exceeds the limit of 100 bytes`},
		{"b", false, 10, "80", 128, true, `frame "b": length -128 is negative (limit 10 bytes)`},
	}
	for _, tt := range tests {
		var opts []pack.FrameOption
		if tt.includes {
			opts = append(opts, pack.LengthIncludesPrefix())
		}
		tail := []byte("payload bytes that must stay unread")
		r := bytes.NewReader(append(hexBytes(tt.hex), tail...))
		fr, err := pack.NewFrameReader(r, tt.prefix, tt.limit, opts...)
		if err != nil {
			t.Fatal(err)
		}
		p, err := fr.ReadFrame()
		var fe *pack.FrameError
		if p != nil || !errors.As(err, &fe) || !errors.Is(err, pack.ErrFrame) || !errors.Is(err, pack.ErrRange) {
			t.Fatalf("ReadFrame of %s under %q = %q, %v; want a *FrameError", tt.hex, tt.prefix, p, err)
		}
		if err.Error() != tt.msg {
			t.Errorf("ReadFrame of %s under %q = %q, want %q", tt.hex, tt.prefix, err, tt.msg)
		}
		want := pack.FrameError{Prefix: tt.prefix, Length: tt.length, Negative: tt.negative, Limit: tt.limit, Msg: fe.Msg}
		if diff := cmp.Diff(want, *fe); diff != "" {
			t.Errorf("ReadFrame of %s under %q: error (-want +got):\n%s", tt.hex, tt.prefix, diff)
		}
		if r.Len() != len(tail) {
			t.Errorf("ReadFrame of %s under %q read %d bytes past the prefix", tt.hex, tt.prefix, len(tail)-r.Len())
		}
		if _, err2 := fr.ReadFrame(); err2 != err {
			t.Errorf("ReadFrame after a hostile prefix = %v, want the same error %v", err2, err)
		}
		if r.Len() != len(tail) {
			t.Errorf("ReadFrame after a hostile prefix under %q went on reading", tt.prefix)
		}
	}
	// The limit itself is accepted.
	fr, _ := pack.NewFrameReader(bytes.NewReader(frameBytes(t, "!H", false, []byte("12345"))), "!H", 5)
	if p, err := fr.ReadFrame(); err != nil || string(p) != "12345" {
		t.Errorf("ReadFrame of a payload at the limit = %q, %v", p, err)
	}
}

// allocated returns the bytes f allocates, from the runtime's cumulative
// count, which does not depend on when the collector runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A peer that announces a gigabyte and sends a few bytes costs a small
// buffer; one that sends a megabyte of it costs a few megabytes.
func TestFrameReaderMemoryFollowsBytes(t *testing.T) {
	const gig = 1 << 30
	for _, sent := range []int{0, 3, 1 << 20} {
		stream := append(hexBytes("40000000"), bytes.Repeat([]byte{'x'}, sent)...)
		var err error
		n := allocated(func() {
			var fr *pack.FrameReader
			fr, err = pack.NewFrameReader(bytes.NewReader(stream), "!I", gig)
			if err == nil {
				_, err = fr.ReadFrame()
			}
		})
		if err != io.ErrUnexpectedEOF {
			t.Errorf("ReadFrame of a gigabyte frame torn after %d bytes = %v, want io.ErrUnexpectedEOF", sent, err)
		}
		if bound := uint64(4*sent + 1<<20); n > bound {
			t.Errorf("ReadFrame of a gigabyte frame torn after %d bytes allocated %d bytes, want at most %d", sent, n, bound)
		}
	}
	// A hostile prefix allocates nothing for its payload.
	n := allocated(func() {
		fr, _ := pack.NewFrameReader(bytes.NewReader(hexBytes("7fffffff")), "!I", 100)
		fr.ReadFrame()
	})
	if n > 64<<10 {
		t.Errorf("a refused prefix allocated %d bytes", n)
	}
}

// A Decoder of a very large record allocates as the record's bytes
// arrive.
func TestStreamDecoderMemoryFollowsBytes(t *testing.T) {
	s := pack.MustCompile("1000000000s")
	for _, sent := range []int{3, 1 << 20} {
		var err error
		n := allocated(func() {
			_, err = pack.NewDecoder(bytes.NewReader(bytes.Repeat([]byte{'x'}, sent)), s).Unpack()
		})
		if err != io.ErrUnexpectedEOF {
			t.Errorf("Unpack of %v torn after %d bytes = %v, want io.ErrUnexpectedEOF", s, sent, err)
		}
		if bound := uint64(4*sent + 1<<20); n > bound {
			t.Errorf("Unpack of %v torn after %d bytes allocated %d bytes, want at most %d", s, sent, n, bound)
		}
	}
	// A record larger than the first chunk still decodes, through every
	// short-read pattern and a stall.
	big := pack.MustCompile("<200000sI")
	rec := append(bytes.Repeat([]byte("ab"), 100000), 1, 2, 3, 4)
	for _, rd := range streamReaders {
		sr := &stallReader{r: rd.r(append(rec, rec...)), stalls: map[int]bool{2: true, 5: true}}
		dec := pack.NewDecoder(sr, big)
		for i := range 2 {
			var vals []any
			var err error
			for vals, err = dec.Unpack(); errors.Is(err, os.ErrDeadlineExceeded); vals, err = dec.Unpack() {
			}
			if err != nil || !bytes.Equal(vals[0].([]byte), rec[:200000]) || vals[1] != uint64(0x04030201) {
				t.Fatalf("%s: record %d = %v", rd.name, i, err)
			}
		}
	}
}

func TestFrameWriterRange(t *testing.T) {
	tests := []struct {
		prefix   string
		includes bool
		n        int
		msg      string
	}{
		{"!H", false, 70000, `pack "!H": item 0: 'H' format requires 0 <= number <= 65535`},
		{"@H", false, 65536, `pack "@H": item 0: 'H' format requires 0 <= number <= 65535`},
		{"<B", false, 256, `pack "<B": item 0: 'B' format requires 0 <= number <= 255`},
		{"<b", false, 128, `pack "<b": item 0: 'b' format requires -128 <= number <= 127`},
		{"!h", true, 32766, `pack "!h": item 0: 'h' format requires -32768 <= number <= 32767`},
		{"!H", true, 65534, `pack "!H": item 0: 'H' format requires 0 <= number <= 65535`},
	}
	for _, tt := range tests {
		var opts []pack.FrameOption
		if tt.includes {
			opts = append(opts, pack.LengthIncludesPrefix())
		}
		var w writeLog
		fw, _ := pack.NewFrameWriter(&w, tt.prefix, opts...)
		err := fw.WriteFrame(make([]byte, tt.n))
		if !errors.Is(err, pack.ErrRange) || err.Error() != tt.msg {
			t.Errorf("WriteFrame(%d bytes) under %q = %v, want ErrRange %q", tt.n, tt.prefix, err, tt.msg)
		}
		if len(w.writes) != 0 {
			t.Errorf("WriteFrame(%d bytes) under %q wrote %d times", tt.n, tt.prefix, len(w.writes))
		}
		if err := fw.WriteFrame([]byte("ok")); err != nil {
			t.Errorf("WriteFrame after a range error = %v", err)
		}
	}
}

// A Write that fails having written nothing leaves the stream usable; one
// that fails inside the frame tears it.
func TestFrameWriterErrors(t *testing.T) {
	frame := frameBytes(t, "!I", false, []byte("payload"))
	for n := range len(frame) {
		w := &failWriter{n: n, err: errWrite}
		fw, _ := pack.NewFrameWriter(w, "!I")
		if err := fw.WriteFrame([]byte("payload")); err != errWrite {
			t.Fatalf("WriteFrame failing at %d = %v, want %v", n, err, errWrite)
		}
		w.n = 100
		err := fw.WriteFrame([]byte("payload"))
		switch {
		case n == 0 && err != nil:
			t.Errorf("WriteFrame after a Write that wrote nothing = %v, want nil", err)
		case n > 0 && err != errWrite:
			t.Errorf("WriteFrame after a Write torn at %d = %v, want %v", n, err, errWrite)
		}
	}
	var fw *pack.FrameWriter
	if err := fw.WriteFrame(nil); err == nil || !strings.Contains(err.Error(), "NewFrameWriter") {
		t.Errorf("nil FrameWriter: WriteFrame = %v", err)
	}
	var fr *pack.FrameReader
	if _, err := fr.ReadFrame(); err == nil || !strings.Contains(err.Error(), "NewFrameReader") {
		t.Errorf("nil FrameReader: ReadFrame = %v", err)
	}
	if _, err := new(pack.FrameReader).ReadFrame(); err == nil {
		t.Errorf("zero FrameReader: ReadFrame = nil error")
	}
	if err := new(pack.FrameWriter).WriteFrame(nil); err == nil {
		t.Errorf("zero FrameWriter: WriteFrame = nil error")
	}
}

// emptyReader returns no bytes and no error, forever.
type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

func TestFrameReaderNoProgress(t *testing.T) {
	fr, _ := pack.NewFrameReader(emptyReader{}, "!I", 10)
	if _, err := fr.ReadFrame(); err != io.ErrNoProgress {
		t.Errorf("ReadFrame from a reader that returns nothing = %v, want io.ErrNoProgress", err)
	}
}

func TestFrameAllocs(t *testing.T) {
	payload := bytes.Repeat([]byte("z"), 300)
	fw, _ := pack.NewFrameWriter(io.Discard, "!I")
	if n := testing.AllocsPerRun(100, func() { fw.WriteFrame(payload) }); n != 0 {
		t.Errorf("WriteFrame allocates %v times, want 0", n)
	}
	cr := &cycleReader{b: frameBytes(t, "!I", false, payload)}
	fr, _ := pack.NewFrameReader(cr, "!I", 1000)
	if n := testing.AllocsPerRun(100, func() { fr.ReadFrame() }); n != 0 {
		t.Errorf("ReadFrame allocates %v times, want 0", n)
	}
}

// frameMax returns the longest payload a prefix can frame, up to 1<<20.
func frameMax(prefix string, includes bool) int {
	size := pack.MustCompile(prefix).Size()
	n := 1 << 20
	if size < 4 {
		n = 1<<(8*size) - 1
		if strings.ContainsAny(prefix, "bh") {
			n >>= 1
		}
	}
	if includes {
		n -= size
	}
	return n
}

// sizedReader returns the bytes of b in the chunk sizes of sizes, in turn
// (a size of 0 returns no bytes), after which it returns the rest whole.
type sizedReader struct {
	b     []byte
	sizes []int
}

func (c *sizedReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := len(c.b)
	if len(c.sizes) > 0 {
		n, c.sizes = min(n, c.sizes[0]), c.sizes[1:]
	}
	n = copy(p, c.b[:n])
	c.b = c.b[n:]
	return n, nil
}

// Framing round-trips any sequence of payloads, under any prefix, chunked
// in any way on the way to the reader.
func TestFrameProperties(t *testing.T) {
	seed := *gopterSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	runProperty(t, "framing round-trips any payload sequence under any chunking", seed, "gopter.seed", 150, prop.ForAll(
		func(pi int, includes bool, lens []int, chunks []int, fill uint64) string {
			prefix := framePrefixes[pi%len(framePrefixes)]
			var opts []pack.FrameOption
			if includes {
				opts = append(opts, pack.LengthIncludesPrefix())
			}
			rng := rand.New(rand.NewPCG(fill, 1))
			limit := 0
			var payloads [][]byte
			for _, n := range lens {
				n %= frameMax(prefix, includes) + 1
				p := make([]byte, n)
				for i := 0; i < n; i += 8 {
					u := rng.Uint64()
					for j := i; j < min(i+8, n); j++ {
						p[j] = byte(u >> (8 * (j - i)))
					}
				}
				payloads = append(payloads, p)
				limit = max(limit, n)
			}
			var buf bytes.Buffer
			fw, err := pack.NewFrameWriter(&buf, prefix, opts...)
			if err != nil {
				return err.Error()
			}
			for _, p := range payloads {
				if err := fw.WriteFrame(p); err != nil {
					return err.Error()
				}
			}
			var r io.Reader = &sizedReader{b: buf.Bytes(), sizes: chunks}
			if fill%4 == 0 {
				r = iotest.OneByteReader(r)
			}
			fr, err := pack.NewFrameReader(r, prefix, limit, opts...)
			if err != nil {
				return err.Error()
			}
			var got [][]byte
			for {
				p, err := fr.ReadFrame()
				if err == io.EOF {
					break
				}
				if err != nil {
					return "ReadFrame: " + err.Error()
				}
				if len(got) == len(payloads) || !bytes.Equal(p, payloads[len(got)]) {
					return fmt.Sprintf("frame %d of %d differs (%d bytes)", len(got), len(payloads), len(p))
				}
				got = append(got, p)
			}
			if len(got) != len(payloads) {
				return fmt.Sprintf("read %d frames, wrote %d", len(got), len(payloads))
			}
			return ""
		},
		gen.IntRange(0, 1000),
		gen.Bool(),
		gen.SliceOfN(8, gen.IntRange(0, 20000)).Map(func(l []int) []int {
			for i := range l {
				if i%2 == 1 {
					l[i] %= 300 // mostly small payloads, some large
				}
			}
			return l
		}),
		gen.SliceOf(gen.IntRange(0, 70000)),
		gen.UInt64(),
	))
}
