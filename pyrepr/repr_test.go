package pyrepr_test

import (
	"math"
	"strings"
	"testing"

	"github.com/pystruct/pystruct/pyrepr"
)

var floatTests = []struct {
	in   float64
	want string
}{
	{0, "0.0"},
	{math.Copysign(0, -1), "-0.0"},
	{math.Inf(1), "inf"},
	{math.Inf(-1), "-inf"},
	{math.NaN(), "nan"},
	{math.Float64frombits(0xfff8000000000000), "nan"},
	{1, "1.0"},
	{-1, "-1.0"},
	{1.75, "1.75"},
	{0.1, "0.1"},
	{0.30000000000000004, "0.30000000000000004"}, // 0.1 + 0.2 at run time
	{1.0 / 3, "0.3333333333333333"},
	{float64(float32(1.7)), "1.7000000476837158"},
	{100, "100.0"},
	{123456789012345, "123456789012345.0"},
	{1e15, "1000000000000000.0"},
	{9999999999999998, "9999999999999998.0"},
	{1e16, "1e+16"},
	{-1e16, "-1e+16"},
	{1.5e16, "1.5e+16"},
	{12345678901234567, "1.2345678901234568e+16"},
	{1e22, "1e+22"},
	{1e100, "1e+100"},
	{math.MaxFloat64, "1.7976931348623157e+308"},
	{0.001, "0.001"},
	{0.0001, "0.0001"},
	{0.00012345, "0.00012345"},
	{0.00001, "1e-05"},
	{0.000012345, "1.2345e-05"},
	{-0.00001, "-1e-05"},
	{1e-100, "1e-100"},
	{5e-324, "5e-324"},
	{2.2250738585072014e-308, "2.2250738585072014e-308"},
	{12.5, "12.5"},
	{1234.5678, "1234.5678"},
}

func TestFloat(t *testing.T) {
	for _, tt := range floatTests {
		if got := pyrepr.Float(tt.in); got != tt.want {
			t.Errorf("Float(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var bytesTests = []struct {
	in   string
	want string
}{
	{"", `b''`},
	{"zhang", `b'zhang'`},
	{"'", `b"'"`},
	{`"`, `b'"'`},
	{`'"`, `b'\'"'`},
	{"\x00'\"\\", `b'\x00\'"\\'`},
	{"it's", `b"it's"`},
	{`it's "x"`, `b'it\'s "x"'`},
	{`\`, `b'\\'`},
	{"\t\n\r", `b'\t\n\r'`},
	{"\x0b\x0c\x07\x08\x1b", `b'\x0b\x0c\x07\x08\x1b'`},
	{"\x1f ~\x7f\x80\xff", `b'\x1f ~\x7f\x80\xff'`},
	{"\xe2\x82\xac", `b'\xe2\x82\xac'`},
}

func TestBytes(t *testing.T) {
	for _, tt := range bytesTests {
		if got := pyrepr.Bytes([]byte(tt.in)); got != tt.want {
			t.Errorf("Bytes(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

type (
	myInt   int16
	myUint  uint8
	myFloat float32
	myBool  bool
	myBytes []byte
)

var valueTests = []struct {
	in   any
	want string
}{
	{int64(-5), "-5"},
	{int64(math.MinInt64), "-9223372036854775808"},
	{uint64(math.MaxUint64), "18446744073709551615"},
	{int(7), "7"},
	{int8(-8), "-8"},
	{int32(1 << 30), "1073741824"},
	{uint(9), "9"},
	{uint8(255), "255"},
	{uint32(1 << 31), "2147483648"},
	{uintptr(3), "3"},
	{true, "True"},
	{false, "False"},
	{1.75, "1.75"},
	{float32(1.7), "1.7000000476837158"},
	{[]byte("a'b"), `b"a'b"`},
	{[]byte{}, "b''"},
	{[]byte(nil), "b''"},
	{nil, "None"},
	{[]any{}, "()"},
	{[]any{int64(5)}, "(5,)"},
	{[]any{int64(1), []byte("zhang"), 1.75}, "(1, b'zhang', 1.75)"},
	{[]any{[]any{}, []any{true}}, "((), (True,))"},
	{myInt(-3), "-3"},
	{myUint(3), "3"},
	{myFloat(0.5), "0.5"},
	{myBool(true), "True"},
	{myBytes("x"), "b'x'"},
	{"str", "<unsupported string>"},
	{complex(1, 2), "(1+2j)"},
	{struct{}{}, "<unsupported struct {}>"},
	{struct{}{}, "<unsupported struct {}>"},
	{[]int{1}, "<unsupported []int>"},
}

func TestValue(t *testing.T) {
	for _, tt := range valueTests {
		if got := pyrepr.Value(tt.in); got != tt.want {
			t.Errorf("Value(%#v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

var tupleTests = []struct {
	in   []any
	want string
}{
	{nil, "()"},
	{[]any{}, "()"},
	{[]any{int64(5)}, "(5,)"},
	{[]any{int64(1), []byte("zhang"), 1.75}, "(1, b'zhang', 1.75)"},
	{[]any{true, false, math.Copysign(0, -1), math.Inf(1), math.NaN(), 1e16}, "(True, False, -0.0, inf, nan, 1e+16)"},
	{[]any{uint64(1) << 63, int64(-1) << 63}, "(9223372036854775808, -9223372036854775808)"},
}

func TestTuple(t *testing.T) {
	for _, tt := range tupleTests {
		if got := pyrepr.Tuple(tt.in); got != tt.want {
			t.Errorf("Tuple(%#v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// The Append functions keep what dst holds and add to it.
func TestAppendKeepsPrefix(t *testing.T) {
	dst := []byte("x=")
	checks := []struct {
		name string
		got  []byte
		want string
	}{
		{"AppendTuple", pyrepr.AppendTuple(dst, []any{int64(1)}), "x=(1,)"},
		{"AppendValue", pyrepr.AppendValue(dst, int64(1)), "x=1"},
		{"AppendFloat", pyrepr.AppendFloat(dst, 0.5), "x=0.5"},
		{"AppendBytes", pyrepr.AppendBytes(dst, []byte("\n")), `x=b'\n'`},
		{"AppendBool", pyrepr.AppendBool(dst, false), "x=False"},
	}
	for _, c := range checks {
		if string(c.got) != c.want {
			t.Errorf("%s(%q, ...) = %q, want %q", c.name, dst, c.got, c.want)
		}
	}
}

// Appending to a buffer with room allocates nothing, for every type the
// pack package unpacks.
func TestAppendAllocs(t *testing.T) {
	vals := []any{int64(-123456), uint64(1 << 40), true, 1.7000000476837158, 1e-7, []byte("zh'ang\x00")}
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		buf = pyrepr.AppendTuple(buf[:0], vals)
	})
	if allocs != 0 {
		t.Errorf("AppendTuple allocates %v times per call, want 0", allocs)
	}
}

var benchVals = []any{int64(1), uint64(4000000000), int64(-1234), int64(77), 1234.5678}

func BenchmarkAppendTuple(b *testing.B) {
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf = pyrepr.AppendTuple(buf[:0], benchVals)
	}
}

func BenchmarkAppendFloat(b *testing.B) {
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = pyrepr.AppendFloat(buf[:0], 0.30000000000000004)
	}
}

func BenchmarkAppendBytes(b *testing.B) {
	in := []byte("zhang\x00\x01 it's a \"test\" \xff")
	buf := make([]byte, 0, 128)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		buf = pyrepr.AppendBytes(buf[:0], in)
	}
}

// A tuple that contains itself is written as Python writes a recursive
// tuple, (...) where it recurs; the same tuple twice side by side is not
// recursion.
func TestRecursiveTuple(t *testing.T) {
	self := []any{nil, int64(1)}
	self[0] = self
	outer := []any{int64(0), nil}
	inner := []any{outer}
	outer[1] = inner
	prefix := []any{nil, nil}
	prefix[0] = prefix[:1] // a shorter tuple over the same array is another tuple
	shared := []any{int64(7)}
	cases := []struct {
		name string
		v    []any
		want string
	}{
		{"itself", self, "((...), 1)"},
		{"twice", []any{self, self}, "(((...), 1), ((...), 1))"},
		{"through another", outer, "(0, ((...),))"},
		{"the other", inner, "((0, (...)),)"},
		{"prefix", prefix, "(((...),), None)"},
		{"shared, not recursive", []any{shared, []any{shared, shared}}, "((7,), ((7,), (7,)))"},
		{"empty ones", []any{[]any{}, []any{[]any{}}}, "((), ((),))"},
	}
	for _, c := range cases {
		if got := pyrepr.Tuple(c.v); got != c.want {
			t.Errorf("%s: Tuple = %s, want %s", c.name, got, c.want)
		}
		if got := pyrepr.Value(c.v); got != c.want {
			t.Errorf("%s: Value = %s, want %s", c.name, got, c.want)
		}
	}
}

// Deep nesting is written whole, without recursion in Go, and a cycle
// deep down is found (by the map that takes over from the linear scan).
func TestDeepTuple(t *testing.T) {
	const depth = 100000
	root := []any{nil}
	cur := root
	for range depth - 1 {
		next := []any{nil}
		cur[0] = next
		cur = next
	}
	want := strings.Repeat("(", depth) + "None" + strings.Repeat(",)", depth)
	if got := pyrepr.Tuple(root); got != want {
		t.Errorf("Tuple of %d nested tuples: %d bytes, want %d", depth, len(got), len(want))
	}
	cur[0] = root
	want = strings.Repeat("(", depth) + "(...)" + strings.Repeat(",)", depth)
	if got := pyrepr.Tuple(root); got != want {
		t.Errorf("Tuple of %d nested tuples around to the first: %d bytes, want %d", depth, len(got), len(want))
	}
	mid := root
	for range depth / 2 {
		mid = mid[0].([]any)
	}
	cur[0] = mid
	want = strings.Repeat("(", depth) + "(...)" + strings.Repeat(",)", depth)
	if got := pyrepr.Tuple(root); got != want {
		t.Errorf("Tuple of %d nested tuples around to the middle: %d bytes, want %d", depth, len(got), len(want))
	}
}

func TestComplex(t *testing.T) {
	nan, inf, negZero := math.NaN(), math.Inf(1), math.Copysign(0, -1)
	for _, tt := range []struct {
		c    complex128
		want string
	}{
		{complex(1, 2), "(1+2j)"},
		{complex(0, 2), "2j"},
		{complex(0, negZero), "-0j"},
		{complex(negZero, 0), "(-0+0j)"},
		{complex(negZero, negZero), "(-0-0j)"},
		{complex(nan, inf), "(nan+infj)"},
		{complex(1, -nan), "(1+nanj)"},
		{complex(0, -inf), "-infj"},
		{complex(1e16, 1), "(1e+16+1j)"},
		{complex(1.5, -2.5), "(1.5-2.5j)"},
		{complex(100, 1e22), "(100+1e+22j)"},
		{complex(0.1, 1e-05), "(0.1+1e-05j)"},
	} {
		if got := pyrepr.Complex(tt.c); got != tt.want {
			t.Errorf("Complex(%v) = %s, want %s", tt.c, got, tt.want)
		}
		if got := pyrepr.Value(tt.c); got != tt.want {
			t.Errorf("Value(%v) = %s, want %s", tt.c, got, tt.want)
		}
	}
	if got := pyrepr.Tuple([]any{complex64(complex(1, -2))}); got != "((1-2j),)" {
		t.Errorf("Tuple of a complex64 = %s", got)
	}
}
