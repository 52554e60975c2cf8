package pack

import (
	"math"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/cabi"
	"github.com/pystruct/pystruct/internal/half"
)

// This file maps Go struct types onto formats: Marshal, MarshalAppend and
// Unmarshal. The mapping between a Struct and a Go type is worked out once
// with reflect (bind) and compiled into two flat lists of ops, one per
// direction, with record offsets, Go field offsets and byte order resolved;
// runs of fields laid out alike in the record and in Go become one copy.
// The loops (the fast ones in MarshalAppend and Unmarshal, the general
// ones in bind_ops.go) then only switch on the op kind and move bytes
// through unsafe pointers whose bounds were proved at bind time. Errors in
// the loops are an op index and a cheap code; the *Error with CPython's
// message is built afterwards.

// typedCache holds the bindings of one Struct to the Go types it has met,
// and the layout of its unpacked records.
//
// Every argument type met has an entry in entries, made once. The fast
// paths look only at hot: the entries of the last few types that missed
// it, which they scan in order, comparing type words. A type found in
// entries but not in hot replaces the hot slot after the one replaced
// last, so a program that alternates up to len(hot) types settles with
// them all in hot, and one that binds many more costs a scan of hot and
// a sync.Map lookup per call, never more memory. Entries never change
// once stored, so a reader racing a replacement sees the old entry or
// the new one, either of them right for its type.
type typedCache struct {
	hot  [hotEntries]atomic.Pointer[bindEntry] // recently used entries, nil until filled
	next atomic.Uint32                         // the hot slot the next miss replaces, modulo hotEntries
	dyn  atomic.Pointer[dynLayout]             // layout of Unpack's results (bind_dyn.go)
	maps atomic.Pointer[typedMaps]             // made on first use: a compiled Struct stays small
}

// typedMaps are the maps of a typedCache.
type typedMaps struct {
	entries sync.Map // reflect.Type of the argument -> *bindEntry
	structs sync.Map // reflect.Type of the struct -> *binding
}

// tables returns c's maps, making them on first use.
func (c *typedCache) tables() *typedMaps {
	if m := c.maps.Load(); m != nil {
		return m
	}
	c.maps.CompareAndSwap(nil, new(typedMaps))
	return c.maps.Load()
}

// hotEntries is the number of argument types the fast paths find without
// a map lookup.
const hotEntries = 4

// lookup returns the hot entry for the type word typ, or nil.
func (c *typedCache) lookup(typ unsafe.Pointer) *bindEntry {
	for i := range c.hot {
		if be := c.hot[i].Load(); be != nil && be.typ == typ {
			return be
		}
	}
	return nil
}

// lookupAfterFirst is lookup for a type word not in the first hot slot.
func (c *typedCache) lookupAfterFirst(typ unsafe.Pointer) *bindEntry {
	for i := 1; i < hotEntries; i++ {
		if be := c.hot[i].Load(); be != nil && be.typ == typ {
			return be
		}
	}
	return nil
}

// promote makes be, an entry of entries, hot.
func (c *typedCache) promote(be *bindEntry) {
	i := (c.next.Add(1) - 1) % hotEntries
	c.hot[i].Store(be)
}

// argMode says what shape of Go value a Marshal or Unmarshal argument has.
type argMode uint8

const (
	argBad       argMode = iota // nothing a Struct can bind
	argStruct                   // T
	argPtr                      // *T
	argSlice                    // []T
	argSlicePtr                 // *[]T
	argScalar                   // S, a scalar (see isScalar)
	argScalarPtr                // *S
)

// A bindEntry is what the cache knows about one argument type. The fields
// the fast paths read come first.
type bindEntry struct {
	typ unsafe.Pointer // the argument's type word, for the fast check
	// For a pointer to a bound struct with generated code registered (see
	// Register), and a record of size > 0: the generated functions, which
	// MarshalAppend and Unmarshal call without going through b, and in
	// gusize the record size, which Unmarshal checks first. Otherwise the
	// functions are nil and gusize is -1.
	genMarshal   func(p unsafe.Pointer, dst []byte) ([]byte, error)
	genUnmarshal func(p unsafe.Pointer, b []byte) error
	gusize       int
	// For a pointer to a bound struct, with a record of size > 0: the
	// record size, in msize for MarshalAppend, and in usize for Unmarshal
	// if the struct has no string or []byte fields. Otherwise msize is
	// MaxInt and usize -1, so that the fast paths' size checks fail.
	msize, usize int
	enc, dec     []fastOp
	b            *binding // nil when mode is argBad
	rt           reflect.Type
	mode         argMode
}

// eface is the layout of an empty interface value.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// A binding is the compiled mapping between a Struct and one struct type.
type binding struct {
	s       *Struct
	t       reflect.Type
	err     *bindError // why t does not fit the format, or nil
	enc     []op       // Go value -> record
	encInfo []opInfo   // parallel to enc
	dec     []op       // record -> Go value
	decInfo []opInfo   // parallel to dec
	fenc    []fastOp   // enc as MarshalAppend's fast loop runs it (see fuseEncoding)
	fdec    []fastOp   // dec as Unmarshal's fast loop runs it (see fuseDecoding)
	slots   []slot     // the bound Go fields, for messages
	arena   int        // bytes of string and []byte fields one record fills on decode
	direct  bool       // t is stored directly in an interface value (never has fields to read)
	columns bool       // no decoding op can fail or needs the arena: decodeRecords may run them op by op (see decodeColumns)
	gen     *genCodec  // generated functions registered for t and the format, or nil
}

// A bindError is a mismatch between a Go type and the format, kept with the
// binding so that every use reports it the same way.
type bindError struct {
	item int   // index of the format value at fault, or -1
	err  error // ErrType or ErrCount
	msg  string
}

// A slot is one Go field the format's values bind to: a leaf of the struct
// after nested structs and arrays of structs are flattened.
type slot struct {
	name string // path from the top struct: "Hdr.Len", "Pts[1].X"
	t    reflect.Type
	off  uintptr  // offset from the start of the top struct
	tag  fieldTag // the field's pack tag
}

// MarshalAppend packs the exported fields of v into a record and appends
// it to dst, growing dst as needed; dst may be nil. v is a struct or a
// pointer to one, or a slice of structs (or a pointer to one), whose
// records are appended one after the other; for a format of one value, v
// may also be a scalar or a pointer to one (see [Struct.Decode]).
//
// The fields bind to the format's values in order: a field tagged
// `pack:"-"` is skipped, as are unexported fields, and the fields of a
// nested struct (or of each element of an array of structs) take its
// place. An integer code takes a field of any integer kind, 'e', 'f' and
// 'd' take float32 or float64, '?' takes bool and 'c' takes byte; a
// repeat count takes that many such fields or one array of that length;
// 's' takes [N]byte (N the count), []byte or string, and 'p' takes
// []byte or string (not [N]byte, which has nowhere to keep the length).
// A field's tag may also name the format item it binds to, `pack:"5s"`
// or `pack:"H"`, which binding then checks; a field tagged with an 'x'
// code (a blank _ [3]byte tagged `pack:"3x"`) stands for that pad item
// and holds no value; and `pack:",trim"` on a string or []byte field bound
// to an 's' item drops the value's trailing NUL bytes on unpacking (see
// the package documentation, "Struct tags").
// The binding for each type is worked out on first use and cached; a
// type that does not fit the format gives an error naming the field and
// the format item (with category [ErrType] or [ErrCount]).
//
// Values are checked as [Struct.Append] checks them: an integer that does
// not fit its code fails with CPython's message and [ErrRange]; a
// float32 NaN is packed quiet, as CPython packs every NaN. On error
// MarshalAppend returns dst with its original length; the bytes past that
// length may have been written. v does not escape: with room in dst,
// MarshalAppend allocates nothing once the type is bound. It is safe for
// concurrent use.
func (s *Struct) MarshalAppend(dst []byte, v any) ([]byte, error) {
	e := (*eface)(unsafe.Pointer(&v))
	var be *bindEntry
	if s != nil { // a nil or zero Struct has no hot entries
		if be = s.typed.hot[0].Load(); be == nil || be.typ != e.typ {
			be = s.typed.lookupAfterFirst(e.typ)
		}
	}
	if be == nil || e.data == nil || be.msize > cap(dst)-len(dst) {
		return s.orEmpty().marshalOther(dst, v)
	}
	// A pointer to a bound struct, and room for a record of size > 0.
	if f := be.genMarshal; f != nil {
		return f(hide(e.data), dst) // generated code (codegen.go)
	}
	n := len(dst)
	dst = dst[:n+be.msize]
	rec, base := unsafe.Pointer(&dst[n]), e.data
	for o := &be.enc[0]; ; o = (*fastOp)(unsafe.Add(unsafe.Pointer(o), fastOpSize)) { // enc ends with an opEnd
		r := unsafe.Add(rec, o.roff)
		switch o.fast & 63 {
		case fCopy1:
			*(*byte)(r) = *(*byte)(unsafe.Add(base, o.goff))
		case fCopy2:
			le.PutUint16((*[2]byte)(r)[:], le.Uint16((*[2]byte)(unsafe.Add(base, o.goff))[:]))
		case fCopy3:
			copy3(r, unsafe.Add(base, o.goff))
		case fCopy4:
			le.PutUint32((*[4]byte)(r)[:], le.Uint32((*[4]byte)(unsafe.Add(base, o.goff))[:]))
		case fCopy7:
			copy7(r, unsafe.Add(base, o.goff), o.n)
		case fCopy8:
			le.PutUint64((*[8]byte)(r)[:], le.Uint64((*[8]byte)(unsafe.Add(base, o.goff))[:]))
		case fCopy16:
			copy16(r, unsafe.Add(base, o.goff), o.n)
		case fCopy32:
			copy32(r, unsafe.Add(base, o.goff), o.n)
		case fZero1:
			*(*byte)(r) = 0
		case fZero3:
			le.PutUint16((*[2]byte)(r)[:], 0)
			le.PutUint16((*[2]byte)(unsafe.Add(r, o.n-2))[:], 0)
		case fZero7:
			le.PutUint32((*[4]byte)(r)[:], 0)
			le.PutUint32((*[4]byte)(unsafe.Add(r, o.n-4))[:], 0)
		case fZero8:
			le.PutUint64((*[8]byte)(r)[:], 0)
		case fEncF32LE:
			le.PutUint32((*[4]byte)(r)[:], quiet32(*(*uint32)(unsafe.Add(base, o.goff))))
		case fEncInt1:
			u := o.encInt(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			*(*byte)(r) = byte(u)
		case fEncInt2:
			u := o.encInt(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint16((*[2]byte)(r)[:], uint16(u))
		case fEncInt4:
			u := o.encInt(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint32((*[4]byte)(r)[:], uint32(u))
		case fEncInt8:
			u := o.encInt(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint64((*[8]byte)(r)[:], u)
		case fEncF64AsF32LE:
			// A NaN, an infinity and a value too large for a float32 go
			// to appendFrom, which packs them as CPython does or fails.
			f := *(*float64)(unsafe.Add(base, o.goff))
			bits := math.Float32bits(float32(f))
			if bits&0x7f800000 == 0x7f800000 {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint32((*[4]byte)(r)[:], bits)
		case fEncF32AsF64LE:
			le.PutUint64((*[8]byte)(r)[:], math.Float64bits(float64(*(*float32)(unsafe.Add(base, o.goff)))))
		case fEncHalfLE:
			h, ok := half.FromFloat64(loadFloat(unsafe.Add(base, o.goff), o.gstride))
			if !ok {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint16((*[2]byte)(r)[:], h)
		case fEnd:
			return dst, nil

		// The kinds of fuseEncoding.
		case fEncInt1G8:
			u := *(*uint64)(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			*(*byte)(r) = byte(u)
		case fEncInt2G8:
			u := *(*uint64)(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint16((*[2]byte)(r)[:], uint16(u))
		case fEncInt4G8:
			u := *(*uint64)(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint32((*[4]byte)(r)[:], uint32(u))
		case fEncInt8G8:
			u := *(*uint64)(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint64((*[8]byte)(r)[:], u)
		case fIntEncInt1G8:
			u2 := o.encPrefixInt(base)
			u := *(*uint64)(unsafe.Add(base, o.goff))
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:], u2)
			*(*byte)(r) = byte(u)
		case fIntEncInt2G8:
			u2 := o.encPrefixInt(base)
			u := *(*uint64)(unsafe.Add(base, o.goff))
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:], u2)
			le.PutUint16((*[2]byte)(r)[:], uint16(u))
		case fIntEncInt4G8:
			u2 := o.encPrefixInt(base)
			u := *(*uint64)(unsafe.Add(base, o.goff))
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:], u2)
			le.PutUint32((*[4]byte)(r)[:], uint32(u))
		case fIntEncInt8G8:
			u2 := o.encPrefixInt(base)
			u := *(*uint64)(unsafe.Add(base, o.goff))
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:], u2)
			le.PutUint64((*[8]byte)(r)[:], u)
		case fIntEncInt1:
			u2 := o.encPrefixInt(base)
			u := o.encInt(unsafe.Add(base, o.goff))
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:], u2)
			*(*byte)(r) = byte(u)
		case fIntEncInt2:
			u2 := o.encPrefixInt(base)
			u := o.encInt(unsafe.Add(base, o.goff))
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:], u2)
			le.PutUint16((*[2]byte)(r)[:], uint16(u))
		case fIntEncInt4:
			u2 := o.encPrefixInt(base)
			u := o.encInt(unsafe.Add(base, o.goff))
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:], u2)
			le.PutUint32((*[4]byte)(r)[:], uint32(u))
		case fIntEncInt8:
			u2 := o.encPrefixInt(base)
			u := o.encInt(unsafe.Add(base, o.goff))
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:], u2)
			le.PutUint64((*[8]byte)(r)[:], u)
		case fIntEncF32AsF64LE:
			u2 := o.encPrefixInt(base)
			if o.prefixBad(u2) != 0 {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:], u2)
			le.PutUint64((*[8]byte)(r)[:], math.Float64bits(float64(*(*float32)(unsafe.Add(base, o.goff)))))
		case fIntEncF64AsF32LE:
			u2 := o.encPrefixInt(base)
			bits := math.Float32bits(float32(*(*float64)(unsafe.Add(base, o.goff))))
			if o.prefixBad(u2) != 0 || bits&0x7f800000 == 0x7f800000 {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			le.PutUint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:], u2)
			le.PutUint32((*[4]byte)(r)[:], bits)
		case fCopyEncInt1G8:
			u := *(*uint64)(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			o.encCopyPrefix(rec, base)
			*(*byte)(r) = byte(u)
		case fCopyEncInt2G8:
			u := *(*uint64)(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			o.encCopyPrefix(rec, base)
			le.PutUint16((*[2]byte)(r)[:], uint16(u))
		case fCopyEncInt4G8:
			u := *(*uint64)(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			o.encCopyPrefix(rec, base)
			le.PutUint32((*[4]byte)(r)[:], uint32(u))
		case fCopyEncInt8G8:
			u := *(*uint64)(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			o.encCopyPrefix(rec, base)
			le.PutUint64((*[8]byte)(r)[:], u)
		case fCopyEncInt1:
			u := o.encInt(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			o.encCopyPrefix(rec, base)
			*(*byte)(r) = byte(u)
		case fCopyEncInt2:
			u := o.encInt(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			o.encCopyPrefix(rec, base)
			le.PutUint16((*[2]byte)(r)[:], uint16(u))
		case fCopyEncInt4:
			u := o.encInt(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			o.encCopyPrefix(rec, base)
			le.PutUint32((*[4]byte)(r)[:], uint32(u))
		case fCopyEncInt8:
			u := o.encInt(unsafe.Add(base, o.goff))
			if !o.fits(u) {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			o.encCopyPrefix(rec, base)
			le.PutUint64((*[8]byte)(r)[:], u)
		case fCopyEncF32AsF64LE:
			o.encCopyPrefix(rec, base)
			le.PutUint64((*[8]byte)(r)[:], math.Float64bits(float64(*(*float32)(unsafe.Add(base, o.goff)))))
		case fCopyEncF64AsF32LE:
			bits := math.Float32bits(float32(*(*float64)(unsafe.Add(base, o.goff))))
			if bits&0x7f800000 == 0x7f800000 {
				return be.b.appendFrom(int(o.gi), dst, n, base)
			}
			o.encCopyPrefix(rec, base)
			le.PutUint32((*[4]byte)(r)[:], bits)
		case fSlow, fUnused29, fUnusedEnc56, fUnusedEnc56 + 1, fUnusedEnc56 + 2, fUnusedEnc56 + 3, fUnusedEnc56 + 4,
			fUnusedEnc56 + 5, fUnusedEnc56 + 6, fUnusedEnc56 + 7:
			// Every value of fast&63 is a case, so that the jump needs no
			// range check; the values no kind has are never met.
			return be.b.appendFrom(int(o.gi), dst, n, base)
		}
	}
}

// Marshal packs the fields of v into a new record, as [Struct.MarshalAppend]
// does with a nil dst.
func (s *Struct) Marshal(v any) ([]byte, error) {
	return s.MarshalAppend(nil, v)
}

// Unmarshal unpacks a record into the exported fields of the struct v
// points to, bound to the format as [Struct.MarshalAppend] describes, or,
// for a format of one value, into the scalar v points to (see
// [Struct.Decode]). buf must hold exactly Size() bytes.
//
// If v points to a slice of structs, buf must hold a whole number of
// records, and Unmarshal sets the slice to one element per record,
// reusing its backing array when it has room; on error the slice holds
// the records before the one at fault.
//
// An unpacked value that does not fit its field (an unsigned 'I' of 3e9
// into an int32, say, or a 'd' that a float32 cannot hold exactly) is an
// error with category [ErrRange], not a silent truncation; the fields
// before it are set, the rest are not. string and []byte fields receive
// copies that never alias buf; the copies made by one call share one
// allocation. Skipped and unexported fields are left as they are. v does
// not escape: once the type is bound, Unmarshal into a struct without
// string or []byte fields allocates nothing. It is safe for concurrent use
// (of the Struct: not of the value v points to).
func (s *Struct) Unmarshal(buf []byte, v any) error {
	e := (*eface)(unsafe.Pointer(&v))
	var be *bindEntry
	if s != nil { // a nil or zero Struct has no hot entries
		if be = s.typed.hot[0].Load(); be == nil || be.typ != e.typ {
			be = s.typed.lookupAfterFirst(e.typ)
		} else if be.gusize == len(buf) && e.data != nil {
			// Generated code for the type the Struct met first, called
			// before any other check: it unpacks a small record in about
			// the time those checks take.
			return be.genUnmarshal(hide(e.data), buf)
		}
	}
	if be == nil || e.data == nil || be.usize != len(buf) {
		return s.orEmpty().unmarshalOther(buf, v)
	}
	// A pointer to a bound struct without string or []byte fields, and a
	// record of size > 0.
	if f := be.genUnmarshal; f != nil {
		return f(hide(e.data), buf) // generated code (codegen.go)
	}
	rec, base := unsafe.Pointer(&buf[0]), e.data
	for o := &be.dec[0]; ; o = (*fastOp)(unsafe.Add(unsafe.Pointer(o), fastOpSize)) { // dec ends with an opEnd
		g := unsafe.Add(base, o.goff)
		switch o.fast & 63 {
		case fCopy1:
			*(*byte)(g) = *(*byte)(unsafe.Add(rec, o.roff))
		case fCopy2:
			le.PutUint16((*[2]byte)(g)[:], le.Uint16((*[2]byte)(unsafe.Add(rec, o.roff))[:]))
		case fCopy3:
			copy3(g, unsafe.Add(rec, o.roff))
		case fCopy4:
			le.PutUint32((*[4]byte)(g)[:], le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:]))
		case fCopy7:
			copy7(g, unsafe.Add(rec, o.roff), o.n)
		case fCopy8:
			le.PutUint64((*[8]byte)(g)[:], le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff))[:]))
		case fCopy16:
			copy16(g, unsafe.Add(rec, o.roff), o.n)
		case fCopy32:
			copy32(g, unsafe.Add(rec, o.roff), o.n)
		case fDecBool1:
			*(*bool)(g) = *(*byte)(unsafe.Add(rec, o.roff)) != 0
		case fDecF32LE:
			*(*uint32)(g) = quiet32(le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:]))
		case fDecInt1:
			if !o.decInt(g, ext8(uint64(*(*byte)(unsafe.Add(rec, o.roff))), o.signed)) {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
		case fDecInt2:
			if !o.decInt(g, ext16(uint64(le.Uint16((*[2]byte)(unsafe.Add(rec, o.roff))[:])), o.signed)) {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
		case fDecInt4:
			if !o.decInt(g, ext32(uint64(le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:])), o.signed)) {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
		case fDecInt8:
			if !o.decInt(g, le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff))[:])) {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
		case fDecF32AsF64LE:
			*(*float64)(g) = float32ToFloat64(le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:]))
		case fDecF64AsF32LE:
			f := math.Float64frombits(le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff))[:]))
			f32 := float32(f)
			if float64(f32) != f && f == f {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*float32)(g) = f32
		case fDecHalfLE:
			storeFloat(g, o.gstride, half.ToFloat64(le.Uint16((*[2]byte)(unsafe.Add(rec, o.roff))[:])))
		case fEnd:
			return nil

		// The kinds of fuseDecoding: an op with a prefix does it first.
		case fCopyDecInt1G8:
			o.copyPrefix(rec, base)
			fallthrough
		case fDecInt1G8:
			if !o.decIntG8(g, ext8(uint64(*(*byte)(unsafe.Add(rec, o.roff))), o.signed)) {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
		case fCopyDecInt2G8:
			o.copyPrefix(rec, base)
			fallthrough
		case fDecInt2G8:
			if !o.decIntG8(g, ext16(uint64(le.Uint16((*[2]byte)(unsafe.Add(rec, o.roff))[:])), o.signed)) {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
		case fCopyDecInt4G8:
			o.copyPrefix(rec, base)
			fallthrough
		case fDecInt4G8:
			if !o.decIntG8(g, ext32(uint64(le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:])), o.signed)) {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
		case fCopyDecInt8G8:
			o.copyPrefix(rec, base)
			fallthrough
		case fDecInt8G8:
			if !o.decIntG8(g, le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff))[:])) {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
		case fCopyDecF32AsF64LE:
			o.copyPrefix(rec, base)
			*(*float64)(g) = float32ToFloat64(le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:]))
		case fCopyDecF64AsF32LE:
			o.copyPrefix(rec, base)
			f := math.Float64frombits(le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff))[:]))
			f32 := float32(f)
			if float64(f32) != f && f == f {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*float32)(g) = f32
		case fBoolDecInt1G8:
			o.boolPrefix(rec, base)
			if !o.decIntG8(g, ext8(uint64(*(*byte)(unsafe.Add(rec, o.roff))), o.signed)) {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
		case fBoolDecInt2G8:
			o.boolPrefix(rec, base)
			if !o.decIntG8(g, ext16(uint64(le.Uint16((*[2]byte)(unsafe.Add(rec, o.roff))[:])), o.signed)) {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
		case fBoolDecInt4G8:
			o.boolPrefix(rec, base)
			if !o.decIntG8(g, ext32(uint64(le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:])), o.signed)) {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
		case fBoolDecInt8G8:
			o.boolPrefix(rec, base)
			if !o.decIntG8(g, le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff))[:])) {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
		case fBoolDecF32AsF64LE:
			o.boolPrefix(rec, base)
			*(*float64)(g) = float32ToFloat64(le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:]))
		case fBoolDecF64AsF32LE:
			o.boolPrefix(rec, base)
			f := math.Float64frombits(le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff))[:]))
			f32 := float32(f)
			if float64(f32) != f && f == f {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*float32)(g) = f32
		case fIntDecInt1G8:
			u2 := o.prefixInt(rec)
			u := ext8(uint64(*(*byte)(unsafe.Add(rec, o.roff))), o.signed)
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*uint64)(unsafe.Add(base, o.goff2)) = u2
			*(*uint64)(g) = u
		case fIntDecInt2G8:
			u2 := o.prefixInt(rec)
			u := ext16(uint64(le.Uint16((*[2]byte)(unsafe.Add(rec, o.roff))[:])), o.signed)
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*uint64)(unsafe.Add(base, o.goff2)) = u2
			*(*uint64)(g) = u
		case fIntDecInt4G8:
			u2 := o.prefixInt(rec)
			u := ext32(uint64(le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:])), o.signed)
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*uint64)(unsafe.Add(base, o.goff2)) = u2
			*(*uint64)(g) = u
		case fIntDecInt8G8:
			u2 := o.prefixInt(rec)
			u := le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff))[:])
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*uint64)(unsafe.Add(base, o.goff2)) = u2
			*(*uint64)(g) = u
		case fIntDecInt1:
			u2 := o.prefixInt(rec)
			u := ext8(uint64(*(*byte)(unsafe.Add(rec, o.roff))), o.signed)
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*uint64)(unsafe.Add(base, o.goff2)) = u2
			storeGoInt(g, o.gstride, u)
		case fIntDecInt2:
			u2 := o.prefixInt(rec)
			u := ext16(uint64(le.Uint16((*[2]byte)(unsafe.Add(rec, o.roff))[:])), o.signed)
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*uint64)(unsafe.Add(base, o.goff2)) = u2
			storeGoInt(g, o.gstride, u)
		case fIntDecInt4:
			u2 := o.prefixInt(rec)
			u := ext32(uint64(le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:])), o.signed)
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*uint64)(unsafe.Add(base, o.goff2)) = u2
			storeGoInt(g, o.gstride, u)
		case fIntDecInt8:
			u2 := o.prefixInt(rec)
			u := le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff))[:])
			if o.prefixBad(u2)|(u+o.bias)&o.mask != 0 {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*uint64)(unsafe.Add(base, o.goff2)) = u2
			storeGoInt(g, o.gstride, u)
		case fIntDecF32AsF64LE:
			u2 := o.prefixInt(rec)
			if o.prefixBad(u2) != 0 {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*uint64)(unsafe.Add(base, o.goff2)) = u2
			*(*float64)(g) = float32ToFloat64(le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:]))
		case fIntDecF64AsF32LE:
			u2 := o.prefixInt(rec)
			f := math.Float64frombits(le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff))[:]))
			f32 := float32(f)
			if o.prefixBad(u2) != 0 || float64(f32) != f && f == f {
				return be.b.decodeFrom(int(o.gi), buf, base, nil)
			}
			*(*uint64)(unsafe.Add(base, o.goff2)) = u2
			*(*float32)(g) = f32
		case fSlow, fUnused29, fUnused58, fUnused58 + 1, fUnused58 + 2, fUnused58 + 3, fUnused58 + 4, fUnused58 + 5:
			// Every value of fast&63 is a case, so that the jump needs no
			// range check; the values no kind has are never met.
			return be.b.decodeFrom(int(o.gi), buf, base, nil)
		}
	}
}

// marshalOther handles every MarshalAppend call off the fast path: a type
// not yet seen, values of struct type, slices, nil pointers, bad types,
// types that do not fit, records of no bytes, and a dst without room.
func (s *Struct) marshalOther(dst []byte, v any) ([]byte, error) {
	be := s.entry(v)
	if be.mode == argBad {
		return dst, s.argError("marshal", "cannot marshal "+typeName(be.rt)+": want a struct or a scalar, a pointer to one, or a slice of structs")
	}
	b := be.b
	if b.err != nil {
		return dst, s.bindErr("marshal", b)
	}
	var base unsafe.Pointer
	count := 1
	switch be.mode {
	case argPtr, argScalarPtr:
		base = (*eface)(unsafe.Pointer(&v)).data
		if base == nil {
			return dst, s.argError("marshal", "cannot marshal nil "+typeName(be.rt))
		}
	case argStruct, argScalar:
		if !b.direct {
			base = (*eface)(unsafe.Pointer(&v)).data
		}
	case argSlice, argSlicePtr:
		rv := reflect.ValueOf(v)
		if be.mode == argSlicePtr {
			if rv.IsNil() {
				return dst, s.argError("marshal", "cannot marshal nil "+typeName(be.rt))
			}
			rv = rv.Elem()
		}
		count = rv.Len()
		if count == 0 {
			return dst, nil
		}
		base = rv.UnsafePointer()
	}
	n, size := len(dst), s.Size()
	total := uint64(size) * uint64(count)
	if total/uint64(count) != uint64(size) {
		total = MaxAlloc + 1 // overflowed: certainly too large
	}
	if total > uint64(cap(dst)-n) {
		if total > MaxAlloc {
			return dst, s.allocError("marshal", total)
		}
		dst = grow(dst, int(total))
	}
	if size == 0 {
		return dst[:n+int(total)], nil
	}
	for k := range count {
		var err error
		if dst, err = b.appendRecord(dst, unsafe.Add(base, uintptr(k)*b.t.Size())); err != nil {
			if pe, ok := err.(*Error); ok && (be.mode == argSlice || be.mode == argSlicePtr) {
				pe.Msg = "record " + itoa(k) + ": " + pe.Msg
			}
			return dst[:n], err
		}
	}
	return dst, nil
}

// unmarshalOther handles every Unmarshal call off the fast path: a type not
// yet seen, slices, nil pointers, bad types, types that do not fit,
// records of no bytes, string and []byte fields, and buffers of the wrong
// size.
func (s *Struct) unmarshalOther(buf []byte, v any) error {
	be := s.entry(v)
	switch be.mode {
	case argBad, argStruct, argSlice, argScalar:
		return s.argError("unmarshal", "cannot unmarshal into "+typeName(be.rt)+": want a pointer to a struct, to a scalar or to a slice of structs")
	}
	b := be.b
	if b.err != nil {
		return s.bindErr("unmarshal", b)
	}
	data := (*eface)(unsafe.Pointer(&v)).data
	if data == nil {
		return s.argError("unmarshal", "cannot unmarshal into nil "+typeName(be.rt))
	}
	size := s.Size()
	if be.mode == argPtr || be.mode == argScalarPtr {
		if len(buf) != size {
			return s.bufferError("unmarshal", "unpack requires a buffer of "+itoa(size)+" bytes")
		}
		var arena []byte
		if b.arena > 0 {
			arena = make([]byte, b.arena)
		}
		return b.decodeFrom(0, buf, data, &arena)
	}
	if size == 0 {
		return s.bufferError("unmarshal", "cannot iteratively unpack with a struct of length 0")
	}
	if len(buf)%size != 0 {
		return s.bufferError("unmarshal", "iterative unpacking requires a buffer of a multiple of "+itoa(size)+" bytes")
	}
	count := len(buf) / size
	sv := reflect.ValueOf(v).Elem()
	sv.SetLen(0)
	sv.Grow(count) // allocates only without room, zeroing the new array
	sv.SetLen(count)
	if count == 0 {
		return nil
	}
	var arena []byte
	if b.arena > 0 {
		arena = make([]byte, b.arena*count)
	}
	if k, err := b.decodeRecords(buf, size, sv.UnsafePointer(), &arena); err != nil {
		sv.SetLen(k)
		if pe, ok := err.(*Error); ok {
			pe.Msg = "record " + itoa(k) + ": " + pe.Msg
		}
		return err
	}
	return nil
}

// grow returns dst with room for n more bytes.
func grow(dst []byte, n int) []byte {
	return append(dst[:cap(dst)], make([]byte, n-(cap(dst)-len(dst)))...)[:len(dst)]
}

// entry returns the cache entry for v's type, binding the type on first
// use.
func (s *Struct) entry(v any) *bindEntry {
	rt := reflect.TypeOf(v)
	c := &s.typed
	if rt == nil {
		return &bindEntry{mode: argBad, msize: math.MaxInt, usize: -1, gusize: -1}
	}
	if be := c.lookup(typeWord(rt)); be != nil {
		return be
	}
	m := c.tables()
	if x, ok := m.entries.Load(rt); ok {
		be := x.(*bindEntry)
		c.promote(be)
		return be
	}
	be := &bindEntry{typ: typeWord(rt), rt: rt, msize: math.MaxInt, usize: -1, gusize: -1}
	st := rt
	switch {
	case rt.Kind() == reflect.Struct:
		be.mode = argStruct
	case rt.Kind() == reflect.Pointer && rt.Elem().Kind() == reflect.Struct:
		be.mode, st = argPtr, rt.Elem()
	case rt.Kind() == reflect.Slice && rt.Elem().Kind() == reflect.Struct:
		be.mode, st = argSlice, rt.Elem()
	case rt.Kind() == reflect.Pointer && rt.Elem().Kind() == reflect.Slice && rt.Elem().Elem().Kind() == reflect.Struct:
		be.mode, st = argSlicePtr, rt.Elem().Elem()
	case isScalar(rt):
		be.mode = argScalar
	case rt.Kind() == reflect.Pointer && isScalar(rt.Elem()):
		be.mode, st = argScalarPtr, rt.Elem()
	}
	if be.mode != argBad {
		x, ok := m.structs.Load(st)
		if !ok {
			x, _ = m.structs.LoadOrStore(st, s.bind(st))
		}
		b := x.(*binding)
		be.b, be.enc, be.dec = b, b.fenc, b.fdec
		if (be.mode == argPtr || be.mode == argScalarPtr) && b.err == nil && s.Size() > 0 {
			be.msize = s.Size()
			if b.arena == 0 {
				be.usize = s.Size()
			}
			if b.gen != nil && be.mode == argPtr {
				be.genMarshal, be.genUnmarshal, be.gusize = b.gen.marshal, b.gen.unmarshal, s.Size()
			}
		}
	}
	x, _ := m.entries.LoadOrStore(rt, be)
	be = x.(*bindEntry)
	c.promote(be)
	return be
}

// typeWord returns the type word of the interface values of dynamic type
// rt: the pointer behind rt itself. Taking it from v directly would make
// escape analysis believe that v's data escapes too, and so move every
// variable a caller passes by pointer to the heap.
func typeWord(rt reflect.Type) unsafe.Pointer {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&rt))[1]
}

// Errors built at the boundary.

func (s *Struct) argError(op, msg string) error {
	return &Error{op, s.Format(), -1, ErrType, msg}
}

func typeName(rt reflect.Type) string {
	if rt == nil {
		return "nil"
	}
	return rt.String()
}

func (s *Struct) bindErr(op string, b *binding) error {
	return &Error{op, s.Format(), b.err.item, b.err.err, b.err.msg}
}

func (s *Struct) allocError(op string, size uint64) error {
	return &Error{op, s.Format(), -1, ErrBuffer,
		"cannot allocate " + strconv.FormatUint(size, 10) + " bytes (limit " + itoa(MaxAlloc) + ")"}
}

// encodeError builds the error for item j of enc op i, which failed with
// code.
func (b *binding) encodeError(i int, j uintptr, code errCode) error {
	info := &b.encInfo[i]
	return b.s.valueError("marshal", info.item+info.value(j), info.coder, code)
}

// decodeError builds the error for item j of dec op i, whose value in rec
// does not fit its field.
func (b *binding) decodeError(i int, j uintptr, rec []byte) error {
	o, info := &b.dec[i], &b.decInfo[i]
	sl := &b.slots[info.slot]
	name := sl.name
	t := sl.t
	if t.Kind() == reflect.Array {
		name += "[" + strconv.Itoa(info.value(j)) + "]"
		t = t.Elem()
	}
	p := unsafe.Pointer(&rec[o.roff+j*uintptr(o.rstride)])
	var val string
	switch o.kind {
	case opDecInt:
		u := loadWire(p, o.wire)
		if o.signed {
			val = strconv.FormatInt(signExtend(u, o.wire), 10)
		} else {
			val = strconv.FormatUint(u, 10)
		}
	default:
		val = strconv.FormatFloat(math.Float64frombits(loadWire(p, o.wire)), 'g', -1, 64)
	}
	what := "field " + name + " (" + t.String() + ") of " + b.t.String()
	if b.t.Kind() != reflect.Struct { // a scalar, or an array of them
		what = t.String()
		if b.t.Kind() == reflect.Array {
			what = "element " + strconv.FormatUint(uint64(j), 10) + " (" + t.String() + ") of " + b.t.String()
		}
	}
	msg := "'" + string(info.coder.code) + "' value " + val + " does not fit " + what
	if info.parts {
		msg = "'" + b.s.plan.Field(info.coder.field).Name() + "' part " + val + " does not fit " + what
	}
	return &Error{"unmarshal", b.s.Format(), info.item + info.value(j), ErrRange, msg}
}

// Binding.

// bind works out how s maps onto the struct type t.
func (s *Struct) bind(t reflect.Type) *binding {
	b := &binding{s: s, t: t, direct: isDirect(t)}
	var slots []slot
	var berr *bindError
	if t.Kind() == reflect.Struct {
		slots, berr = flatten(t, 0, "", nil)
	} else {
		slots = []slot{{"", t, 0, fieldTag{}}} // a scalar: one field of its own type
	}
	b.slots = slots
	if berr != nil {
		b.err = berr
		return b
	}
	bigEndian := s.plan.Order().BigEndian()
	movable := bigEndian == cabi.BigEndian // the record's byte order is the host's

	var enc, dec []pendingOp
	si, vi := 0, 0
	for fi := range s.plan.NumFields() {
		f := s.plan.Field(fi)
		item := itemName(f)
		if f.NumValues() == 0 {
			if f.Kind == format.Pad && si < len(slots) && slots[si].tag.pad() {
				if err := checkTag(f, slots[si], f.Count, -1, item, t); err != nil {
					b.err = err
					return b
				}
				si++
			}
			continue
		}
		c := s.coderOf(fi)
		noField := func(v int) *bindError {
			if t.Kind() != reflect.Struct {
				// A scalar of a format it does not fit is a value of the wrong type.
				return &bindError{v, ErrType, "cannot bind " + item + " (value " + itoa(v) + "): " + t.String() + " holds only " + itoa(v) + " values"}
			}
			return &bindError{v, ErrCount, "cannot bind " + item + " (value " + itoa(v) + "): " + t.String() + " has no fields left"}
		}
		switch f.Kind {
		case format.String, format.Pascal:
			if si == len(slots) {
				b.err = noField(vi)
				return b
			}
			if err := checkTag(f, slots[si], f.Count, vi, item, t); err != nil {
				b.err = err
				return b
			}
			e, d, arena, err := bytesOps(f, c, slots[si], si, vi, item, t)
			if err != nil {
				b.err = err
				return b
			}
			enc, dec = append(enc, e...), append(dec, d...)
			b.arena += arena
			si++
		default:
			if si == len(slots) {
				b.err = noField(vi)
				return b
			}
			if sl := slots[si]; sl.t.Kind() == reflect.Array && !sl.tag.pad() {
				if err := checkTag(f, sl, f.Count, vi, item, t); err != nil {
					b.err = err
					return b
				}
				if err := checkScalar(f, sl, sl.t.Elem(), vi, item, t); err != nil {
					b.err = err
					return b
				}
				if sl.t.Len() != f.Count {
					b.err = &bindError{vi, ErrCount, "cannot bind " + describeSlot(sl, t) +
						" to " + item + ": want " + itoa(f.Count) + " elements"}
					return b
				}
				e, d := scalarOps(f, c, sl.t.Elem(), sl.off, f.Count, si, vi, movable, bigEndian)
				enc, dec = append(enc, e), append(dec, d)
				si++
				break
			}
			for j := range f.Count {
				if si == len(slots) {
					b.err = noField(vi + j)
					return b
				}
				sl := slots[si]
				if err := checkTag(f, sl, 1, vi+j, item, t); err != nil {
					b.err = err
					return b
				}
				if err := checkScalar(f, sl, sl.t, vi+j, item, t); err != nil {
					b.err = err
					return b
				}
				e, d := scalarOps(f, c, sl.t, sl.off, 1, si, vi+j, movable, bigEndian)
				e.roff += uintptr(j * f.Size)
				d.roff += uintptr(j * f.Size)
				enc, dec = append(enc, e), append(dec, d)
				si++
			}
		}
		vi += f.NumValues()
	}
	if si < len(slots) {
		sl := slots[si]
		if sl.tag.pad() {
			b.err = &bindError{-1, ErrCount, "cannot bind " + describeSlot(sl, t) +
				" tagged " + strconv.Quote(sl.tag.code) + ": format " + strconvQuote(s.Format()) + " has no pad item left"}
			return b
		}
		cat := ErrCount
		if t.Kind() != reflect.Struct {
			cat = ErrType
		}
		b.err = &bindError{-1, cat, "cannot bind " + describeSlot(sl, t) +
			": format " + strconvQuote(s.Format()) + " has only " + itoa(s.numValues) + " values"}
		return b
	}

	// Zero the record bytes no op writes (pad bytes, alignment and fields
	// of zero length), after the copies, which may span them.
	var zeros []pendingOp
	pos := uintptr(0)
	for i := range enc {
		o := &enc[i]
		if o.roff > pos {
			zeros = append(zeros, pendingOp{op: op{kind: opZero, roff: pos, n: o.roff - pos}})
		}
		pos = o.roff + o.recordLen()
	}
	if size := uintptr(s.Size()); size > pos {
		zeros = append(zeros, pendingOp{op: op{kind: opZero, roff: pos, n: size - pos}})
	}
	merged := mergeCopies(enc, t)
	if !cabi.BigEndian {
		merged, zeros = foldZeros(merged, zeros)
	}
	b.enc, b.encInfo = split(specialize(append(merged, zeros...)))
	b.dec, b.decInfo = split(specialize(widenCopies(boolFixes(mergeCopies(dec, t), dec), t, uintptr(s.Size()))))
	b.columns = true
	for i := range b.dec {
		b.columns = b.columns && infallible(&b.dec[i])
	}
	if !s.noGen {
		if g := lookupGen(t, s.Format()); g != nil {
			// Generated code does it all: one slow op hands each record to
			// appendFrom or decodeFrom, which call it.
			b.gen, b.arena, b.columns = g, 0, false
			b.enc, b.encInfo = split([]pendingOp{{op: op{fast: fSlow, kind: opCopy}}})
			b.dec, b.decInfo = split([]pendingOp{{op: op{fast: fSlow, kind: opCopy}}})
		}
	}
	b.fenc = fuseEncoding(b.enc, t, uintptr(s.Size()))
	b.fdec = fuseDecoding(b.dec, uintptr(s.Size()))
	if b.direct && len(b.slots) > 0 {
		// Cannot happen: a type stored directly in an interface holds a
		// single pointer-shaped field, which binds to nothing.
		b.err = &bindError{-1, ErrType, "cannot bind " + t.String()}
	}
	return b
}

func strconvQuote(s string) string { return format.QuoteFormat(s) }

// itemName names a format item as written, e.g. '3i' or 'f'.
func itemName(f format.Field) string {
	if f.Count == 1 {
		return "'" + f.Name() + "'"
	}
	return "'" + itoa(f.Count) + f.Name() + "'"
}

// flatten lists the fields of struct t that take format values, in order,
// appending them to out. A field tagged with an 'x' code is listed too,
// for the pad item it stands for, whatever its type and even if it is
// unexported or blank.
func flatten(t reflect.Type, off uintptr, prefix string, out []slot) ([]slot, *bindError) {
	for i := range t.NumField() {
		f := t.Field(i)
		name := prefix + f.Name
		tag, err := parseTag(f)
		if err != nil {
			te := err.(*tagError)
			return out, &bindError{-1, ErrType, "field " + name + " of " + t.String() +
				" has a bad pack tag " + strconv.Quote(te.tag) + ": " + te.why}
		}
		if tag.skip {
			continue
		}
		if tag.pad() {
			out = append(out, slot{name, f.Type, off + f.Offset, tag})
			continue
		}
		embeddedStruct := f.Anonymous && f.Type.Kind() == reflect.Struct
		if !f.IsExported() && !embeddedStruct {
			if tag.code != "" || tag.trim {
				return out, &bindError{-1, ErrType, "field " + name + " of " + t.String() +
					" is unexported, so its pack tag " + strconv.Quote(string(f.Tag.Get("pack"))) + " binds nothing"}
			}
			continue
		}
		if (tag.code != "" || tag.trim) && holdsSeveral(f.Type) {
			return out, &bindError{-1, ErrType, "field " + name + " (" + f.Type.String() + ") of " + t.String() +
				" has pack tag " + strconv.Quote(f.Tag.Get("pack")) + ": a code or trim belongs on the fields inside it"}
		}
		var berr *bindError
		out, berr = flattenType(f.Type, off+f.Offset, name, tag, out)
		if berr != nil {
			return out, berr
		}
	}
	return out, nil
}

// holdsSeveral reports whether flattening t gives more than one slot's
// worth of fields: t is a struct, or an array of structs or arrays.
func holdsSeveral(t reflect.Type) bool {
	return t.Kind() == reflect.Struct ||
		t.Kind() == reflect.Array && (t.Elem().Kind() == reflect.Struct || t.Elem().Kind() == reflect.Array)
}

func flattenType(t reflect.Type, off uintptr, name string, tag fieldTag, out []slot) ([]slot, *bindError) {
	switch {
	case t.Kind() == reflect.Struct:
		return flatten(t, off, name+".", out)
	case t.Kind() == reflect.Array && (t.Elem().Kind() == reflect.Struct || t.Elem().Kind() == reflect.Array):
		es := t.Elem().Size()
		for i := range t.Len() {
			var err *bindError
			out, err = flattenType(t.Elem(), off+uintptr(i)*es, name+"["+itoa(i)+"]", fieldTag{}, out)
			if err != nil {
				return out, err
			}
		}
		return out, nil
	}
	return append(out, slot{name, t, off, tag}), nil
}

// isDirect reports whether values of t are stored in the data word of an
// interface rather than pointed to by it: the rule of the gc compiler.
func isDirect(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Struct:
		return t.NumField() == 1 && isDirect(t.Field(0).Type)
	case reflect.Array:
		return t.Len() == 1 && isDirect(t.Elem())
	}
	return false
}

// touchesField reports whether any field of t, laid at off, has bytes in
// [a, b). Blank, unexported and skipped fields count: only padding does
// not.
func touchesField(t reflect.Type, off, a, b uintptr) bool {
	if a >= b || off >= b || off+t.Size() <= a {
		return false
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if touchesField(f.Type, off+f.Offset, a, b) {
				return true
			}
		}
		return false
	case reflect.Array:
		es := t.Elem().Size()
		if es == 0 {
			return false
		}
		first := uintptr(0)
		if a > off {
			first = (a - off) / es
		}
		for i := first; i < uintptr(t.Len()) && off+i*es < b; i++ {
			if touchesField(t.Elem(), off+i*es, a, b) {
				return true
			}
		}
		return false
	}
	return t.Size() > 0
}

// mergeCopies joins consecutive copies that keep the same distance between
// record and Go offsets, when the Go bytes between them are padding: one
// copy then moves both, and the record bytes between them are either
// zeroed afterwards (encoding) or land in Go padding (decoding).
func mergeCopies(ops []pendingOp, t reflect.Type) []pendingOp {
	var out []pendingOp
	for _, o := range ops {
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.kind == opCopy && o.kind == opCopy && o.goff-o.roff == p.goff-p.roff &&
				!touchesField(t, 0, p.goff+p.n, o.goff) {
				p.n = o.roff + o.n - p.roff
				continue
			}
		}
		out = append(out, o)
	}
	return out
}

// widenCopies lets a decoding copy of fewer than 8 bytes move 8, when the
// Go bytes it then also writes are padding, as a merged copy's may be
// (see mergeCopies), and the record and the Go value hold them: an
// 8-byte copy costs what a shorter one does, and it may become the
// prefix of the op after it in Unmarshal's fast loop (see fuseDecoding).
// size is the record size. A copy of bools keeps its opDecBool after it.
func widenCopies(ops []pendingOp, t reflect.Type, size uintptr) []pendingOp {
	for i := range ops {
		o := &ops[i]
		if o.kind == opCopy && o.n < 8 && o.roff+8 <= size && o.goff+8 <= t.Size() && !touchesField(t, 0, o.goff+o.n, o.goff+8) {
			o.n = 8
		}
	}
	return ops
}

// foldZeros lets a copy of 1, 2 or 4 bytes that pad bytes follow in the
// record write some of them too, as an integer widened with zeros: the
// encoding ops then have one op fewer for each such pad. ops are the
// encoding ops after mergeCopies, zeros the zeroing ops; a pad right
// after a copy is written by no other op (a merged copy spans only the
// pads between the fields it merged). The
// records are little-endian, on a little-endian host, so that widening
// the copy's bytes as an integer puts the zeros after them.
func foldZeros(ops, zeros []pendingOp) ([]pendingOp, []pendingOp) {
	var kept []pendingOp
	i := 0
	for _, z := range zeros {
		for i < len(ops) && ops[i].roff+ops[i].recordLen() < z.roff {
			i++
		}
		if i < len(ops) {
			o := &ops[i]
			if n := o.n; o.kind == opCopy && o.roff+n == z.roff && (n == 1 || n == 2 || n == 4) {
				w := uintptr(8)
				for w > n && w > n+z.n {
					w /= 2
				}
				if w > n {
					o.kind, o.ik, o.wire = opEncInt, [...]intKind{1: kUint8, 2: kUint16, 4: kUint32}[n], wireOf(int(w), false)
					o.n, o.gstride, o.rstride, o.check = 1, uint8(n), uint8(w), false
					z.roff, z.n = z.roff+w-n, z.n-(w-n)
				}
			}
		}
		if z.n > 0 {
			kept = append(kept, z)
		}
	}
	return ops, kept
}

// boolFixes returns the decoding ops merged, with an opDecBool after each
// copy for every run of bools in orig (the ops before merging) that the
// copy holds: the copy moves a bool's record byte as it is, and the
// opDecBool then makes the bool true for any byte but 0. It comes right
// after the copy, so that no Go bool holds another byte even when a later
// op fails. A copy that merged with nothing is only its bools, and the
// opDecBool alone replaces it.
func boolFixes(merged, orig []pendingOp) []pendingOp {
	out := make([]pendingOp, 0, len(merged))
	k := 0 // the next op of orig to look at
	for _, m := range merged {
		for k < len(orig) && orig[k].goff < m.goff {
			k++ // an op before m's, or within an op before it
		}
		if m.kind != opCopy {
			out = append(out, m)
			continue
		}
		if k == len(orig) || !(orig[k].bools && orig[k].goff == m.goff && orig[k].n == m.n) {
			out = append(out, m)
		}
		for ; k < len(orig) && orig[k].goff < m.goff+m.n; k++ {
			if o := orig[k]; o.bools {
				out = append(out, pendingOp{op: op{kind: opDecBool, roff: o.roff, goff: o.goff, n: o.n}, opInfo: o.opInfo})
			}
		}
	}
	return out
}

// describeSlot names slot sl of top in messages: "field Hdr.Len (uint16)
// of T", or for a scalar top the type alone.
func describeSlot(sl slot, top reflect.Type) string {
	if top.Kind() != reflect.Struct {
		return top.String()
	}
	return "field " + sl.name + " (" + sl.t.String() + ") of " + top.String()
}

// isScalar reports whether t is a scalar a Struct binds like a struct of
// one field of type t: a bool, integer, float, complex or string, a []byte, or an
// array of those (not of structs or arrays).
func isScalar(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		return true
	case reflect.Slice:
		return t.Elem().Kind() == reflect.Uint8
	case reflect.Array:
		return t.Elem().Kind() != reflect.Struct && t.Elem().Kind() != reflect.Array && isScalar(t.Elem())
	}
	return false
}

// checkTag checks the pack tag of slot sl against f, the format item it
// binds n values (or bytes, for 's', 'p' and 'x') of: a tag's code must be
// f's code with n as its count, and trim needs an 's' item and a string or
// []byte field.
func checkTag(f format.Field, sl slot, n, item int, name string, top reflect.Type) *bindError {
	tg := sl.tag
	field := describeSlot(sl, top)
	if c := tg.tagCode(); c != 0 && (c != f.Code || tg.count != n) {
		cat := ErrType
		if c == f.Code {
			cat = ErrCount
		}
		return &bindError{item, cat, "cannot bind " + field + " to " + name + ": its pack tag says " + strconv.Quote(tg.code)}
	}
	if tg.trim && (f.Kind != format.String || sl.t.Kind() != reflect.String && sl.t != bytesSliceType(sl.t)) {
		return &bindError{item, ErrType, "cannot bind " + field + " to " + name +
			": trim applies only to an 's' item bound to a string or []byte field"}
	}
	return nil
}

// bytesSliceType returns t if it is a slice of bytes, else nil.
func bytesSliceType(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
		return t
	}
	return nil
}

// describe says what Go types a format kind binds to.
func describe(k format.Kind) string {
	switch k {
	case format.Signed, format.Unsigned:
		return "an integer type"
	case format.Float:
		return "float32 or float64"
	case format.Bool:
		return "bool"
	case format.Char:
		return "byte"
	case format.Pascal:
		return "[]byte or string"
	case format.Complex:
		return "complex64 or complex128"
	}
	return "[N]byte, []byte or string"
}

// checkScalar checks that elem, the type of slot sl or of its elements,
// can hold the values of f.
func checkScalar(f format.Field, sl slot, elem reflect.Type, item int, name string, top reflect.Type) *bindError {
	ok := false
	switch f.Kind {
	case format.Signed, format.Unsigned:
		_, ok = intKindOf(elem)
	case format.Float:
		ok = elem.Kind() == reflect.Float32 || elem.Kind() == reflect.Float64
	case format.Bool:
		ok = elem.Kind() == reflect.Bool
	case format.Char:
		ok = elem.Kind() == reflect.Uint8
	case format.Complex:
		ok = elem.Kind() == reflect.Complex64 || elem.Kind() == reflect.Complex128
	}
	if ok {
		return nil
	}
	return &bindError{item, ErrType, "cannot bind " + describeSlot(sl, top) +
		" to " + name + ": want " + describe(f.Kind)}
}

// bytesOps returns the ops for an 's' or 'p' field bound to slot sl, and the
// arena bytes its decoding may need.
func bytesOps(f format.Field, c *coder, sl slot, si, vi int, name string, top reflect.Type) (enc, dec []pendingOp, arena int, err *bindError) {
	n := uintptr(f.Count)
	base := pendingOp{op: op{roff: uintptr(f.Offset), goff: sl.off, n: n}, opInfo: opInfo{item: vi, slot: si, coder: c}}
	pascal := f.Kind == format.Pascal
	if pascal {
		arena = min(f.Count-1, 255)
		if f.Count == 0 {
			arena = 0
		}
	} else {
		arena = f.Count
	}
	e, d := base, base
	d.trim = sl.tag.trim
	switch t := sl.t; {
	case t.Kind() == reflect.Array && t.Elem().Kind() == reflect.Uint8:
		if pascal {
			// A 'p' value has a length; an array has none to keep it in,
			// so b'ab' and b'ab\x00' could not both survive a round trip.
			return nil, nil, 0, &bindError{vi, ErrType, "cannot bind " + describeSlot(sl, top) +
				" to " + name + ": want []byte or string ([N]byte cannot hold a 'p' value's length)"}
		}
		if t.Len() != f.Count {
			return nil, nil, 0, &bindError{vi, ErrCount, "cannot bind " + describeSlot(sl, top) +
				" to " + name + ": want [" + itoa(f.Count) + "]byte, []byte or string"}
		}
		arena = 0
		e.kind, d.kind = opCopy, opCopy
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		if pascal {
			e.kind, d.kind = opEncPascalBytes, opDecPascalBytes
		} else {
			e.kind, d.kind = opEncBytes, opDecBytes
		}
	case t.Kind() == reflect.String:
		if pascal {
			e.kind, d.kind = opEncPascalString, opDecPascalString
		} else {
			e.kind, d.kind = opEncString, opDecString
		}
	default:
		return nil, nil, 0, &bindError{vi, ErrType, "cannot bind " + describeSlot(sl, top) +
			" to " + name + ": want " + describe(f.Kind)}
	}
	if n > 0 {
		enc = []pendingOp{e}
	}
	if n > 0 || sl.t.Kind() != reflect.Array {
		// A field of no bytes writes nothing; decoding it still sets a
		// string or []byte field to empty.
		dec = []pendingOp{d}
	}
	return enc, dec, arena, nil
}

// scalarOps returns the ops for count values of f held by Go values of type
// elem at goff (an array's elements when count > 1, else one field).
func scalarOps(f format.Field, c *coder, elem reflect.Type, goff uintptr, count, si, vi int, movable, bigEndian bool) (enc, dec pendingOp) {
	parts := f.Kind == format.Complex
	if parts {
		// A complex64 or complex128 is two float32s or float64s, real
		// first, as a complex item is two 'f' or 'd' parts: bind it as a
		// float field of twice the count, with the float rules.
		part := reflect.TypeFor[float64]()
		if elem.Kind() == reflect.Complex64 {
			part = reflect.TypeFor[float32]()
		}
		code := byte('d')
		if f.Size == 8 {
			code = 'f'
		}
		f = format.Field{Code: code, Kind: format.Float, Count: 2 * f.Count, Offset: f.Offset, Size: f.Size / 2}
		elem, count = part, 2*count
	}
	size := uintptr(f.Size)
	base := pendingOp{
		op: op{
			roff: uintptr(f.Offset), goff: goff, n: uintptr(count),
			gstride: uint8(elem.Size()), rstride: uint8(size), wire: wireOf(f.Size, bigEndian),
		},
		opInfo: opInfo{item: vi, slot: si, coder: c, parts: parts},
	}
	enc, dec = base, base
	canMove := size == elem.Size() && (size == 1 || movable)
	move := func(o *pendingOp) {
		o.kind, o.n = opCopy, uintptr(count)*size
	}
	switch f.Kind {
	case format.Signed, format.Unsigned:
		ik, _ := intKindOf(elem)
		goLo, goHi := ik.bounds()
		codeLo := c.min // 0 for unsigned codes but 'P', which packs negatives
		enc.kind, enc.ik = opEncInt, ik
		enc.check = goLo < codeLo || goHi > c.max
		if f.Kind == format.Unsigned {
			codeLo = 0 // every unsigned code, 'P' too, unpacks unsigned
		}
		dec.kind, dec.ik = opDecInt, ik
		dec.signed = f.Kind == format.Signed
		dec.check = codeLo < goLo || c.max > goHi
		if canMove && !enc.check {
			move(&enc)
		}
		if canMove && !dec.check {
			move(&dec)
		}
	case format.Float:
		is32 := elem.Kind() == reflect.Float32
		switch {
		case f.Size == 8 && !is32:
			if canMove {
				move(&enc)
				move(&dec)
			} else {
				enc.kind, enc.ik = opEncInt, kUint64
				dec.kind, dec.ik = opDecInt, kUint64
			}
		case f.Size == 8:
			enc.kind, dec.kind = opEncF32AsF64, opDecF64AsF32
		case f.Size == 4 && is32:
			enc.kind, dec.kind = opEncF32, opDecF32
		case f.Size == 4:
			enc.kind, dec.kind = opEncF64AsF32, opDecF32AsF64
		case is32:
			enc.kind, dec.kind = opEncHalf32, opDecHalf32
		default:
			enc.kind, dec.kind = opEncHalf64, opDecHalf64
		}
	case format.Bool:
		// A Go bool is always 0 or 1, so it packs as a copy; it unpacks as
		// a copy too, which may merge with its neighbours', and an
		// opDecBool after it (see boolFixes).
		move(&enc)
		move(&dec)
		dec.bools = true
	case format.Char:
		move(&enc)
		move(&dec)
	}
	return enc, dec
}

// intKind is the Go integer kind of a field, by size and signedness.
type intKind uint8

const (
	kInt8 intKind = iota
	kInt16
	kInt32
	kInt64
	kUint8
	kUint16
	kUint32
	kUint64
)

func intKindOf(t reflect.Type) (intKind, bool) {
	var k intKind
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		k = kInt8
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		k = kUint8
	default:
		return 0, false
	}
	switch t.Size() {
	case 2:
		k++
	case 4:
		k += 2
	case 8:
		k += 3
	}
	return k, true
}

func (k intKind) signed() bool { return k < kUint8 }

// bounds returns the range of values of k.
func (k intKind) bounds() (lo int64, hi uint64) {
	bits := 8 << (k & 3)
	if k.signed() {
		return -1 << (bits - 1), 1<<(bits-1) - 1
	}
	return 0, 1<<bits - 1
}
