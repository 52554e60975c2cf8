package main

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pystruct/pystruct/pyrepr"
)

func bigInt(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return n
}

var parseValueTests = []struct {
	in   string
	want any
}{
	// Keywords.
	{"True", true},
	{"False", false},
	{"None", nil},
	// Integers.
	{"0", int64(0)},
	{"-5", int64(-5)},
	{"+5", int64(5)},
	{"00", int64(0)},
	{"0_0", int64(0)},
	{"-0", int64(0)},
	{"1_000", int64(1000)},
	{"0x1F", int64(31)},
	{"0X_1f", int64(31)},
	{"0o17", int64(15)},
	{"0O1_7", int64(15)},
	{"0b101", int64(5)},
	{"-0x8000", int64(-32768)},
	{"9223372036854775807", int64(math.MaxInt64)},
	{"-9223372036854775808", int64(math.MinInt64)},
	{"9223372036854775808", uint64(1 << 63)},
	{"18446744073709551615", uint64(math.MaxUint64)},
	{"18446744073709551616", bigInt("18446744073709551616")},
	{"-9223372036854775809", bigInt("-9223372036854775809")},
	{"-18446744073709551615", bigInt("-18446744073709551615")},
	{"0x" + strings.Repeat("f", 40), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 160), big.NewInt(1))},
	// Floats.
	{"1.75", 1.75},
	{"-1.75", -1.75},
	{"1e-3", 0.001},
	{"1E+3", 1000.0},
	{".5", 0.5},
	{"5.", 5.0},
	{"-0.0", math.Copysign(0, -1)},
	{"00.5", 0.5},
	{"09.5", 9.5},
	{"0e0", 0.0},
	{"1_0.2_5e1_0", 102.5e9},
	{"1e400", math.Inf(1)},
	{"1.e5", 1e5},
	{"01e5", 1e5},
	{"1e99999999999999999999", math.Inf(1)},
	{"0e99999999999999999999", 0.0},
	{"1e-99999999999999999999", 0.0},
	{"01j", complex(0, 1)},
	{"-1e400", math.Inf(-1)},
	{"1e-400", 0.0},
	{"inf", math.Inf(1)},
	{"-inf", math.Inf(-1)},
	{"+Infinity", math.Inf(1)},
	{"INF", math.Inf(1)},
	// Imaginary numbers.
	{"1j", complex(0, 1)},
	{"2.5J", complex(0, 2.5)},
	{"-1e3j", complex(0, -1000)},
	{"1+2j", complex(1, 2)},
	{"(1.5-2.5j)", complex(1.5, -2.5)},
	{"(1e+16+1j)", complex(1e16, 1)},
	{"-1e-5+1E+3J", complex(-1e-5, 1000)},
	{"(2j)", complex(0, 2)},
	{"infj", complex(0, math.Inf(1))},
	{"-infj", complex(0, math.Inf(-1))},
	{"+INFINITYj", complex(0, math.Inf(1))},
	{"(infj)", complex(0, math.Inf(1))},
	// Plain words that end in j.
	{"banjj", []byte("banjj")},
	{"(abc)", []byte("(abc)")},
	// Bytes.
	{"b''", []byte{}},
	{"b'zhang'", []byte("zhang")},
	{`b"it's"`, []byte("it's")},
	{`B'\x00\n'`, []byte("\x00\n")},
	{`b'\\\'\"\a\b\f\n\r\t\v'`, []byte("\\'\"\a\b\f\n\r\t\v")},
	{`b'\x7f\xFF\x00'`, []byte{0x7f, 0xff, 0}},
	{`b'\0\1\12\101\1012\777'`, []byte{0, 1, 10, 'A', 'A', '2', 0xff}},
	{`b'\q\N{x}\u1234\8\ '`, []byte(`\q\N{x}\u1234\8\ `)},
	{"b'a\\\nb'", []byte("ab")},
	{"b'a\\\r\nb'", []byte("ab")},
	{"b'''a\nb'''", []byte("a\nb")},
	{"b'''a\r\nb'''", []byte("a\nb")},
	{`b"""it's "x" """`, []byte(`it's "x" `)},
	{`rb'\d\x'`, []byte(`\d\x`)},
	{`Rb'\''`, []byte(`\'`)},
	{`bR"\\"`, []byte(`\\`)},
	{`b'a' b"b"`, []byte("ab")},
	{`b'a'b'b'`, []byte("ab")},
	{"b'a'\tRB'\\c'", []byte(`a\c`)},
	// Str.
	{"''", pyStr{}},
	{`'abc'`, pyStr("abc")},
	{`u"x"`, pyStr("x")},
	{`r'\d'`, pyStr(`\d`)},
	{`'\u00e9\U0001F600\x41\101\n'`, pyStr("é😀AA\n")},
	{`'\N{LATIN SMALL LETTER A}'`, pyStr("\uFFFD")},
	{`'\é'`, pyStr(`\é`)},
	{`'a' "b"`, pyStr("ab")},
	// Plain words.
	{"zhang", []byte("zhang")},
	{"hello-world", []byte("hello-world")},
	{"héllo", []byte("héllo")},
	{"it's", []byte("it's")},
	{"-", []byte("-")},
	{"-x", []byte("-x")},
	{"true", []byte("true")},
	{"infinite", []byte("infinite")},
	{"ub'x'", []byte("ub'x'")},
	{"", []byte("")},
	{" 5", []byte(" 5")},
}

// A complex reads as complex() reads a string, so every repr reads back
// to the value it shows, signed zeros, infinities and NaNs included.
func TestParseComplexRoundTrip(t *testing.T) {
	negZero, inf := math.Copysign(0, -1), math.Inf(1)
	nan := math.Float64frombits(0x7ff8000000000000)
	for _, c := range []complex128{
		complex(0, negZero), complex(negZero, negZero), complex(1, negZero), complex(negZero, 0),
		complex(0, -2), complex(nan, inf), complex(-inf, nan), complex(1e16, 1), complex(0.1, -1e-300),
		complex(5e-324, math.MaxFloat64),
		complex(0, inf), complex(0, -inf), complex(0, nan), complex(negZero, inf),
	} {
		s := pyrepr.Complex(c)
		v, err := parseValue(s)
		got, ok := v.(complex128)
		if err != nil || !ok {
			t.Errorf("parseValue(%q) = %v, %v", s, v, err)
			continue
		}
		same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
		if !same(real(got), real(c)) || !same(imag(got), imag(c)) {
			t.Errorf("parseValue(%q) = complex(%v, %v), want complex(%v, %v)", s, real(got), imag(got), real(c), imag(c))
		}
	}
	if _, err := parseValue("complex(1, 2)"); err == nil || !strings.Contains(err.Error(), "1+2j") {
		t.Errorf("parseValue(complex(1, 2)) error = %v, want one that says to write 1+2j", err)
	}
	for _, bad := range []string{"1+j", "(1+2jj)", "0x1+2j", "1+2j+3j", "1e+j"} {
		if v, err := parseValue(bad); err == nil {
			t.Errorf("parseValue(%q) = %v, want an error", bad, v)
		}
	}
}

func TestParseValue(t *testing.T) {
	for _, tt := range parseValueTests {
		got, err := parseValue(tt.in)
		if err != nil {
			t.Errorf("parseValue(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b *big.Int) bool { return a.Cmp(b) == 0 })); diff != "" {
			t.Errorf("parseValue(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// The sign of zeros and NaNs survives: -0.0 and -nan have the sign bit,
// and nan is Python's NaN, 0x7ff8000000000000.
func TestParseValueSignBits(t *testing.T) {
	for _, tt := range []struct {
		in   string
		bits uint64
	}{
		{"nan", 0x7ff8000000000000},
		{"NaN", 0x7ff8000000000000},
		{"-nan", 0xfff8000000000000},
		{"+nan", 0x7ff8000000000000},
		{"-0.0", 0x8000000000000000},
		{"-0e5", 0x8000000000000000},
		{"-1e-400", 0x8000000000000000},
	} {
		v, err := parseValue(tt.in)
		f, ok := v.(float64)
		if err != nil || !ok || math.Float64bits(f) != tt.bits {
			t.Errorf("parseValue(%q) = %#v, %v; want the float with bits %#016x", tt.in, v, err, tt.bits)
		}
	}
}

var parseValueErrorTests = []struct {
	in, want string
}{
	{"0x", "invalid hexadecimal literal"},
	{"0x_", "invalid hexadecimal literal"},
	{"0xg", "invalid hexadecimal literal"},
	{"0o8", "invalid digit '8' in octal literal"},
	{"0b12", "invalid digit '2' in binary literal"},
	{"0b1_", "invalid binary literal"},
	{"012", "leading zeros in decimal integer literals are not permitted"},
	{"0_1", "leading zeros in decimal integer literals are not permitted"},
	{"1__0", "invalid decimal literal"},
	{"1_", "invalid decimal literal"},
	{"1e", "invalid decimal literal"},
	{"1e+", "invalid decimal literal"},
	{"1e+_5", "invalid decimal literal"},
	{"1.5_", "invalid decimal literal"},
	{"1_.5", "invalid decimal literal"},
	{"1.2.3", "invalid decimal literal"},
	{"5x", "invalid decimal literal"},
	{"1jj", "invalid decimal literal"},
	{"5 ", "invalid decimal literal"},
	{strings.Repeat("1", 4301), "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits"},
	{"b'abc", "unterminated bytes literal"},
	{"b'a\nb'", "unterminated bytes literal"},
	{`b'\'`, "unterminated bytes literal"},
	{`rb'\'`, "unterminated bytes literal"},
	{"b'''abc''", "unterminated triple-quoted bytes literal"},
	{"'abc", "unterminated string literal"},
	{"b'é'", "bytes can only contain ASCII literal characters"},
	{`b'\x4'`, `invalid \x escape at position 0`},
	{`b'ab\x'`, `invalid \x escape at position 2`},
	{`b'\xg0'`, `invalid \x escape at position 0`},
	{`b'a' 'b'`, "cannot mix bytes and nonbytes literals"},
	{`'a' b'b'`, "cannot mix bytes and nonbytes literals"},
	{`b'a' x`, "unexpected text after the literal: x"},
	{`b'a',`, "unexpected text after the literal: ,"},
	{`'\u12'`, `truncated \u escape at position 0`},
	{`'\x4'`, `truncated \x escape at position 0`},
	{`'\U00110000'`, "illegal Unicode character at position 0"},
	{`'\N'`, `malformed \N character escape at position 0`},
	{`'\N{}'`, `malformed \N character escape at position 0`},
	{"'\xff'", "string literal is not valid UTF-8"},
}

func TestParseValueErrors(t *testing.T) {
	for _, tt := range parseValueErrorTests {
		v, err := parseValue(tt.in)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("parseValue(%.40q) = %#v, %v; want error %q", tt.in, v, err, tt.want)
		}
	}
}

func FuzzParseValue(f *testing.F) {
	for _, tt := range parseValueTests {
		f.Add(tt.in)
	}
	for _, tt := range parseValueErrorTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseValue(s)
		if err != nil {
			if v != nil {
				t.Errorf("parseValue(%q) = %#v with error %v", s, v, err)
			}
			return
		}
		switch v.(type) {
		case nil, bool, int64, uint64, *big.Int, float64, complex128, []byte, pyStr:
		default:
			t.Errorf("parseValue(%q) = %#v, of a type pack does not expect", s, v)
		}
	})
}
