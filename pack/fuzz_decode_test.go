package pack_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/pystruct/pystruct/pack"
)

// decodeTargets adds the scalar shapes Decode and Encode accept to the
// shapes of unmarshalTargets.
var decodeTargets = append(append([]func() any{}, unmarshalTargets...),
	func() any { return new(uint32) },
	func() any { return new(float64) },
	func() any { return new(string) },
	func() any { return new([]byte) },
	func() any { return new([5]byte) },
	func() any { return new(bool) },
	func() any { return new(int8) },
	func() any { return new(complex128) },
	func() any { return new(*uint32) },
)

// FuzzDecode decodes the front of any buffer into arguments of every
// shape, fitting or not, and encodes them back. Decode never panics; its
// errors are *pack.Error values with a category; a buffer shorter than
// the record is never decoded; and where Decode succeeds it agrees with
// Unmarshal of exactly the record's bytes, and Encode writes what Marshal
// writes without touching the bytes after the record.
func FuzzDecode(f *testing.F) {
	for i, fs := range []string{"<h", "!I", "<d", "5s", "<4B", "<q", "5p", "?", "<bbH", "", "<hx", "c", "b", "<Zd", "<3s2x"} {
		n := fuzzSeedSize(fs)
		for k := range len(decodeTargets) {
			if (k+i)%4 == 0 {
				f.Add(fs, fuzzBytes(n+k%3, k%3), uint8(k))
			}
		}
	}
	f.Fuzz(func(t *testing.T, fs string, buf []byte, which uint8) {
		s, err := pack.Compile(fs)
		if err != nil || s.Size() > fuzzMaxSize || s.NumValues() > fuzzMaxSize {
			return
		}
		mk := decodeTargets[int(which)%len(decodeTargets)]
		v := mk()
		n, derr := s.Decode(buf, v)
		if derr != nil {
			var pe *pack.Error
			if !errors.As(derr, &pe) || pe.Err == nil || !errors.Is(derr, pe.Err) {
				t.Fatalf("Decode(%q, %x, %T) = %v, want a *pack.Error with a category", fs, buf, v, derr)
			}
			if n != 0 {
				t.Fatalf("Decode(%q, %T) failed with n = %d, want 0", fs, v, n)
			}
			if len(buf) >= s.Size() && errors.Is(derr, pack.ErrBuffer) {
				t.Fatalf("Decode(%q, %d bytes, %T) = %v, but the buffer holds a record", fs, len(buf), v, derr)
			}
			return
		}
		if n != s.Size() || len(buf) < s.Size() {
			t.Fatalf("Decode(%q, %d bytes, %T) = %d, nil; want %d and an error if short", fs, len(buf), v, n, s.Size())
		}
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Pointer || rv.IsNil() {
			t.Fatalf("Decode(%q, %T) succeeded into a non-pointer", fs, v)
		}
		// Unmarshal of the record alone agrees, for the shapes it accepts.
		want := mk()
		if uerr := s.Unmarshal(buf[:n], want); uerr == nil {
			if got, w := fmt.Sprintf("%#v", rv.Elem()), fmt.Sprintf("%#v", reflect.ValueOf(want).Elem()); got != w {
				t.Fatalf("%q into %T: Decode gave %s, Unmarshal %s", fs, v, got, w)
			}
		} else if rv.Elem().Kind() == reflect.Struct {
			t.Fatalf("%q into %T: Decode succeeded, Unmarshal of the record: %v", fs, v, uerr)
		}
		// Encode writes the record at the front and nothing after it.
		out := bytes.Repeat([]byte{0xA5}, n+3)
		m, eerr := s.Encode(out, v)
		if eerr != nil {
			t.Fatalf("%q: Encode of the decoded %T: %v", fs, v, eerr)
		}
		if m != n || !bytes.Equal(out[n:], []byte{0xA5, 0xA5, 0xA5}) {
			t.Fatalf("%q: Encode of %T = %d, tail %x; want %d and the tail untouched", fs, v, m, out[n:], n)
		}
		if rec, merr := s.Marshal(v); merr == nil && !bytes.Equal(rec, out[:n]) {
			t.Fatalf("%q: Encode wrote %x, Marshal %x", fs, out[:n], rec)
		}
		if n > 0 {
			if _, err := s.Encode(out[:n-1], v); !errors.Is(err, pack.ErrBuffer) {
				t.Fatalf("%q: Encode into %d bytes = %v, want ErrBuffer", fs, n-1, err)
			}
		}
		// Decoding what Encode wrote gives the same value again.
		again := mk()
		if _, err := s.Decode(out, again); err != nil || fmt.Sprintf("%#v", reflect.ValueOf(again).Elem()) != fmt.Sprintf("%#v", rv.Elem()) {
			t.Fatalf("%q into %T: Decode(Encode(%v)) = %v, %v", fs, v, rv.Elem(), reflect.ValueOf(again).Elem(), err)
		}
	})
}
