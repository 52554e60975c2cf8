package pack_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/cabi"
	"github.com/pystruct/pystruct/pack"
)

// Tests of the typed path: Marshal, MarshalAppend and Unmarshal.

var bindSeed = flag.Int64("bind.seed", 0,
	"seed of the typed-path properties, 0 for one from the clock; a failing property prints the seed that replays it")

// bindCmp compares Go values with floats by their bits, so that -0 and NaN
// payloads count.
var bindCmp = cmp.Options{
	cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }),
	cmp.Comparer(func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }),
}

type (
	bindInner struct {
		X int16
		Y uint8
	}
	bindEmbedded struct {
		E float64
	}
	bindNamedInt    int32
	bindNamedString string

	bindAll struct {
		I8     int8
		U8     uint8
		I16    int16
		U16    uint16
		I32    int32
		U32    uint32
		I64    int64
		U64    uint64
		I      int
		U      uint
		P      uintptr
		F32    float32
		F64    float64
		B      bool
		C      byte
		Named  bindNamedInt
		Skip   string `pack:"-"`
		hidden int
		Arr    [3]int16
		S      [4]byte
		SB     []byte
		SS     string
		PA     bindNamedString
		PS     string
		Inner  bindInner
		Points [2]bindInner
		bindEmbedded
		H16  float32
		Last uint16
	}
)

// bindAllFormat is the format of bindAll, all in one record: 'h' takes the
// int16 array, "4s" the [4]byte, '3p' the named string, '2e' a float32 and
// then the embedded struct's float64 sits in 'd'.
const bindAllFormat = "<bBhHiIqQqQQfd?cl3h4s5s3s3p4phBhBhBde H"

func bindAllValue() *bindAll {
	return &bindAll{
		I8: -8, U8: 200, I16: -1600, U16: 60000, I32: -320000, U32: 4000000000,
		I64: -64, U64: math.MaxUint64, I: -1, U: 7, P: 9,
		F32: 1.5, F64: -2.25, B: true, C: 'c', Named: -42, Skip: "skipped", hidden: 5,
		Arr: [3]int16{1, -2, 3}, S: [4]byte{'a', 'b', 0, 'd'}, SB: []byte("hello"), SS: "abc",
		PA: "xyz", PS: "pq",
		Inner: bindInner{-5, 6}, Points: [2]bindInner{{7, 8}, {-9, 10}},
		bindEmbedded: bindEmbedded{0.5}, H16: 0.25, Last: 65535,
	}
}

// bindAllValues is bindAllValue as the dynamic path takes it.
func bindAllValues() []any {
	return []any{
		-8, 200, -1600, 60000, -320000, int64(4000000000), -64, uint64(math.MaxUint64), -1, 7, 9,
		1.5, -2.25, true, []byte("c"), -42, 1, -2, 3, []byte("ab\x00d"), []byte("hello"), []byte("abc"),
		[]byte("xyz"), []byte("pq"), -5, 6, 7, 8, -9, 10, 0.5, 0.25, 65535,
	}
}

func TestMarshalAgreesWithPack(t *testing.T) {
	s := pack.MustCompile(bindAllFormat)
	want, err := s.Pack(bindAllValues()...)
	if err != nil {
		t.Fatalf("Pack: %v", err)
	}
	v := bindAllValue()
	for _, arg := range []any{v, *v, []bindAll{*v}, &[]bindAll{*v}} {
		got, err := s.Marshal(arg)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("Marshal(%T) = %x, %v, want %x", arg, got, err, want)
		}
	}
	// MarshalAppend appends, and a slice gives one record per element.
	dst := []byte("head")
	got, err := s.MarshalAppend(dst, []bindAll{*v, *v})
	if wantAll := append(append([]byte("head"), want...), want...); err != nil || !bytes.Equal(got, wantAll) {
		t.Errorf("MarshalAppend(head, two records) = %x, %v, want %x", got, err, wantAll)
	}
	if got, err := s.MarshalAppend(dst, []bindAll{}); err != nil || string(got) != "head" {
		t.Errorf("MarshalAppend(head, no records) = %q, %v, want head", got, err)
	}
}

func TestUnmarshalAgreesWithUnpack(t *testing.T) {
	s := pack.MustCompile(bindAllFormat)
	b, err := s.Pack(bindAllValues()...)
	if err != nil {
		t.Fatalf("Pack: %v", err)
	}
	want := bindAllValue()
	want.Skip, want.hidden = "", 0 // skipped and unexported fields are not touched
	// The Pascal field held "xyz"; '3p' stores two bytes of it.
	want.PA = "xy"
	var got bindAll
	if err := s.Unmarshal(b, &got); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	if diff := cmp.Diff(want, &got, bindCmp, cmp.AllowUnexported(bindAll{})); diff != "" {
		t.Errorf("Unmarshal(%x) mismatch (-want +got):\n%s", b, diff)
	}

	// Bulk: a slice gets one element per record, reusing its array.
	records := append(append([]byte{}, b...), b...)
	out := make([]bindAll, 5, 10)
	arr := &out[:1][0]
	if err := s.Unmarshal(records, &out); err != nil {
		t.Fatalf("Unmarshal(two records, &[]bindAll): %v", err)
	}
	if len(out) != 2 || &out[0] != arr {
		t.Fatalf("Unmarshal(two records) gave %d elements (reused array: %v), want 2 in the same array", len(out), &out[0] == arr)
	}
	for i := range out {
		if diff := cmp.Diff(want, &out[i], bindCmp, cmp.AllowUnexported(bindAll{})); diff != "" {
			t.Errorf("record %d mismatch (-want +got):\n%s", i, diff)
		}
	}
	if err := s.Unmarshal(nil, &out); err != nil || len(out) != 0 {
		t.Errorf("Unmarshal(nil, &out) = %v with %d elements, want no error and none", err, len(out))
	}
}

func TestUnmarshalCopiesBytes(t *testing.T) {
	s := pack.MustCompile("<3s2s")
	var v struct {
		A []byte
		B []byte
	}
	buf := []byte("abcde")
	if err := s.Unmarshal(buf, &v); err != nil {
		t.Fatal(err)
	}
	buf[0], buf[3] = 'X', 'Y'
	if string(v.A) != "abc" || string(v.B) != "de" {
		t.Errorf("fields alias buf: A=%q B=%q", v.A, v.B)
	}
	// Appending to one field must not overwrite the other.
	_ = append(v.A, '!')
	if string(v.B) != "de" {
		t.Errorf("append to A overwrote B: %q", v.B)
	}
}

// bindValueTests are single records, typed, with the bytes CPython packs
// for them.
var bindValueTests = []struct {
	name string
	fs   string
	v    any // a pointer to the typed value
	hex  string
}{
	{"notes record", "<i5sf", &struct {
		ID     int32
		Name   [5]byte
		Height float32
	}{1, [5]byte{'z', 'h', 'a', 'n', 'g'}, 1.75}, "010000007a68616e670000e03f"},
	{"native padding", "@ci?i", &struct {
		C byte
		I int32
		B bool
		J int32
	}{'x', -7, true, 5}, "78000000f9ffffff0100000005000000"},
	{"big endian", ">hIq", &struct {
		A int
		B uint64
		C int8
	}{-2, 70000, -1}, "fffe00011170ffffffffffffffff"},
	{"string shorter than s pads", "<5s", &struct{ S string }{"ab"}, "6162000000"},
	{"string longer than s truncates", "<2s", &struct{ S []byte }{[]byte("abc")}, "6162"},
	{"pascal", "<5p", &struct{ S string }{"abc"}, "0361626300"},
	{"pascal truncates", "<3p", &struct{ S []byte }{[]byte("abc")}, "026162"},
	{"zero-length string", "<0sb", &struct {
		S string
		B int8
	}{"", 1}, "01"},
	{"pad bytes", "<bxxh", &struct{ A, B int16 }{1, 2}, "0100000200"},
	{"half", "<e", &struct{ F float64 }{-0.5}, "00b8"},
	{"half from float32", ">2e", &struct{ F [2]float32 }{[2]float32{65504, 1}}, "7bff3c00"},
	{"float32 into d", "<d", &struct{ F float32 }{0.1}, "000000a09999b93f"},
	{"float64 into f", "<f", &struct{ F float64 }{0.1}, "cdcccc3d"},
	{"signalling NaN comes out quiet", "<f", &struct{ F float32 }{math.Float32frombits(0x7f800001)}, "0100c07f"},
	{"P takes negatives", "@P", &struct{ P int64 }{-1}, strings.Repeat("ff", cabi.PointerSize)},
	{"bool array", "3?", &struct{ B [3]bool }{[3]bool{true, false, true}}, "010001"},
	{"char array", "3c", &struct{ C [3]byte }{[3]byte{'a', 'b', 'c'}}, "616263"},
	{"count as scalars", "<3H", &struct{ A, B, C uint16 }{1, 2, 3}, "010002000300"},
	{"empty format", "", &struct{}{}, ""},
}

func TestMarshalValues(t *testing.T) {
	for _, tt := range bindValueTests {
		t.Run(tt.name, func(t *testing.T) {
			s := pack.MustCompile(tt.fs)
			got, err := s.Marshal(tt.v)
			if err != nil || hex.EncodeToString(got) != tt.hex {
				t.Fatalf("Marshal(%+v) = %x, %v, want %s", tt.v, got, err, tt.hex)
			}
			// Struct values marshal as their pointers do.
			got, err = s.Marshal(reflect.ValueOf(tt.v).Elem().Interface())
			if err != nil || hex.EncodeToString(got) != tt.hex {
				t.Errorf("Marshal(value) = %x, %v, want %s", got, err, tt.hex)
			}
		})
	}
}

func TestUnmarshalValues(t *testing.T) {
	for _, tt := range bindValueTests {
		if tt.name == "P takes negatives" {
			continue // 'P' unpacks unsigned: 2**64-1 does not fit an int64
		}
		t.Run(tt.name, func(t *testing.T) {
			s := pack.MustCompile(tt.fs)
			b, _ := hex.DecodeString(tt.hex)
			got := reflect.New(reflect.TypeOf(tt.v).Elem())
			if err := s.Unmarshal(b, got.Interface()); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.hex, err)
			}
			// Unpacking then packing gives the record back.
			again, err := s.Marshal(got.Interface())
			if err != nil || !bytes.Equal(again, b) {
				t.Errorf("Marshal(Unmarshal(%s)) = %x, %v", tt.hex, again, err)
			}
		})
	}
}

// bindErrorTests are calls that fail, with the message and category.
var bindErrorTests = []struct {
	name string
	fs   string
	op   string // "marshal" or "unmarshal"
	v    any
	buf  string // hex, for unmarshal
	msg  string // the error's whole text
	cat  error
}{
	// Mismatches between the type and the format, found when binding.
	{"kind", "<i5sf", "marshal", &struct {
		ID   string
		Name [5]byte
		H    float32
	}{}, "", `marshal "<i5sf": item 0: cannot bind field ID (string) of struct { ID string; Name [5]uint8; H float32 } to 'i': want an integer type`, pack.ErrType},
	{"float kind", "<f", "unmarshal", &struct{ F int32 }{}, "00000000",
		`unmarshal "<f": item 0: cannot bind field F (int32) of struct { F int32 } to 'f': want float32 or float64`, pack.ErrType},
	{"bool kind", "?", "marshal", &struct{ B int }{}, "",
		`marshal "?": item 0: cannot bind field B (int) of struct { B int } to '?': want bool`, pack.ErrType},
	{"char kind", "c", "marshal", &struct{ C int8 }{}, "",
		`marshal "c": item 0: cannot bind field C (int8) of struct { C int8 } to 'c': want byte`, pack.ErrType},
	{"string kind", "<3s", "marshal", &struct{ S [3]int8 }{}, "",
		`marshal "<3s": item 0: cannot bind field S ([3]int8) of struct { S [3]int8 } to '3s': want [N]byte, []byte or string`, pack.ErrType},
	{"string length", "<5s", "marshal", &struct{ S [4]byte }{}, "",
		`marshal "<5s": item 0: cannot bind field S ([4]uint8) of struct { S [4]uint8 } to '5s': want [5]byte, []byte or string`, pack.ErrCount},
	{"pascal into an array", "<5p", "unmarshal", &struct{ P [5]byte }{}, "0261620000",
		`unmarshal "<5p": item 0: cannot bind field P ([5]uint8) of struct { P [5]uint8 } to '5p': want []byte or string ([N]byte cannot hold a 'p' value's length)`, pack.ErrType},
	{"pascal from an array", "<5p", "marshal", &struct{ P [5]byte }{}, "",
		`marshal "<5p": item 0: cannot bind field P ([5]uint8) of struct { P [5]uint8 } to '5p': want []byte or string ([N]byte cannot hold a 'p' value's length)`, pack.ErrType},
	{"pascal into an array of another length", "<5p", "marshal", &struct{ P [3]byte }{}, "",
		`marshal "<5p": item 0: cannot bind field P ([3]uint8) of struct { P [3]uint8 } to '5p': want []byte or string ([N]byte cannot hold a 'p' value's length)`, pack.ErrType},
	{"pascal kind", "<5p", "marshal", &struct{ P int }{}, "",
		`marshal "<5p": item 0: cannot bind field P (int) of struct { P int } to '5p': want []byte or string`, pack.ErrType},
	{"array length", "<h3i", "unmarshal", &struct {
		A int16
		B [4]int32
	}{}, "000000000000000000000000000000",
		`unmarshal "<h3i": item 1: cannot bind field B ([4]int32) of struct { A int16; B [4]int32 } to '3i': want 3 elements`, pack.ErrCount},
	{"array for a scalar", "<ii", "marshal", &struct{ A [2]int32 }{}, "",
		`marshal "<ii": item 0: cannot bind field A ([2]int32) of struct { A [2]int32 } to 'i': want 1 elements`, pack.ErrCount},
	{"too few fields", "<i5sf", "marshal", &struct {
		ID   int32
		Name string
	}{}, "", `marshal "<i5sf": item 2: cannot bind 'f' (value 2): struct { ID int32; Name string } has no fields left`, pack.ErrCount},
	{"too few fields in a count", "<3h", "unmarshal", &struct{ A, B int16 }{}, "000000000000",
		`unmarshal "<3h": item 2: cannot bind '3h' (value 2): struct { A int16; B int16 } has no fields left`, pack.ErrCount},
	{"too many fields", "<h", "marshal", &struct {
		A, B int16
	}{}, "", `marshal "<h": cannot bind field B (int16) of struct { A int16; B int16 }: format "<h" has only 1 values`, pack.ErrCount},
	{"nested field named by path", "<hh", "marshal", &struct {
		In struct{ A, B float32 }
	}{}, "", `marshal "<hh": item 0: cannot bind field In.A (float32) of struct { In struct { A float32; B float32 } } to 'h': want an integer type`, pack.ErrType},
	{"bad tag", "<h", "marshal", &struct {
		A int16 `pack:"hh"`
	}{}, "", `marshal "<h": field A of struct { A int16 "pack:\"hh\"" } has a bad pack tag "hh": "hh" is not one format code with an optional count`, pack.ErrType},
	{"tag of another code", "<h", "marshal", &struct {
		A int16 `pack:"H"`
	}{}, "", `marshal "<h": item 0: cannot bind field A (int16) of struct { A int16 "pack:\"H\"" } to 'h': its pack tag says "H"`, pack.ErrType},
	{"tag of another count", "<5s", "unmarshal", &struct {
		S string `pack:"4s"`
	}{}, "0000000000", `unmarshal "<5s": item 0: cannot bind field S (string) of struct { S string "pack:\"4s\"" } to '5s': its pack tag says "4s"`, pack.ErrCount},
	{"tag of an array's count on one element", "<2i", "marshal", &struct {
		A int32 `pack:"2i"`
		B int32
	}{}, "", `marshal "<2i": item 0: cannot bind field A (int32) of struct { A int32 "pack:\"2i\""; B int32 } to '2i': its pack tag says "2i"`, pack.ErrCount},
	{"pad tag on a value", "<hh", "marshal", &struct {
		A int16
		_ [2]byte `pack:"2x"`
	}{}, "", `marshal "<hh": item 1: cannot bind field _ ([2]uint8) of struct { A int16; _ [2]uint8 "pack:\"2x\"" } to 'h': its pack tag says "2x"`, pack.ErrType},
	{"pad tag of another length", "<h3x", "marshal", &struct {
		A int16
		_ [2]byte `pack:"2x"`
	}{}, "", `marshal "<h3x": cannot bind field _ ([2]uint8) of struct { A int16; _ [2]uint8 "pack:\"2x\"" } to '3x': its pack tag says "2x"`, pack.ErrCount},
	{"pad tag without a pad item", "<h", "marshal", &struct {
		A int16
		_ [2]byte `pack:"2x"`
	}{}, "", `marshal "<h": cannot bind field _ ([2]uint8) of struct { A int16; _ [2]uint8 "pack:\"2x\"" } tagged "2x": format "<h" has no pad item left`, pack.ErrCount},
	{"trim on an integer", "<h", "marshal", &struct {
		A int16 `pack:",trim"`
	}{}, "", `marshal "<h": item 0: cannot bind field A (int16) of struct { A int16 "pack:\",trim\"" } to 'h': trim applies only to an 's' item bound to a string or []byte field`, pack.ErrType},
	{"trim on an array", "<3s", "unmarshal", &struct {
		A [3]byte `pack:"3s,trim"`
	}{}, "000000", `unmarshal "<3s": item 0: cannot bind field A ([3]uint8) of struct { A [3]uint8 "pack:\"3s,trim\"" } to '3s': trim applies only to an 's' item bound to a string or []byte field`, pack.ErrType},
	{"trim on a pascal string", "<3p", "unmarshal", &struct {
		A string `pack:",trim"`
	}{}, "000000", `unmarshal "<3p": item 0: cannot bind field A (string) of struct { A string "pack:\",trim\"" } to '3p': trim applies only to an 's' item bound to a string or []byte field`, pack.ErrType},
	{"code tag on a nested struct", "<h", "marshal", &struct {
		In struct{ A int16 } `pack:"h"`
	}{}, "", `marshal "<h": field In (struct { A int16 }) of struct { In struct { A int16 } "pack:\"h\"" } has pack tag "h": a code or trim belongs on the fields inside it`, pack.ErrType},
	{"code tag on an unexported field", "<h", "marshal", &struct {
		A int16
		b int16 `pack:"h"`
	}{}, "", `marshal "<h": field b of struct { A int16; b int16 "pack:\"h\"" } is unexported, so its pack tag "h" binds nothing`, pack.ErrType},

	// Arguments that are not structs.
	{"not a struct", "<h", "marshal", map[int]int{}, "", `marshal "<h": cannot marshal map[int]int: want a struct or a scalar, a pointer to one, or a slice of structs`, pack.ErrType},
	{"nil", "<h", "marshal", nil, "", `marshal "<h": cannot marshal nil: want a struct or a scalar, a pointer to one, or a slice of structs`, pack.ErrType},
	{"nil pointer", "<h", "marshal", (*struct{ A int16 })(nil), "", `marshal "<h": cannot marshal nil *struct { A int16 }`, pack.ErrType},
	{"unmarshal into a value", "<h", "unmarshal", struct{ A int16 }{}, "0000",
		`unmarshal "<h": cannot unmarshal into struct { A int16 }: want a pointer to a struct, to a scalar or to a slice of structs`, pack.ErrType},
	{"unmarshal into nil", "<h", "unmarshal", (*struct{ A int16 })(nil), "0000", `unmarshal "<h": cannot unmarshal into nil *struct { A int16 }`, pack.ErrType},
	{"unmarshal into a scalar value", "<h", "unmarshal", 5, "0000",
		`unmarshal "<h": cannot unmarshal into int: want a pointer to a struct, to a scalar or to a slice of structs`, pack.ErrType},
	{"unmarshal into a pointer to a map", "<h", "unmarshal", new(map[int]int), "0000",
		`unmarshal "<h": cannot unmarshal into *map[int]int: want a pointer to a struct, to a scalar or to a slice of structs`, pack.ErrType},
	{"unmarshal into a pointer to an array of structs", "<h", "unmarshal", new([1]struct{ A int16 }), "0000",
		`unmarshal "<h": cannot unmarshal into *[1]struct { A int16 }: want a pointer to a struct, to a scalar or to a slice of structs`, pack.ErrType},

	// Scalars.
	{"scalar of a format of two values", "<hh", "unmarshal", new(int16), "00000000",
		`unmarshal "<hh": item 1: cannot bind 'h' (value 1): int16 holds only 1 values`, pack.ErrType},
	{"scalar of a format of no values", "<2x", "marshal", int16(1), "",
		`marshal "<2x": cannot bind int16: format "<2x" has only 0 values`, pack.ErrType},
	{"scalar of the wrong kind", "<d", "unmarshal", new(uint32), "0000000000000000",
		`unmarshal "<d": item 0: cannot bind uint32 to 'd': want float32 or float64`, pack.ErrType},
	{"scalar string of a bool", "<?", "marshal", "x", "",
		`marshal "<?": item 0: cannot bind string to '?': want bool`, pack.ErrType},
	{"scalar array of the wrong length", "<5s", "unmarshal", new([4]byte), "0000000000",
		`unmarshal "<5s": item 0: cannot bind [4]uint8 to '5s': want [5]byte, []byte or string`, pack.ErrCount},
	{"scalar array of ints", "<3i", "unmarshal", new([2]int32), "000000000000000000000000",
		`unmarshal "<3i": item 0: cannot bind [2]int32 to '3i': want 3 elements`, pack.ErrCount},
	{"scalar out of range", "!I", "unmarshal", new(int32), "80000000",
		`unmarshal "!I": item 0: 'I' value 2147483648 does not fit int32`, pack.ErrRange},
	{"scalar array element out of range", "<2h", "unmarshal", new([2]int8), "0100ff00",
		`unmarshal "<2h": item 1: 'h' value 255 does not fit element 1 (int8) of [2]int8`, pack.ErrRange},
	{"scalar too large to pack", "!H", "marshal", 70000, "",
		`marshal "!H": item 0: 'H' format requires 0 <= number <= 65535`, pack.ErrRange},
	{"nil scalar pointer", "!H", "unmarshal", (*uint16)(nil), "0000", `unmarshal "!H": cannot unmarshal into nil *uint16`, pack.ErrType},

	// Buffers.
	{"short buffer", "<h", "unmarshal", new(struct{ A int16 }), "00", `unmarshal "<h": unpack requires a buffer of 2 bytes`, pack.ErrBuffer},
	{"bulk not a multiple", "<h", "unmarshal", new([]struct{ A int16 }), "000000",
		`unmarshal "<h": iterative unpacking requires a buffer of a multiple of 2 bytes`, pack.ErrBuffer},
	{"bulk of no size", "", "unmarshal", new([]struct{}), "", `unmarshal "": cannot iteratively unpack with a struct of length 0`, pack.ErrBuffer},

	// Values out of range when packing: CPython's messages.
	{"int range", "<bh", "marshal", &struct{ A, B int }{1, 40000}, "",
		`marshal "<bh": item 1: 'h' format requires -32768 <= number <= 32767`, pack.ErrRange},
	{"unsigned takes no negatives", "<B", "marshal", &struct{ A int8 }{-1}, "",
		`marshal "<B": item 0: 'B' format requires 0 <= number <= 255`, pack.ErrRange},
	{"unsigned field too large", "<i", "marshal", &struct{ A uint64 }{1 << 31}, "",
		`marshal "<i": item 0: 'i' format requires -2147483648 <= number <= 2147483647`, pack.ErrRange},
	{"array element", "<3b", "marshal", &struct{ A [3]int16 }{[3]int16{1, 2, 300}}, "",
		`marshal "<3b": item 2: 'b' format requires -128 <= number <= 127`, pack.ErrRange},
	{"float range", "<f", "marshal", &struct{ F float64 }{1e39}, "", `marshal "<f": item 0: float too large to pack with f format`, pack.ErrRange},
	{"half range", "<e", "marshal", &struct{ F float32 }{65520}, "", `marshal "<e": item 0: float too large to pack with e format`, pack.ErrRange},
	{"bulk range names the record", "<b", "marshal", []struct{ A int }{{1}, {128}}, "",
		`marshal "<b": item 0: record 1: 'b' format requires -128 <= number <= 127`, pack.ErrRange},

	// Values that do not fit their field when unpacking.
	{"unpacked int too large", "<I", "unmarshal", new(struct{ A int32 }), "00000080",
		`unmarshal "<I": item 0: 'I' value 2147483648 does not fit field A (int32) of struct { A int32 }`, pack.ErrRange},
	{"unpacked negative into unsigned", "<hb", "unmarshal", new(struct {
		A int16
		B uint8
	}), "0000ff", `unmarshal "<hb": item 1: 'b' value -1 does not fit field B (uint8) of struct { A int16; B uint8 }`, pack.ErrRange},
	{"unpacked array element", "<2q", "unmarshal", new(struct{ A [2]int8 }), "0100000000000000ff00000000000000",
		`unmarshal "<2q": item 1: 'q' value 255 does not fit field A[1] (int8) of struct { A [2]int8 }`, pack.ErrRange},
	{"unpacked double inexact in float32", "<d", "unmarshal", new(struct{ F float32 }), "9a9999999999b93f",
		`unmarshal "<d": item 0: 'd' value 0.1 does not fit field F (float32) of struct { F float32 }`, pack.ErrRange},
	{"bulk misfit names the record", "<b", "unmarshal", new([]struct{ A uint8 }), "01ff",
		`unmarshal "<b": item 0: record 1: 'b' value -1 does not fit field A (uint8) of struct { A uint8 }`, pack.ErrRange},
}

// A '?' byte other than 0 or 1 unpacks as true, and the Go bool holds 1,
// also when a later value of the record fails and Unmarshal stops there.
func TestUnmarshalBoolBytes(t *testing.T) {
	type rec struct {
		A    bool
		B    [2]bool
		C    bool
		X    int16
		Tail bool
	}
	s := pack.MustCompile("<?2??I?")
	for _, tt := range []struct {
		hex  string
		want rec
		err  bool
	}{
		{"00010200" + "05000000" + "ff", rec{false, [2]bool{true, true}, false, 5, true}, false},
		{"ff800001" + "ffffffff" + "01", rec{true, [2]bool{true, false}, true, 0, false}, true},
	} {
		b, _ := hex.DecodeString(tt.hex)
		var got rec
		err := s.Unmarshal(b, &got)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("Unmarshal(%s) = %+v, %v; want %+v, error %v", tt.hex, got, err, tt.want, tt.err)
		}
		for i, p := range []*bool{&got.A, &got.B[0], &got.B[1], &got.C, &got.Tail} {
			if v := *(*byte)(unsafe.Pointer(p)); v > 1 {
				t.Errorf("Unmarshal(%s): bool %d holds the byte %d", tt.hex, i, v)
			}
		}
	}
}

// 'P' reports a value out of its range as CPython does, as an int too
// large to convert, on the typed path as on the dynamic one. Only where
// pointers are narrower than 64 bits is there such a value.
func TestMarshalPointerRange(t *testing.T) {
	s := pack.MustCompile("@P")
	for _, v := range []int64{-1, 1 << 40, -1 << 40, math.MinInt64, math.MaxInt64} {
		_, err := s.Marshal(&struct{ P int64 }{v})
		_, want := s.Pack(v)
		if (err == nil) != (want == nil) {
			t.Errorf("Marshal(P: %d) error = %v, Pack error = %v", v, err, want)
			continue
		}
		if err == nil {
			continue
		}
		e, _ := errors.AsType[*pack.Error](err)
		w, _ := errors.AsType[*pack.Error](want)
		if e == nil || w == nil || e.Msg != w.Msg || e.Err != w.Err {
			t.Errorf("Marshal(P: %d) error = %#v, want the message and category of Pack's %#v", v, err, want)
		}
	}
}

func TestBindErrors(t *testing.T) {
	for _, tt := range bindErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			s := pack.MustCompile(tt.fs)
			// Twice: the second call finds the binding in the cache and
			// must report the same.
			for range 2 {
				var err error
				if tt.op == "marshal" {
					var got []byte
					got, err = s.MarshalAppend([]byte("x"), tt.v)
					if string(got) != "x" {
						t.Errorf("MarshalAppend(x, %T) returned %q on error, want x", tt.v, got)
					}
				} else {
					b, _ := hex.DecodeString(tt.buf)
					err = s.Unmarshal(b, tt.v)
				}
				if err == nil || err.Error() != tt.msg {
					t.Fatalf("%s(%T) = %v\nwant %s", tt.op, tt.v, err, tt.msg)
				}
				if !errors.Is(err, tt.cat) {
					t.Errorf("%s(%T) = %v, not in category %v", tt.op, tt.v, err, tt.cat)
				}
				var e *pack.Error
				if !errors.As(err, &e) || e.Op != tt.op || e.Format != tt.fs {
					t.Errorf("%s(%T): error %#v, want a *pack.Error with Op %q", tt.op, tt.v, err, tt.op)
				}
			}
		})
	}
}

func TestUnmarshalBulkKeepsDecodedRecords(t *testing.T) {
	s := pack.MustCompile("<h")
	var out []struct{ A int8 }
	err := s.Unmarshal([]byte{1, 0, 2, 0, 0, 1, 3, 0}, &out)
	if !errors.Is(err, pack.ErrRange) {
		t.Fatalf("Unmarshal = %v, want an ErrRange", err)
	}
	if want := []struct{ A int8 }{{1}, {2}}; !reflect.DeepEqual(out, want) {
		t.Errorf("after the error out = %v, want %v", out, want)
	}
}

// TestBindConcurrent binds and uses one Struct from many goroutines at
// once; run it with -race.
func TestBindConcurrent(t *testing.T) {
	s := pack.MustCompile("<i5sf")
	type p1 struct {
		ID     int32
		Name   [5]byte
		Height float32
	}
	type p2 struct {
		ID     int64
		Name   string
		Height float64
	}
	want, _ := s.Pack(7, []byte("seven"), 7.5)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for range 200 {
				var b []byte
				var err error
				if g%2 == 0 {
					var v p1
					if err = s.Unmarshal(want, &v); err == nil {
						b, err = s.Marshal(&v)
					}
				} else {
					var v p2
					if err = s.Unmarshal(want, &v); err == nil {
						b, err = s.Marshal(v)
					}
				}
				if err != nil || !bytes.Equal(b, want) {
					t.Errorf("goroutine %d: round trip = %x, %v, want %x", g, b, err, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// Properties.

// A bindModel is a random format with a Go struct type made for it with
// reflect.StructOf, and where each of the format's values lives in it.
type bindModel struct {
	fs     string
	t      reflect.Type
	values []bindValue // one per format value, in order
}

// A bindValue is where one format value lives in the model's struct.
type bindValue struct {
	index []int // reflect field index path
	elem  int   // element of an array field, or -1
	code  byte
	kind  format.Kind
	count int // for 's' and 'p'
}

// field returns the Go value of v in the struct value sv.
func (bv bindValue) field(sv reflect.Value) reflect.Value {
	f := sv.FieldByIndex(bv.index)
	if bv.elem >= 0 {
		f = f.Index(bv.elem)
	}
	return f
}

var (
	bindIntTypes = []reflect.Type{
		reflect.TypeFor[int](), reflect.TypeFor[int8](), reflect.TypeFor[int16](), reflect.TypeFor[int32](),
		reflect.TypeFor[int64](), reflect.TypeFor[uint](), reflect.TypeFor[uint8](), reflect.TypeFor[uint16](),
		reflect.TypeFor[uint32](), reflect.TypeFor[uint64](), reflect.TypeFor[uintptr](), reflect.TypeFor[bindNamedInt](),
	}
	bindFloatTypes = []reflect.Type{reflect.TypeFor[float32](), reflect.TypeFor[float64]()}
	bindCodes      = map[bool]string{false: "bBhHiIlLqQ?efdcspxFD", true: "bBhHiIlLqQnNP?efdcspxFD"}
)

// newBindModel makes a random format of up to 8 items and a struct type
// for it: each item's values go into one array field or into separate
// fields, of Go types chosen at random among those the item binds to, with
// now and then a skipped field, an unexported one, or a nested struct
// around a run of fields.
func newBindModel(r *rand.Rand) bindModel {
	mode := "@=<>!"[r.IntN(5)]
	codes := bindCodes[mode == '@']
	var fs strings.Builder
	fs.WriteByte(mode)
	var fields []reflect.StructField
	var values []bindValue
	add := func(name string, t reflect.Type, tag reflect.StructTag) int {
		fields = append(fields, reflect.StructField{Name: name, Type: t, Tag: tag})
		return len(fields) - 1
	}
	for item := range r.IntN(8) {
		code := codes[r.IntN(len(codes))]
		count := r.IntN(4)
		if r.IntN(4) == 0 {
			count = 1
		}
		if code == 's' || code == 'p' {
			count = r.IntN(7)
		}
		fs.WriteString(fmt.Sprint(count))
		fs.WriteByte(code)
		kind := format.KindOf(format.Order(mode), code)
		name := fmt.Sprintf("F%d", item)
		if r.IntN(8) == 0 {
			add("Skip"+name, reflect.TypeFor[map[string]int](), `pack:"-"`)
		}
		if r.IntN(8) == 0 {
			add("x"+name, reflect.TypeFor[func()](), "")
		}
		var elem func() reflect.Type
		switch kind {
		case format.Pad:
			continue
		case format.Signed, format.Unsigned:
			elem = func() reflect.Type { return bindIntTypes[r.IntN(len(bindIntTypes))] }
		case format.Float:
			elem = func() reflect.Type { return bindFloatTypes[r.IntN(2)] }
		case format.Complex:
			elem = func() reflect.Type {
				return []reflect.Type{reflect.TypeFor[complex64](), reflect.TypeFor[complex128]()}[r.IntN(2)]
			}
		case format.Bool:
			elem = func() reflect.Type { return reflect.TypeFor[bool]() }
		case format.Char:
			elem = func() reflect.Type { return reflect.TypeFor[byte]() }
		case format.String, format.Pascal:
			t := []reflect.Type{reflect.TypeFor[[]byte](), reflect.TypeFor[string](), reflect.ArrayOf(count, reflect.TypeFor[byte]())}[r.IntN(bytesFieldChoices(kind))]
			i := add(name, t, "")
			values = append(values, bindValue{[]int{i}, -1, code, kind, count})
			continue
		}
		if count > 0 && r.IntN(2) == 0 {
			i := add(name, reflect.ArrayOf(count, elem()), "")
			for j := range count {
				values = append(values, bindValue{[]int{i}, j, code, kind, count})
			}
			continue
		}
		if count > 1 && r.IntN(3) == 0 {
			// A nested struct holding the item's fields.
			var inner []reflect.StructField
			for j := range count {
				inner = append(inner, reflect.StructField{Name: fmt.Sprintf("G%d", j), Type: elem()})
			}
			i := add(name, reflect.StructOf(inner), "")
			for j := range count {
				values = append(values, bindValue{[]int{i, j}, -1, code, kind, count})
			}
			continue
		}
		for j := range count {
			i := add(fmt.Sprintf("%sx%d", name, j), elem(), "")
			values = append(values, bindValue{[]int{i}, -1, code, kind, count})
		}
	}
	for i := range fields {
		if fields[i].Name[0] == 'x' {
			fields[i].PkgPath = "github.com/pystruct/pystruct/pack_test"
		}
	}
	return bindModel{fs.String(), reflect.StructOf(fields), values}
}

// fill sets the fields of sv to random values over their types' whole
// ranges, floats from random bits.
func (m bindModel) fill(r *rand.Rand, sv reflect.Value) {
	for _, bv := range m.values {
		f := bv.field(sv)
		switch f.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			f.SetInt(int64(bindRandBits(r)) >> (64 - 8*f.Type().Size()))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			f.SetUint(bindRandBits(r) >> (64 - 8*f.Type().Size()))
		case reflect.Float32:
			f.SetFloat(float64(math.Float32frombits(uint32(bindRandBits(r)))))
			if r.IntN(4) == 0 {
				f.SetFloat(float64(float32(r.NormFloat64())))
			}
		case reflect.Float64:
			f.SetFloat(math.Float64frombits(bindRandBits(r)))
			if r.IntN(4) == 0 {
				f.SetFloat(r.NormFloat64() * 1000)
			}
		case reflect.Complex64:
			f.SetComplex(complex(float64(math.Float32frombits(uint32(bindRandBits(r)))), float64(float32(r.NormFloat64()))))
		case reflect.Complex128:
			// Parts too large for 'F' and 'Zf' included.
			f.SetComplex(complex(math.Float64frombits(bindRandBits(r)), r.NormFloat64()*1e30))
		case reflect.Bool:
			f.SetBool(r.IntN(2) == 0)
		case reflect.Array:
			for i := range f.Len() {
				f.Index(i).SetUint(uint64(r.IntN(256)))
			}
		case reflect.Slice:
			f.SetBytes(bindRandBytes(r, r.IntN(bv.count+3)))
		case reflect.String:
			f.SetString(string(bindRandBytes(r, r.IntN(bv.count+3))))
		}
	}
}

// bindRandBits returns random bits, often with few significant ones, so
// that small values are common.
func bindRandBits(r *rand.Rand) uint64 {
	u := r.Uint64()
	if r.IntN(2) == 0 {
		u >>= r.IntN(64)
		if r.IntN(2) == 0 {
			u = -u
		}
	}
	return u
}

func bindRandBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return b
}

// dynamic returns the values of sv as the dynamic path takes them.
func (m bindModel) dynamic(sv reflect.Value) []any {
	var out []any
	for _, bv := range m.values {
		f := bv.field(sv)
		switch {
		case bv.kind == format.Char:
			out = append(out, []byte{byte(f.Uint())})
		case f.Kind() == reflect.Array:
			out = append(out, bytes.Clone(f.Bytes()))
		default:
			out = append(out, f.Interface())
		}
	}
	return out
}

// expect sets the fields of sv from the unpacked values as the typed path
// must, or returns the index of the first value that does not fit its
// field.
func (m bindModel) expect(vals []any, sv reflect.Value) int {
	for i, bv := range m.values {
		f := bv.field(sv)
		switch v := vals[i].(type) {
		case int64:
			if f.CanInt() {
				if f.OverflowInt(v) {
					return i
				}
				f.SetInt(v)
			} else {
				if v < 0 || f.OverflowUint(uint64(v)) {
					return i
				}
				f.SetUint(uint64(v))
			}
		case uint64:
			if f.CanInt() {
				if v > math.MaxInt64 || f.OverflowInt(int64(v)) {
					return i
				}
				f.SetInt(int64(v))
			} else {
				if f.OverflowUint(v) {
					return i
				}
				f.SetUint(v)
			}
		case float64:
			if f.Kind() == reflect.Float32 && float64(float32(v)) != v && v == v {
				return i
			}
			f.SetFloat(v)
		case complex128:
			fits := func(x float64) bool { return float64(float32(x)) == x || x != x }
			if f.Kind() == reflect.Complex64 && (!fits(real(v)) || !fits(imag(v))) {
				return i
			}
			f.SetComplex(v)
		case bool:
			f.SetBool(v)
		case []byte:
			switch f.Kind() {
			case reflect.Uint8:
				f.SetUint(uint64(v[0]))
			case reflect.Array:
				reflect.Copy(f, reflect.ValueOf(v))
			case reflect.Slice:
				f.SetBytes(v)
			case reflect.String:
				f.SetString(string(v))
			}
		}
	}
	return -1
}

// bindFloatsEqual compares floats by bits, but any two NaNs of float32
// fields as equal: how a NaN narrows to float32 is the hardware's.
var bindFloatsEqual = cmp.Options{
	cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }),
	cmp.Comparer(func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b) }),
	cmp.Comparer(func(a, b complex64) bool {
		same := func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) || (x != x && y != y) }
		return same(real(a), real(b)) && same(imag(a), imag(b))
	}),
	cmp.Comparer(func(a, b complex128) bool {
		return math.Float64bits(real(a)) == math.Float64bits(real(b)) && math.Float64bits(imag(a)) == math.Float64bits(imag(b))
	}),
}

func propMarshalAgreesWithPack(seed int64) func(int64) string {
	return func(n int64) string {
		r := rand.New(rand.NewPCG(uint64(seed), uint64(n)))
		m := newBindModel(r)
		s := pack.MustCompile(m.fs)
		v := reflect.New(m.t)
		m.fill(r, v.Elem())
		typed, terr := s.Marshal(v.Interface())
		dyn, derr := s.Pack(m.dynamic(v.Elem())...)
		if (terr == nil) != (derr == nil) {
			return fmt.Sprintf("format %q, type %v: Marshal error %v, Pack error %v", m.fs, m.t, terr, derr)
		}
		if terr != nil {
			var te, de *pack.Error
			errors.As(terr, &te)
			errors.As(derr, &de)
			if te.Msg != de.Msg || te.Item != de.Item || te.Err != de.Err {
				return fmt.Sprintf("format %q: Marshal error %v, Pack error %v", m.fs, terr, derr)
			}
			return ""
		}
		if !bytes.Equal(typed, dyn) {
			return fmt.Sprintf("format %q, value %+v: Marshal = %x, Pack = %x", m.fs, v.Elem(), typed, dyn)
		}
		return ""
	}
}

func propUnmarshalAgreesWithUnpack(seed int64) func(int64) string {
	return func(n int64) string {
		r := rand.New(rand.NewPCG(uint64(seed), uint64(n)))
		m := newBindModel(r)
		s := pack.MustCompile(m.fs)
		buf := bindRandBytes(r, s.Size())
		if r.IntN(2) == 0 {
			// Small values, so that they mostly fit.
			for i := range buf {
				buf[i] &= 0x3f
			}
		}
		vals, err := s.Unpack(buf)
		if err != nil {
			return fmt.Sprintf("Unpack(%q, %x): %v", m.fs, buf, err)
		}
		want := reflect.New(m.t)
		bad := m.expect(vals, want.Elem())
		got := reflect.New(m.t)
		err = s.Unmarshal(buf, got.Interface())
		if bad >= 0 {
			var e *pack.Error
			if !errors.As(err, &e) || e.Item != bad || !errors.Is(err, pack.ErrRange) {
				return fmt.Sprintf("Unmarshal(%q, %x) into %v = %v, want an ErrRange for item %d (%v)", m.fs, buf, m.t, err, bad, vals[bad])
			}
			return ""
		}
		if err != nil {
			return fmt.Sprintf("Unmarshal(%q, %x) into %v: %v", m.fs, buf, m.t, err)
		}
		// The models' unexported fields are nil funcs, equal to each other.
		exportAll := cmp.Exporter(func(reflect.Type) bool { return true })
		if diff := cmp.Diff(want.Interface(), got.Interface(), bindFloatsEqual, exportAll); diff != "" {
			return fmt.Sprintf("Unmarshal(%q, %x) mismatch (-want +got):\n%s", m.fs, buf, diff)
		}
		return ""
	}
}

// propMarshalAgreesWithBinary checks records laid out alike by both:
// standard modes, no padding, each Go kind with the code of its size.
func propMarshalAgreesWithBinary(seed int64) func(int64) string {
	kinds := []struct {
		code byte
		t    reflect.Type
	}{
		{'b', reflect.TypeFor[int8]()}, {'B', reflect.TypeFor[uint8]()}, {'h', reflect.TypeFor[int16]()},
		{'H', reflect.TypeFor[uint16]()}, {'i', reflect.TypeFor[int32]()}, {'I', reflect.TypeFor[uint32]()},
		{'q', reflect.TypeFor[int64]()}, {'Q', reflect.TypeFor[uint64]()}, {'d', reflect.TypeFor[float64]()},
		{'f', reflect.TypeFor[float32]()}, {'?', reflect.TypeFor[bool]()}, {'s', reflect.TypeFor[byte]()},
	}
	return func(n int64) string {
		r := rand.New(rand.NewPCG(uint64(seed), uint64(n)))
		mode := "<>!="[r.IntN(4)]
		fs := string(mode)
		var fields []reflect.StructField
		for i := range r.IntN(10) {
			k := kinds[r.IntN(len(kinds))]
			count := 1 + r.IntN(3)
			t := k.t
			if count > 1 || k.code == 's' {
				t = reflect.ArrayOf(count, t)
			}
			fs += fmt.Sprint(count) + string(k.code)
			fields = append(fields, reflect.StructField{Name: fmt.Sprint("F", i), Type: t})
		}
		typ := reflect.StructOf(fields)
		v := reflect.New(typ)
		m := bindModel{fs: fs, t: typ}
		for i, f := range fields {
			if f.Type.Kind() == reflect.Array {
				for j := range f.Type.Len() {
					m.values = append(m.values, bindValue{[]int{i}, j, 0, 0, 0})
				}
			} else {
				m.values = append(m.values, bindValue{[]int{i}, -1, 0, 0, 0})
			}
		}
		m.fill(r, v.Elem())
		// encoding/binary keeps a signalling NaN as it is, CPython makes
		// it quiet: keep to quiet NaNs here.
		for _, bv := range m.values {
			if f := bv.field(v.Elem()); f.Kind() == reflect.Float32 {
				if b := math.Float32bits(float32(f.Float())); b&0x7f800000 == 0x7f800000 && b&0x7fffff != 0 {
					f.Set(reflect.ValueOf(math.Float32frombits(b | 0x400000)))
				}
			}
		}
		s := pack.MustCompile(fs)
		order := binary.ByteOrder(binary.BigEndian)
		if format.Order(mode).BigEndian() == false {
			order = binary.LittleEndian
		}
		got, err := s.Marshal(v.Interface())
		want, werr := binary.Append(nil, order, v.Interface())
		if err != nil || werr != nil || !bytes.Equal(got, want) {
			return fmt.Sprintf("format %q, %+v: Marshal = %x, %v; binary.Append = %x, %v", fs, v.Elem(), got, err, want, werr)
		}
		back := reflect.New(typ)
		if err := s.Unmarshal(want, back.Interface()); err != nil {
			return fmt.Sprintf("Unmarshal(%q, %x): %v", fs, want, err)
		}
		if diff := cmp.Diff(v.Interface(), back.Interface(), bindCmp); diff != "" {
			return fmt.Sprintf("Unmarshal(%q, %x) mismatch (-want +got):\n%s", fs, want, diff)
		}
		return ""
	}
}

var bindProperties = []struct {
	name string
	prop func(seed int64) func(int64) string
}{
	{"marshal packs what Pack packs, or fails as it does", propMarshalAgreesWithPack},
	{"unmarshal gives what Unpack gives, or reports the first value its field cannot hold", propUnmarshalAgreesWithUnpack},
	{"marshal and unmarshal agree with encoding/binary where layouts coincide", propMarshalAgreesWithBinary},
}

// TestBindProperties checks each property on 1000 random cases (200 with
// -short). Replay a failure with the seed it prints:
// go test ./pack -run 'TestBindProperties/NAME' -bind.seed=SEED.
func TestBindProperties(t *testing.T) {
	seed := *bindSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	for _, p := range bindProperties {
		runProperty(t, p.name, seed, "bind.seed", 1000, prop.ForAll(p.prop(seed), gopterInt64()))
	}
}

// gopterInt64 generates the case numbers the properties draw their
// random formats, types and values from.
func gopterInt64() gopter.Gen {
	return func(gp *gopter.GenParameters) *gopter.GenResult {
		return gopter.NewGenResult(gp.Rng.Int63(), gopter.NoShrinker)
	}
}

// FuzzUnmarshal unpacks any bytes with any format into a struct type made
// for the format from the fuzzer's choices. It must not panic; it must fail
// exactly when the buffer is the wrong size or a value does not fit its
// field; and when it succeeds, marshalling the struct must give what
// packing the unpacked values gives.
func FuzzUnmarshal(f *testing.F) {
	for i, fs := range []string{"<i5sf", "@ci?d", "<IIhhqd?5sxH", ">3e2f", "=0s3p?", "@bhiq", "<2c0pQ", "Z", "<h h"} {
		size := 4
		if s, err := pack.Compile(fs); err == nil {
			size = s.Size()
		}
		b := make([]byte, size)
		for j := range b {
			b[j] = byte(i * j * 37)
		}
		f.Add(fs, b, uint64(i))
	}
	f.Fuzz(func(t *testing.T, fs string, buf []byte, choice uint64) {
		s, err := pack.Compile(fs)
		if err != nil || s.Size() > 1<<12 || s.NumValues() > 1<<10 {
			return
		}
		m, ok := bindModelFor(s, rand.New(rand.NewPCG(choice, 0)))
		if !ok {
			return
		}
		v := reflect.New(m.t)
		err = s.Unmarshal(buf, v.Interface())
		vals, uerr := s.Unpack(buf)
		if uerr != nil {
			if !errors.Is(err, pack.ErrBuffer) {
				t.Fatalf("Unpack(%q, %x) failed (%v) but Unmarshal gave %v", fs, buf, uerr, err)
			}
			return
		}
		bad := m.expect(vals, reflect.New(m.t).Elem())
		if bad >= 0 {
			var e *pack.Error
			if !errors.As(err, &e) || e.Item != bad || !errors.Is(err, pack.ErrRange) {
				t.Fatalf("Unmarshal(%q, %x) into %v = %v, want an ErrRange for item %d", fs, buf, m.t, err, bad)
			}
			return
		}
		if err != nil {
			t.Fatalf("Unmarshal(%q, %x) into %v: %v", fs, buf, m.t, err)
		}
		got, err := s.Marshal(v.Interface())
		want, werr := s.Pack(m.dynamic(v.Elem())...)
		if err != nil || werr != nil || !bytes.Equal(got, want) {
			t.Fatalf("format %q: Marshal(Unmarshal(%x)) = %x, %v; Pack = %x, %v", fs, buf, got, err, want, werr)
		}
		// The Go fields lose nothing the dynamic values hold: the typed
		// round trip agrees with Pack(Unpack(buf)). (A NaN is the
		// exception: a float32 field keeps a 'd' NaN's sign and quietness
		// but not all of its payload.)
		if canon, err := s.Pack(vals...); !slices.ContainsFunc(vals, isNaN) && (err != nil || !bytes.Equal(got, canon)) {
			t.Fatalf("format %q into %v: Marshal(Unmarshal(%x)) = %x; Pack(Unpack) = %x, %v", fs, m.t, buf, got, canon, err)
		}
	})
}

func isNaN(v any) bool {
	switch x := v.(type) {
	case float64:
		return x != x
	case complex128:
		return real(x) != real(x) || imag(x) != imag(x)
	}
	return false
}

// bytesFieldChoices is how many of []byte, string and [N]byte (in that
// order) bind to a value of kind k: 'p' does not bind to [N]byte.
func bytesFieldChoices(k format.Kind) int {
	if k == format.Pascal {
		return 2
	}
	return 3
}

// bindModelFor makes a struct type for the values of s, each field of a Go
// type r picks among those its value binds to. It gives up on formats with
// counts too large for single fields.
func bindModelFor(s *pack.Struct, r *rand.Rand) (bindModel, bool) {
	p := s.Plan()
	m := bindModel{fs: s.Format()}
	var fields []reflect.StructField
	for i := range p.NumFields() {
		f := p.Field(i)
		var t reflect.Type
		switch f.Kind {
		case format.Pad:
			continue
		case format.String, format.Pascal:
			t = []reflect.Type{reflect.TypeFor[[]byte](), reflect.TypeFor[string](), reflect.ArrayOf(f.Count, reflect.TypeFor[byte]())}[r.IntN(bytesFieldChoices(f.Kind))]
			fields = append(fields, reflect.StructField{Name: fmt.Sprint("F", i), Type: t})
			m.values = append(m.values, bindValue{[]int{len(fields) - 1}, -1, f.Code, f.Kind, f.Count})
			continue
		case format.Signed, format.Unsigned:
			t = bindIntTypes[r.IntN(len(bindIntTypes))]
		case format.Float:
			t = bindFloatTypes[r.IntN(2)]
		case format.Complex:
			t = []reflect.Type{reflect.TypeFor[complex64](), reflect.TypeFor[complex128]()}[r.IntN(2)]
		case format.Bool:
			t = reflect.TypeFor[bool]()
		case format.Char:
			t = reflect.TypeFor[byte]()
		}
		if f.Count == 0 {
			continue
		}
		if f.Count > 64 {
			return m, false
		}
		fields = append(fields, reflect.StructField{Name: fmt.Sprint("F", i), Type: reflect.ArrayOf(f.Count, t)})
		for j := range f.Count {
			m.values = append(m.values, bindValue{[]int{len(fields) - 1}, j, f.Code, f.Kind, f.Count})
		}
	}
	m.t = reflect.StructOf(fields)
	return m, true
}

// TestPascalRoundTrip checks that every 'p' record Python's struct.pack can
// make survives Unmarshal then Marshal through []byte and string fields,
// one record or many, and that a [N]byte field, which would lose the
// length (b'ab' and b'ab\x00' alike), is refused on every path.
func TestPascalRoundTrip(t *testing.T) {
	for n := range 5 {
		fs := fmt.Sprintf("<%dph", n)
		s := pack.MustCompile(fs)
		var values [][]byte
		for l := range max(n, 1) {
			values = append(values, []byte("a\x00b\xff"[:min(l, 4)]), bytes.Repeat([]byte{0}, l))
		}
		for _, v := range values {
			rec, err := s.Pack(v, 7)
			if err != nil {
				t.Fatal(err)
			}
			var b struct {
				P []byte
				H int16
			}
			var str struct {
				P string
				H int16
			}
			for _, dst := range []any{&b, &str} {
				if err := s.Unmarshal(rec, dst); err != nil {
					t.Fatalf("Unmarshal(%q, %x, %T): %v", fs, rec, dst, err)
				}
				got, err := s.Marshal(dst)
				if err != nil || !bytes.Equal(got, rec) {
					t.Errorf("%q: Marshal(Unmarshal(%x)) into %T = %x, %v, want the record back", fs, rec, dst, got, err)
				}
			}
			var bulk []struct {
				P string
				H int16
			}
			two := append(bytes.Clone(rec), rec...)
			if err := s.Unmarshal(two, &bulk); err != nil {
				t.Fatalf("Unmarshal(%q, %x, bulk): %v", fs, two, err)
			}
			if got, err := s.Marshal(bulk); err != nil || !bytes.Equal(got, two) {
				t.Errorf("%q: Marshal(Unmarshal(%x)) in bulk = %x, %v, want the records back", fs, two, got, err)
			}
			var buf bytes.Buffer
			dec := pack.NewDecoder(bytes.NewReader(rec), s)
			if err := dec.Decode(&b); err != nil {
				t.Fatal(err)
			}
			if err := pack.NewEncoder(&buf, s).Encode(&b); err != nil || !bytes.Equal(buf.Bytes(), rec) {
				t.Errorf("%q: Encode(Decode(%x)) = %x, %v, want the record back", fs, rec, buf.Bytes(), err)
			}
		}
		arr := reflect.New(reflect.StructOf([]reflect.StructField{
			{Name: "P", Type: reflect.ArrayOf(n, reflect.TypeFor[byte]())}, {Name: "H", Type: reflect.TypeFor[int16]()},
		}))
		rec := make([]byte, s.Size())
		slice := reflect.New(reflect.SliceOf(arr.Type().Elem()))
		for name, err := range map[string]error{
			"Unmarshal":      s.Unmarshal(rec, arr.Interface()),
			"Unmarshal bulk": s.Unmarshal(rec, slice.Interface()),
			"Decode":         pack.NewDecoder(bytes.NewReader(rec), s).Decode(arr.Interface()),
			"Encode":         pack.NewEncoder(io.Discard, s).Encode(arr.Interface()),
			"Marshal": func() error {
				_, err := s.Marshal(arr.Interface())
				return err
			}(),
		} {
			if !errors.Is(err, pack.ErrType) || !strings.Contains(fmt.Sprint(err), "cannot hold a 'p' value's length") {
				t.Errorf("%q: %s with a [%d]byte field: %v, want the ErrType refusal", fs, name, n, err)
			}
		}
	}
}
