package format_test

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/cabi"
)

// dump renders a plan compactly: the mode, then each field as
// code:count@offset, then =size/values.
func dump(p *format.Plan) string {
	var b strings.Builder
	b.WriteString(p.Order().String())
	for _, f := range p.Fields() {
		fmt.Fprintf(&b, " %s%d@%d", f.Name(), f.Count, f.Offset)
	}
	fmt.Fprintf(&b, " =%d/%d", p.Size(), p.NumValues())
	return b.String()
}

var parseTests = []struct {
	in, dump string
}{
	{"", "@ =0/0"},
	{"<", "< =0/0"},
	{"<i5sf", "< i1@0 s5@4 f1@9 =13/3"},
	{"!i5sf", "! i1@0 s5@4 f1@9 =13/3"},
	{">3h", "> h3@0 =6/3"},
	{"=bd", "= b1@0 d1@1 =9/2"},
	{"< h", "< h1@0 =2/1"},
	{"<h h ", "< h1@0 h1@2 =4/2"},
	{"\t\n\v\f\r h", "@ h1@0 =2/1"},
	{"00012h", "@ h12@0 =24/12"},
	{"<0s0p0c0x0h", "< s0@0 p0@0 c0@0 x0@0 h0@0 =0/2"},
	{"<10x", "< x10@0 =10/0"},
	{"<1000000i", "< i1000000@0 =4000000/1000000"},
	{"<" + maxInt + "x", "< x" + maxInt + "@0 =" + maxInt + "/0"},
	{"<" + maxInt + "s", "< s" + maxInt + "@0 =" + maxInt + "/1"},
	{"<?e", "< ?1@0 e1@1 =3/2"},
	{"<qQ", "< q1@0 Q1@8 =16/2"},
	{"<lL", "< l1@0 L1@4 =8/2"},
	// The complex codes: F and D from CPython 3.14, Zf and Zd from 3.15;
	// a count repeats the whole two-letter code.
	{"<FD", "< F1@0 D1@8 =24/2"},
	{"<ZfZd", "< Zf1@0 Zd1@8 =24/2"},
	{">3Zd", "> Zd3@0 =48/3"},
	{"!0Zf b", "! Zf0@0 b1@0 =1/1"},
	{"=bZf", "= b1@0 Zf1@1 =9/2"},
	{"<Zfd", "< Zf1@0 d1@8 =16/2"},
	{"<2Zd2Zf", "< Zd2@0 Zf2@32 =48/4"},
}

// bigCountTests have counts of 2³²-1 and more, which a plan keeps apart
// where int has 64 bits. Where it has 32, as where CPython's Py_ssize_t
// has 32, such a count is "total struct size too long" at the digit that
// passes the largest int (offset32).
var bigCountTests = []struct {
	in, dump string
	offset32 int
}{
	{"<4294967294x4294967295s", "< x4294967294@0 s4294967295@4294967294 =8589934589/1", 10},
	{"<4294967296p 2i 4294967297c", "< p4294967296@0 i2@4294967296 c4294967297@4294967304 =8589934601/4294967300", 10},
}

// nativeTests hold for the LP64 platforms (64-bit Unix).
var nativeTests = []struct {
	in, dump string
}{
	{"@ci", "@ c1@0 i1@4 =8/2"},
	{"@ic", "@ i1@0 c1@4 =5/2"},
	{"@lhl", "@ l1@0 h1@8 l1@16 =24/3"},
	{"@llh", "@ l1@0 l1@8 h1@16 =18/3"},
	{"@llh0l", "@ l1@0 l1@8 h1@16 l0@24 =24/3"},
	{"bq", "@ b1@0 q1@8 =16/2"},
	{"b0q", "@ b1@0 q0@8 =8/1"},
	{"0q", "@ q0@0 =0/0"},
	{"b0qb", "@ b1@0 q0@8 b1@8 =9/2"},
	{"b3s h", "@ b1@0 s3@1 h1@4 =6/3"},
	{"c5p i", "@ c1@0 p5@1 i1@8 =12/3"},
	{"xd", "@ x1@0 d1@8 =16/1"},
	{"c0x", "@ c1@0 x0@1 =1/1"},
	{"bi0x", "@ b1@0 i1@4 x0@8 =8/2"},
	{"b0i0s", "@ b1@0 i0@4 s0@4 =4/2"},
	{"be", "@ b1@0 e1@2 =4/2"},
	{"bnNP", "@ b1@0 n1@8 N1@16 P1@24 =32/4"},
	{"bZf", "@ b1@0 Zf1@4 =12/2"}, // aligned as one float
	{"bZd", "@ b1@0 Zd1@8 =24/2"}, // aligned as one double
	{"hF2D", "@ h1@0 F1@4 D2@16 =48/4"},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		p, err := format.Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", tt.in, err)
			continue
		}
		if got := dump(p); got != tt.dump {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.dump)
		}
		if p.Format() != tt.in {
			t.Errorf("Parse(%q).Format() = %q", tt.in, p.Format())
		}
	}
}

func TestParseBigCounts(t *testing.T) {
	for _, tt := range bigCountTests {
		p, err := format.Parse(tt.in)
		if strconv.IntSize == 32 {
			want := &format.SyntaxError{Format: tt.in, Offset: tt.offset32, Msg: "total struct size too long"}
			if se, ok := errors.AsType[*format.SyntaxError](err); !ok || !errors.Is(err, format.ErrSyntax) {
				t.Errorf("Parse(%q) = %v, %v; want error %v", tt.in, p, err, want)
			} else if diff := cmp.Diff(want, se); diff != "" {
				t.Errorf("Parse(%q) error mismatch (-want +got):\n%s", tt.in, diff)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q) error: %v", tt.in, err)
			continue
		}
		if got := dump(p); got != tt.dump {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.dump)
		}
		if q, err := format.Parse(p.String()); err != nil || dump(q) != tt.dump {
			t.Errorf("Parse(%q.String() = %q) = %v, %v; want %s", tt.in, p.String(), q, err, tt.dump)
		}
	}
}

func TestParseNative(t *testing.T) {
	if cabi.LongSize != 8 || cabi.PointerSize != 8 || cabi.LongLongAlign != 8 {
		t.Skipf("native layout vectors are for LP64; this platform has long=%d pointer=%d", cabi.LongSize, cabi.PointerSize)
	}
	for _, tt := range nativeTests {
		p, err := format.Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", tt.in, err)
			continue
		}
		if got := dump(p); got != tt.dump {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.dump)
		}
	}
}

var maxInt = strconv.Itoa(math.MaxInt)

var errorTests = []struct {
	in     string
	offset int
	msg    string
}{
	{"Z", 0, "bad char in struct format"},
	{"<iZ", 2, "bad char in struct format"},
	{" <h", 1, "bad char in struct format"},
	{"<@h", 1, "bad char in struct format"},
	{"@@h", 1, "bad char in struct format"},
	{"<h>h", 2, "bad char in struct format"},
	{"h<", 1, "bad char in struct format"},
	{"1 h", 1, "bad char in struct format"},
	{"12 ", 2, "bad char in struct format"},
	{"<n", 1, "bad char in struct format"},
	{"=N", 1, "bad char in struct format"},
	{"!P", 1, "bad char in struct format"},
	{">G", 1, "bad char in struct format"},
	{"Zx", 0, "bad char in struct format"},
	{"Z f", 0, "bad char in struct format"},
	{"<Z", 1, "bad char in struct format"},
	{"3Z", 1, "bad char in struct format"},
	{"ZF", 0, "bad char in struct format"},
	{"ZD", 0, "bad char in struct format"},
	{"Zi", 0, "bad char in struct format"},
	{"<ZfZ", 3, "bad char in struct format"},
	{"z", 0, "bad char in struct format"},
	{"3Zf12", 5, "repeat count given without format specifier"},
	{"Z12", 0, "bad char in struct format"},
	{"12Z", 2, "bad char in struct format"},
	{"12345", 5, "repeat count given without format specifier"},
	{"c12345", 6, "repeat count given without format specifier"},
	{"14s42", 5, "repeat count given without format specifier"},
	{"h 12", 4, "repeat count given without format specifier"},
	{"h12", 3, "repeat count given without format specifier"},
	{"99999999999999999999999", len(maxInt) - 1, "total struct size too long"}, // the digit that passes MaxInt
	{"99999999999999999999999Z", len(maxInt) - 1, "total struct size too long"},
	{maxInt + "0x", len(maxInt), "total struct size too long"},
	{"<" + maxInt + "x1x", len(maxInt) + 3, "total struct size too long"},
	{"<" + strconv.Itoa(math.MaxInt/2+1) + "h", len(strconv.Itoa(math.MaxInt/2+1)) + 1, "total struct size too long"},
	{"\x00", 0, "embedded null character"},
	{"2\x00i", 1, "embedded null character"},
	{"Z\x00", 1, "embedded null character"},
	{"h\xe9", 1, "non-ASCII character in struct format"},
	{"\x00é", 1, "non-ASCII character in struct format"},
	// A null or non-ASCII character after the first syntax error is still
	// the error reported, as CPython checks the characters first.
	{"<3 i\x00", 4, "embedded null character"},
	{"<" + maxInt + "0x\x00", len(maxInt) + 3, "embedded null character"},
	{"<Zq\x00\xe9", 4, "non-ASCII character in struct format"},
	{"12345\xe9", 5, "non-ASCII character in struct format"},
	{"<bhbhbhbhbhbhbhbhbhbhbhbh?\x00", 26, "embedded null character"},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range errorTests {
		p, err := format.Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %s, want error %q", tt.in, dump(p), tt.msg)
			continue
		}
		if !errors.Is(err, format.ErrSyntax) {
			t.Errorf("Parse(%q) error %v does not match ErrSyntax", tt.in, err)
		}
		se, ok := errors.AsType[*format.SyntaxError](err)
		if !ok {
			t.Errorf("Parse(%q) error %T, want *format.SyntaxError", tt.in, err)
			continue
		}
		want := &format.SyntaxError{Format: tt.in, Offset: tt.offset, Msg: tt.msg}
		if diff := cmp.Diff(want, se); diff != "" {
			t.Errorf("Parse(%q) error mismatch (-want +got):\n%s", tt.in, diff)
		}
		if !strings.HasSuffix(err.Error(), ": "+tt.msg) {
			t.Errorf("Parse(%q) error %q does not end with %q", tt.in, err, tt.msg)
		}
	}
}

func TestErrorString(t *testing.T) {
	_, err := format.Parse("<iZ")
	const want = `format "<iZ" at offset 2: bad char in struct format`
	if err == nil || err.Error() != want {
		t.Errorf("Parse(%q) error = %v, want %s", "<iZ", err, want)
	}
}

// Every printable ASCII character that is not a code, prefix, digit or
// whitespace is a bad char in every mode.
func TestAcceptedCodes(t *testing.T) {
	// 'Z' is a code only with 'f' or 'd' after it (TestParse).
	const standard = "?BDFHILQbcdefhilpqsx"
	const native = "?BDFHILNPQbcdefhilnpqsx"
	for _, prefix := range []string{"", "@", "=", "<", ">", "!"} {
		want := standard
		if prefix == "" || prefix == "@" {
			want = native
		}
		var got []byte
		for c := byte(0x21); c < 0x7f; c++ {
			if c >= '0' && c <= '9' || prefix == "" && strings.IndexByte("@=<>!", c) >= 0 {
				continue // a count, or a prefix of its own
			}
			if _, err := format.Parse(prefix + string(c)); err == nil {
				got = append(got, c)
			}
		}
		if string(got) != want {
			t.Errorf("codes accepted after %q = %q, want %q", prefix, got, want)
		}
	}
}

func TestStringReparses(t *testing.T) {
	for _, tt := range append(parseTests, nativeTests...) {
		p := format.MustParse(tt.in)
		q, err := format.Parse(p.String())
		if err != nil {
			t.Errorf("Parse(%q.String() = %q) error: %v", tt.in, p.String(), err)
			continue
		}
		if dump(p) != dump(q) {
			t.Errorf("Parse(%q) = %s, but its String %q parses to %s", tt.in, dump(p), p.String(), dump(q))
		}
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse(\"Z\") did not panic")
		}
	}()
	format.MustParse("Z")
}

func TestOrder(t *testing.T) {
	for _, tt := range []struct {
		o         format.Order
		bigEndian bool
		native    bool
	}{
		{format.Native, cabi.BigEndian, true},
		{format.Host, cabi.BigEndian, false},
		{format.Little, false, false},
		{format.Big, true, false},
		{format.Network, true, false},
	} {
		if tt.o.BigEndian() != tt.bigEndian || tt.o.IsNative() != tt.native {
			t.Errorf("Order %s: BigEndian=%v IsNative=%v, want %v %v", tt.o, tt.o.BigEndian(), tt.o.IsNative(), tt.bigEndian, tt.native)
		}
	}
}

func TestField(t *testing.T) {
	p := format.MustParse("<3h4s2x0p")
	want := []struct{ values, length int }{{3, 6}, {1, 4}, {0, 2}, {1, 0}}
	for i, w := range want {
		f := p.Field(i)
		if f.NumValues() != w.values || f.Len() != w.length {
			t.Errorf("field %d (%c): NumValues=%d Len=%d, want %d %d", i, f.Code, f.NumValues(), f.Len(), w.values, w.length)
		}
	}
	if p.NumFields() != 4 {
		t.Errorf("NumFields() = %d, want 4", p.NumFields())
	}
	fs := p.Fields()
	fs[0].Count = 99
	if p.Field(0).Count != 3 {
		t.Error("Fields() returned the plan's own slice")
	}
}

// A hostile format string of a mebibyte gives a short message: a bounded
// prefix of the format, its length, and CPython's text.
func TestErrorQuotesBoundedPrefix(t *testing.T) {
	long := strings.Repeat("i", 1<<20) + "Z"
	_, err := format.Parse(long)
	if err == nil {
		t.Fatal("Parse of a bad mebibyte format: no error")
	}
	msg := err.Error()
	if len(msg) > 200 {
		t.Errorf("error message is %d bytes long, want at most 200", len(msg))
	}
	want := `format "` + strings.Repeat("i", format.MaxQuoted) + `"... (1048577 bytes) at offset 1048576: bad char in struct format`
	if msg != want {
		t.Errorf("error = %q, want %q", msg, want)
	}
	var se *format.SyntaxError
	if !errors.As(err, &se) || se.Format != long || se.Offset != 1<<20 {
		t.Errorf("the SyntaxError does not carry the whole format and offset")
	}
	// Short formats are quoted whole.
	if got := format.QuoteFormat(strings.Repeat("b", format.MaxQuoted)); got != strconv.Quote(strings.Repeat("b", format.MaxQuoted)) {
		t.Errorf("QuoteFormat of %d bytes = %s", format.MaxQuoted, got)
	}
}

func TestByteStringLen(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"<iqd", 0},
		{"<i5sf", 5},
		{"@ci?d", 1},
		{"<3c0s7p10x2s", 12},
		{"<" + maxInt + "s", math.MaxInt},
		{">2Zd4c", 4},
	} {
		if got := format.MustParse(tt.in).ByteStringLen(); got != tt.want {
			t.Errorf("Parse(%q).ByteStringLen() = %d, want %d", tt.in, got, tt.want)
		}
	}
	if got := new(format.Plan).ByteStringLen(); got != 0 {
		t.Errorf("the zero Plan's ByteStringLen() = %d, want 0", got)
	}
}

// Parse makes one allocation for a format of up to 16 fields and two for
// a longer one.
func TestParseAllocs(t *testing.T) {
	for _, tt := range []struct {
		fs   string
		want float64
	}{
		{"", 1},
		{"<i5sf", 1},
		{"@ci?d", 1},
		{"<IIhhqd?5sxH", 1},
		{"<ZfZd Zf", 1},
		{"<bhbhbhbhbhbhbhbh", 1},
		{"<bhbhbhbhbhbhbhbhb", 2},
		{"<" + strings.Repeat("i", 1000), 2},
	} {
		n := testing.AllocsPerRun(100, func() {
			if _, err := format.Parse(tt.fs); err != nil {
				t.Fatal(err)
			}
		})
		if n != tt.want {
			t.Errorf("Parse(%q): %v allocations, want %v", tt.fs, n, tt.want)
		}
	}
}
