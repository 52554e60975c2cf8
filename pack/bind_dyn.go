package pack

import (
	"encoding/binary"
	"math"
	"unsafe"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/half"
)

// The dynamic unpack path in one allocation. Unpack returns []any, and
// boxing each value on its own costs an allocation per value that Go
// cannot keep in a static cell (every float, every []byte, every integer
// outside 0..255), plus the slice and the bytes. unpackBlock instead lays
// the whole result out in one block of one of a few struct types fixed at
// compile time, roughly
//
//	struct { V [values]any; W [numbers]uint64; H [strings][]byte; B [bytes]byte }
//
// and points each interface value at its word or slice header inside the
// block, as boxing would point it at a fresh cell. The values are the
// same, of the same types, as the boxed ones: nothing can tell them apart,
// and the block stays alive as long as any of them does. Records too
// large for the fixed types get the four arrays as four allocations (no
// type is made at run time, so nothing outlives the Struct), and
// [Values] keeps the four arrays for reuse.

// dynKind is how unpackBlock decodes the values of one coder.
type dynKind uint8

const (
	dynSigned dynKind = iota
	dynUnsigned
	dynBool
	dynHalf
	dynFloat32
	dynFloat64
	dynChar
	dynString
	dynPascal
)

// dynLayout is the block layout of one Struct's unpacked records.
type dynLayout struct {
	class *dynClass // the fixed block type of small records; nil: separate arrays
	fresh bool      // Unpack may use the layout: the record has values and its results fit MaxAlloc
	words int       // number words: one per integer or float value
	strs  int       // []byte headers: one per 'c' value, 's' or 'p' field
	ops   []dynOp   // one per coder
}

// A dynOp decodes the values of one coder.
type dynOp struct {
	code  uint8 // kind<<3 | wire: one switch picks the loop
	kind  dynKind
	wire  wireKind
	shift uint8   // 64 - bits, to sign-extend
	off   uintptr // offset in the record
	count uintptr // values
	size  uintptr // bytes per item
}

// Type words of the boxed values, for building interface values.
var (
	int64Type   = efaceType(int64(0))
	uint64Type  = efaceType(uint64(0))
	float64Type = efaceType(float64(0))
	bytesType   = efaceType([]byte(nil))

	anyTrue, anyFalse any = true, false

	efaceTrue  = *(*eface)(unsafe.Pointer(&anyTrue))
	efaceFalse = *(*eface)(unsafe.Pointer(&anyFalse))
)

func efaceType(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

// dynLayoutOf returns s's block layout, working it out on first use.
func (s *Struct) dynLayoutOf() *dynLayout {
	if l := s.typed.dyn.Load(); l != nil {
		return l
	}
	l := &dynLayout{}
	words, strs := 0, 0
	for i := range s.plan.NumFields() {
		f := s.plan.Field(i)
		c, ok := newCoder(s.plan.Order(), f, i)
		if !ok {
			continue
		}
		k := dynSigned
		switch f.Kind {
		case format.Signed:
			words += c.count
		case format.Unsigned:
			k = dynUnsigned
			words += c.count
		case format.Bool:
			k = dynBool
		case format.Float:
			k = [...]dynKind{2: dynHalf, 4: dynFloat32, 8: dynFloat64}[c.size]
			words += c.count
		case format.Char:
			k = dynChar
			strs += c.count
		case format.String:
			k = dynString
			strs++
		case format.Pascal:
			k = dynPascal
			strs++
		default:
			// Complex values, and any kind without a loop here, take the
			// coders' path: no block, and no fast pack (fresh stays false).
			l.ops = nil
			s.typed.dyn.Store(l)
			return l
		}
		w := wireOf(c.size, s.plan.Order().BigEndian())
		l.ops = append(l.ops, dynOp{uint8(k)<<3 | uint8(w), k, w, uint8(64 - 8*min(c.size, 8)),
			uintptr(c.off), uintptr(c.count), uintptr(c.size)})
	}
	l.words, l.strs = words, strs
	size := uint64(s.numValues)*16 + uint64(words)*8 + uint64(strs)*24 + uint64(s.byteLen)
	l.fresh = s.numValues > 0 && size <= MaxAlloc
	if l.fresh && s.numValues <= 16 && strs <= 4 && s.byteLen <= 64 {
		for i := range dynClasses {
			if c := &dynClasses[i]; s.numValues <= c.v && strs <= c.h && s.byteLen <= c.b {
				l.class = c
				break
			}
		}
	}
	s.typed.dyn.Store(l)
	return l
}

// dynBlock is a block type fixed at compile time.
type dynBlock[V, W, H, B any] struct {
	V V
	W W
	H H
	B B
}

// A dynClass is a block type for records of at most v values (and so at
// most v number words), h byte strings and b bytes.
type dynClass struct {
	v, h, b          int
	alloc            func() unsafe.Pointer
	offW, offH, offB uintptr
}

func newDynClass[V, W, H, B any](v, h, b int) dynClass {
	var x dynBlock[V, W, H, B]
	return dynClass{v, h, b,
		func() unsafe.Pointer { return unsafe.Pointer(new(dynBlock[V, W, H, B])) },
		unsafe.Offsetof(x.W), unsafe.Offsetof(x.H), unsafe.Offsetof(x.B)}
}

var dynClasses = []dynClass{
	newDynClass[[4]any, [4]uint64, [2][]byte, [16]byte](4, 2, 16),
	newDynClass[[8]any, [8]uint64, [2][]byte, [32]byte](8, 2, 32),
	newDynClass[[12]any, [12]uint64, [2][]byte, [32]byte](12, 2, 32),
	newDynClass[[16]any, [16]uint64, [4][]byte, [64]byte](16, 4, 64),
}

// dynArea is where the values of one record go: the interface values, and
// the number words, []byte headers and bytes they point to.
type dynArea struct {
	vals, words, hdrs, bytes unsafe.Pointer
}

// unpackBlock decodes rec, which holds exactly one record, as
// Struct.unpack does: in one allocation for small records, in four arrays
// for larger ones. It returns false if the record has no values or its
// results would exceed MaxAlloc.
func (s *Struct) unpackBlock(rec []byte) ([]any, bool) {
	l := s.dynLayoutOf()
	if !l.fresh {
		return nil, false
	}
	var a dynArea
	if c := l.class; c != nil {
		blk := c.alloc()
		a = dynArea{blk, unsafe.Add(blk, c.offW), unsafe.Add(blk, c.offH), unsafe.Add(blk, c.offB)}
	} else {
		a = dynArea{
			unsafe.Pointer(unsafe.SliceData(make([]any, s.numValues))),
			unsafe.Pointer(unsafe.SliceData(make([]uint64, l.words))),
			unsafe.Pointer(unsafe.SliceData(make([][]byte, l.strs))),
			unsafe.Pointer(unsafe.SliceData(make([]byte, s.byteLen))),
		}
	}
	l.decode(rec, a)
	return unsafe.Slice((*any)(a.vals), s.numValues), true
}

// dynCursor walks a dynArea as decode fills it.
type dynCursor struct {
	a              dynArea
	vi, wi, hi, bi uintptr // the next value, number word, []byte header and free byte
}

// set makes the next value e, writing it only if it differs: a reused
// Values already holds the same interface values record after record, and
// skipping the store skips its write barrier.
func (d *dynCursor) set(e eface) {
	v := (*eface)(unsafe.Add(d.a.vals, d.vi*unsafe.Sizeof(eface{})))
	d.vi++
	if *v != e {
		*v = e
	}
}

// num stores u in the next number word and makes the next value an
// interface of type typ pointing at it. Pointers are made only to elements
// that exist: a pointer past the end of an array could point past its
// allocation.
func (d *dynCursor) num(typ unsafe.Pointer, u uint64) {
	w := (*uint64)(unsafe.Add(d.a.words, d.wi*8))
	d.wi++
	*w = u
	d.set(eface{typ, unsafe.Pointer(w)})
}

// str sets the next value to a []byte copy of the n bytes at p+off,
// carved from the area's bytes, its capacity ending with it.
func (d *dynCursor) str(p unsafe.Pointer, off, n uintptr) {
	h := (*[]byte)(unsafe.Add(d.a.hdrs, d.hi*unsafe.Sizeof([]byte(nil))))
	d.hi++
	if n == 0 {
		*h = []byte{}
	} else {
		b := unsafe.Slice((*byte)(unsafe.Add(d.a.bytes, d.bi)), n)
		d.bi += n
		copy(b, unsafe.Slice((*byte)(unsafe.Add(p, off)), n))
		*h = b
	}
	d.set(eface{bytesType, unsafe.Pointer(h)})
}

const (
	dcS1   = uint8(dynSigned)<<3 | uint8(w1)
	dcS2le = uint8(dynSigned)<<3 | uint8(w2le)
	dcS4le = uint8(dynSigned)<<3 | uint8(w4le)
	dcS8le = uint8(dynSigned)<<3 | uint8(w8le)
	dcU1   = uint8(dynUnsigned)<<3 | uint8(w1)
	dcU2le = uint8(dynUnsigned)<<3 | uint8(w2le)
	dcU4le = uint8(dynUnsigned)<<3 | uint8(w4le)
	dcU8le = uint8(dynUnsigned)<<3 | uint8(w8le)
	dcF4le = uint8(dynFloat32)<<3 | uint8(w4le)
	dcF8le = uint8(dynFloat64)<<3 | uint8(w8le)
	dcBool = uint8(dynBool)<<3 | uint8(w1)
)

// decode decodes rec, which holds exactly one record, into a, which has
// room for the layout's values, words, headers and bytes.
func (l *dynLayout) decode(rec []byte, a dynArea) {
	d := dynCursor{a: a}
	r := unsafe.Pointer(unsafe.SliceData(rec))
	for i := range l.ops {
		o := &l.ops[i]
		p := r
		if o.size > 0 {
			p = unsafe.Add(r, o.off) // only inside the record: a field of no bytes may sit at its end
		}
		// The little-endian integers and floats, and bools, have loops of
		// their own; the rest go through loadWire.
		switch o.code {
		case dcS1:
			for j := uintptr(0); j < o.count; j++ {
				d.num(int64Type, uint64(int64(*(*int8)(unsafe.Add(p, j)))))
			}
			continue
		case dcS2le:
			for j := uintptr(0); j < o.count; j++ {
				d.num(int64Type, uint64(int64(int16(binary.LittleEndian.Uint16((*[2]byte)(unsafe.Add(p, j*2))[:])))))
			}
			continue
		case dcS4le:
			for j := uintptr(0); j < o.count; j++ {
				d.num(int64Type, uint64(int64(int32(binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(p, j*4))[:])))))
			}
			continue
		case dcS8le:
			for j := uintptr(0); j < o.count; j++ {
				d.num(int64Type, binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, j*8))[:]))
			}
			continue
		case dcU1:
			for j := uintptr(0); j < o.count; j++ {
				d.num(uint64Type, uint64(*(*uint8)(unsafe.Add(p, j))))
			}
			continue
		case dcU2le:
			for j := uintptr(0); j < o.count; j++ {
				d.num(uint64Type, uint64(binary.LittleEndian.Uint16((*[2]byte)(unsafe.Add(p, j*2))[:])))
			}
			continue
		case dcU4le:
			for j := uintptr(0); j < o.count; j++ {
				d.num(uint64Type, uint64(binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(p, j*4))[:])))
			}
			continue
		case dcU8le:
			for j := uintptr(0); j < o.count; j++ {
				d.num(uint64Type, binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, j*8))[:]))
			}
			continue
		case dcF4le:
			for j := uintptr(0); j < o.count; j++ {
				d.num(float64Type, math.Float64bits(float32ToFloat64(binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(p, j*4))[:]))))
			}
			continue
		case dcF8le:
			for j := uintptr(0); j < o.count; j++ {
				d.num(float64Type, binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, j*8))[:]))
			}
			continue
		case dcBool:
			for j := uintptr(0); j < o.count; j++ {
				if *(*byte)(unsafe.Add(p, j)) != 0 {
					d.set(efaceTrue)
				} else {
					d.set(efaceFalse)
				}
			}
			continue
		}
		switch o.kind {
		case dynSigned:
			for j := uintptr(0); j < o.count; j++ {
				u := loadWire(unsafe.Add(p, j*o.size), o.wire)
				d.num(int64Type, uint64(int64(u<<o.shift)>>o.shift))
			}
		case dynUnsigned:
			for j := uintptr(0); j < o.count; j++ {
				d.num(uint64Type, loadWire(unsafe.Add(p, j*o.size), o.wire))
			}
		case dynHalf:
			for j := uintptr(0); j < o.count; j++ {
				d.num(float64Type, math.Float64bits(half.ToFloat64(uint16(loadWire(unsafe.Add(p, j*2), o.wire)))))
			}
		case dynFloat32:
			for j := uintptr(0); j < o.count; j++ {
				d.num(float64Type, math.Float64bits(float32ToFloat64(uint32(loadWire(unsafe.Add(p, j*4), o.wire)))))
			}
		case dynFloat64:
			for j := uintptr(0); j < o.count; j++ {
				d.num(float64Type, loadWire(unsafe.Add(p, j*8), o.wire))
			}
		case dynChar:
			for j := uintptr(0); j < o.count; j++ {
				d.str(p, j, 1)
			}
		case dynString:
			d.str(p, 0, o.size)
		case dynPascal:
			if o.size == 0 {
				d.str(p, 0, 0)
			} else {
				d.str(p, 1, min(uintptr(*(*byte)(p)), o.size-1))
			}
		}
	}
}
