package main

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/pystruct/pystruct/pack"
	"github.com/pystruct/pystruct/pyrepr"
)

// fuzzMaxRecord bounds the records the fuzz targets let the tool make.
const fuzzMaxRecord = 1 << 16

// FuzzRun runs the whole tool on any command line (arguments separated by
// NUL) and any standard input. The exit status is 0, 1 or 2; stderr is
// empty exactly when it is 0, and otherwise one "pystruct: " line (1) or
// that and a usage line (2); and a second run gives the same result.
// Arguments naming files that exist are left out (the tool would read
// them), as are formats of records too large to fuzz with.
func FuzzRun(f *testing.F) {
	for _, seed := range []struct{ args, stdin string }{
		{"calcsize\x00<i5sf", ""},
		{"pack\x00--hex\x00<i5sf\x001\x00b'zhang'\x001.75", ""},
		{"pack\x00<h\x0070000", ""},
		{"unpack\x00--hex\x00<h", "0100"},
		{"unpack\x00--offset\x00-2\x00<h", "\x01\x02\x03"},
		{"unpack\x00--json\x00<hs", "\x01\x02\xff"},
		{"iter\x00--hex\x00<h", "0100 0200\n0300"},
		{"iter\x00<h", "\x01\x02\x03"},
		{"iter\x00--json\x00<?e", "\x01\x00\x3c"},
		{"help\x00pack", ""},
		{"--help", ""},
		{"bogus", ""},
		{"", ""},
		{"pack\x00--bogus\x00<h\x001", ""},
		{"unpack\x00--hex\x00<h", "zz"},
		{"pack\x00<5p\x00b'ab'", ""},
		{"pack\x00<c\x00\"b'\\xff'\"", ""},
		{"unpack\x00<h\x00no-such-file", ""},
		{"layout\x00h5sI0q", ""},
		{"layout\x00--json\x003x2s0pZf3hD", ""},
		{"dump\x00<h5sI", "\x01\x00zhang\x07\x00\x00\x00\xfe\xff"},
		{"dump\x00--offset\x003\x00--count\x002\x00@hx9sq", "\x01\x00-zhangzhang\x00\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00\xff"},
		{"dump\x00--offset\x0099\x00<h", "\x01\x02"},
		{"--version", ""},
		{"lyaout\x00h", ""},
		{"dump\x00--count=-1\x00-offset\x001\x00<h", "\x01\x00\x02"},
		{"layout\x00-x\x00<h", ""},
		{"iter\x00--offset\x00-3\x00--count\x001\x00<h", "\x01\x02\x03\x04\x05"},
		{"iter\x00--offset=2\x00--csv\x00--names\x00a,b\x00<hs", "\xff\xff\x01\x00,"},
		{"unpack\x00--json\x00--names\x00x\x00--bytes\x00base64\x00<3s", "a\x00\xff"},
		{"iter\x00--names\x00it's\x00<h", "\x01\x00"},
		{"pack\x00<hd", "(1, 1.5)\n[2, \"inf\"]\n(3)\n"},
		{"pack\x00--bytes\x00hex\x00--hex\x00<h3s", "[1, \"00ff41\"]\n"},
		{"iter\x00-x\x00<h", ""},
		{"pack\x00<h\x00-5", ""},
	} {
		f.Add(seed.args, []byte(seed.stdin))
	}
	f.Fuzz(func(t *testing.T, joined string, stdin []byte) {
		var args []string
		if joined != "" {
			args = strings.Split(joined, "\x00")
		}
		for _, a := range args {
			if a != "-" && a != "" {
				if _, err := os.Lstat(a); err == nil {
					return
				}
			}
			if n, err := pack.Calcsize(a); err == nil && n > fuzzMaxRecord {
				return
			}
		}
		var out, errOut bytes.Buffer
		exit := run(args, bytes.NewReader(stdin), &out, &errOut)
		stderr := errOut.String()
		switch exit {
		case 0:
			if stderr != "" {
				t.Fatalf("run(%q) = 0 with stderr %q", args, stderr)
			}
		case 1:
			if !strings.HasPrefix(stderr, "pystruct: ") || strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
				t.Fatalf("run(%q) = 1 with stderr %q, want one pystruct: line", args, stderr)
			}
		case 2:
			if !strings.HasPrefix(stderr, "pystruct: ") || !strings.Contains(stderr, "\nusage: ") {
				t.Fatalf("run(%q) = 2 with stderr %q, want a pystruct: line and usage", args, stderr)
			}
		default:
			t.Fatalf("run(%q) = %d, want 0, 1 or 2", args, exit)
		}
		var out2, errOut2 bytes.Buffer
		if exit2 := run(args, bytes.NewReader(stdin), &out2, &errOut2); exit2 != exit || out2.String() != out.String() || errOut2.String() != stderr {
			t.Fatalf("run(%q) twice: %d %q %q, then %d %q %q", args, exit, out.String(), stderr, exit2, out2.String(), errOut2.String())
		}
	})
}

// FuzzPackUnpack takes the values a record of any format unpacks to,
// writes each as pyrepr writes it, and gives them to the tool: pack must
// take them back (the tool's literal parser reads pyrepr's output) and
// print the record pack.Pack makes of them, unpack must print the tuple
// pyrepr prints, and iter must print it once per record.
func FuzzPackUnpack(f *testing.F) {
	for _, fs := range []string{"<i5sf", "@ci?d", ">3e2f", "=0s3p?", "<qQ", "!bB", "<c5p", "@P", "<d", "x", "", "<5s", "<e", "<Zf", ">2Zd", "bD", "@F"} {
		n, _ := pack.Calcsize(fs)
		rec := make([]byte, n)
		for i := range rec {
			rec[i] = byte(i*59 + 5)
		}
		f.Add(fs, rec)
		f.Add(fs, bytes.Repeat([]byte{0xff}, n))
	}
	f.Fuzz(func(t *testing.T, fs string, data []byte) {
		s, err := pack.Compile(fs)
		if err != nil || s.Size() > fuzzMaxRecord || s.NumValues() > 256 {
			return
		}
		rec := make([]byte, s.Size())
		copy(rec, data)
		vals, err := s.Unpack(rec)
		if err != nil {
			t.Fatalf("Unpack(%q, %x): %v", fs, rec, err)
		}
		// Python's repr writes every NaN as nan, which reads back as
		// float('nan'): positive, quiet, no payload.
		asRead := make([]any, len(vals))
		nan := math.Float64frombits(0x7ff8_0000_0000_0000)
		asRead1 := func(f float64) float64 {
			if math.IsNaN(f) {
				return nan
			}
			return f
		}
		for i, v := range vals {
			switch x := v.(type) {
			case float64:
				v = asRead1(x)
			case complex128:
				v = complex(asRead1(real(x)), asRead1(imag(x)))
			}
			asRead[i] = v
		}
		canon, err := s.Pack(asRead...)
		if err != nil {
			t.Fatalf("Pack(%q, Unpack(%x)...): %v", fs, rec, err)
		}
		args := []string{"pack", "--hex", "--", fs}
		for _, v := range vals {
			args = append(args, pyrepr.Value(v))
		}
		var out, errOut bytes.Buffer
		if exit := run(args, nil, &out, &errOut); exit != 0 || out.String() != hex.EncodeToString(canon)+"\n" {
			t.Fatalf("run(%q) = %d, %q, %q; want %x", args, exit, out.String(), errOut.String(), canon)
		}
		want := pyrepr.Tuple(vals) + "\n"
		out.Reset()
		if exit := run([]string{"unpack", "--", fs}, bytes.NewReader(rec), &out, &errOut); exit != 0 || out.String() != want {
			t.Fatalf("unpack %q of %x = %d, %q, %q; want %q", fs, rec, exit, out.String(), errOut.String(), want)
		}
		if s.Size() == 0 {
			return
		}
		out.Reset()
		two := hex.EncodeToString(rec) + "\n" + hex.EncodeToString(rec)
		if exit := run([]string{"iter", "--hex", "--", fs}, strings.NewReader(two), &out, &errOut); exit != 0 || out.String() != want+want {
			t.Fatalf("iter --hex %q of %s = %d, %q, %q; want %q twice", fs, two, exit, out.String(), errOut.String(), want)
		}
	})
}

// hexModel decodes text as Python's bytes.fromhex does, the simple way: a
// pair of hex digits, or ASCII whitespace between pairs. It returns the
// position of the first character fromhex rejects, or -1.
func hexModel(text []byte) ([]byte, int) {
	var out []byte
	for i := 0; i < len(text); i++ {
		if isSpace(text[i]) {
			continue
		}
		if _, err := hex.DecodeString(string(text[i:min(i+2, len(text))])); err != nil || i+1 == len(text) {
			if _, ok := unhex(text[i]); ok {
				return nil, i + 1
			}
			return nil, i
		}
		b, _ := hex.DecodeString(string(text[i : i+2]))
		out = append(out, b...)
		i++
	}
	return out, -1
}

// FuzzHexReader decodes any text with the tool's hex reader, whole and in
// reads of one byte at either end: all three agree with each other and
// with a simple model of bytes.fromhex (built on encoding/hex), bytes and
// error position alike.
func FuzzHexReader(f *testing.F) {
	for _, s := range []string{"", "00", "0a0B", "01 02\n03\t04\r\n", " 0", "0 1", "0", "zz", "0g", "ff\x0b\x0c00", "\x00", "1 2 3", "abcdef0123456789ABCDEF"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		want, wantPos := hexModel(text)
		for name, r := range map[string]io.Reader{
			"whole":            newHexReader(bytes.NewReader(text)),
			"one byte out":     iotest.OneByteReader(newHexReader(bytes.NewReader(text))),
			"one byte in":      newHexReader(iotest.OneByteReader(bytes.NewReader(text))),
			"half-size chunks": iotest.HalfReader(newHexReader(iotest.HalfReader(bytes.NewReader(text)))),
		} {
			got, err := io.ReadAll(r)
			var he *hexError
			switch {
			case wantPos < 0 && err != nil:
				t.Fatalf("%s: hex reader of %q: %v, want %x", name, text, err, want)
			case wantPos < 0 && !bytes.Equal(got, want):
				t.Fatalf("%s: hex reader of %q = %x, want %x", name, text, got, want)
			case wantPos >= 0 && (!errors.As(err, &he) || he.pos != int64(wantPos)):
				t.Fatalf("%s: hex reader of %q: %x, %v; want an error at position %d", name, text, got, err, wantPos)
			}
		}
	})
}
