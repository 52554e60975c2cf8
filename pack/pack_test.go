package pack_test

import (
	"encoding/hex"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/pack"
)

type (
	myInt    int16
	myUint   uint32
	myBool   bool
	myFloat  float32
	myString string
	myBytes  []byte
)

var packTests = []struct {
	fs     string
	values []any
	hex    string // expected bytes, or
	msg    string // CPython's message, and
	cat    error  // the error's category
}{
	{fs: "<i5sf", values: []any{1, []byte("zhang"), 1.75}, hex: "010000007a68616e670000e03f"},
	{fs: "=i5sf", values: []any{1, "zhang", 1.75}, hex: "010000007a68616e670000e03f"},
	{fs: "@i5sf", values: []any{1, "zhang", 1.75}, hex: "010000007a68616e67000000" + "0000e03f"},
	{fs: ">h", values: []any{myInt(-700)}, hex: "fd44"},
	{fs: ">I", values: []any{myUint(70000000)}, hex: "042c1d80"},
	{fs: "<q", values: []any{big.NewInt(-2)}, hex: "feffffffffffffff"},
	{fs: "<Q", values: []any{new(big.Int).SetUint64(math.MaxUint64)}, hex: "ffffffffffffffff"},
	{fs: "<Q", values: []any{uint64(math.MaxUint64)}, hex: "ffffffffffffffff"},
	{fs: "<h", values: []any{true}, hex: "0100"},
	{fs: "<3?", values: []any{myBool(true), 0.0, math.NaN()}, hex: "010001"},
	{fs: "<d", values: []any{true}, hex: "000000000000f03f"},
	{fs: "<f", values: []any{myFloat(2)}, hex: "00000040"},
	{fs: "<e", values: []any{65519}, hex: "ff7b"},
	{fs: "<3s", values: []any{myString("ab")}, hex: "616200"},
	{fs: "<3s", values: []any{myBytes("abcdef")}, hex: "616263"},
	{fs: "<c", values: []any{"a"}, hex: "61"},
	{fs: "<5p", values: []any{[]byte("abc")}, hex: "0361626300"},
	{fs: "<0px", values: []any{[]byte("a")}, hex: "00"},
	{fs: "<0ph", values: []any{[]byte(""), 5}, hex: "0500"},
	{fs: "@iih0i", values: []any{1, 2, 3}, hex: "01000000" + "02000000" + "0300" + "0000"},

	{fs: ">h", values: []any{99999}, msg: "'h' format requires -32768 <= number <= 32767", cat: pack.ErrRange},
	{fs: "<H", values: []any{-1}, msg: "'H' format requires 0 <= number <= 65535", cat: pack.ErrRange},
	{fs: "<Q", values: []any{-1}, msg: "'Q' format requires 0 <= number <= 18446744073709551615", cat: pack.ErrRange},
	{fs: "<q", values: []any{uint64(math.MaxUint64)}, msg: "'q' format requires -9223372036854775808 <= number <= 9223372036854775807", cat: pack.ErrRange},
	{fs: "<l", values: []any{int64(1) << 31}, msg: "'l' format requires -2147483648 <= number <= 2147483647", cat: pack.ErrRange},
	{fs: "<Q", values: []any{new(big.Int).Lsh(big.NewInt(1), 64)}, msg: "'Q' format requires 0 <= number <= 18446744073709551615", cat: pack.ErrRange},
	{fs: "P", values: []any{new(big.Int).Lsh(big.NewInt(1), 64)}, msg: "int too large to convert", cat: pack.ErrRange},
	{fs: "<h", values: []any{1.0}, msg: "required argument is not an integer", cat: pack.ErrType},
	{fs: "<h", values: []any{"1"}, msg: "required argument is not an integer", cat: pack.ErrType},
	{fs: "<h", values: []any{nil}, msg: "required argument is not an integer", cat: pack.ErrType},
	{fs: "<h", values: []any{(*big.Int)(nil)}, msg: "required argument is not an integer", cat: pack.ErrType},
	{fs: "<d", values: []any{"1.0"}, msg: "required argument is not a float", cat: pack.ErrType},
	{fs: "<d", values: []any{new(big.Int).Exp(big.NewInt(10), big.NewInt(400), nil)}, msg: "required argument is not a float", cat: pack.ErrType},
	{fs: "<e", values: []any{65520}, msg: "int too large to convert", cat: pack.ErrRange},
	{fs: "<e", values: []any{65520.0}, msg: "float too large to pack with e format", cat: pack.ErrRange},
	{fs: "<f", values: []any{1e300}, msg: "float too large to pack with f format", cat: pack.ErrRange},
	{fs: "<f", values: []any{new(big.Int).Exp(big.NewInt(10), big.NewInt(39), nil)}, msg: "int too large to convert", cat: pack.ErrRange},
	{fs: "<c", values: []any{97}, msg: "char format requires a bytes object of length 1", cat: pack.ErrType},
	{fs: "<c", values: []any{"ab"}, msg: "char format requires a bytes object of length 1", cat: pack.ErrType},
	{fs: "<3s", values: []any{5}, msg: "argument for 's' must be a bytes object", cat: pack.ErrType},
	{fs: "<3p", values: []any{[]int{1}}, msg: "argument for 'p' must be a bytes object", cat: pack.ErrType},
	{fs: "<i", values: nil, msg: "pack expected 1 items for packing (got 0)", cat: pack.ErrCount},
	{fs: "<3s", values: []any{[]byte("a"), []byte("b")}, msg: "pack expected 1 items for packing (got 2)", cat: pack.ErrCount},
	{fs: "x", values: []any{1}, msg: "pack expected 0 items for packing (got 1)", cat: pack.ErrCount},
	{fs: "<Z", values: []any{1}, msg: "bad char in struct format", cat: format.ErrSyntax},
}

func TestPack(t *testing.T) {
	for _, tt := range packTests {
		got, err := pack.Pack(tt.fs, tt.values...)
		if tt.msg == "" {
			if err != nil || hex.EncodeToString(got) != tt.hex {
				t.Errorf("Pack(%q, %v) = %x, %v; want %s", tt.fs, tt.values, got, err, tt.hex)
			}
			continue
		}
		if err == nil || !strings.HasSuffix(err.Error(), tt.msg) || !errors.Is(err, tt.cat) {
			t.Errorf("Pack(%q, %v) = %x, %v; want error %q matching %v", tt.fs, tt.values, got, err, tt.msg, tt.cat)
		}
	}
}

func TestErrorFields(t *testing.T) {
	_, err := pack.Pack("<hh", 1, 70000)
	want := &pack.Error{Op: "pack", Format: "<hh", Item: 1, Err: pack.ErrRange,
		Msg: "'h' format requires -32768 <= number <= 32767"}
	got, ok := errors.AsType[*pack.Error](err)
	if !ok {
		t.Fatalf("Pack error %T, want *pack.Error", err)
	}
	if diff := cmp.Diff(*want, *got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("Pack error mismatch (-want +got):\n%s", diff)
	}
	const text = `pack "<hh": item 1: 'h' format requires -32768 <= number <= 32767`
	if err.Error() != text {
		t.Errorf("Error() = %q, want %q", err.Error(), text)
	}
	_, err = pack.Unpack("<i5sf", nil)
	const text2 = `unpack "<i5sf": unpack requires a buffer of 13 bytes`
	if err == nil || err.Error() != text2 || !errors.Is(err, pack.ErrBuffer) {
		t.Errorf("Unpack error = %v, want %q", err, text2)
	}
}

func TestTruthiness(t *testing.T) {
	var nilPtr *int
	var nilMap map[string]int
	x := 1
	for _, tt := range []struct {
		v    any
		want byte
	}{
		{nil, 0}, {false, 0}, {true, 1}, {0, 0}, {-1, 1}, {uint8(0), 0}, {256, 1},
		{0.0, 0}, {math.Copysign(0, -1), 0}, {math.NaN(), 1}, {float32(0.5), 1},
		{"", 0}, {"x", 1}, {[]byte{}, 0}, {[]byte{0}, 1}, {[]int(nil), 0}, {[]int{0}, 1},
		{[0]int{}, 0}, {[1]int{}, 1}, {nilMap, 0}, {map[int]int{1: 1}, 1},
		{nilPtr, 0}, {&x, 1}, {struct{}{}, 1}, {big.NewInt(0), 0}, {big.NewInt(-3), 1},
		{complex(0, 0), 0}, {complex(0, 1), 1}, {myBool(false), 0}, {myString("a"), 1},
	} {
		got, err := pack.Pack("?", tt.v)
		if err != nil || len(got) != 1 || got[0] != tt.want {
			t.Errorf("Pack(\"?\", %#v) = %x, %v; want %02x", tt.v, got, err, tt.want)
		}
	}
}

func TestUnpackValues(t *testing.T) {
	b, _ := hex.DecodeString("80" + "ff" + "0100" + "ff7f" + "07" + "056162" + "0000" + "0100c0ff" + "017c" + "0000807f")
	got, err := pack.Unpack("<bBhH?3p2sfef", b)
	if err != nil {
		t.Fatal(err)
	}
	// NaNs come back quiet, keeping their sign ('f' also keeps the payload).
	want := []any{int64(-128), uint64(255), int64(1), uint64(0x7fff), true, []byte("ab"), []byte{0, 0},
		math.Float64frombits(0xfff8000020000000), math.Float64frombits(0x7ff8000000000000), math.Inf(1)}
	bits := cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) })
	if diff := cmp.Diff(want, got, bits); diff != "" {
		t.Errorf("Unpack mismatch (-want +got):\n%s", diff)
	}
}

// Unpacked byte strings are copies: changing the buffer or appending to one
// value changes nothing else.
func TestUnpackDoesNotAlias(t *testing.T) {
	buf := []byte("abcdef")
	got, err := pack.Unpack("2s1s3s", buf)
	if err != nil {
		t.Fatal(err)
	}
	buf[0] = 'X'
	_ = append(got[0].([]byte), 'Z')
	want := []any{[]byte("ab"), []byte("c"), []byte("def")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Unpack values changed (-want +got):\n%s", diff)
	}
}

// Deliberate differences from CPython 3.13, documented in doc.go.
func TestDifferences(t *testing.T) {
	// '0p' writes no stray byte past the record.
	buf := []byte{0xff, 0xff, 0xff, 0xff}
	if err := pack.PackInto("<h0p", buf, 0, 5, []byte("abc")); err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(buf) != "0500ffff" {
		t.Errorf("PackInto(\"<h0p\") left %x, want 0500ffff", buf)
	}
	// Native 'f' overflows like standard 'f'.
	for _, fs := range []string{"f", "@f", "=f", "<f", ">f"} {
		_, err := pack.Pack(fs, 1e300)
		if err == nil || !strings.HasSuffix(err.Error(), "float too large to pack with f format") || !errors.Is(err, pack.ErrRange) {
			t.Errorf("Pack(%q, 1e300) error = %v, want the f overflow error", fs, err)
		}
	}
	// Go strings pack as bytes.
	got, err := pack.Pack("c2s3p", "a", "bc", "de")
	if err != nil || string(got) != "abc\x02de" {
		t.Errorf("Pack with strings = %q, %v", got, err)
	}
	// Non-ASCII formats use CPython 3.15's wording.
	_, err = pack.Calcsize("h\u00e9")
	if err == nil || !strings.HasSuffix(err.Error(), "non-ASCII character in struct format") {
		t.Errorf("Calcsize of non-ASCII format error = %v", err)
	}
}

func TestPackIntoPartialWrite(t *testing.T) {
	for _, tt := range []struct {
		fs   string
		want string
	}{
		{"<hh", "ff01000000ff"},
		{"<hxh", "ff0100000000"},
	} {
		buf := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
		err := pack.PackInto(tt.fs, buf, 1, 1, 70000)
		if err == nil || !errors.Is(err, pack.ErrRange) {
			t.Errorf("PackInto(%q, 1, 70000) error = %v, want a range error", tt.fs, err)
		}
		if hex.EncodeToString(buf) != tt.want {
			t.Errorf("PackInto(%q) left %x, want %s", tt.fs, buf, tt.want)
		}
	}
}

func TestAppendKeepsDstOnError(t *testing.T) {
	dst := append(make([]byte, 0, 64), "head"...)
	got, err := pack.Append(dst, "<hh", 1, 70000)
	if err == nil || string(got) != "head" {
		t.Errorf("Append on error = %q, %v; want \"head\" and an error", got, err)
	}
	got, err = pack.Append(dst, "<hh", 1, 2)
	if err != nil || hex.EncodeToString(got) != hex.EncodeToString([]byte("head"))+"01000200" {
		t.Errorf("Append = %x, %v", got, err)
	}
}

func TestMaxAlloc(t *testing.T) {
	fs := strconv.Itoa(pack.MaxAlloc+1) + "x"
	_, err := pack.Pack(fs)
	if err == nil || !errors.Is(err, pack.ErrBuffer) {
		t.Errorf("Pack(%q) error = %v, want ErrBuffer", fs, err)
	}
	// The count is checked first, as in CPython.
	huge := strconv.Itoa(math.MaxInt)
	_, err = pack.Pack(huge + "s")
	if !errors.Is(err, pack.ErrCount) {
		t.Errorf("Pack with a missing value error = %v, want ErrCount", err)
	}
	// Unpacking needs no allocation of the record's size.
	_, err = pack.Unpack(huge+"s", []byte("x"))
	if err == nil || !strings.HasSuffix(err.Error(), "unpack requires a buffer of "+huge+" bytes") {
		t.Errorf("Unpack of a huge format error = %v", err)
	}
}

func TestIterUnpack(t *testing.T) {
	seq, err := pack.IterUnpack(">IB", []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	if err != nil {
		t.Fatal(err)
	}
	var got [][]any
	for rec := range seq {
		got = append(got, rec)
	}
	want := [][]any{{uint64(0x01020304), uint64(5)}, {uint64(0x06070809), uint64(10)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("IterUnpack mismatch (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		fs, msg string
		buf     []byte
	}{
		{">", "cannot iteratively unpack with a struct of length 0", nil},
		{">ibcp", "iterative unpacking requires a buffer of a multiple of 7 bytes", make([]byte, 6)},
	} {
		if _, err := pack.IterUnpack(tt.fs, tt.buf); err == nil || !strings.HasSuffix(err.Error(), tt.msg) || !errors.Is(err, pack.ErrBuffer) {
			t.Errorf("IterUnpack(%q) error = %v, want %q", tt.fs, err, tt.msg)
		}
	}
}

func TestCacheIsBounded(t *testing.T) {
	for i := range 3 * pack.CacheCap {
		if _, err := pack.Calcsize(strconv.Itoa(i) + "x"); err != nil {
			t.Fatal(err)
		}
	}
	if n := pack.CacheLen(); n > pack.CacheCap {
		t.Errorf("cache holds %d formats, cap is %d", n, pack.CacheCap)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := pack.MustCompile("<i5sf")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				fs := "<i" + strconv.Itoa(g+i%7) + "sf"
				b, err := pack.Pack(fs, i, []byte("zhang"), 1.75)
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := pack.Unpack(fs, b); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.Pack(i, "zhang", 1.75); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// CPython's standard 'q' and 'Q' routines for the byte order opposite to
// the host's store the low 64 bits of an out-of-range int before raising;
// pack_into leaves them in the buffer.
func TestPackIntoOverflowLeavesLow64Bits(t *testing.T) {
	huge, _ := new(big.Int).SetString("36893488147419107892", 10) // 2**65 + 0x1234
	e30, _ := new(big.Int).SetString("-1000000000000000000000000000000", 10)
	for _, tt := range []struct {
		fs   string
		v    any
		want string
	}{
		{">q", uint64(1) << 63, "8000000000000000"},
		{"!q", huge, "0000000000001234"},
		{">q", e30, "b98b1215c0000000"},
		{">Q", huge, "0000000000001234"},
		{">Q", -1, "0000000000000000"},
		{">Q", e30, "0000000000000000"},
		{"<q", uint64(1) << 63, "0000000000000000"},
		{"<Q", huge, "0000000000000000"},
		{"@q", huge, "0000000000000000"},
		{">l", huge, "00000000aaaaaaaa"},
	} {
		buf := []byte{0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa}
		err := pack.PackInto(tt.fs, buf, 0, tt.v)
		if !errors.Is(err, pack.ErrRange) {
			t.Errorf("PackInto(%q, %v) error = %v, want a range error", tt.fs, tt.v, err)
		}
		if got := hex.EncodeToString(buf); got != tt.want {
			t.Errorf("PackInto(%q, %v) left %s, want %s", tt.fs, tt.v, got, tt.want)
		}
	}
}
