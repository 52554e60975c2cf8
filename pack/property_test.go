package pack_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/pack"
)

var gopterSeed = flag.Int64("gopter.seed", 0,
	"seed of the gopter properties, 0 for one from the clock; a failing property prints its seed, and -gopter.seed=SEED replays it")

// propCmp compares unpacked values: floats by their bits, so that -0 and
// NaN payloads count, and nil and empty byte slices as equal.
var propCmp = cmp.Options{
	cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }),
	cmp.Comparer(func(a, b complex128) bool {
		return math.Float64bits(real(a)) == math.Float64bits(real(b)) && math.Float64bits(imag(a)) == math.Float64bits(imag(b))
	}),
	cmpopts.EquateEmpty(),
}

// propDiff returns cmp.Diff(want, got) under propCmp, or "" when they
// are equal, finding that out cheaply first: the values are []any, [][]any,
// []byte, float64, complex128, int64, uint64 or bool.
func propDiff(want, got any) string {
	if propEqual(want, got) {
		return ""
	}
	return cmp.Diff(want, got, propCmp)
}

func propEqual(a, b any) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !propEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case [][]any:
		y, ok := b.([][]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !propEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	case complex128:
		y, ok := b.(complex128)
		return ok && math.Float64bits(real(x)) == math.Float64bits(real(y)) && math.Float64bits(imag(x)) == math.Float64bits(imag(y))
	case int64, uint64, bool:
		return a == b
	}
	return false // let cmp.Diff say
}

// propertyTests are the laws pack and unpack obey, each checked on random
// records from gen_test.go.
var propertyTests = []struct {
	name  string
	prop  func() gopter.Prop
	scale int // runs this many times the usual number of cases
}{
	{"unpack inverts pack", propUnpackInvertsPack, 1},
	{"pack writes each value at its offset in the byte order of the mode with zero padding", propPackLayout, 1},
	{"calcsize equals the length of pack", propCalcsizeIsPackLength, 1},
	{"pack_into at an offset writes the bytes pack gives and touches nothing else", propPackInto, 1},
	{"iter_unpack over concatenated records equals unpacking each", propIterUnpack, 1},
	{"a reused Values unpacks every record as unpack does whatever the caller wrote into its slice", propValuesReused, 1},
	{"unpack_from at an offset equals unpack of the slice", propUnpackFrom, 1},
	{"the canonical string of a plan parses to an equal plan", propCanonicalString, 1},
	{"unpack reads any bytes as the model does and pack gives back their canonical form", propUnpackAnyBytes, 1},
	{"pack fails at the first value CPython rejects with the message CPython gives", propPackRejects, 4},
	{"pack rounds e and f to nearest with ties to even and rejects what overflows", propPackRounds, 4},
}

// TestProperties checks each property on at least 500 random cases (100
// with -short), some on more. Every property starts from the same seed,
// printed when one fails; pass it back with -gopter.seed to replay the
// failure: go test ./pack -run 'TestProperties/NAME' -gopter.seed=SEED.
func TestProperties(t *testing.T) {
	seed := *gopterSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	for _, p := range propertyTests {
		runProperty(t, p.name, seed, "gopter.seed", 500*max(p.scale, 1), p.prop())
	}
}

// runProperty checks the property prop, named name, in a parallel subtest
// of t on n random cases (a fifth of them with -short) drawn from seed. A
// failure logs the command that replays it with the seed flag seedFlag.
func runProperty(t *testing.T, name string, seed int64, seedFlag string, n int, prop gopter.Prop) {
	t.Run(name, func(t *testing.T) {
		t.Parallel()
		params := gopter.DefaultTestParametersWithSeed(seed)
		params.MinSuccessfulTests = n
		if testing.Short() {
			params.MinSuccessfulTests = n / 5
		}
		props := gopter.NewProperties(params)
		props.Property(name, prop)
		props.TestingRun(t)
		if t.Failed() {
			t.Logf("replay with: go test ./pack -run '^%s$' -%s=%d", regexp.QuoteMeta(t.Name()), seedFlag, seed)
		}
	})
}

func propUnpackInvertsPack() gopter.Prop {
	return prop.ForAll(func(r genRecord) string {
		fs := r.Format()
		s, err := pack.Compile(fs)
		if err != nil {
			return fmt.Sprintf("Compile(%q): %v", fs, err)
		}
		b, err := s.Pack(r.Values()...)
		if err != nil {
			return fmt.Sprintf("Pack: %v", err)
		}
		got, err := s.Unpack(b)
		if err != nil {
			return fmt.Sprintf("Unpack(%x): %v", b, err)
		}
		if diff := propDiff(r.Want(), got); diff != "" {
			return fmt.Sprintf("Unpack(Pack(...)) mismatch (-want +got):\n%s", diff)
		}
		// The package-level functions, through their cache, agree.
		b, err = pack.Pack(fs, r.Values()...)
		if err != nil {
			return fmt.Sprintf("pack.Pack: %v", err)
		}
		got, err = pack.Unpack(fs, b)
		if err != nil {
			return fmt.Sprintf("pack.Unpack(%q, %x): %v", fs, b, err)
		}
		if diff := propDiff(r.Want(), got); diff != "" {
			return fmt.Sprintf("pack.Unpack(pack.Pack(...)) mismatch (-want +got):\n%s", diff)
		}
		return ""
	}, genRecords())
}

func propPackLayout() gopter.Prop {
	return prop.ForAll(func(r genRecord) string {
		got, err := pack.Pack(r.Format(), r.Values()...)
		if err != nil {
			return fmt.Sprintf("Pack: %v", err)
		}
		if want := r.Bytes(); !bytes.Equal(want, got) {
			return fmt.Sprintf("Pack bytes mismatch (-want +got):\n%s", cmp.Diff(want, got))
		}
		return ""
	}, genRecords())
}

func propCalcsizeIsPackLength() gopter.Prop {
	return prop.ForAll(func(r genRecord) string {
		fs := r.Format()
		n, err := pack.Calcsize(fs)
		if err != nil {
			return fmt.Sprintf("Calcsize(%q): %v", fs, err)
		}
		b, err := pack.Pack(fs, r.Values()...)
		if err != nil {
			return fmt.Sprintf("Pack: %v", err)
		}
		if len(b) != n {
			return fmt.Sprintf("len(Pack(...)) = %d, Calcsize(%q) = %d", len(b), fs, n)
		}
		if _, size := r.layout(); n != size {
			return fmt.Sprintf("Calcsize(%q) = %d, want %d", fs, n, size)
		}
		if size := pack.MustCompile(fs).Size(); size != n {
			return fmt.Sprintf("MustCompile(%q).Size() = %d, Calcsize = %d", fs, size, n)
		}
		// Append adds exactly those bytes after what dst holds.
		dst := []byte("prefix")
		out, err := pack.Append(dst, fs, r.Values()...)
		if err != nil {
			return fmt.Sprintf("Append: %v", err)
		}
		if want := append([]byte("prefix"), b...); !bytes.Equal(out, want) {
			return fmt.Sprintf("Append(%q, ...) = %x, want %x", dst, out, want)
		}
		return ""
	}, genRecords())
}

// propFill returns n bytes that are not zero and not all alike.
func propFill(n int, seed uint8) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i)*151 | 1
	}
	return b
}

func propPackInto() gopter.Prop {
	return prop.ForAll(func(r genRecord, pre, post int, seed uint8, negative bool) string {
		fs := r.Format()
		s := pack.MustCompile(fs)
		want, err := s.Pack(r.Values()...)
		if err != nil {
			return fmt.Sprintf("Pack: %v", err)
		}
		n := len(want)
		orig := propFill(pre+n+post, seed)
		buf := slices.Clone(orig)
		off := pre
		if negative {
			off = pre - len(buf) // counts from the end
			err = pack.PackInto(fs, buf, off, r.Values()...)
		} else {
			err = s.PackInto(buf, off, r.Values()...)
		}
		if err != nil {
			return fmt.Sprintf("PackInto(buf[%d], %d, ...): %v", len(buf), off, err)
		}
		if !bytes.Equal(want, buf[pre:pre+n]) {
			return fmt.Sprintf("PackInto(buf[%d], %d, ...) record mismatch (-want +got):\n%s", len(buf), off, cmp.Diff(want, buf[pre:pre+n]))
		}
		if !bytes.Equal(buf[:pre], orig[:pre]) || !bytes.Equal(buf[pre+n:], orig[pre+n:]) {
			return fmt.Sprintf("PackInto(buf[%d], %d, ...) changed bytes outside the record: %x, was %x", len(buf), off, buf, orig)
		}

		// Offsets just out of bounds, at each end: an error, and the buffer
		// untouched.
		for _, c := range []struct {
			off int
			msg string
		}{
			{len(buf) - n + 1, fmt.Sprintf("pack_into requires a buffer of at least %d bytes for packing %d bytes at offset %d (actual buffer size is %d)",
				len(buf)+1, n, len(buf)-n+1, len(buf))},
			{-len(buf) - 1, fmt.Sprintf("offset %d out of range for %d-byte buffer", -len(buf)-1, len(buf))},
			{-n + 1, fmt.Sprintf("no space to pack %d bytes at offset %d", n, -n+1)},
		} {
			if c.off == -n+1 && c.off >= 0 {
				continue // not negative, so in bounds
			}
			buf = slices.Clone(orig)
			err = s.PackInto(buf, c.off, r.Values()...)
			if msg := propCheckError(err, pack.ErrBuffer, c.msg); msg != "" {
				return fmt.Sprintf("PackInto(buf[%d], %d, ...): %s", len(buf), c.off, msg)
			}
			if !bytes.Equal(buf, orig) {
				return fmt.Sprintf("failed PackInto(buf[%d], %d, ...) changed the buffer: %x, was %x", len(buf), c.off, buf, orig)
			}
		}
		return ""
	}, genRecords(), gen.IntRange(0, 9), gen.IntRange(0, 9), gen.UInt8(), gen.Bool())
}

// propCheckError describes how err differs from a *pack.Error of category cat
// with message msg, or returns "".
func propCheckError(err, cat error, msg string) string {
	var pe *pack.Error
	switch {
	case err == nil:
		return fmt.Sprintf("no error, want %q", msg)
	case !errors.As(err, &pe):
		return fmt.Sprintf("error %v has type %T, want *pack.Error", err, err)
	case !errors.Is(err, cat):
		return fmt.Sprintf("error %v is not %v", err, cat)
	case pe.Msg != msg:
		return fmt.Sprintf("error message %q, want %q", pe.Msg, msg)
	}
	return ""
}

func propIterUnpack() gopter.Prop {
	return prop.ForAll(func(set genRecordSet) string {
		s, err := pack.Compile(set.Format)
		if err != nil {
			return fmt.Sprintf("Compile(%q): %v", set.Format, err)
		}
		var buf []byte
		want := [][]any{}
		for _, r := range set.Records {
			if buf, err = s.Append(buf, r.Values()...); err != nil {
				return fmt.Sprintf("Append: %v", err)
			}
			want = append(want, r.Want())
		}
		seq, err := s.IterUnpack(buf)
		size := s.Size()
		if size == 0 {
			if msg := propCheckError(err, pack.ErrBuffer, "cannot iteratively unpack with a struct of length 0"); msg != "" {
				return fmt.Sprintf("IterUnpack of a zero-size format: %s", msg)
			}
			return ""
		}
		if err != nil {
			return fmt.Sprintf("IterUnpack(%x): %v", buf, err)
		}
		got := [][]any{}
		for vs := range seq {
			got = append(got, vs)
		}
		if diff := propDiff(want, got); diff != "" {
			return fmt.Sprintf("IterUnpack(%x) mismatch (-want +got):\n%s", buf, diff)
		}
		each := [][]any{}
		for off := 0; off < len(buf); off += size {
			vs, err := s.Unpack(buf[off : off+size])
			if err != nil {
				return fmt.Sprintf("Unpack: %v", err)
			}
			each = append(each, vs)
		}
		if diff := propDiff(each, got); diff != "" {
			return fmt.Sprintf("IterUnpack(%x) differs from unpacking each record (-each +iter):\n%s", buf, diff)
		}

		// The package-level function agrees, and stopping early is fine.
		seq, err = pack.IterUnpack(set.Format, buf)
		if err != nil {
			return fmt.Sprintf("pack.IterUnpack: %v", err)
		}
		for vs := range seq {
			if diff := propDiff(want[0], vs); diff != "" {
				return fmt.Sprintf("pack.IterUnpack first record mismatch (-want +got):\n%s", diff)
			}
			break
		}
		if size > 1 {
			// A byte more is not a whole number of records.
			_, err = s.IterUnpack(append(buf, 0))
			wantMsg := fmt.Sprintf("iterative unpacking requires a buffer of a multiple of %d bytes", size)
			if msg := propCheckError(err, pack.ErrBuffer, wantMsg); msg != "" {
				return fmt.Sprintf("IterUnpack of %d bytes: %s", len(buf)+1, msg)
			}
		}
		return ""
	}, genRecordSets())
}

func propUnpackFrom() gopter.Prop {
	return prop.ForAll(func(r genRecord, pre, post int, seed uint8, random, negative bool) string {
		fs := r.Format()
		s := pack.MustCompile(fs)
		rec, err := s.Pack(r.Values()...)
		if err != nil {
			return fmt.Sprintf("Pack: %v", err)
		}
		n := len(rec)
		if random {
			rec = propFill(n, seed^0x5a) // any bytes, not only packed ones
		}
		buf := propFill(pre+n+post, seed)
		copy(buf[pre:], rec)
		want, err := s.Unpack(rec)
		if err != nil {
			return fmt.Sprintf("Unpack(%x): %v", rec, err)
		}
		if !random {
			if diff := propDiff(r.Want(), want); diff != "" {
				return fmt.Sprintf("Unpack(Pack(...)) mismatch (-want +got):\n%s", diff)
			}
		}
		off := pre
		if negative {
			off = pre - len(buf)
		}
		got, err := pack.UnpackFrom(fs, buf, off)
		if err != nil {
			return fmt.Sprintf("UnpackFrom(%x, %d): %v", buf, off, err)
		}
		if diff := propDiff(want, got); diff != "" {
			return fmt.Sprintf("UnpackFrom(%x, %d) mismatch (-want +got):\n%s", buf, off, diff)
		}
		// The values are copies: changing the buffer does not change them.
		for i := range buf {
			buf[i] = ^buf[i]
		}
		if diff := propDiff(want, got); diff != "" {
			return fmt.Sprintf("UnpackFrom values alias the buffer (-want +got):\n%s", diff)
		}

		// Offsets just out of bounds, at each end.
		for _, c := range []struct {
			off int
			msg string
		}{
			{len(buf) - n + 1, fmt.Sprintf("unpack_from requires a buffer of at least %d bytes for unpacking %d bytes at offset %d (actual buffer size is %d)",
				len(buf)+1, n, len(buf)-n+1, len(buf))},
			{-len(buf) - 1, fmt.Sprintf("offset %d out of range for %d-byte buffer", -len(buf)-1, len(buf))},
			{-n + 1, fmt.Sprintf("not enough data to unpack %d bytes at offset %d", n, -n+1)},
		} {
			if c.off == -n+1 && c.off >= 0 {
				continue // not negative, so in bounds
			}
			_, err = s.UnpackFrom(buf, c.off)
			if msg := propCheckError(err, pack.ErrBuffer, c.msg); msg != "" {
				return fmt.Sprintf("UnpackFrom(buf[%d], %d): %s", len(buf), c.off, msg)
			}
		}
		return ""
	}, genRecords(), gen.IntRange(0, 9), gen.IntRange(0, 9), gen.UInt8(), gen.Bool(), gen.Bool())
}

func propUnpackAnyBytes() gopter.Prop {
	return prop.ForAll(func(raw genRaw) string {
		s := pack.MustCompile(raw.Format)
		got, err := s.Unpack(raw.Bytes)
		if err != nil {
			return fmt.Sprintf("Unpack: %v", err)
		}
		if diff := propDiff(modelDecode(s.Plan(), raw.Bytes), got); diff != "" {
			return fmt.Sprintf("Unpack mismatch (-want +got):\n%s", diff)
		}
		again, err := s.Pack(got...)
		if err != nil {
			return fmt.Sprintf("Pack(Unpack(...)...): %v", err)
		}
		if want := modelCanonical(s.Plan(), raw.Bytes); !bytes.Equal(again, want) {
			return fmt.Sprintf("Pack(Unpack(...)...) = %x, want the canonical %x", again, want)
		}
		return ""
	}, genRaws())
}

func propCanonicalString() gopter.Prop {
	return prop.ForAll(func(r genRecord) string {
		fs := r.Format()
		p, err := format.Parse(fs)
		if err != nil {
			return fmt.Sprintf("Parse(%q): %v", fs, err)
		}
		// The plan is the model's layout.
		offsets, size := r.layout()
		type field struct {
			Code          byte
			Count, Offset int
		}
		var want, got []field
		for i, it := range r.Items {
			want = append(want, field{it.Code, it.count(), offsets[i]})
		}
		for _, f := range p.Fields() {
			got = append(got, field{f.Code, f.Count, f.Offset})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			return fmt.Sprintf("Parse(%q) fields mismatch (-want +got):\n%s", fs, diff)
		}
		if p.Size() != size || p.NumValues() != len(r.Values()) {
			return fmt.Sprintf("Parse(%q): Size() = %d, NumValues() = %d; want %d, %d", fs, p.Size(), p.NumValues(), size, len(r.Values()))
		}
		if p.Format() != fs {
			return fmt.Sprintf("Parse(%q).Format() = %q", fs, p.Format())
		}

		canon := p.String()
		q, err := format.Parse(canon)
		if err != nil {
			return fmt.Sprintf("Parse(%q) of the canonical string of %q: %v", canon, fs, err)
		}
		if diff := cmp.Diff(p.Fields(), q.Fields()); diff != "" {
			return fmt.Sprintf("Parse(%q) fields differ from those of %q (-orig +canonical):\n%s", canon, fs, diff)
		}
		if q.Size() != p.Size() || q.NumValues() != p.NumValues() || q.Order() != p.Order() {
			return fmt.Sprintf("Parse(%q) = size %d, %d values, mode %v; Parse(%q) = size %d, %d values, mode %v",
				canon, q.Size(), q.NumValues(), q.Order(), fs, p.Size(), p.NumValues(), p.Order())
		}
		if again := q.String(); again != canon {
			return fmt.Sprintf("canonical string of %q is %q, and of that %q", fs, canon, again)
		}
		// Packing with either string gives the same bytes.
		a, errA := pack.Pack(fs, r.Values()...)
		b, errB := pack.Pack(canon, r.Values()...)
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			return fmt.Sprintf("Pack(%q) = %x, %v; Pack(%q) = %x, %v", fs, a, errA, canon, b, errB)
		}
		return ""
	}, genRecords())
}

func propPackRejects() gopter.Prop {
	return prop.ForAll(func(m genMixed) string {
		return checkPackModel(m.Format, m.Values)
	}, genMixedRecords())
}

func propPackRounds() gopter.Prop {
	return prop.ForAll(func(m genMixed) string {
		return checkPackModel(m.Format, m.Values)
	}, genRoundingRecords())
}

// propErrorDiff returns the differences between two pack.Errors, their
// categories compared with errors.Is, or "".
func propErrorDiff(want, got pack.Error) string {
	if want.Op == got.Op && want.Format == got.Format && want.Item == got.Item &&
		errors.Is(got.Err, want.Err) && want.Msg == got.Msg {
		return ""
	}
	return cmp.Diff(want, got, cmpopts.EquateErrors())
}

// checkPackModel packs values with fs and checks the outcome against the
// model: either the error the model gives for the first value it rejects
// (or for a wrong number of values), or a record with the bytes the model
// predicts. Pack, Append and PackInto must agree. It describes the first
// difference, or returns "".
func checkPackModel(fs string, values []any) string {
	s, err := pack.Compile(fs)
	if err != nil {
		return fmt.Sprintf("Compile(%q): %v", fs, err)
	}
	p := s.Plan()
	mode := byte(p.Order())
	size := p.Size()

	// The model's verdict.
	var wantErr *pack.Error
	failOff := size // where the value the model rejects goes
	// The record, zero where nothing is written: pad bytes, alignment
	// padding and, after an error, the values not reached.
	want := make([]byte, size)
	if len(values) != p.NumValues() {
		wantErr = &pack.Error{Op: "pack", Format: fs, Item: -1, Err: pack.ErrCount,
			Msg: fmt.Sprintf("pack expected %d items for packing (got %d)", p.NumValues(), len(values))}
	} else {
		vi := 0
	fields:
		for _, f := range p.Fields() {
			if f.Kind == format.Pad {
				continue
			}
			itemSize := f.Size
			for j := range f.NumValues() {
				res := modelPackValue(mode, f.Code, itemSize, values[vi])
				copy(want[f.Offset+j*itemSize:], res.bytes)
				if res.err != nil {
					wantErr = &pack.Error{Op: "pack", Format: fs, Item: vi, Err: res.err, Msg: res.msg}
					failOff = f.Offset + j*itemSize
					break fields
				}
				vi++
			}
		}
	}

	got, err := s.Pack(values...)
	if wantErr != nil {
		var pe *pack.Error
		if !errors.As(err, &pe) {
			return fmt.Sprintf("Pack = %x, %v; want error %v", got, err, wantErr)
		}
		if diff := propErrorDiff(*wantErr, *pe); diff != "" {
			return fmt.Sprintf("Pack error mismatch (-want +got):\n%s", diff)
		}
		if len(got) != 0 {
			return fmt.Sprintf("Pack = %x with an error, want no bytes", got)
		}
	} else {
		if err != nil {
			return fmt.Sprintf("Pack: %v, want no error", err)
		}
		if len(got) != size {
			return fmt.Sprintf("len(Pack(...)) = %d, want %d", len(got), size)
		}
		if !bytes.Equal(got, want) {
			return fmt.Sprintf("Pack = %x, want %x", got, want)
		}
	}

	// Append: the same bytes after dst, or dst as it was.
	dst := []byte{0xee}
	out, err := s.Append(dst, values...)
	if wantErr != nil {
		if !errors.Is(err, wantErr.Err) || len(out) != 1 || out[0] != 0xee {
			return fmt.Sprintf("Append = %x, %v; want %x, %v", out, err, dst, wantErr)
		}
	} else if err != nil || !bytes.Equal(out[1:], got) || out[0] != 0xee {
		return fmt.Sprintf("Append = %x, %v; want ee%x", out, err, got)
	}

	// PackInto: the same error with the pack_into wording, and nothing
	// written outside the record.
	orig := propFill(size+4, 7)
	buf := slices.Clone(orig)
	err = s.PackInto(buf, 2, values...)
	if wantErr != nil {
		we := *wantErr
		we.Op = "pack_into"
		if we.Err == pack.ErrCount {
			we.Msg = fmt.Sprintf("pack_into expected %d items for packing (got %d)", p.NumValues(), len(values))
		}
		var pe *pack.Error
		if !errors.As(err, &pe) {
			return fmt.Sprintf("PackInto: %v, want error %v", err, &we)
		}
		if diff := propErrorDiff(we, *pe); diff != "" {
			return fmt.Sprintf("PackInto error mismatch (-want +got):\n%s", diff)
		}
		if we.Err == pack.ErrCount && !bytes.Equal(buf, orig) {
			return fmt.Sprintf("PackInto with a wrong number of values changed the buffer: %x, was %x", buf, orig)
		}
		// As in CPython, the record is zeroed and the values before the
		// rejected one are written.
		if we.Err != pack.ErrCount && !bytes.Equal(buf[2:2+size], want) {
			return fmt.Sprintf("failed PackInto left %x in the record, want %x (the values before byte %d)", buf[2:2+size], want, failOff)
		}
	} else if err != nil || !bytes.Equal(buf[2:2+size], got) {
		return fmt.Sprintf("PackInto wrote %x, %v; want %x", buf[2:2+size], err, got)
	}
	if !bytes.Equal(buf[:2], orig[:2]) || !bytes.Equal(buf[2+size:], orig[2+size:]) {
		return fmt.Sprintf("PackInto changed bytes outside the record: %x, was %x", buf, orig)
	}
	return ""
}

func propValuesReused() gopter.Prop {
	return prop.ForAll(func(set genRecordSet) string {
		s, err := pack.Compile(set.Format)
		if err != nil {
			return fmt.Sprintf("Compile(%q): %v", set.Format, err)
		}
		var v pack.Values
		var all []byte
		for i, r := range set.Records {
			b, err := s.Pack(r.Values()...)
			if err != nil {
				return fmt.Sprintf("Pack: %v", err)
			}
			all = append(all, b...)
			got, err := s.UnpackValues(&v, b)
			if err != nil {
				return fmt.Sprintf("UnpackValues(%x): %v", b, err)
			}
			if diff := propDiff(r.Want(), got); diff != "" {
				return fmt.Sprintf("record %d: UnpackValues mismatch (-want +got):\n%s", i, diff)
			}
			// The caller may write into the slice; the next record is
			// unpacked whole all the same.
			if len(got) > 0 {
				got[i%len(got)] = "scribbled"
				got[(i*7+3)%len(got)] = got[(i*5+1)%len(got)]
			}
		}
		if s.Size() == 0 {
			return ""
		}
		seq, err := s.IterUnpackValues(all)
		if err != nil {
			return fmt.Sprintf("IterUnpackValues: %v", err)
		}
		i := 0
		for got := range seq {
			if diff := propDiff(set.Records[i].Want(), got); diff != "" {
				return fmt.Sprintf("IterUnpackValues, record %d: mismatch (-want +got):\n%s", i, diff)
			}
			if len(got) > 0 {
				got[(i*3)%len(got)] = nil
			}
			i++
		}
		if i != len(set.Records) {
			return fmt.Sprintf("IterUnpackValues yielded %d records, want %d", i, len(set.Records))
		}
		return ""
	}, genRecordSets())
}
