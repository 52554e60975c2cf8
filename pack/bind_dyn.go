package pack

import (
	"math"
	"reflect"
	"unsafe"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/half"
)

// The dynamic unpack path in one allocation. Unpack returns []any, and
// boxing each value on its own costs an allocation per value that Go
// cannot keep in a static cell (every float, every []byte, every integer
// outside 0..255), plus the slice and the bytes. unpackBlock instead lays
// the whole result out in one block of a struct type made for the
// Struct, roughly
//
//	struct { V [values]any; W [numbers]uint64; H [strings][]byte; B [bytes]byte }
//
// and points each interface value at its word or slice header inside the
// block, as boxing would point it at a fresh cell. The values are the
// same, of the same types, as the boxed ones: nothing can tell them apart,
// and the block stays alive as long as any of them does. Small records
// use one of a few block types fixed at compile time, which allocate
// faster than a type made with reflect.StructOf.

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
	alloc func() unsafe.Pointer // allocates a zeroed block; nil: records too large, use Struct.unpack's own path
	offW  uintptr               // offset of the number words
	offH  uintptr               // offset of the []byte headers
	offB  uintptr               // offset of the bytes
	ops   []dynOp               // one per coder
}

// A dynOp decodes the values of one coder.
type dynOp struct {
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
)

func efaceType(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

// dynLayoutOf returns s's block layout, working it out on first use.
func (s *Struct) dynLayoutOf() *dynLayout {
	if l := s.typed.dyn.Load(); l != nil {
		return l
	}
	l := &dynLayout{}
	words, strs := 0, 0
	for i := range s.coders {
		c := &s.coders[i]
		f := s.plan.Field(c.field)
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
		case format.Complex:
			// Complex values take the coders' path: no block.
			s.typed.dyn.Store(l)
			return l
		}
		l.ops = append(l.ops, dynOp{k, wireOf(c.size, s.plan.Order().BigEndian()), uint8(64 - 8*min(c.size, 8)),
			uintptr(c.off), uintptr(c.count), uintptr(c.size)})
	}
	size := uint64(s.numValues)*16 + uint64(words)*8 + uint64(strs)*24 + uint64(s.byteLen)
	switch {
	case s.numValues == 0 || size > MaxAlloc:
	case s.numValues <= 16 && strs <= 4 && s.byteLen <= 64:
		for _, c := range dynClasses {
			if s.numValues <= c.v && strs <= c.h && s.byteLen <= c.b {
				l.alloc, l.offW, l.offH, l.offB = c.alloc, c.offW, c.offH, c.offB
				break
			}
		}
	default:
		typ := reflect.StructOf([]reflect.StructField{
			{Name: "V", Type: reflect.ArrayOf(s.numValues, reflect.TypeFor[any]())},
			{Name: "W", Type: reflect.ArrayOf(words, reflect.TypeFor[uint64]())},
			{Name: "H", Type: reflect.ArrayOf(strs, reflect.TypeFor[[]byte]())},
			{Name: "B", Type: reflect.ArrayOf(s.byteLen, reflect.TypeFor[byte]())},
		})
		l.alloc = func() unsafe.Pointer { return reflect.New(typ).UnsafePointer() }
		l.offW, l.offH, l.offB = typ.Field(1).Offset, typ.Field(2).Offset, typ.Field(3).Offset
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

// unpackBlock decodes rec, which holds exactly one record, as
// Struct.unpack does, in one allocation. It returns false if the record is
// too large for a block.
func (s *Struct) unpackBlock(rec []byte) ([]any, bool) {
	l := s.dynLayoutOf()
	if l.alloc == nil {
		return nil, false
	}
	blk := l.alloc()
	vals := unsafe.Slice((*any)(blk), s.numValues)
	var vi, wi, hi, bi uintptr // the next value, number word, []byte header and free byte
	// Pointers are made only to elements that exist: a pointer past the
	// end of an array could point past the block.
	next := func() *eface {
		v := (*eface)(unsafe.Add(blk, vi*unsafe.Sizeof(eface{})))
		vi++
		return v
	}
	num := func(typ unsafe.Pointer, u uint64) {
		w := (*uint64)(unsafe.Add(blk, l.offW+wi*8))
		wi++
		*w = u
		*next() = eface{typ, unsafe.Pointer(w)}
	}
	// str sets the next value to a []byte copy of the n bytes at p+off,
	// carved from the block's bytes, its capacity ending with it.
	str := func(p unsafe.Pointer, off, n uintptr) {
		h := (*[]byte)(unsafe.Add(blk, l.offH+hi*unsafe.Sizeof([]byte(nil))))
		hi++
		if n == 0 {
			*h = []byte{}
		} else {
			b := unsafe.Slice((*byte)(unsafe.Add(blk, l.offB+bi)), n)
			bi += n
			copy(b, unsafe.Slice((*byte)(unsafe.Add(p, off)), n))
			*h = b
		}
		*next() = eface{bytesType, unsafe.Pointer(h)}
	}
	r := unsafe.Pointer(unsafe.SliceData(rec))
	for i := range l.ops {
		o := &l.ops[i]
		p := r
		if o.size > 0 {
			p = unsafe.Add(r, o.off) // only inside the record: a field of no bytes may sit at its end
		}
		switch o.kind {
		case dynSigned:
			for j := uintptr(0); j < o.count; j++ {
				u := loadWire(unsafe.Add(p, j*o.size), o.wire)
				num(int64Type, uint64(int64(u<<o.shift)>>o.shift))
			}
		case dynUnsigned:
			for j := uintptr(0); j < o.count; j++ {
				num(uint64Type, loadWire(unsafe.Add(p, j*o.size), o.wire))
			}
		case dynBool:
			for j := uintptr(0); j < o.count; j++ {
				v := (*any)(unsafe.Pointer(next()))
				if *(*byte)(unsafe.Add(p, j)) != 0 {
					*v = anyTrue
				} else {
					*v = anyFalse
				}
			}
		case dynHalf:
			for j := uintptr(0); j < o.count; j++ {
				num(float64Type, math.Float64bits(half.ToFloat64(uint16(loadWire(unsafe.Add(p, j*2), o.wire)))))
			}
		case dynFloat32:
			for j := uintptr(0); j < o.count; j++ {
				num(float64Type, math.Float64bits(float32ToFloat64(uint32(loadWire(unsafe.Add(p, j*4), o.wire)))))
			}
		case dynFloat64:
			for j := uintptr(0); j < o.count; j++ {
				num(float64Type, loadWire(unsafe.Add(p, j*8), o.wire))
			}
		case dynChar:
			for j := uintptr(0); j < o.count; j++ {
				str(p, j, 1)
			}
		case dynString:
			str(p, 0, o.size)
		case dynPascal:
			if o.size == 0 {
				str(p, 0, 0)
			} else {
				str(p, 1, min(uintptr(*(*byte)(p)), o.size-1))
			}
		}
	}
	return vals, true
}
