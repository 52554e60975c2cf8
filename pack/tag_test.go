package pack_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/pack"
)

// TestTrimRoundTrip checks that trim drops the trailing NUL bytes of an
// 's' item on unpacking, and that packing pads the value back.
func TestTrimRoundTrip(t *testing.T) {
	type rec struct {
		ID   uint16
		Name string `pack:"8s,trim"`
		Tail []byte `pack:",trim"`
		Raw  string `pack:"4s"`
	}
	s := pack.MustCompile("<H8s4s4s")
	for _, tt := range []struct {
		rec        string
		name, tail string
		raw        string
	}{
		{"0100" + "6869000000000000" + "61000000" + "62000000", "hi", "a", "b\x00\x00\x00"},
		{"0100" + "0000000000000000" + "00000000" + "00000000", "", "", "\x00\x00\x00\x00"},
		{"0100" + "6100620000000000" + "00610000" + "00000000", "a\x00b", "\x00a", "\x00\x00\x00\x00"},
		{"0100" + "6162636465666768" + "61626364" + "00000000", "abcdefgh", "abcd", "\x00\x00\x00\x00"},
	} {
		buf := hexBytes(tt.rec)
		var v rec
		if err := s.Unmarshal(buf, &v); err != nil {
			t.Fatalf("Unmarshal(%s): %v", tt.rec, err)
		}
		if v.Name != tt.name || string(v.Tail) != tt.tail || v.Raw != tt.raw || v.Tail == nil {
			t.Errorf("Unmarshal(%s) = %#v, want Name %q Tail %q Raw %q", tt.rec, v, tt.name, tt.tail, tt.raw)
		}
		out, err := s.Marshal(&v)
		if err != nil || !bytes.Equal(out, buf) {
			t.Errorf("Marshal(Unmarshal(%s)) = %x, %v; want the record back", tt.rec, out, err)
		}
		// Decode and Records trim alike.
		var d rec
		if _, err := s.Decode(append(buf, 0xff), &d); err != nil || d.Name != tt.name || string(d.Tail) != tt.tail {
			t.Errorf("Decode(%s) = %#v, %v", tt.rec, d, err)
		}
		for r, err := range pack.Records[rec](s, append(buf, buf...)) {
			if err != nil || r.Name != tt.name || string(r.Tail) != tt.tail || r.Raw != tt.raw {
				t.Errorf("Records(%s) = %#v, %v", tt.rec, r, err)
			}
		}
	}
}

// TestPadTag checks that a blank field tagged with an 'x' code binds the
// format's pad item: it holds no value and pads pack as zero.
func TestPadTag(t *testing.T) {
	type rec struct {
		A uint8
		_ [3]byte `pack:"3x"`
		B uint32  `pack:"I"`
		C uint16
		_ [2]byte `pack:"2x"`
	}
	s := pack.MustCompile(">B3xIH2x")
	v := rec{A: 1, B: 0x01020304, C: 0x0506}
	out, err := s.Marshal(&v)
	if want := "01000000010203040506" + "0000"; err != nil || !bytes.Equal(out, hexBytes(want)) {
		t.Fatalf("Marshal = %x, %v; want %s", out, err, want)
	}
	var got rec
	if err := s.Unmarshal(hexBytes("01ffffff010203040506ffff"), &got); err != nil || got != v {
		t.Fatalf("Unmarshal = %+v, %v; want %+v", got, err, v)
	}
	// Pad items without a tagged field still bind as before.
	var plain struct {
		A    uint8
		B    uint32
		C, D uint16
	}
	if err := pack.MustCompile(">B3xIH2xH").Unmarshal(hexBytes("01ffffff0102030405060000ffff"), &plain); err != nil || plain.D != 0xffff {
		t.Errorf("Unmarshal without pad fields = %+v, %v", plain, err)
	}
}

// The native-only codes ('n', 'N', 'P') may be named in tags too: such a
// type binds to native formats, and FormatOf describes it in native mode
// only.
func TestNativeOnlyTags(t *testing.T) {
	type rec struct {
		N int64   `pack:"n"`
		U uint64  `pack:"N"`
		P uintptr `pack:"P"`
	}
	s := pack.MustCompile("@nNP")
	in := rec{-5, 7, 9}
	b, err := s.Marshal(&in)
	if err != nil {
		t.Fatalf("Marshal(%+v) to %v: %v", in, s, err)
	}
	want, _ := s.Pack(int64(-5), uint64(7), uint64(9))
	if !bytes.Equal(b, want) {
		t.Errorf("Marshal(%+v) = %x, want %x", in, b, want)
	}
	var out rec
	if err := s.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("Unmarshal(%x) = %+v, %v; want %+v", b, out, err, in)
	}
	if fs, err := pack.FormatOf(reflect.TypeFor[rec](), '@'); err != nil || fs != "@nNP" {
		t.Errorf("FormatOf(rec, '@') = %q, %v; want \"@nNP\"", fs, err)
	}
	if fs, err := pack.FormatOf(reflect.TypeFor[rec](), '<'); !errors.Is(err, format.ErrSyntax) {
		t.Errorf("FormatOf(rec, '<') = %q, %v; want a syntax error (no 'n' in standard mode)", fs, err)
	}
}
