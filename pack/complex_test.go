package pack_test

import (
	"errors"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/pystruct/pystruct/pack"
)

func TestPackComplexArguments(t *testing.T) {
	huge := new(big.Int).Lsh(big.NewInt(1), 1024)
	for _, tt := range []struct {
		fs   string
		v    any
		want string // hex, or the error message
		err  error
	}{
		{"<Zf", complex(1.5, -2), "0000c03f000000c0", nil},
		{"<F", complex64(complex(1.5, -2)), "0000c03f000000c0", nil},
		{">Zd", 3, "40080000000000000000000000000000", nil},
		{">D", 2.5, "40040000000000000000000000000000", nil},
		{">D", true, "3ff00000000000000000000000000000", nil},
		{">Zf", float32(1), "3f80000000000000", nil},
		{">Zf", big.NewInt(1 << 40), "5380000000000000", nil},
		{"<Zf", "1+2j", "required argument is not a complex", pack.ErrType},
		{"<Zd", []byte("x"), "required argument is not a complex", pack.ErrType},
		{"<Zd", nil, "required argument is not a complex", pack.ErrType},
		{"<Zd", huge, "required argument is not a complex", pack.ErrType},
		{"<Zf", complex(1e300, 0), "float too large to pack with f format", pack.ErrRange},
		{"@Zf", complex(0, -1e39), "float too large to pack with f format", pack.ErrRange},
		{">F", 1e39, "float too large to pack with f format", pack.ErrRange},
		{"<Zd", complex(1e300, math.Inf(-1)), "9c7500883ce4377e000000000000f0ff", nil},
	} {
		b, err := pack.Pack(tt.fs, tt.v)
		var got string
		var pe *pack.Error
		switch {
		case err == nil:
			got = hexOf(b)
		case errors.As(err, &pe):
			got = pe.Msg
		default:
			got = err.Error()
		}
		if got != tt.want || (tt.err != nil && !errors.Is(err, tt.err)) {
			t.Errorf("Pack(%q, %#v) = %s (%v), want %s (%v)", tt.fs, tt.v, got, err, tt.want, tt.err)
		}
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestUnpackComplex(t *testing.T) {
	vals, err := pack.Unpack("<Zf2ZdD", make([]byte, 8+32+16))
	if err != nil || len(vals) != 4 {
		t.Fatalf("Unpack = %v, %v", vals, err)
	}
	for i, v := range vals {
		if _, ok := v.(complex128); !ok {
			t.Errorf("value %d is %T, want complex128", i, v)
		}
	}
	b, _ := pack.Pack(">Zf", complex(0.1, -3))
	vals, _ = pack.Unpack(">Zf", b)
	if want := complex(float64(float32(0.1)), -3); vals[0] != want {
		t.Errorf("Unpack(>Zf) = %v, want %v", vals[0], want)
	}
}

func TestBindComplex(t *testing.T) {
	type R struct {
		A complex64
		B [2]complex128
		C complex64
	}
	s := pack.MustCompile("<Zf2ZdF")
	in := R{1 + 2i, [2]complex128{3, 4i}, 5}
	b, err := s.Marshal(&in)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := s.Pack(complex(1, 2), complex(3, 0), complex(0, 4), complex(5, 0))
	if string(b) != string(want) {
		t.Errorf("Marshal = %x, Pack = %x", b, want)
	}
	var out R
	if err := s.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("Unmarshal = %v, %v; want %v", out, err, in)
	}

	// A complex64 holds a 'D' value only when both parts fit exactly, as
	// a float32 holds a 'd' value.
	b, _ = pack.Pack("<Zd", complex(1, 0.1))
	var c64 struct{ V complex64 }
	if err := pack.MustCompile("<Zd").Unmarshal(b, &c64); !errors.Is(err, pack.ErrRange) {
		t.Errorf("Unmarshal of 1+0.1j into a complex64 = %v, want ErrRange", err)
	}
	b, _ = pack.Pack("<Zd", complex(1, 0.5))
	if err := pack.MustCompile("<Zd").Unmarshal(b, &c64); err != nil || c64.V != 1+0.5i {
		t.Errorf("Unmarshal of 1+0.5j into a complex64 = %v, %v", c64.V, err)
	}
	if _, err := pack.MustCompile("<Zf").Marshal(&struct{ V complex128 }{complex(1e300, 0)}); !errors.Is(err, pack.ErrRange) {
		t.Errorf("Marshal of 1e300 as 'Zf' = %v, want ErrRange", err)
	}
	if _, err := pack.MustCompile("<Zf").Marshal(&struct{ V float64 }{1}); !errors.Is(err, pack.ErrType) {
		t.Errorf("binding a float64 to 'Zf' = %v, want ErrType", err)
	} else if want := "cannot bind field V (float64) of struct { V float64 } to 'Zf': want complex64 or complex128"; !containsMsg(err, want) {
		t.Errorf("binding a float64 to 'Zf': %v, want %q", err, want)
	}
}

func containsMsg(err error, msg string) bool {
	var pe *pack.Error
	return errors.As(err, &pe) && pe.Msg == msg
}

// Complex codes in pack tags: "Zd" and "D" name the same code, as they do
// in a format, and FormatOf writes a complex field's natural code in
// CPython 3.15's spelling.
func TestTagComplex(t *testing.T) {
	type R struct {
		A complex128    `pack:"Zd"`
		B [2]complex64  `pack:"2F"`
		C complex128    `pack:"D,name=c"`
		D [3]complex128 `pack:"3Zd"`
	}
	for _, f := range []string{"<Zd2FD3Zd", "<D2ZfZd3D"} {
		if err := pack.MustCompile(f).Check(reflect.TypeFor[R]()); err != nil {
			t.Errorf("Check(R) against %q: %v", f, err)
		}
	}
	got, err := pack.FormatOf(reflect.TypeFor[R](), '<')
	if want := "<Zd2FD3Zd"; err != nil || got != want {
		t.Errorf("FormatOf(R) = %q, %v; want %q", got, err, want)
	}
	type N struct {
		A complex64
		B [2]complex128
	}
	got, err = pack.FormatOf(reflect.TypeFor[N](), '!')
	if want := "!Zf2Zd"; err != nil || got != want {
		t.Errorf("FormatOf(N) = %q, %v; want %q", got, err, want)
	}

	// A tag's code must still match the item: 'Zf' is not 'Zd', and the
	// count must agree.
	type W struct {
		A complex128 `pack:"Zf"`
	}
	err = pack.MustCompile("<Zd").Check(reflect.TypeFor[W]())
	if !errors.Is(err, pack.ErrType) || !strings.Contains(err.Error(), `its pack tag says "Zf"`) {
		t.Errorf("Check(W) against <Zd = %v, want ErrType naming the tag", err)
	}
	type C struct {
		A [2]complex128 `pack:"2Zd"`
	}
	err = pack.MustCompile("<3Zd").Check(reflect.TypeFor[C]())
	if err == nil {
		t.Errorf("Check(C) against <3Zd succeeded")
	}
	// Bytes round-trip through the tagged type exactly as through Pack.
	in := R{A: 1 + 2i, B: [2]complex64{3, -4i}, C: 5, D: [3]complex128{6i, 7, 8 + 9i}}
	s := pack.MustCompile("<Zd2FD3Zd")
	b, err := s.Marshal(&in)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := s.Pack(1+2i, complex64(3), complex64(-4i), 5+0i, 6i, 7+0i, 8+9i)
	if string(b) != string(want) {
		t.Errorf("Marshal = %x, Pack = %x", b, want)
	}
	var out R
	if err := s.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("Unmarshal = %v, %v; want %v", out, err, in)
	}
}
