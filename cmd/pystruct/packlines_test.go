package main

import (
	"bytes"
	"encoding/hex"
	"flag"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/pystruct/pystruct/pack"
	"github.com/pystruct/pystruct/pyrepr"
)

var roundTripCount = flag.Int("roundtrip.n", 400, "number of random formats in TestIterPackRoundTrip")

// canonicalRecords returns n records of s made from random bytes and
// packed again from their values, so that they are what pack writes:
// zero pad bytes, bools 0 or 1, Python's one NaN, Pascal strings without
// bytes past their length. Those are the files iter | pack reproduces.
func canonicalRecords(t *testing.T, g *caseGen, s *pack.Struct, n int) []byte {
	t.Helper()
	nan := math.Float64frombits(0x7ff8_0000_0000_0000)
	canonical := func(f float64) float64 {
		if math.IsNaN(f) {
			return nan
		}
		return f
	}
	var data []byte
	for range n {
		vals, err := s.Unpack(g.randBytes(s.Size()))
		if err != nil {
			t.Fatalf("Unpack(%q): %v", s.Format(), err)
		}
		for i, v := range vals {
			switch x := v.(type) {
			case float64:
				vals[i] = canonical(x)
			case complex128:
				vals[i] = complex(canonical(real(x)), canonical(imag(x)))
			}
		}
		if data, err = s.Append(data, vals...); err != nil {
			t.Fatalf("Append(%q): %v", s.Format(), err)
		}
	}
	return data
}

// For random formats and records, `pystruct iter F x | pystruct pack F`
// gives back x byte for byte, from the tuples iter prints and from its
// JSON lines with each --bytes form, and pack --hex prints one line of hex
// a record.
func TestIterPackRoundTrip(t *testing.T) {
	seed := *liveSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("random formats from -seed=%d", seed)
	g := &caseGen{rand.New(rand.NewPCG(seed, seed^0x5eed))}
	modes := []struct{ iter, pack []string }{
		{nil, nil},
		{[]string{"--json"}, nil},
		{[]string{"--json", "--bytes", "latin1"}, []string{"--bytes", "latin1"}},
		{[]string{"--json", "--bytes", "hex"}, []string{"--bytes", "hex"}},
		{[]string{"--json", "--bytes", "base64"}, []string{"--bytes", "base64"}},
	}
	tested, failures := 0, 0
	for tested < *roundTripCount {
		fs := g.format()
		s, err := pack.Compile(fs)
		if err != nil || s.NumValues() == 0 || s.Size() == 0 || s.Size() > 4096 {
			continue // iter refuses records of no bytes, as iter_unpack does
		}
		tested++
		data := canonicalRecords(t, g, s, g.r.IntN(4))
		for _, m := range modes {
			iterArgs := append(append([]string{"iter"}, m.iter...), "--", fs)
			var lines, stderr bytes.Buffer
			if exit := run(iterArgs, bytes.NewReader(data), &lines, &stderr); exit != 0 {
				t.Fatalf("pystruct %q of %x: exit %d, %s", iterArgs, data, exit, stderr.Bytes())
			}
			packArgs := append(append([]string{"pack"}, m.pack...), "--", fs)
			var out bytes.Buffer
			exit := run(packArgs, bytes.NewReader(lines.Bytes()), &out, &stderr)
			if exit != 0 || !bytes.Equal(out.Bytes(), data) {
				t.Errorf("pystruct %q | pystruct %q: exit %d, %s\ninput %x\nlines %q\noutput %x",
					iterArgs, packArgs, exit, stderr.Bytes(), data, lines.Bytes(), out.Bytes())
				if failures++; failures == 10 {
					t.Fatal("too many failures")
				}
			}
			var hexOut bytes.Buffer
			packArgs = append([]string{"pack", "--hex"}, packArgs[1:]...)
			exit = run(packArgs, bytes.NewReader(lines.Bytes()), &hexOut, &stderr)
			var want strings.Builder
			for i := 0; i < len(data); i += s.Size() {
				want.WriteString(hex.EncodeToString(data[i:i+s.Size()]) + "\n")
			}
			if exit != 0 || hexOut.String() != want.String() {
				t.Errorf("pystruct %q of %q: exit %d, printed %q, want %q", packArgs, lines.Bytes(), exit, hexOut.Bytes(), want.String())
			}
		}
	}
}

// lineSource generates n lines of records of '<qd5s' for pack, tuples
// and JSON arrays in turn, without holding more than one line.
type lineSource struct {
	n, i int
	line []byte
}

func (r *lineSource) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.line) == 0 {
			if r.i == r.n {
				if n == 0 {
					return 0, io.EOF
				}
				break
			}
			vals := []any{int64(r.i) * 2654435761, float64(r.i) / 3, []byte{byte(r.i), 'a', '\'', '"', 0xff}}
			if r.i%2 == 0 {
				r.line = append(pyrepr.AppendTuple(r.line[:0], vals), '\n')
			} else {
				r.line = append(appendJSON(r.line[:0], vals), '\n')
			}
			r.i++
		}
		c := copy(p[n:], r.line)
		r.line = r.line[c:]
		n += c
	}
	return n, nil
}

// pack streams the records it reads: the live heap, measured exactly
// (see heapWriter) after 1%, 10% and 100% of the records, stays within
// 256 KB of the first measurement, and that under 16 MB.
func TestPackLinesMemoryIsFlat(t *testing.T) {
	n := 400_000
	if testing.Short() || raceEnabled {
		n = 40_000
	}
	out := &heapWriter{at: []int{n / 100, n / 10, n}}
	var stderr bytes.Buffer
	if exit := run([]string{"pack", "--hex", "<qd5s"}, &lineSource{n: n}, out, &stderr); exit != 0 {
		t.Fatalf("pack exited with %d: %s", exit, stderr.Bytes())
	}
	if out.lines != n {
		t.Errorf("pack wrote %d records, want %d", out.lines, n)
	}
	last, err := pack.MustCompile("<qd5s").Pack(int64(n-1)*2654435761, float64(n-1)/3, []byte{byte(n - 1), 'a', '\'', '"', 0xff})
	if err != nil {
		t.Fatal(err)
	}
	if want := hex.EncodeToString(last) + "\n"; string(out.last) != want {
		t.Errorf("last record %q, want %q", out.last, want)
	}
	if len(out.live) != len(out.at) {
		t.Fatalf("measured the heap %d times, want %d", len(out.live), len(out.at))
	}
	t.Logf("%d records: live heap %d KB, %d KB, %d KB", n, out.live[0]>>10, out.live[1]>>10, out.live[2]>>10)
	if limit := uint64(16 << 20); out.live[0] > limit {
		t.Errorf("live heap %d KB after %d records, want at most %d KB", out.live[0]>>10, out.at[0], limit>>10)
	}
	for i := 1; i < len(out.live); i++ {
		if out.live[i] > out.live[0]+256<<10 {
			t.Errorf("live heap grew from %d KB after %d records to %d KB after %d", out.live[0]>>10, out.at[0], out.live[i]>>10, out.at[i])
		}
	}
}

// endless is a line that never ends: "(" and then digits forever.
type endless struct{ read int64 }

func (r *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '1'
	}
	if r.read == 0 && len(p) > 0 {
		p[0] = '('
	}
	r.read += int64(len(p))
	return len(p), nil
}

// A line longer than pack reads for the format is an error with exit
// status 1, found before much more than the limit has been read.
func TestPackLineTooLong(t *testing.T) {
	for _, tt := range []struct{ fs, first string }{{"<h", "(1,)\n"}, {"<100000s", "[\"x\"]\n"}} {
		fs, src := tt.fs, &endless{}
		var stdout, stderr bytes.Buffer
		exit := run([]string{"pack", fs}, io.MultiReader(strings.NewReader(tt.first), src), &stdout, &stderr)
		limit := int64(maxLine(pack.MustCompile(fs)))
		want := "pystruct: stdin line 2: line longer than "
		if exit != 1 || !strings.HasPrefix(stderr.String(), want) || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("pack %q of an endless line: exit %d, stderr %q; want 1 and %q...", fs, exit, stderr.String(), want)
		}
		if stdout.Len() != pack.MustCompile(fs).Size() {
			t.Errorf("pack %q: wrote %d bytes before the long line, want the first record's %d", fs, stdout.Len(), pack.MustCompile(fs).Size())
		}
		if src.read > limit+128<<10 {
			t.Errorf("pack %q read %d bytes of the endless line, want about its limit of %d", fs, src.read, limit)
		}
	}
}

// The tuple parser splits lines where Python's parser does.
func TestParseTupleLine(t *testing.T) {
	for _, tt := range []struct {
		line string
		want []any
		err  string
	}{
		{"(1,)", []any{int64(1)}, ""},
		{"( 1 , )", []any{int64(1)}, ""},
		{"(1, b'a,b)', -2.5)", []any{int64(1), []byte("a,b)"), -2.5}, ""},
		{`(b'\'', b"\"", b'a' b'b')`, []any{[]byte("'"), []byte(`"`), []byte("ab")}, ""},
		{"((1-0j), -2j, (nan+infj))", []any{complex(1, math.Copysign(0, -1)), complex(0, -2), complex(math.NaN(), math.Inf(1))}, ""},
		{"(True, False, None, inf, -inf)", []any{true, false, nil, math.Inf(1), math.Inf(-1)}, ""},
		{"('s',)", []any{pyStr("s")}, ""},
		{"()", nil, ""},
		{"(1)", nil, "(x) is not a tuple"},
		{"(1 2)", nil, "want , or ) after value 1"},
		{"(1,,)", nil, "value 2: missing"},
		{"(1, 2", nil, "tuple not closed"},
		{"(1,) 2", nil, "text after the tuple"},
		{"(b'abc,)", nil, "value 1: unterminated string literal"},
		{"((1, 2),)", nil, "not a Python literal"},
		{"(zhang,)", nil, "not a Python literal"},
		{"(0x,)", nil, "invalid hexadecimal literal"},
	} {
		got, err := parseTupleLine(tt.line)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("parseTupleLine(%q) = %v, %v; want an error with %q", tt.line, got, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("parseTupleLine(%q): %v", tt.line, err)
		case tt.err == "" && pyrepr.Tuple(got) != pyrepr.Tuple(tt.want):
			t.Errorf("parseTupleLine(%q) = %s, want %s", tt.line, pyrepr.Tuple(got), pyrepr.Tuple(tt.want))
		}
	}
}

// FuzzPackLine gives pack's line reader any line for any format. It never
// panics; the exit status is 0 or 1 (the format and options are fine);
// and a line pack takes makes a record that iter prints as a tuple and as
// JSON, and each of those lines packs to a record that iter prints the
// same way. (The record itself may differ in one way: a NaN with its sign
// bit set, as float('-nan') makes, prints as nan, as in Python.)
func FuzzPackLine(f *testing.F) {
	for _, seed := range []struct{ fs, line string }{
		{"<i5sf", "(1, b'zhang', 1.75)"},
		{"<i5sf", `[1, "zhang", 1.75]`},
		{"<h", "(1,)"},
		{"<h", "(1)"},
		{"<hd", "(-3, -inf)"},
		{"<hd", `[5, "nan"]`},
		{"<DZf", "((1+2j), (nan+infj))"},
		{"<DZf", `[[1.0, 2.0], ["nan", "inf"]]`},
		{"<4s4s", `(b',)(', b"'\"")`},
		{"<??", "(True, None)"},
		{"<Q", "[18446744073709551616]"},
		{"<3s", `["\u0100"]`},
		{"<hh", "[1, 2] x"},
		{"@ci?P", "(b'\\x00', -1, 1, 0)"},
		{"<5p", "(b'abcdefg',)"},
		{"<e", "(65520.0,)"},
	} {
		f.Add(seed.fs, seed.line)
	}
	f.Fuzz(func(t *testing.T, fs, line string) {
		s, err := pack.Compile(fs)
		if err != nil || s.NumValues() == 0 || s.Size() > fuzzMaxRecord || strings.ContainsAny(line, "\n") {
			return
		}
		var rec, stderr bytes.Buffer
		exit := run([]string{"pack", "--", fs}, strings.NewReader(line), &rec, &stderr)
		switch exit {
		case 0:
			if stderr.Len() != 0 || rec.Len() != 0 && rec.Len() != s.Size() {
				t.Fatalf("pack %q of %q: exit 0 with %x, stderr %q", fs, line, rec.Bytes(), stderr.String())
			}
		case 1:
			if rec.Len() != 0 || !strings.HasPrefix(stderr.String(), "pystruct: stdin line 1: ") || strings.Count(stderr.String(), "\n") != 1 {
				t.Fatalf("pack %q of %q: exit 1 with %x, stderr %q", fs, line, rec.Bytes(), stderr.String())
			}
			return
		default:
			t.Fatalf("pack %q of %q: exit %d, stderr %q", fs, line, exit, stderr.String())
		}
		if rec.Len() == 0 {
			return // a blank line, or a record of no bytes
		}
		for _, mode := range [][]string{{"iter"}, {"iter", "--json"}, {"iter", "--json", "--bytes", "base64"}} {
			var printed, again bytes.Buffer
			if exit := run(append(mode, "--", fs), bytes.NewReader(rec.Bytes()), &printed, &stderr); exit != 0 {
				t.Fatalf("%q of %x: exit %d, %s", mode, rec.Bytes(), exit, stderr.String())
			}
			packArgs := []string{"pack", "--", fs}
			if len(mode) == 4 {
				packArgs = []string{"pack", "--bytes", "base64", "--", fs}
			}
			if exit := run(packArgs, bytes.NewReader(printed.Bytes()), &again, &stderr); exit != 0 {
				t.Fatalf("pack %q of %q = %x; %q printed %q, which pack refuses: exit %d, %s",
					fs, line, rec.Bytes(), mode, printed.String(), exit, stderr.String())
			}
			var reprinted bytes.Buffer
			run(append(mode, "--", fs), bytes.NewReader(again.Bytes()), &reprinted, &stderr)
			if reprinted.String() != printed.String() {
				t.Fatalf("pack %q of %q = %x; %q printed %q, which packs to %x, printed %q",
					fs, line, rec.Bytes(), mode, printed.String(), again.Bytes(), reprinted.String())
			}
		}
	})
}
