package pack_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/pack"
)

// fuzzMaxSize bounds the records, and the number of values, the fuzz
// targets work with.
const fuzzMaxSize = 4096

// fuzzFormats seed the fuzz targets: every code in every mode, the notes'
// record, native alignment and the "0l" trick, zero counts, long Pascal
// strings, whitespace, and formats that do not compile.
var fuzzFormats = []string{
	"", "<", "@",
	"xcbB?hHiIlLqQnNPefdsp",
	"@xcbB?hHiIlLqQnNPefdsp",
	"=xcbB?hHiIlLqQefdsp",
	"<xcbB?hHiIlLqQefdsp",
	">xcbB?hHiIlLqQefdsp",
	"!xcbB?hHiIlLqQefdsp",
	"<i5sf",
	"@llh0l",
	"c5p i",
	"@ci", "b0qb", "bP", "xd", "b3s h", "3c3b18x12h6i6l6f3d3?", "@be", "b?e", "?0e", "bf", "hd", "?q", "c0n",
	"0s0p0c0x0h", "p", "1p", "3p", "0p", "<0ph", "300p", "2s", "20p",
	"<2e2f2d", ">3e", "!2?", "=4N",
	"< 2h\t3s\n", "\t<h", "03h", "@\v\f\r",
	// Formats that do not compile.
	"Z", " <h", "<@h", "h<", "12", "1 h", "h 12", "<n", "=P", "!N",
	"99999999999999999999999", "99999999999999999999999Z", "9223372036854775807b",
	"9223372036854775807q", "h\x00", "\xe9h",
}

// fuzzBytes returns n bytes of a pattern: 0 zeros, 1 all ones (NaNs, true,
// Pascal lengths of 255), 2 counting up.
func fuzzBytes(n, pattern int) []byte {
	b := make([]byte, n)
	for i := range b {
		switch pattern {
		case 1:
			b[i] = 0xff
		case 2:
			b[i] = byte(i*37 + 3)
		}
	}
	return b
}

// fuzzSeedSize is the size of fs, or 8 if it does not compile or is big.
func fuzzSeedSize(fs string) int {
	if n, err := pack.Calcsize(fs); err == nil && n <= fuzzMaxSize {
		return n
	}
	return 8
}

// fuzzCheckSyntaxError checks that err, from compiling fs, is a
// *format.SyntaxError in the format.ErrSyntax category only.
func fuzzCheckSyntaxError(t *testing.T, fs string, err error) {
	t.Helper()
	var se *format.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Compile(%q) error %v has type %T, want *format.SyntaxError", fs, err, err)
	}
	if !errors.Is(err, format.ErrSyntax) {
		t.Fatalf("Compile(%q) error %v is not format.ErrSyntax", fs, err)
	}
	for _, cat := range []error{pack.ErrRange, pack.ErrType, pack.ErrCount, pack.ErrBuffer} {
		if errors.Is(err, cat) {
			t.Fatalf("Compile(%q) error %v is %v too", fs, err, cat)
		}
	}
	if se.Format != fs || se.Offset < 0 || se.Offset > len(fs) {
		t.Fatalf("Compile(%q) error has Format %q, Offset %d", fs, se.Format, se.Offset)
	}
	if _, perr := pack.Pack(fs); perr == nil || perr.Error() != err.Error() {
		t.Fatalf("Pack(%q) error %v, Compile error %v", fs, perr, err)
	}
}

// fuzzCheckPlan checks each field of p against the model's table and
// layout rules.
func fuzzCheckPlan(t *testing.T, p *format.Plan) {
	t.Helper()
	mode := byte(p.Order())
	end := 0
	kinds := map[modelKind]format.Kind{
		modelPad: format.Pad, modelSigned: format.Signed, modelUnsigned: format.Unsigned,
		modelPointer: format.Unsigned, modelBool: format.Bool, modelHalf: format.Float,
		modelFloat: format.Float, modelDouble: format.Float, modelChar: format.Char,
		modelString: format.String, modelPascal: format.Pascal,
		modelComplexF: format.Complex, modelComplexD: format.Complex,
	}
	for i, f := range p.Fields() {
		kind, size, _ := modelLookup(mode, f.Code)
		if kind == modelString || kind == modelPascal {
			size = f.Count
		}
		if kind == modelInvalid || kinds[kind] != f.Kind || size != f.Size {
			t.Fatalf("Parse(%q) field %d = %+v; want kind %v, size %d", p.Format(), i, f, kinds[kind], size)
		}
		if _, _, align := modelLookup(mode, f.Code); align > 0 && end%align != 0 {
			end += align - end%align
		}
		if f.Offset != end {
			t.Fatalf("Parse(%q) field %d = %+v; want offset %d", p.Format(), i, f, end)
		}
		end += f.Len()
	}
	if p.Size() != end {
		t.Fatalf("Parse(%q).Size() = %d, want %d", p.Format(), p.Size(), end)
	}
}

// fuzzValues is the Values FuzzUnpack reuses from one format to the next.
var (
	fuzzValuesMu sync.Mutex
	fuzzValues   pack.Values
)

// FuzzUnpack unpacks any bytes with any format. It must not panic; the
// values must be those the model reads from the bytes; and packing them
// again must give the canonical form of the bytes.
func FuzzUnpack(f *testing.F) {
	for _, fs := range fuzzFormats {
		n := fuzzSeedSize(fs)
		for pattern := range 3 {
			f.Add(fs, fuzzBytes(n, pattern))
		}
		f.Add(fs, fuzzBytes(n+3, 2)) // longer: UnpackFrom
		if n > 0 {
			f.Add(fs, fuzzBytes(n-1, 1)) // shorter: errors
		}
	}
	// NaNs, signalling and quiet, with payloads, in both byte orders.
	for _, seed := range []struct{ fs, hex string }{
		{"<f", "0100807f"}, {">f", "7f800001"}, {"<2f", "ffffbfff0000c0ff"}, {"@f", "0100807f"},
		{"<e", "017c"}, {">e", "fc01"}, {"!2e", "7e017dff"},
		{"<d", "010000000000f07f"}, {">d", "fff0000000000001"}, {"=d", "010000000000f87f"},
		{"@?f?e", "020000000100807f8000017c"}, {"<3p5p", "ff41420441424344"},
	} {
		b, err := hex.DecodeString(seed.hex)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seed.fs, b)
	}
	f.Fuzz(func(t *testing.T, fs string, buf []byte) {
		s, err := pack.Compile(fs)
		if err != nil {
			fuzzCheckSyntaxError(t, fs, err)
			return
		}
		size := s.Size()
		if size > fuzzMaxSize {
			return
		}
		p := s.Plan()
		fuzzCheckPlan(t, p)
		unpackMsg := fmt.Sprintf("unpack requires a buffer of %d bytes", size)

		var rec []byte
		var got []any
		switch {
		case len(buf) == size:
			rec = buf
			if got, err = s.Unpack(buf); err != nil {
				t.Fatalf("Unpack(%q, %x): %v", fs, buf, err)
			}
			// A Values that has served other formats before gives the
			// same values.
			fuzzValuesMu.Lock()
			reused, err := s.UnpackValues(&fuzzValues, buf)
			if err != nil {
				t.Fatalf("UnpackValues(%q, %x): %v", fs, buf, err)
			}
			if diff := propDiff(got, reused); diff != "" {
				t.Fatalf("UnpackValues(%q, %x) differs from Unpack (-Unpack +UnpackValues):\n%s", fs, buf, diff)
			}
			if len(reused) > 0 {
				reused[len(buf)%len(reused)] = nil // the next format's values must not care
			}
			fuzzValuesMu.Unlock()
		case len(buf) > size:
			// Unpack wants exactly size bytes; UnpackFrom reads size bytes
			// at the offset and ignores the rest.
			if _, err = s.Unpack(buf); propCheckError(err, pack.ErrBuffer, unpackMsg) != "" {
				t.Fatalf("Unpack(%q, %x): %s", fs, buf, propCheckError(err, pack.ErrBuffer, unpackMsg))
			}
			rec = buf[:size]
			if got, err = s.UnpackFrom(buf, 0); err != nil {
				t.Fatalf("UnpackFrom(%q, %x, 0): %v", fs, buf, err)
			}
			tail, err := s.UnpackFrom(buf, -size)
			if err != nil {
				t.Fatalf("UnpackFrom(%q, %x, %d): %v", fs, buf, -size, err)
			}
			want, err := s.Unpack(buf[len(buf)-size:])
			if err != nil {
				t.Fatalf("Unpack(%q, %x): %v", fs, buf[len(buf)-size:], err)
			}
			if diff := propDiff(want, tail); diff != "" {
				t.Fatalf("UnpackFrom(%q, %x, %d) differs from Unpack of the last %d bytes (-want +got):\n%s", fs, buf, -size, size, diff)
			}
		default:
			// Too short: both refuse. Then repeat the bytes to fill a record.
			if _, err = s.Unpack(buf); propCheckError(err, pack.ErrBuffer, unpackMsg) != "" {
				t.Fatalf("Unpack(%q, %x): %s", fs, buf, propCheckError(err, pack.ErrBuffer, unpackMsg))
			}
			fromMsg := fmt.Sprintf("unpack_from requires a buffer of at least %d bytes for unpacking %d bytes at offset 0 (actual buffer size is %d)",
				size, size, len(buf))
			if _, err = s.UnpackFrom(buf, 0); propCheckError(err, pack.ErrBuffer, fromMsg) != "" {
				t.Fatalf("UnpackFrom(%q, %x, 0): %s", fs, buf, propCheckError(err, pack.ErrBuffer, fromMsg))
			}
			rec = make([]byte, size)
			for i := range rec {
				if len(buf) > 0 {
					rec[i] = buf[i%len(buf)]
				} else {
					rec[i] = byte(i)
				}
			}
			if got, err = s.Unpack(rec); err != nil {
				t.Fatalf("Unpack(%q, %x): %v", fs, rec, err)
			}
		}

		if diff := propDiff(modelDecode(p, rec), got); diff != "" {
			t.Fatalf("Unpack(%q, %x) mismatch (-want +got):\n%s", fs, rec, diff)
		}
		if size > 0 && len(buf) >= size {
			// The iterations over the whole records buf holds, which
			// decode in batches, give Unpack's values record by record.
			all := buf[:len(buf)/size*size]
			for _, way := range []string{"IterUnpack", "IterUnpackValues"} {
				iterate := s.IterUnpack
				if way == "IterUnpackValues" {
					iterate = s.IterUnpackValues
				}
				seq, err := iterate(all)
				if err != nil {
					t.Fatalf("%s(%q, %x): %v", way, fs, all, err)
				}
				k := 0
				for vals := range seq {
					want, err := s.Unpack(all[k*size : (k+1)*size])
					if err != nil {
						t.Fatal(err)
					}
					if diff := propDiff(want, vals); diff != "" {
						t.Fatalf("%s(%q, %x), record %d differs from Unpack (-Unpack +%s):\n%s", way, fs, all, k, way, diff)
					}
					k++
				}
				if k != len(all)/size {
					t.Fatalf("%s(%q, %x) yielded %d records, want %d", way, fs, all, k, len(all)/size)
				}
			}
		}
		again, err := s.Pack(got...)
		if err != nil {
			t.Fatalf("Pack(%q, Unpack(%x)...): %v", fs, rec, err)
		}
		if want := modelCanonical(p, rec); !bytes.Equal(again, want) {
			t.Fatalf("Pack(%q, Unpack(%x)...) = %x, want the canonical %x", fs, rec, again, want)
		}
	})
}

// FuzzRoundTrip packs values derived from the fuzzer's bytes, valid for
// the format, and unpacks them: the bytes must be those the model lays
// out, and the values must come back.
func FuzzRoundTrip(f *testing.F) {
	for i, fs := range fuzzFormats {
		f.Add(fs, []byte{})
		f.Add(fs, fuzzBytes(64, 1))
		f.Add(fs, fuzzBytes(200, 2)[i%7:])
	}
	f.Fuzz(func(t *testing.T, fs string, seed []byte) {
		s, err := pack.Compile(fs)
		if err != nil {
			fuzzCheckSyntaxError(t, fs, err)
			return
		}
		if s.Size() > fuzzMaxSize || s.NumValues() > fuzzMaxSize {
			return
		}
		p := s.Plan()
		fuzzCheckPlan(t, p)
		src := &fuzzSource{seed}
		values, want := []any{}, []any{}
		rec := make([]byte, s.Size())
		for _, f := range p.Fields() {
			v, w, b := genItemValues(src, byte(p.Order()), f.Code, f.Count)
			values, want = append(values, v...), append(want, w...)
			copy(rec[f.Offset:], b)
		}
		call := fmt.Sprintf("pack(%q%s)", fs, genValuesString(values))
		got, err := s.Pack(values...)
		if err != nil {
			t.Fatalf("%s: %v", call, err)
		}
		if !bytes.Equal(got, rec) {
			t.Fatalf("%s = %x, want %x", call, got, rec)
		}
		back, err := s.Unpack(got)
		if err != nil {
			t.Fatalf("Unpack(%q, %x): %v", fs, got, err)
		}
		if diff := propDiff(want, back); diff != "" {
			t.Fatalf("Unpack(%s) mismatch (-want +got):\n%s", call, diff)
		}
	})
}

// FuzzPackArbitrary packs values of any type, in range or not, valid or
// not, too many or too few. Pack must not panic; it must return either a
// record of Calcsize bytes or a *pack.Error in exactly one category; and
// the outcome must be the one the model predicts.
func FuzzPackArbitrary(f *testing.F) {
	for i, fs := range fuzzFormats {
		f.Add(fs, []byte{})
		f.Add(fs, fuzzBytes(48, 2)[i%5:])
		f.Add(fs, []byte(strings.Repeat("\x01\x05\x09\x0d", 8)))
	}
	categories := []error{pack.ErrRange, pack.ErrType, pack.ErrCount, pack.ErrBuffer}
	f.Fuzz(func(t *testing.T, fs string, data []byte) {
		s, err := pack.Compile(fs)
		if err != nil {
			fuzzCheckSyntaxError(t, fs, err)
			return
		}
		if s.Size() > fuzzMaxSize || s.NumValues() > fuzzMaxSize {
			return
		}
		values := genMixedValues(&fuzzSource{data}, s.Plan())
		call := fmt.Sprintf("pack(%q%s)", fs, genValuesString(values))
		n, err := pack.Calcsize(fs)
		if err != nil {
			t.Fatalf("Calcsize(%q): %v", fs, err)
		}
		b, err := pack.Pack(fs, values...)
		if err == nil {
			if len(b) != n {
				t.Fatalf("%s = %x: %d bytes, Calcsize %d", call, b, len(b), n)
			}
		} else {
			var pe *pack.Error
			if !errors.As(err, &pe) {
				t.Fatalf("%s: error %v has type %T, want *pack.Error", call, err, err)
			}
			matched := 0
			for _, cat := range categories {
				if errors.Is(err, cat) {
					matched++
				}
			}
			if matched != 1 || errors.Is(err, format.ErrSyntax) {
				t.Fatalf("%s: error %v matches %d categories, want 1", call, err, matched)
			}
			if pe.Item < -1 || pe.Item >= len(values) || pe.Op != "pack" || pe.Format != fs || pe.Msg == "" ||
				!strings.HasSuffix(pe.Error(), pe.Msg) {
				t.Fatalf("%s: error %#v", call, pe)
			}
		}
		if msg := checkPackModel(fs, values); msg != "" {
			t.Fatalf("%s: %s", call, msg)
		}
	})
}
