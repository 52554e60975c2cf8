package pack_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/pack"
)

// structCalls calls every exported method of s and describes each result,
// so that two Structs can be compared call by call.
func structCalls(s *pack.Struct) map[string]string {
	show := func(v ...any) string { return fmt.Sprintf("%#v", v) }
	out := map[string]string{}
	out["Plan"] = s.Plan().Format() + " " + s.Plan().String() + fmt.Sprint(s.Plan().NumFields())
	out["Format"] = s.Format()
	out["Size"] = show(s.Size())
	out["NumValues"] = show(s.NumValues())
	out["String"] = s.String()
	b, err := s.Append([]byte("x"))
	out["Append"] = show(b, fmt.Sprint(err))
	b, err = s.Append([]byte("x"), 1)
	out["Append(1)"] = show(b, fmt.Sprint(err))
	b, err = s.Pack()
	out["Pack"] = show(b, fmt.Sprint(err))
	b, err = s.Pack(1, 2)
	out["Pack(1, 2)"] = show(b, fmt.Sprint(err))
	out["PackInto"] = fmt.Sprint(s.PackInto(make([]byte, 3), 1))
	out["PackInto(-4)"] = fmt.Sprint(s.PackInto(make([]byte, 3), -4))
	out["PackInto(5)"] = fmt.Sprint(s.PackInto(make([]byte, 3), 5))
	vals, err := s.Unpack(nil)
	out["Unpack"] = show(vals, fmt.Sprint(err))
	vals, err = s.Unpack([]byte{1})
	out["Unpack(1 byte)"] = show(vals, fmt.Sprint(err))
	vals, err = s.UnpackFrom([]byte{1, 2}, 1)
	out["UnpackFrom"] = show(vals, fmt.Sprint(err))
	vals, err = s.UnpackFrom([]byte{1, 2}, -3)
	out["UnpackFrom(-3)"] = show(vals, fmt.Sprint(err))
	seq, err := s.IterUnpack(nil)
	out["IterUnpack"] = show(seq == nil, fmt.Sprint(err))
	b, err = s.Marshal(struct{}{})
	out["Marshal"] = show(b, fmt.Sprint(err))
	b, err = s.Marshal(&struct{ A int }{})
	out["Marshal(A)"] = show(b, fmt.Sprint(err))
	b, err = s.MarshalAppend([]byte("y"), []struct{}{{}, {}})
	out["MarshalAppend"] = show(b, fmt.Sprint(err))
	out["Unmarshal"] = fmt.Sprint(s.Unmarshal(nil, &struct{}{}))
	out["Unmarshal(nil)"] = fmt.Sprint(s.Unmarshal(nil, nil))
	out["Unmarshal(bulk)"] = fmt.Sprint(s.Unmarshal(nil, new([]struct{})))
	return out
}

// The zero Struct, a nil *Struct, New(nil) and New of the zero format.Plan
// all behave, method by method, as Compile("") does: Python's Struct("").
func TestZeroStructIsEmptyFormat(t *testing.T) {
	want := structCalls(pack.MustCompile(""))
	if want["String"] != `Struct("")` || want["Size"] != "[]interface {}{0}" || want["Plan"] != " @0" {
		t.Fatalf("Compile(\"\") is not the empty format: %v", want)
	}
	var zero pack.Struct
	for name, s := range map[string]*pack.Struct{
		"zero Struct":             &zero,
		"nil *Struct":             nil,
		"New(nil)":                pack.New(nil),
		"New(new(format.Plan))":   pack.New(new(format.Plan)),
		"copy of the zero Struct": new(pack.Struct),
	} {
		got := structCalls(s)
		for call, w := range want {
			if got[call] != w {
				t.Errorf("%s: %s gives %s, want %s (as the empty format)", name, call, got[call], w)
			}
		}
	}
}

// An Encoder or Decoder for a nil *Struct is one for the empty format.
func TestStreamsOfNilStruct(t *testing.T) {
	var buf bytes.Buffer
	enc := pack.NewEncoder(&buf, nil)
	if err := enc.Pack(); err != nil || buf.Len() != 0 {
		t.Errorf("NewEncoder(w, nil).Pack() = %v, wrote %d bytes; want nil, 0", err, buf.Len())
	}
	if err := enc.Pack(1); !errors.Is(err, pack.ErrCount) {
		t.Errorf("NewEncoder(w, nil).Pack(1) = %v, want ErrCount", err)
	}
	if err := enc.Encode(&struct{}{}); err != nil || buf.Len() != 0 {
		t.Errorf("NewEncoder(w, nil).Encode(&struct{}{}) = %v, wrote %d bytes; want nil, 0", err, buf.Len())
	}
	dec := pack.NewDecoder(strings.NewReader("abc"), nil)
	const empty = `iter_unpack "": cannot iteratively unpack with a struct of length 0`
	if _, err := dec.Unpack(); !errors.Is(err, pack.ErrBuffer) || err.Error() != empty {
		t.Errorf("NewDecoder(r, nil).Unpack() = %v, want %s", err, empty)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, pack.ErrBuffer) {
		t.Errorf("NewDecoder(r, nil).Decode = %v, want ErrBuffer", err)
	}
}

// An Encoder without a writer and a Decoder without a reader fail every
// call with an error that says what to call instead.
func TestStreamsWithoutStream(t *testing.T) {
	s := pack.MustCompile("<h")
	var zeroEnc pack.Encoder
	for name, e := range map[string]*pack.Encoder{
		"zero Encoder": &zeroEnc, "nil *Encoder": nil, "NewEncoder(nil, s)": pack.NewEncoder(nil, s),
		"NewEncoder(nil, nil)": pack.NewEncoder(nil, nil),
	} {
		for call, err := range map[string]error{"Pack()": e.Pack(), "Pack(1)": e.Pack(1), "Encode": e.Encode(&struct{ A int16 }{})} {
			if err == nil || !strings.Contains(err.Error(), "NewEncoder(w, s)") {
				t.Errorf("%s: %s = %v, want an error naming NewEncoder", name, call, err)
			}
		}
	}
	var zeroDec pack.Decoder
	for name, d := range map[string]*pack.Decoder{
		"zero Decoder": &zeroDec, "nil *Decoder": nil, "NewDecoder(nil, s)": pack.NewDecoder(nil, s),
		"NewDecoder(nil, nil)": pack.NewDecoder(nil, nil),
	} {
		check := func(call string, err error) {
			t.Helper()
			if err == nil || err == io.EOF || !strings.Contains(err.Error(), "NewDecoder(r, s)") {
				t.Errorf("%s: %s = %v, want an error naming NewDecoder", name, call, err)
			}
		}
		vals, err := d.Unpack()
		if vals != nil {
			t.Errorf("%s: Unpack gave values %v", name, vals)
		}
		check("Unpack", err)
		check("Decode", d.Decode(&struct{ A int16 }{}))
		n := 0
		for _, err := range d.All() {
			check("All", err)
			n++
		}
		for _, err := range pack.DecodeAll[struct{ A int16 }](d) {
			check("DecodeAll", err)
			n++
		}
		if n != 2 {
			t.Errorf("%s: All and DecodeAll yielded %d times, want once each", name, n)
		}
	}
}

// The zero Error formats and unwraps.
func TestZeroError(t *testing.T) {
	var e pack.Error
	if got := e.Error(); got != `"": item 0: ` && got != ` "": item 0: ` {
		t.Errorf("zero Error: %q", got)
	}
	if e.Unwrap() != nil {
		t.Errorf("zero Error unwraps to %v", e.Unwrap())
	}
}
