package pack

import (
	"encoding/binary"
	"math"
	"math/bits"
	"reflect"
	"unsafe"

	"github.com/pystruct/pystruct/internal/cabi"
	"github.com/pystruct/pystruct/internal/half"
)

// The ops of a binding and the loops that run them. Every offset in an op
// was checked against the record size and the Go type's layout when the
// binding was made, so the loops touch memory only inside the record and
// the Go value they are given.

// opKind says what an op does.
type opKind uint8

const (
	opEnd  opKind = iota // the end of the ops: nothing to do
	opCopy               // move n bytes unchanged (either direction)
	opZero               // zero n record bytes

	opEncInt          // n integers of Go kind ik, range-checked if check, stored as wire
	opEncF32          // n float32s as 'f' (a NaN comes out quiet)
	opEncF64AsF32     // n float64s as 'f'; too large is an error
	opEncF32AsF64     // n float32s as 'd'
	opEncHalf32       // n float32s as 'e'
	opEncHalf64       // n float64s as 'e'
	opEncString       // a string as 's': n bytes, truncated or zero-padded
	opEncBytes        // a []byte as 's'
	opEncPascalString // a string as 'p' of n bytes
	opEncPascalBytes  // a []byte as 'p'

	opDecInt          // n integers read as wire, range-checked if check, stored as Go kind ik
	opDecBool         // n bools: any non-zero byte is true
	opDecF32          // n 'f' into float32s (a NaN comes out quiet)
	opDecF32AsF64     // n 'f' into float64s
	opDecF64AsF32     // n 'd' into float32s; a value they cannot hold exactly is an error
	opDecHalf32       // n 'e' into float32s
	opDecHalf64       // n 'e' into float64s
	opDecString       // 's' of n bytes into a string
	opDecBytes        // 's' into a []byte
	opDecPascalString // 'p' of n bytes into a string
	opDecPascalBytes  // 'p' into a []byte
)

// fastKind picks the special case of an op that the fast loops of
// MarshalAppend and Unmarshal run inline: the common fields, one item in
// the host's byte order. The loop of bulk decoding switches on fast&31;
// those of MarshalAppend and Unmarshal, which also run the kinds of
// fuseEncoding and fuseDecoding, on fast&63. Every value is a case, so
// that the jump needs no range check.
type fastKind uint8

const (
	fCopy1    fastKind = iota // opCopy of 1 byte
	fCopy2                    // opCopy of 2 bytes
	fCopy3                    // opCopy of 3 bytes
	fCopy4                    // opCopy of 4 bytes
	fCopy7                    // opCopy of 5 to 7 bytes
	fCopy8                    // opCopy of 8 bytes
	fCopy16                   // opCopy of 9 to 16 bytes
	fCopy32                   // opCopy of 17 to 32 bytes
	fZero1                    // opZero of 1 byte
	fZero3                    // opZero of 2 or 3 bytes
	fZero7                    // opZero of 4 to 7 bytes
	fZero8                    // opZero of 8 bytes
	fEncF32LE                 // opEncF32 of one item, little-endian
	fDecF32LE                 // opDecF32 of one item, little-endian
	fDecBool1                 // opDecBool of one item

	// The conversions: one item, little-endian. An int op range-checks
	// if its check is set, and a value that fails a check goes with the
	// rest of the record to appendFrom or decodeFrom, which fail it with
	// the error of the general loop.
	fEncInt1       // opEncInt to a 1-byte item
	fEncInt2       // opEncInt to a 2-byte item
	fEncInt4       // opEncInt to a 4-byte item
	fEncInt8       // opEncInt to an 8-byte item
	fEncF64AsF32LE // opEncF64AsF32
	fEncF32AsF64LE // opEncF32AsF64
	fEncHalfLE     // opEncHalf32 or opEncHalf64 (gstride says which)
	fDecInt1       // opDecInt from a 1-byte item
	fDecInt2       // opDecInt from a 2-byte item
	fDecInt4       // opDecInt from a 4-byte item
	fDecInt8       // opDecInt from an 8-byte item
	fDecF32AsF64LE // opDecF32AsF64
	fDecF64AsF32LE // opDecF64AsF32
	fDecHalfLE     // opDecHalf32 or opDecHalf64 (gstride says which)

	fEnd  fastKind = 30 // the end of the ops
	fSlow fastKind = 31 // any other op: the loops hand it and the rest to appendFrom or decodeFrom
)

const (
	// The kinds only the fast loop of Unmarshal runs (see fuseDecoding),
	// which switches on fast&63. An int op of these stores into a Go
	// integer of 8 bytes (int, int64, uint64...).
	fDecInt1G8 fastKind = 32 + iota // opDecInt from a 1-byte item
	fDecInt2G8                      // opDecInt from a 2-byte item
	fDecInt4G8                      // opDecInt from a 4-byte item
	fDecInt8G8                      // opDecInt from an 8-byte item

	// The same, and fDecF32AsF64LE and fDecF64AsF32LE, each with a
	// prefix: first an 8-byte copy (fCopy8) or a bool (fDecBool1), the op
	// before it in the decoding ops, from roff2 to goff2.
	fCopyDecInt1G8
	fCopyDecInt2G8
	fCopyDecInt4G8
	fCopyDecInt8G8
	fCopyDecF32AsF64LE
	fCopyDecF64AsF32LE
	fBoolDecInt1G8
	fBoolDecInt2G8
	fBoolDecInt4G8
	fBoolDecInt8G8
	fBoolDecF32AsF64LE
	fBoolDecF64AsF32LE

	// An fDecInt* op and the int or float conversion after it: the
	// prefix is an integer item read from the 8 record bytes at roff2
	// (see fastOp.prefixInt) and stored as 8 bytes at goff2, its range
	// checked as fits checks with bias2 and mask2. Both checks come
	// before either store, and the prefix's store before the main op's,
	// which overwrites whatever of the main op's field the prefix's 8
	// bytes covered.
	fIntDecInt1G8
	fIntDecInt2G8
	fIntDecInt4G8
	fIntDecInt8G8
	fIntDecInt1 // the main op's Go integer has fewer than 8 bytes
	fIntDecInt2
	fIntDecInt4
	fIntDecInt8
	fIntDecF32AsF64LE
	fIntDecF64AsF32LE

	fUnused58 // this value and those up to 63 are no kind
)

// The kinds only the fast loop of MarshalAppend runs (see fuseEncoding),
// which switches on fast&63. They share their values with the decoding
// kinds above, which only Unmarshal's loop meets.
const (
	// opEncInt from a Go integer of 8 bytes, to an item of 1, 2, 4 or 8.
	fEncInt1G8 fastKind = 32 + iota
	fEncInt2G8
	fEncInt4G8
	fEncInt8G8

	// An fEncInt* op and the int or float conversion after it: the
	// prefix is the Go integer at goff2 (see fastOp.encPrefixInt),
	// its range checked with bias2 and mask2, stored little-endian as 8
	// record bytes at roff2. Both checks come before either store, and
	// the prefix's store before the main op's; the record bytes past the
	// prefix's item belong to the main op or to ops after it, which
	// write them again.
	fIntEncInt1G8
	fIntEncInt2G8
	fIntEncInt4G8
	fIntEncInt8G8
	fIntEncInt1 // the main op's Go integer has fewer than 8 bytes
	fIntEncInt2
	fIntEncInt4
	fIntEncInt8
	fIntEncF32AsF64LE
	fIntEncF64AsF32LE

	// The same main ops after an fCopy8 prefix, which moves the 8 Go
	// bytes at goff2 to the record at roff2 before the main op's store.
	fCopyEncInt1G8
	fCopyEncInt2G8
	fCopyEncInt4G8
	fCopyEncInt8G8
	fCopyEncInt1
	fCopyEncInt2
	fCopyEncInt4
	fCopyEncInt8
	fCopyEncF32AsF64LE
	fCopyEncF64AsF32LE

	fUnusedEnc56 // this value and those up to 63 are no encoding kind
)

// fUnused29 is no kind.
const fUnused29 fastKind = 29

// wireKind is the record encoding of one integer or float item.
type wireKind uint8

const (
	w1 wireKind = iota
	w2le
	w4le
	w8le
	w2be
	w4be
	w8be
)

func wireOf(size int, bigEndian bool) wireKind {
	var w wireKind
	switch size {
	case 1:
		return w1
	case 2:
		w = w2le
	case 4:
		w = w4le
	default:
		w = w8le
	}
	if bigEndian {
		w += w2be - w2le
	}
	return w
}

// An op moves the values of one run of fields between a record and a Go
// value. It holds what the loops read, in 56 bytes; what only errors
// need is in the op's opInfo, at the same index of a parallel slice.
type op struct {
	fast    fastKind
	kind    opKind
	wire    wireKind // record encoding of one item
	ik      intKind  // Go integer kind
	check   bool     // the value needs a range check
	signed  bool     // decoding: the code is signed
	gstride uint8    // distance between items in the Go value
	rstride uint8    // distance between items in the record
	trim    bool     // decoding 's' into a string or []byte: drop trailing NUL bytes
	gi      uint32   // in a fastOp: the index of its first op in binding.enc or binding.dec
	roff    uintptr  // offset in the record
	goff    uintptr  // offset in the Go value
	n       uintptr  // number of items, or of bytes for copies, zeroing and byte strings
	bias    uint64   // fEncInt* and fDecInt*: the range check (see fits)
	mask    uint64
}

// A fastOp is an op of the fast loops of MarshalAppend and Unmarshal (see
// fuseEncoding and fuseDecoding), with the prefix of a fused op.
type fastOp struct {
	op
	roff2 uintptr // the prefix of a fused op (fCopyDec*, fIntEnc*...): offset in the record
	goff2 uintptr // and in the Go value
	bias2 uint64  // fIntDec* and fIntEnc*: the prefix's range check
	mask2 uint64
	m2    uint64 // and the mask and sign bit that extend it (see extend)
	sb2   uint64
}

// fastOpSize is the size of a fastOp, the step of the fast loops of
// MarshalAppend and Unmarshal.
const fastOpSize = unsafe.Sizeof(fastOp{})

// opInfo is the part of an op that only range checks and errors read.
type opInfo struct {
	item  int    // index of the first value
	slot  int    // index of the Go field in binding.slots
	coder *coder // the format field's coder: its range and its code
	parts bool   // the op's items are the two parts of each complex value
}

// value returns the index, among the op's values, of the value of item j:
// j itself, or j/2 when the items are complex values' parts.
func (info *opInfo) value(j uintptr) int {
	if info.parts {
		return int(j / 2)
	}
	return int(j)
}

// A pendingOp is an op with its info, while a binding is built.
type pendingOp struct {
	op
	opInfo
	bools bool // decoding: a copy of Go bools, which an opDecBool must follow (see boolFixes)
}

// opSize is the size of an op, the step of the fast loops.
const opSize = unsafe.Sizeof(op{})

// split returns the ops and their infos as parallel slices, the ops ending
// with an opEnd, which the fast loops stop at.
func split(pending []pendingOp) ([]op, []opInfo) {
	ops, infos := make([]op, len(pending)+1), make([]opInfo, len(pending)+1)
	for i, p := range pending {
		ops[i], infos[i] = p.op, p.opInfo
	}
	ops[len(pending)] = op{fast: fEnd, kind: opEnd}
	return ops, infos
}

// specialize picks out the special cases the fast loops run inline.
func specialize(ops []pendingOp) []pendingOp {
	for i := range ops {
		o := &ops[i]
		o.fast = fSlow
		le1 := o.n == 1 && (o.wire == w1 || o.wire == w2le || o.wire == w4le || o.wire == w8le)
		switch {
		case o.kind == opEncInt && le1:
			// The Go value, in the range of its kind, must be in the code's
			// (which holds the kind's whole range if there is no check).
			lo, hi := o.ik.bounds()
			clo, chi := lo, hi
			if o.check {
				clo, chi = o.coder.min, o.coder.max
			}
			if bs, ms, ok := fitShifts(lo, hi, clo, chi); ok {
				o.setFit(bs, ms)
				o.fast = [...]fastKind{w1: fEncInt1, w2le: fEncInt2, w4le: fEncInt4, w8le: fEncInt8}[o.wire]
			}
		case o.kind == opDecInt && le1:
			// The record's item, in the range of its size and signedness,
			// must be in the Go kind's.
			lo, hi := o.ik.bounds()
			nb := 8 << o.wire // w1, w2le, w4le, w8le
			clo, chi := int64(0), ^uint64(0)>>(64-nb)
			if o.signed {
				clo, chi = -1<<(nb-1), 1<<(nb-1)-1
			}
			if bs, ms, ok := fitShifts(lo, hi, clo, chi); ok {
				o.setFit(bs, ms)
				o.fast = [...]fastKind{w1: fDecInt1, w2le: fDecInt2, w4le: fDecInt4, w8le: fDecInt8}[o.wire]
			}
		case o.kind == opEncF64AsF32 && o.n == 1 && o.wire == w4le:
			o.fast = fEncF64AsF32LE
		case o.kind == opEncF32AsF64 && o.n == 1 && o.wire == w8le:
			o.fast = fEncF32AsF64LE
		case (o.kind == opEncHalf32 || o.kind == opEncHalf64) && o.n == 1 && o.wire == w2le:
			o.fast = fEncHalfLE
		case o.kind == opDecF32AsF64 && o.n == 1 && o.wire == w4le:
			o.fast = fDecF32AsF64LE
		case o.kind == opDecF64AsF32 && o.n == 1 && o.wire == w8le:
			o.fast = fDecF64AsF32LE
		case (o.kind == opDecHalf32 || o.kind == opDecHalf64) && o.n == 1 && o.wire == w2le:
			o.fast = fDecHalfLE
		case o.kind == opCopy && o.n > 0 && o.n <= 32:
			o.fast = [...]fastKind{fCopy1, fCopy2, fCopy3, fCopy4, fCopy7, fCopy7, fCopy7, fCopy8,
				fCopy16, fCopy16, fCopy16, fCopy16, fCopy16, fCopy16, fCopy16, fCopy16,
				fCopy32, fCopy32, fCopy32, fCopy32, fCopy32, fCopy32, fCopy32, fCopy32,
				fCopy32, fCopy32, fCopy32, fCopy32, fCopy32, fCopy32, fCopy32, fCopy32}[o.n-1]
		case o.kind == opZero && o.n > 0 && o.n <= 8:
			o.fast = [...]fastKind{fZero1, fZero3, fZero3, fZero7, fZero7, fZero7, fZero7, fZero8}[o.n-1]
		case o.kind == opEncF32 && o.n == 1 && o.wire == w4le:
			o.fast = fEncF32LE
		case o.kind == opDecF32 && o.n == 1 && o.wire == w4le:
			o.fast = fDecF32LE
		case o.kind == opDecBool && o.n == 1:
			o.fast = fDecBool1
		}
	}
	return ops
}

// fuseDecoding returns the ops of Unmarshal's fast loop, made from dec,
// the decoding ops of a binding after specialize: the same ops, with
// integers into Go integers of 8 bytes made fDecInt*G8, and an fCopy8 or
// fDecBool1 joined, as its prefix, to the conversion after it that can
// take one. Each op keeps in gi the index in dec of its first op: the
// fast loop hands the record to decodeFrom from there. A fused op does
// its prefix before its check, so that when the check fails, decodeFrom
// redoes the prefix, writing the same bytes again, and fails where the
// general loop fails, with the same fields set.
//
// An integer op is also joined to the int or float conversion after it,
// as its prefix, when the record has 8 bytes from the integer's item on
// and, if its Go integer is narrower than 8 bytes, the host is
// little-endian and the Go bytes after it, up to 8, are the main op's
// field. size is the record size.
func fuseDecoding(dec []op, size uintptr) []fastOp {
	if uint64(len(dec)) > math.MaxUint32 {
		// Cannot happen (a Go type with that many fields): let decodeFrom
		// run it all.
		return []fastOp{{op: op{fast: fSlow, kind: opCopy}}, {op: op{fast: fEnd, kind: opEnd}}}
	}
	out := make([]fastOp, 0, len(dec))
	for i, d := range dec {
		o := fastOp{op: d}
		o.gi = uint32(i)
		if o.gstride == 8 {
			switch o.fast {
			case fDecInt1:
				o.fast = fDecInt1G8
			case fDecInt2:
				o.fast = fDecInt2G8
			case fDecInt4:
				o.fast = fDecInt4G8
			case fDecInt8:
				o.fast = fDecInt8G8
			}
		}
		if n := len(out); n > 0 && (out[n-1].fast == fCopy8 || out[n-1].fast == fDecBool1) {
			p := out[n-1]
			fused := fSlow
			switch o.fast {
			case fDecInt1G8, fDecInt2G8, fDecInt4G8, fDecInt8G8:
				fused = fCopyDecInt1G8 + o.fast - fDecInt1G8
			case fDecF32AsF64LE:
				fused = fCopyDecF32AsF64LE
			case fDecF64AsF32LE:
				fused = fCopyDecF64AsF32LE
			}
			if fused != fSlow {
				if p.fast == fDecBool1 {
					fused += fBoolDecInt1G8 - fCopyDecInt1G8
				}
				o.fast, o.gi, o.roff2, o.goff2 = fused, p.gi, p.roff, p.goff
				out[n-1] = o
				continue
			}
		}
		if n := len(out); n > 0 {
			if p := out[n-1]; intPrefix(&p.op, &o.op, size) {
				fused := fSlow
				switch o.fast {
				case fDecInt1G8, fDecInt2G8, fDecInt4G8, fDecInt8G8:
					fused = fIntDecInt1G8 + o.fast - fDecInt1G8
				case fDecInt1, fDecInt2, fDecInt4, fDecInt8:
					fused = fIntDecInt1 + o.fast - fDecInt1
				case fDecF32AsF64LE:
					fused = fIntDecF32AsF64LE
				case fDecF64AsF32LE:
					fused = fIntDecF64AsF32LE
				}
				if fused != fSlow {
					// The prefix's item is the first w of the 8 record
					// bytes at p.roff.
					o.roff2, o.goff2, o.bias2, o.mask2 = p.roff, p.goff, p.bias, p.mask
					o.setExtend(1<<p.wire, p.signed) // w1, w2le, w4le, w8le
					o.fast, o.gi = fused, p.gi
					out[n-1] = o
					continue
				}
			}
		}
		out = append(out, o)
	}
	return out
}

// fuseEncoding returns the ops of MarshalAppend's fast loop, made from
// enc, the encoding ops of a binding after specialize: the same ops, with
// integers from Go integers of 8 bytes made fEncInt*G8, and an integer op
// joined, as its prefix, to the int or float conversion after it, when
// the record has 8 bytes from the prefix's item on and, if its Go integer
// is narrower than 8 bytes, the host is little-endian and the Go bytes
// after it, up to 8, are the main op's field. A copy of fewer than 8
// bytes moves 8 when the record and the Go value hold them and the Go
// bytes it then also reads are padding, and a copy of 8 is joined in
// the same way, as a prefix, to the conversion after it. Each op keeps
// in gi the index in enc of its first op: the fast loop hands the record
// to appendFrom from there, which writes every record byte from that
// op's on.
//
// The record bytes an op writes past its item's (a prefix's, a widened
// copy's) are those of ops after it, which the encoding ops list in the
// order of their items, their pads last: those ops write them again.
// t is the Go type, size the record size.
func fuseEncoding(enc []op, t reflect.Type, size uintptr) []fastOp {
	if uint64(len(enc)) > math.MaxUint32 {
		// Cannot happen (a Go type with that many fields): let appendFrom
		// run it all.
		return []fastOp{{op: op{fast: fSlow, kind: opCopy}}, {op: op{fast: fEnd, kind: opEnd}}}
	}
	out := make([]fastOp, 0, len(enc))
	for i, e := range enc {
		o := fastOp{op: e}
		o.gi = uint32(i)
		if o.gstride == 8 && o.fast >= fEncInt1 && o.fast <= fEncInt8 {
			o.fast = fEncInt1G8 + o.fast - fEncInt1
		}
		if o.kind == opCopy && o.n < 8 && o.roff+8 <= size && o.goff+8 <= t.Size() && !touchesField(t, 0, o.goff+o.n, o.goff+8) {
			o.fast, o.n = fCopy8, 8
		}
		if n := len(out); n > 0 && out[n-1].fast == fCopy8 {
			p := out[n-1]
			fused := fSlow
			switch o.fast {
			case fEncInt1G8, fEncInt2G8, fEncInt4G8, fEncInt8G8:
				fused = fCopyEncInt1G8 + o.fast - fEncInt1G8
			case fEncInt1, fEncInt2, fEncInt4, fEncInt8:
				fused = fCopyEncInt1 + o.fast - fEncInt1
			case fEncF32AsF64LE:
				fused = fCopyEncF32AsF64LE
			case fEncF64AsF32LE:
				fused = fCopyEncF64AsF32LE
			}
			if fused != fSlow {
				o.fast, o.gi, o.roff2, o.goff2 = fused, p.gi, p.roff, p.goff
				out[n-1] = o
				continue
			}
		}
		if n := len(out); n > 0 {
			if p := out[n-1]; encPrefix(&p.op, &o.op, size) {
				fused := fSlow
				switch o.fast {
				case fEncInt1G8, fEncInt2G8, fEncInt4G8, fEncInt8G8:
					fused = fIntEncInt1G8 + o.fast - fEncInt1G8
				case fEncInt1, fEncInt2, fEncInt4, fEncInt8:
					fused = fIntEncInt1 + o.fast - fEncInt1
				case fEncF32AsF64LE:
					fused = fIntEncF32AsF64LE
				case fEncF64AsF32LE:
					fused = fIntEncF64AsF32LE
				}
				if fused != fSlow {
					o.roff2, o.goff2, o.bias2, o.mask2 = p.roff, p.goff, p.bias, p.mask
					o.setExtend(uintptr(p.gstride), p.ik.signed())
					o.fast, o.gi = fused, p.gi
					out[n-1] = o
					continue
				}
			}
		}
		out = append(out, o)
	}
	return out
}

// encPrefix reports whether p, an op of MarshalAppend's fast loop, may be
// the integer prefix of o, the op after it: p is a plain fEncInt* op, the
// record holds 8 bytes from its item on, and the 8 Go bytes it loads are
// its own integer and o's field.
func encPrefix(p, o *op, size uintptr) bool {
	switch p.fast {
	case fEncInt1, fEncInt2, fEncInt4, fEncInt8, fEncInt1G8, fEncInt2G8, fEncInt4G8, fEncInt8G8:
	default:
		return false
	}
	if p.roff+8 > size {
		return false
	}
	if p.gstride == 8 {
		return true
	}
	ms := uintptr(o.gstride)
	if o.fast == fEncF32AsF64LE {
		ms = 4
	}
	return !cabi.BigEndian && o.goff == p.goff+uintptr(p.gstride) && p.goff+8 <= o.goff+ms
}

// encPrefixInt returns the Go integer of the prefix of an fIntEnc* op,
// sign-extended if its kind is signed: the first bytes of the 8 at goff2.
func (o *fastOp) encPrefixInt(base unsafe.Pointer) uint64 {
	return o.extend(*(*uint64)(unsafe.Add(base, o.goff2)))
}

// setExtend sets the mask and sign bit with which extend takes the
// integer of w bytes, signed or not, from the start of 8 little-endian
// bytes.
func (o *fastOp) setExtend(w uintptr, signed bool) {
	o.m2, o.sb2 = ^uint64(0), 0
	if w < 8 {
		o.m2 = 1<<(8*w) - 1
		if signed {
			o.sb2 = 1 << (8*w - 1)
		}
	}
}

// extend returns the integer in the low bytes of x that setExtend
// describes, sign-extended if it is signed: masked, its sign bit flipped,
// and the sign bit's value taken away, which leaves a value without its
// sign bit as it was and makes one with it negative.
func (o *fastOp) extend(x uint64) uint64 {
	return (x&o.m2 ^ o.sb2) - o.sb2
}

// intPrefix reports whether p, an op of Unmarshal's fast loop, may be the
// integer prefix of o, the op after it: p is a plain fDecInt* op, the
// record holds 8 bytes from its item on, and the 8 bytes it stores hold
// only its own Go integer and o's field, which o writes after it.
func intPrefix(p, o *op, size uintptr) bool {
	switch p.fast {
	case fDecInt1, fDecInt2, fDecInt4, fDecInt8, fDecInt1G8, fDecInt2G8, fDecInt4G8, fDecInt8G8:
	default:
		return false
	}
	if p.roff+8 > size {
		return false
	}
	if p.gstride == 8 {
		return true
	}
	// The Go bytes past p's integer, up to 8, must be o's field: not
	// padding either, which the general loop leaves as it is.
	ms := uintptr(o.gstride)
	if o.fast == fDecF64AsF32LE {
		ms = 4
	}
	return !cabi.BigEndian && o.goff == p.goff+uintptr(p.gstride) && p.goff+8 <= o.goff+ms
}

// prefixInt returns the integer prefix of an fIntDec* op, sign-extended
// if its code is signed: the first bytes of the 8 record bytes at roff2.
func (o *fastOp) prefixInt(rec unsafe.Pointer) uint64 {
	return o.extend(le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:]))
}

// prefixBad returns 0 if u2, the integer prefix of an fIntDec* op, passes
// its range check, as fits does.
func (o *fastOp) prefixBad(u2 uint64) uint64 {
	return (u2 + o.bias2) & o.mask2
}

// storeGoInt stores u in the Go integer of gstride bytes at g.
func storeGoInt(g unsafe.Pointer, gstride uint8, u uint64) {
	switch gstride {
	case 4:
		*(*uint32)(g) = uint32(u)
	case 2:
		*(*uint16)(g) = uint16(u)
	case 1:
		*(*uint8)(g) = uint8(u)
	default:
		*(*uint64)(g) = u
	}
}

// copyPrefix runs the prefix of an fCopyDec* op: an fCopy8.
func (o *fastOp) copyPrefix(rec, base unsafe.Pointer) {
	le.PutUint64((*[8]byte)(unsafe.Add(base, o.goff2))[:], le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:]))
}

// encCopyPrefix runs the prefix of an fCopyEnc* op: an fCopy8.
func (o *fastOp) encCopyPrefix(rec, base unsafe.Pointer) {
	le.PutUint64((*[8]byte)(unsafe.Add(rec, o.roff2))[:], le.Uint64((*[8]byte)(unsafe.Add(base, o.goff2))[:]))
}

// boolPrefix runs the prefix of an fBoolDec* op: an fDecBool1.
func (o *fastOp) boolPrefix(rec, base unsafe.Pointer) {
	*(*bool)(unsafe.Add(base, o.goff2)) = *(*byte)(unsafe.Add(rec, o.roff2)) != 0
}

// decIntG8 is decInt for an op whose Go integer has 8 bytes.
func (o *op) decIntG8(g unsafe.Pointer, u uint64) bool {
	if !o.fits(u) {
		return false
	}
	*(*uint64)(g) = u
	return true
}

// index returns the index in ops of o, an element of it.
func index(ops []op, o *op) int {
	return int((uintptr(unsafe.Pointer(o)) - uintptr(unsafe.Pointer(unsafe.SliceData(ops)))) / opSize)
}

// recordLen returns the number of record bytes the op writes when encoding.
func (o *op) recordLen() uintptr {
	switch o.kind {
	case opCopy, opZero, opEncString, opEncBytes, opEncPascalString, opEncPascalBytes:
		return o.n
	}
	return o.n * uintptr(o.rstride)
}

// The fast loops of MarshalAppend and Unmarshal (bind.go) run the special
// cases inline and, at the first op of another kind, hand the rest of the
// record to appendFrom or decodeFrom, which run every kind. Calling them
// only in tail position keeps the fast loops free of register spills.

// appendRecord packs the Go value at base into a record appended to dst,
// which has room for it.
func (b *binding) appendRecord(dst []byte, base unsafe.Pointer) ([]byte, error) {
	n := len(dst)
	return b.appendFrom(0, dst[:n+b.s.Size()], n, base)
}

// appendFrom runs the encoding ops from the i'th on, into the record at
// dst[n:]. On error it returns dst[:n].
func (b *binding) appendFrom(i int, dst []byte, n int, base unsafe.Pointer) ([]byte, error) {
	if b.gen != nil {
		return b.gen.marshal(hide(base), dst[:n])
	}
	if n == len(dst) {
		return dst, nil // a record of no bytes
	}
	rec := unsafe.Pointer(&dst[n])
	for ; i < len(b.enc)-1; i++ {
		o := &b.enc[i]
		if j, code := encodeOp(o, &b.encInfo[i], unsafe.Add(rec, o.roff), unsafe.Add(base, o.goff)); code != errNone {
			return dst[:n], b.encodeError(i, j, code)
		}
	}
	return dst, nil
}

// encodeOp runs one op of any kind: r is its place in the record, g in the
// Go value.
func encodeOp(o *op, info *opInfo, r, g unsafe.Pointer) (uintptr, errCode) {
	switch o.kind {
	case opCopy:
		copyMem(r, g, o.n)
	case opZero:
		clear(unsafe.Slice((*byte)(r), o.n))
	case opEncInt:
		for j := uintptr(0); j < o.n; j++ {
			u := loadInt(unsafe.Add(g, j*uintptr(o.gstride)), o.ik)
			if o.check {
				c := info.coder
				if !inRange(u, o.ik.signed(), c.min, c.max) {
					return j, c.rangeError()
				}
			}
			storeWire(unsafe.Add(r, j*uintptr(o.rstride)), o.wire, u)
		}
	case opEncF32:
		for j := uintptr(0); j < o.n; j++ {
			storeWire(unsafe.Add(r, j*4), o.wire, uint64(quiet32(*(*uint32)(unsafe.Add(g, j*4)))))
		}
	case opEncF64AsF32:
		for j := uintptr(0); j < o.n; j++ {
			bits, ok := float32Bits(*(*float64)(unsafe.Add(g, j*8)))
			if !ok {
				return j, errFloatRange
			}
			storeWire(unsafe.Add(r, j*4), o.wire, uint64(bits))
		}
	case opEncF32AsF64:
		for j := uintptr(0); j < o.n; j++ {
			f := float64(*(*float32)(unsafe.Add(g, j*4)))
			storeWire(unsafe.Add(r, j*8), o.wire, math.Float64bits(f))
		}
	case opEncHalf32, opEncHalf64:
		for j := uintptr(0); j < o.n; j++ {
			var f float64
			if o.kind == opEncHalf32 {
				f = float64(*(*float32)(unsafe.Add(g, j*4)))
			} else {
				f = *(*float64)(unsafe.Add(g, j*8))
			}
			h, ok := half.FromFloat64(f)
			if !ok {
				return j, errFloatRange
			}
			storeWire(unsafe.Add(r, j*2), o.wire, uint64(h))
		}
	case opEncString:
		putPadded(r, o.n, *(*string)(g))
	case opEncBytes:
		putPadded(r, o.n, *(*[]byte)(g))
	case opEncPascalString:
		putPascal(r, o.n, *(*string)(g))
	case opEncPascalBytes:
		putPascal(r, o.n, *(*[]byte)(g))
	}
	return 0, errNone
}

// inRange reports whether the integer u, sign-extended if signed, lies in
// [lo, hi].
func inRange(u uint64, signed bool, lo int64, hi uint64) bool {
	if signed {
		v := int64(u)
		return v >= lo && (v < 0 || u <= hi)
	}
	return u <= hi
}

// holds reports whether a Go integer of kind k holds the integer u,
// sign-extended if signed.
func (k intKind) holds(u uint64, signed bool) bool {
	lo, hi := k.bounds()
	return inRange(u, signed, lo, hi)
}

// fitShifts returns the shifts of the range check of an fEncInt or fDecInt
// op (see op.fits): the values that pass are those in both [lo1, hi1] and
// [lo2, hi2], the ranges of the Go kind and of the code. ok is false if
// there are no such shifts.
func fitShifts(lo1 int64, hi1 uint64, lo2 int64, hi2 uint64) (biasShift, maskShift uint8, ok bool) {
	lo, hi := max(lo1, lo2), min(hi1, hi2)
	k := bits.Len64(hi) // hi is 2^k-1, if anything
	switch {
	case hi != 1<<k-1 || k == 0:
		return 0, 0, false
	case lo == 0:
		// [0, 2^k-1]: the bits from k on are clear.
		return 0, uint8(k - 1), true
	case k == 63 && lo == math.MinInt64:
		// Every int64 passes.
		return 0, 63, true
	case lo == -1<<k:
		// [-2^k, 2^k-1]: adding 2^k leaves the bits from k+1 on clear.
		return uint8(k + 1), uint8(k), true
	}
	return 0, 0, false
}

// fits reports whether u, the integer of an fEncInt or fDecInt op (the Go
// value sign-extended if its kind is signed, or the record's item if the
// code is), passes the op's range check. An integer's bits are the same
// whether it is seen as signed or not, and the ranges fitShifts accepts
// are 2^k integers apart at most, so adding a bias and masking is exact.
func (o *op) fits(u uint64) bool {
	return (u+o.bias)&o.mask == 0
}

// setFit sets the range check of o from the shifts of fitShifts.
func (o *op) setFit(biasShift, maskShift uint8) {
	o.bias, o.mask = uint64(1)<<biasShift>>1, ^uint64(0)<<maskShift<<1
}

// decInt stores u, the value of an fDecInt op's item (sign-extended if
// the code is signed), in the Go integer at g, and reports true; or, if
// the value does not fit there, stores nothing and reports false.
func (o *op) decInt(g unsafe.Pointer, u uint64) bool {
	if !o.fits(u) {
		return false
	}
	switch o.gstride {
	case 8: // int, int64, uint64 first: the common conversions
		*(*uint64)(g) = u
	case 4:
		*(*uint32)(g) = uint32(u)
	case 2:
		*(*uint16)(g) = uint16(u)
	default:
		*(*uint8)(g) = uint8(u)
	}
	return true
}

// encInt loads the Go integer of an fEncInt op at g, sign-extended if its
// kind is signed.
func (o *op) encInt(g unsafe.Pointer) uint64 {
	var u uint64
	switch o.gstride {
	case 1:
		u = uint64(*(*uint8)(g))
		if o.ik.signed() {
			u = uint64(int8(u))
		}
	case 2:
		u = uint64(*(*uint16)(g))
		if o.ik.signed() {
			u = uint64(int16(u))
		}
	case 4:
		u = uint64(*(*uint32)(g))
		if o.ik.signed() {
			u = uint64(int32(u))
		}
	default:
		u = *(*uint64)(g)
	}
	return u
}

// loadFloat loads the float32 (size 4) or float64 at p.
func loadFloat(p unsafe.Pointer, size uint8) float64 {
	if size == 4 {
		return float64(*(*float32)(p))
	}
	return *(*float64)(p)
}

// storeFloat stores f as the float32 (size 4) or float64 at p.
func storeFloat(p unsafe.Pointer, size uint8, f float64) {
	if size == 4 {
		*(*float32)(p) = float32(f)
		return
	}
	*(*float64)(p) = f
}

// quiet32 returns the binary32 bits f with the quiet bit set if f is a NaN,
// as CPython's float conversions leave it.
func quiet32(f uint32) uint32 {
	if f&0x7f800000 == 0x7f800000 && f&0x7fffff != 0 {
		f |= 0x400000
	}
	return f
}

// le is the byte order of the special cases.
var le = binary.LittleEndian

// copy3 copies 3 bytes from src to dst.
func copy3(dst, src unsafe.Pointer) {
	a := le.Uint16((*[2]byte)(src)[:])
	b := *(*byte)(unsafe.Add(src, 2))
	le.PutUint16((*[2]byte)(dst)[:], a)
	*(*byte)(unsafe.Add(dst, 2)) = b
}

// copy7 copies n bytes, 4 < n < 8, from src to dst.
func copy7(dst, src unsafe.Pointer, n uintptr) {
	a := le.Uint32((*[4]byte)(src)[:])
	b := le.Uint32((*[4]byte)(unsafe.Add(src, n-4))[:])
	le.PutUint32((*[4]byte)(dst)[:], a)
	le.PutUint32((*[4]byte)(unsafe.Add(dst, n-4))[:], b)
}

// copy16 copies n bytes, 8 < n <= 16, from src to dst.
func copy16(dst, src unsafe.Pointer, n uintptr) {
	a := le.Uint64((*[8]byte)(src)[:])
	b := le.Uint64((*[8]byte)(unsafe.Add(src, n-8))[:])
	le.PutUint64((*[8]byte)(dst)[:], a)
	le.PutUint64((*[8]byte)(unsafe.Add(dst, n-8))[:], b)
}

// copy32 copies n bytes, 16 < n <= 32, from src to dst.
func copy32(dst, src unsafe.Pointer, n uintptr) {
	a := le.Uint64((*[8]byte)(src)[:])
	b := le.Uint64((*[8]byte)(unsafe.Add(src, 8))[:])
	c := le.Uint64((*[8]byte)(unsafe.Add(src, n-16))[:])
	d := le.Uint64((*[8]byte)(unsafe.Add(src, n-8))[:])
	le.PutUint64((*[8]byte)(dst)[:], a)
	le.PutUint64((*[8]byte)(unsafe.Add(dst, 8))[:], b)
	le.PutUint64((*[8]byte)(unsafe.Add(dst, n-16))[:], c)
	le.PutUint64((*[8]byte)(unsafe.Add(dst, n-8))[:], d)
}

// putPadded stores b in the n bytes at r, truncated or zero-padded: 's'.
func putPadded[T string | []byte](r unsafe.Pointer, n uintptr, b T) {
	dst := unsafe.Slice((*byte)(r), n)
	k := copy(dst, b)
	clear(dst[k:])
}

// putPascal stores b in the n bytes at r as 'p' does: a length byte, at
// most n-1 bytes of b, zero padding. n is at least 1.
func putPascal[T string | []byte](r unsafe.Pointer, n uintptr, b T) {
	dst := unsafe.Slice((*byte)(r), n)
	k := copy(dst[1:], b)
	dst[0] = byte(min(k, 255))
	clear(dst[1+k:])
}

// decodeFrom runs the decoding ops from the i'th on, from buf, a record of
// the right size, into the Go value at base. string and []byte values are
// carved from *arena, which may be nil if there are none.
func (b *binding) decodeFrom(i int, buf []byte, base unsafe.Pointer, arena *[]byte) error {
	if b.gen != nil {
		return b.gen.unmarshal(hide(base), buf)
	}
	// A record of no bytes has only ops for fields of no bytes, which do
	// not read it.
	rec := unsafe.Pointer(unsafe.SliceData(buf))
	for ; i < len(b.dec)-1; i++ {
		o := &b.dec[i]
		if j, ok := decodeOp(o, rec, unsafe.Add(base, o.goff), arena); !ok {
			return b.decodeError(i, j, buf)
		}
	}
	return nil
}

// decodeRecords unpacks the records of buf, each of size bytes, into the
// elements of the array at base. It runs the special cases inline, as
// Unmarshal does, and hands the rest of a record to decodeFrom. On error it
// returns the index of the record at fault.
func (b *binding) decodeRecords(buf []byte, size int, base unsafe.Pointer, arena *[]byte) (int, error) {
	if b.gen != nil && b.gen.unmarshalSlice != nil {
		return b.gen.unmarshalSlice(hide(base), len(buf)/size, buf)
	}
	ops, stride := b.dec, b.t.Size()
	count := len(buf) / size
	if b.columns {
		b.decodeColumns(buf, size, count, base)
		return count, nil
	}
records:
	for k := range count {
		rec := unsafe.Pointer(&buf[k*size])
		elem := unsafe.Add(base, uintptr(k)*stride)
		o := &ops[0]
	ops:
		for ; ; o = (*op)(unsafe.Add(unsafe.Pointer(o), opSize)) { // ops end with an opEnd
			g := unsafe.Add(elem, o.goff)
			switch o.fast & 31 {
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
					break ops
				}
			case fDecInt2:
				if !o.decInt(g, ext16(uint64(le.Uint16((*[2]byte)(unsafe.Add(rec, o.roff))[:])), o.signed)) {
					break ops
				}
			case fDecInt4:
				if !o.decInt(g, ext32(uint64(le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:])), o.signed)) {
					break ops
				}
			case fDecInt8:
				if !o.decInt(g, le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff))[:])) {
					break ops
				}
			case fDecF32AsF64LE:
				*(*float64)(g) = float32ToFloat64(le.Uint32((*[4]byte)(unsafe.Add(rec, o.roff))[:]))
			case fDecF64AsF32LE:
				f := math.Float64frombits(le.Uint64((*[8]byte)(unsafe.Add(rec, o.roff))[:]))
				f32 := float32(f)
				if float64(f32) != f && f == f {
					break ops
				}
				*(*float32)(g) = f32
			case fDecHalfLE:
				storeFloat(g, o.gstride, half.ToFloat64(le.Uint16((*[2]byte)(unsafe.Add(rec, o.roff))[:])))
			case fEnd:
				continue records
			case fSlow:
				break ops
			}
		}
		// An op the loop does not run, or a value that failed its check:
		// the general loop runs the rest of the record.
		if err := b.decodeFrom(index(ops, o), buf[k*size:(k+1)*size], elem, arena); err != nil {
			return k, err
		}
	}
	return count, nil
}

// infallible reports whether decoding op o cannot fail and needs no arena.
func infallible(o *op) bool {
	switch o.kind {
	case opEnd, opCopy, opDecBool, opDecF32, opDecF32AsF64, opDecHalf32, opDecHalf64:
		return true
	case opDecInt:
		return !o.check
	}
	return false
}

// columnRun is the number of records decodeColumns runs each op over in
// turn: a run's records and elements stay in the first-level cache.
const columnRun = 64

// decodeColumns unpacks the count records of buf, each of size bytes, into
// the elements of the array at base, for a binding whose decoding ops
// cannot fail (see binding.columns). It runs the ops a run of records at
// a time: the first op over every record of the run, then the next, so
// that each op costs one dispatch per run instead of one per record. Each
// element still gets its record's ops in their order, and nothing else
// touches it, so the values are those record-by-record decoding gives.
func (b *binding) decodeColumns(buf []byte, size, count int, base unsafe.Pointer) {
	stride, rsize := b.t.Size(), uintptr(size)
	for k0 := 0; k0 < count; k0 += columnRun {
		n := min(columnRun, count-k0)
		rec := unsafe.Pointer(&buf[k0*size])
		elem := unsafe.Add(base, uintptr(k0)*stride)
		for i := range len(b.dec) - 1 {
			o := &b.dec[i]
			// ro and gof are the op's offsets from rec and elem in the
			// run's record and element at hand.
			ro, gof := o.roff, o.goff
			switch o.fast & 31 {
			case fCopy1:
				for range n {
					*(*byte)(unsafe.Add(elem, gof)) = *(*byte)(unsafe.Add(rec, ro))
					ro, gof = ro+rsize, gof+stride
				}
			case fCopy2:
				for range n {
					*(*uint16)(unsafe.Add(elem, gof)) = *(*uint16)(unsafe.Add(rec, ro))
					ro, gof = ro+rsize, gof+stride
				}
			case fCopy4:
				for range n {
					*(*uint32)(unsafe.Add(elem, gof)) = *(*uint32)(unsafe.Add(rec, ro))
					ro, gof = ro+rsize, gof+stride
				}
			case fCopy8:
				for range n {
					*(*uint64)(unsafe.Add(elem, gof)) = *(*uint64)(unsafe.Add(rec, ro))
					ro, gof = ro+rsize, gof+stride
				}
			case fCopy16:
				for range n {
					copy16(unsafe.Add(elem, gof), unsafe.Add(rec, ro), o.n)
					ro, gof = ro+rsize, gof+stride
				}
			case fDecBool1:
				for range n {
					*(*bool)(unsafe.Add(elem, gof)) = *(*byte)(unsafe.Add(rec, ro)) != 0
					ro, gof = ro+rsize, gof+stride
				}
			case fDecF32LE:
				for range n {
					*(*uint32)(unsafe.Add(elem, gof)) = quiet32(le.Uint32((*[4]byte)(unsafe.Add(rec, ro))[:]))
					ro, gof = ro+rsize, gof+stride
				}
			case fDecInt1:
				for range n {
					o.decInt(unsafe.Add(elem, gof), ext8(uint64(*(*byte)(unsafe.Add(rec, ro))), o.signed))
					ro, gof = ro+rsize, gof+stride
				}
			case fDecInt2:
				for range n {
					o.decInt(unsafe.Add(elem, gof), ext16(uint64(le.Uint16((*[2]byte)(unsafe.Add(rec, ro))[:])), o.signed))
					ro, gof = ro+rsize, gof+stride
				}
			case fDecInt4:
				for range n {
					o.decInt(unsafe.Add(elem, gof), ext32(uint64(le.Uint32((*[4]byte)(unsafe.Add(rec, ro))[:])), o.signed))
					ro, gof = ro+rsize, gof+stride
				}
			case fDecInt8:
				for range n {
					o.decInt(unsafe.Add(elem, gof), le.Uint64((*[8]byte)(unsafe.Add(rec, ro))[:]))
					ro, gof = ro+rsize, gof+stride
				}
			case fDecF32AsF64LE:
				for range n {
					*(*float64)(unsafe.Add(elem, gof)) = float32ToFloat64(le.Uint32((*[4]byte)(unsafe.Add(rec, ro))[:]))
					ro, gof = ro+rsize, gof+stride
				}
			default:
				// Any other op, one record at a time.
				for k := range n {
					decodeOp(o, unsafe.Add(rec, uintptr(k)*rsize), unsafe.Add(elem, uintptr(k)*stride+o.goff), nil)
				}
			}
		}
	}
}

// decodeOp runs one op of any kind: g is its place in the Go value. It
// computes the op's place in the record only for ops that have bytes
// there.
func decodeOp(o *op, rec, g unsafe.Pointer, arena *[]byte) (uintptr, bool) {
	switch o.kind {
	case opCopy:
		copyMem(g, unsafe.Add(rec, o.roff), o.n)
	case opDecInt:
		r := unsafe.Add(rec, o.roff)
		for j := uintptr(0); j < o.n; j++ {
			u := loadWire(unsafe.Add(r, j*uintptr(o.rstride)), o.wire)
			if o.signed {
				u = uint64(signExtend(u, o.wire))
			}
			if o.check && !o.ik.holds(u, o.signed) {
				return j, false
			}
			storeInt(unsafe.Add(g, j*uintptr(o.gstride)), o.ik, u)
		}
	case opDecBool:
		r := unsafe.Add(rec, o.roff)
		for j := uintptr(0); j < o.n; j++ {
			*(*bool)(unsafe.Add(g, j)) = *(*byte)(unsafe.Add(r, j)) != 0
		}
	case opDecF32:
		r := unsafe.Add(rec, o.roff)
		for j := uintptr(0); j < o.n; j++ {
			*(*uint32)(unsafe.Add(g, j*4)) = quiet32(uint32(loadWire(unsafe.Add(r, j*4), o.wire)))
		}
	case opDecF32AsF64:
		r := unsafe.Add(rec, o.roff)
		for j := uintptr(0); j < o.n; j++ {
			*(*float64)(unsafe.Add(g, j*8)) = float32ToFloat64(uint32(loadWire(unsafe.Add(r, j*4), o.wire)))
		}
	case opDecF64AsF32:
		r := unsafe.Add(rec, o.roff)
		for j := uintptr(0); j < o.n; j++ {
			f := math.Float64frombits(loadWire(unsafe.Add(r, j*8), o.wire))
			f32 := float32(f)
			if float64(f32) != f && f == f {
				return j, false
			}
			*(*float32)(unsafe.Add(g, j*4)) = f32
		}
	case opDecHalf32:
		r := unsafe.Add(rec, o.roff)
		for j := uintptr(0); j < o.n; j++ {
			*(*float32)(unsafe.Add(g, j*4)) = float32(half.ToFloat64(uint16(loadWire(unsafe.Add(r, j*2), o.wire))))
		}
	case opDecHalf64:
		r := unsafe.Add(rec, o.roff)
		for j := uintptr(0); j < o.n; j++ {
			*(*float64)(unsafe.Add(g, j*8)) = half.ToFloat64(uint16(loadWire(unsafe.Add(r, j*2), o.wire)))
		}
	case opDecString, opDecBytes, opDecPascalString, opDecPascalBytes:
		var b []byte
		if o.n > 0 {
			src := unsafe.Slice((*byte)(unsafe.Add(rec, o.roff)), o.n)
			if o.kind == opDecPascalString || o.kind == opDecPascalBytes {
				src = src[1 : 1+min(int(src[0]), len(src)-1)]
			}
			if o.trim {
				for len(src) > 0 && src[len(src)-1] == 0 {
					src = src[:len(src)-1]
				}
			}
			b = carve(arena, src)
		}
		if o.kind == opDecString || o.kind == opDecPascalString {
			*(*string)(g) = unsafe.String(unsafe.SliceData(b), len(b))
		} else {
			if b == nil {
				b = []byte{}
			}
			*(*[]byte)(g) = b
		}
	}
	return 0, true
}

// carve returns a copy of src cut from the front of *arena, whose capacity
// ends with it, so that appending to one copy never overwrites another.
func carve(arena *[]byte, src []byte) []byte {
	n := len(src)
	if n == 0 {
		return nil
	}
	a := *arena
	if len(a) < n {
		a = make([]byte, n) // cannot happen: the arena is sized for the record
	}
	b := a[:n:n]
	*arena = a[n:]
	copy(b, src)
	return b
}

// copyMem copies n bytes from src to dst.
func copyMem(dst, src unsafe.Pointer, n uintptr) {
	copy(unsafe.Slice((*byte)(dst), n), unsafe.Slice((*byte)(src), n))
}

// loadInt loads a Go integer of kind k, sign- or zero-extended to 64 bits.
func loadInt(p unsafe.Pointer, k intKind) uint64 {
	switch k {
	case kInt8:
		return uint64(*(*int8)(p))
	case kInt16:
		return uint64(*(*int16)(p))
	case kInt32:
		return uint64(*(*int32)(p))
	case kUint8:
		return uint64(*(*uint8)(p))
	case kUint16:
		return uint64(*(*uint16)(p))
	case kUint32:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}

// storeInt stores the low bits of u as a Go integer of kind k.
func storeInt(p unsafe.Pointer, k intKind, u uint64) {
	switch k {
	case kInt8, kUint8:
		*(*uint8)(p) = uint8(u)
	case kInt16, kUint16:
		*(*uint16)(p) = uint16(u)
	case kInt32, kUint32:
		*(*uint32)(p) = uint32(u)
	default:
		*(*uint64)(p) = u
	}
}

// storeWire stores the low bits of u in the record encoding w.
func storeWire(p unsafe.Pointer, w wireKind, u uint64) {
	switch w {
	case w1:
		*(*uint8)(p) = uint8(u)
	case w2le:
		binary.LittleEndian.PutUint16((*[2]byte)(p)[:], uint16(u))
	case w4le:
		binary.LittleEndian.PutUint32((*[4]byte)(p)[:], uint32(u))
	case w8le:
		binary.LittleEndian.PutUint64((*[8]byte)(p)[:], u)
	case w2be:
		binary.BigEndian.PutUint16((*[2]byte)(p)[:], uint16(u))
	case w4be:
		binary.BigEndian.PutUint32((*[4]byte)(p)[:], uint32(u))
	case w8be:
		binary.BigEndian.PutUint64((*[8]byte)(p)[:], u)
	}
}

// loadWire loads an item in the record encoding w, zero-extended.
func loadWire(p unsafe.Pointer, w wireKind) uint64 {
	switch w {
	case w1:
		return uint64(*(*uint8)(p))
	case w2le:
		return uint64(binary.LittleEndian.Uint16((*[2]byte)(p)[:]))
	case w4le:
		return uint64(binary.LittleEndian.Uint32((*[4]byte)(p)[:]))
	case w8le:
		return binary.LittleEndian.Uint64((*[8]byte)(p)[:])
	case w2be:
		return uint64(binary.BigEndian.Uint16((*[2]byte)(p)[:]))
	case w4be:
		return uint64(binary.BigEndian.Uint32((*[4]byte)(p)[:]))
	}
	return binary.BigEndian.Uint64((*[8]byte)(p)[:])
}

// signExtend widens u, an item of encoding w, as a signed integer.
func signExtend(u uint64, w wireKind) int64 {
	switch w {
	case w1:
		return int64(int8(u))
	case w2le, w2be:
		return int64(int16(u))
	case w4le, w4be:
		return int64(int32(u))
	}
	return int64(u)
}

// ext8, ext16 and ext32 return u, an item of that many bits, sign-extended
// if signed.
func ext8(u uint64, signed bool) uint64 {
	if signed {
		return uint64(int64(int8(u)))
	}
	return u
}

func ext16(u uint64, signed bool) uint64 {
	if signed {
		return uint64(int64(int16(u)))
	}
	return u
}

func ext32(u uint64, signed bool) uint64 {
	if signed {
		return uint64(int64(int32(u)))
	}
	return u
}
