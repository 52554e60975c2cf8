package pack

import (
	"encoding/binary"
	"iter"
	"math"
	"unsafe"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/half"
)

// The dynamic unpack path in one allocation. Unpack returns []any, and
// boxing each value on its own costs an allocation per value that Go
// cannot keep in a static cell (every float, every []byte, every integer
// outside 0..255), plus the slice and the bytes. unpackBlock instead lays
// the whole result out in one block of one of a set of struct types fixed
// at compile time,
//
//	struct { V [values]any; D [words]uint64 }
//
// and points each interface value at its number word, []byte header or
// bool byte in the data area D, as boxing would point it at a fresh cell.
// The values are the same, of the same types, as the boxed ones: nothing
// can tell them apart, and the block stays alive as long as any of them
// does.
//
// Only V holds pointers the collector must see. D holds number words,
// bytes, one byte per bool, and the []byte headers, whose data pointers
// point into D itself (or at the static zero-size allocation): a pointer
// to the block's own memory keeps nothing alive that the block does not,
// so D can be pointer-free memory, which the collector neither scans nor
// needs write barriers for. Users cannot store into D (interface values
// are immutable), only into V.
//
// Records too large for the fixed types get V and D as two allocations
// (no type is made at run time, so nothing outlives the Struct), and
// [Values] keeps the two for reuse.
//
// Every interface value of a record points at a fixed place in D, whatever
// the record holds (bools included: they point at their byte of D, not at
// static true and false), so decoding a record is two things: write the
// numbers, bools and bytes into D, and set each interface value to its
// type word and place. A new block gets both from one pass over the ops
// (decodeValues); a reused Values already holds the right interface
// values, and only checks that its caller has not changed them
// (values.go). The iterations decode a batch of records op by op
// (decodeRows), paying each op's dispatch once per batch.
//
// The layout a Struct keeps for this is built on first use, and its
// tables grow with the Struct's coders, not with its values, except for
// small records (at most dynPackMax values), which also get one decode op
// (a vop of 32 bytes) and one pack entry per value: a switch per value,
// with no loop inside, is what small records spend least on.

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

// dynLayout is the layout of one Struct's unpacked records.
type dynLayout struct {
	class *dynClass // the fixed block type of small records; nil: two allocations
	size  int       // the record's size
	fresh bool      // Unpack may use the layout: the record has values and its results fit MaxAlloc
	words int       // the data area's size in 8-byte words
	ops   []dynOp   // one per coder, or per run of adjacent coders of one code
	vops  []vop     // small records: the ops as one or two values each, ending with dcEnd, for decodeValues
	pack  bool      // every op has a fast pack (dyn_pack.go)
	packs []dynPack // packFast's table of small records
}

// A dynOp decodes the values of one coder, or of a run of coders that
// follow each other in the record with the same code (the "II" of
// "<IIhh"), into the data area.
type dynOp struct {
	code  uint8 // dynCode(kind, wire): one switch picks the loop
	kind  dynKind
	wire  wireKind
	shift uint8   // 64 - bits, to sign-extend
	off   uintptr // offset in the record
	dst   uintptr // offset in the data area: the first number word, bool byte or []byte header
	bytes uintptr // 'c', 's' and 'p': offset in the data area of the first value's bytes
	count uintptr // values
	size  uintptr // bytes per item
	// Where the values' interfaces point: their type word, and the step
	// from one value's place in the data area to the next.
	typ    unsafe.Pointer
	stride uintptr
	pcode  uint8 // packFast's code (dyn_pack.go)
}

// A vop is an op of decodeValues, in 32 bytes: one value of a small
// record, or two of a pair (dynPairs), with the place of its interface
// value and the type word to put there, so that decoding into a new block
// fills the block's interface values as it goes.
type vop struct {
	code  uint8    // decodeValues switches on code&31
	wire  wireKind // decodeWire's codes
	shift uint8    // decodeWire's dcSigned
	_     uint8
	off   uint32         // the value's offset in the record
	dst   uint32         // its number word, bool byte or []byte header in the data area
	val   uint32         // its interface value's offset in the values: index × efaceSize
	bytes uint32         // 'c', 's' and 'p': offset of the value's bytes in the data area
	size  uint32         // 's' and 'p': bytes of the item
	typ   unsafe.Pointer // the interface value's type word
}

// vopSize is the step of decodeValues' loop.
const vopSize = unsafe.Sizeof(vop{})

// pair reports whether o decodes two values.
func (o *vop) pair() bool { return o.code >= dcU2le2 && o.code <= dc8le2 }

// newVops splits ops, of n values in all, into the vops of decodeValues:
// one value each, or two adjacent values of a code with a pair code, then
// a dcEnd. It returns nil if an offset in the record or the data area does
// not fit 32 bits (decodeOps decodes such records).
func newVops(ops []dynOp, n int) []vop {
	vops := make([]vop, 0, n+1)
	val := uint64(0)
	for i := range ops {
		o := &ops[i]
		for j := uintptr(0); j < o.count; j++ {
			v := vop{code: o.code, wire: o.wire, shift: o.shift, typ: o.typ}
			off, dst, bytes := uint64(o.off+j*o.size), uint64(o.dst+j*o.stride), uint64(o.bytes)
			if o.kind == dynChar {
				bytes += uint64(j)
			}
			if pair, ok := dynPairs[o.code]; ok && j+1 < o.count {
				v.code = pair
				j++
			}
			if v.code == dcString && o.size > 16 {
				v.code = dcStringLong
			}
			if off+2*uint64(o.size) > math.MaxUint32 || dst+16 > math.MaxUint32 || bytes+uint64(o.size) > math.MaxUint32 {
				return nil
			}
			v.off, v.dst, v.val, v.bytes, v.size = uint32(off), uint32(dst), uint32(val), uint32(bytes), uint32(o.size)
			if val += uint64(efaceSize); v.pair() {
				val += uint64(efaceSize)
			}
			vops = append(vops, v)
		}
	}
	return append(vops, vop{code: dcEnd})
}

// Type words of the boxed values, for building interface values.
var (
	int64Type   = efaceType(int64(0))
	uint64Type  = efaceType(uint64(0))
	float64Type = efaceType(float64(0))
	boolType    = efaceType(false)
	bytesType   = efaceType([]byte(nil))

	// zeroBytes is the data pointer of an empty []byte: a static
	// zero-size variable, neither heap nor stack memory. (The backing
	// array of a []byte{} that does not escape is on the stack, and a
	// pointer to a stack that is gone may point into a heap span later.)
	zeroBytes = uintptr(unsafe.Pointer(&zeroArray))
)

var zeroArray [0]byte

func efaceType(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

// The sizes of an interface value and of a []byte header: 16 and 24
// bytes where pointers have 64 bits, 8 and 12 where they have 32.
const (
	efaceSize = unsafe.Sizeof(eface{})
	bytesSize = unsafe.Sizeof([]byte(nil))
)

// dynLayoutOf returns s's block layout, working it out on first use.
func (s *Struct) dynLayoutOf() *dynLayout {
	if l := s.typed.dyn.Load(); l != nil {
		return l
	}
	l := newDynLayout(s)
	s.typed.dyn.Store(l)
	return l
}

func newDynLayout(s *Struct) *dynLayout {
	l := &dynLayout{size: s.Size()}
	// The data area: number words, then []byte headers, then bytes (of
	// byte strings and bools, in the order of the values).
	var words, hdrs, nbytes uint64
	for i := range s.plan.NumFields() {
		f := s.plan.Field(i)
		c, ok := newCoder(s.plan.Order(), f, i)
		if !ok {
			continue
		}
		n := uint64(c.count)
		switch f.Kind {
		case format.Signed, format.Unsigned, format.Float:
			words += n
		case format.Bool:
			nbytes += n
		case format.Char:
			hdrs += n
			nbytes += n
		case format.String:
			hdrs++
			nbytes += uint64(c.size)
		case format.Pascal:
			hdrs++
			nbytes += uint64(max(c.size-1, 0))
		default:
			// Complex values, and any kind without a loop here, take the
			// coders' path: no block, and no fast pack (fresh stays false).
			return l
		}
	}
	size := uint64(s.numValues)*uint64(efaceSize) + words*8 + hdrs*uint64(bytesSize) + nbytes
	if s.numValues == 0 || size > MaxAlloc {
		return l
	}
	l.fresh = true
	l.words = int(words + (hdrs*uint64(bytesSize)+nbytes+7)/8)
	wi, hi, bi := uintptr(0), uintptr(words)*8, uintptr(words)*8+uintptr(hdrs)*bytesSize
	big := s.plan.Order().BigEndian()
	l.pack = true
	for i := range s.plan.NumFields() {
		f := s.plan.Field(i)
		c, ok := newCoder(s.plan.Order(), f, i)
		if !ok {
			continue
		}
		o := dynOp{off: uintptr(c.off), count: uintptr(c.count), size: uintptr(c.size), shift: uint8(64 - 8*min(c.size, 8))}
		o.wire = wireOf(c.size, big)
		switch f.Kind {
		case format.Signed, format.Unsigned, format.Float:
			o.kind, o.typ = dynSigned, int64Type
			if f.Kind == format.Unsigned {
				o.kind, o.typ = dynUnsigned, uint64Type
			} else if f.Kind == format.Float {
				o.kind, o.typ = [...]dynKind{2: dynHalf, 4: dynFloat32, 8: dynFloat64}[c.size], float64Type
			}
			o.dst, o.stride = wi, 8
			wi += 8 * o.count
		case format.Bool:
			o.kind, o.typ, o.dst, o.stride = dynBool, boolType, bi, 1
			bi += o.count
		case format.Char:
			o.kind, o.typ, o.dst, o.stride, o.bytes = dynChar, bytesType, hi, bytesSize, bi
			hi += bytesSize * o.count
			bi += o.count
		case format.String, format.Pascal:
			o.kind, o.typ, o.dst, o.stride, o.bytes = dynString, bytesType, hi, bytesSize, bi
			n := c.size
			if f.Kind == format.Pascal {
				o.kind, n = dynPascal, max(c.size-1, 0)
			}
			hi += bytesSize
			bi += uintptr(n)
		}
		o.pcode = packCode(f.Kind, c.size, big)
		l.pack = l.pack && o.pcode != pkNone
		o.code = dynCode(o.kind, o.wire)
		if o.size == 0 {
			o.code, o.off = dcEmpty, 0 // reads nothing, and its offset may be the record's end
		}
		// A run of numbers or bools of one code, each right after the
		// other in the record, is one op: their places in the data area
		// follow each other too.
		if k := len(l.ops) - 1; k >= 0 && o.kind <= dynFloat64 &&
			l.ops[k].code == o.code && l.ops[k].wire == o.wire && l.ops[k].size == o.size &&
			l.ops[k].off+l.ops[k].count*l.ops[k].size == o.off {
			l.ops[k].count += o.count
			continue
		}
		l.ops = append(l.ops, o)
	}
	if s.numValues <= dynPackMax {
		l.vops = newVops(l.ops, s.numValues)
	}
	if l.pack && s.numValues <= dynPackMax {
		l.packs = newDynPacks(l.ops, s.numValues)
	}
	if s.numValues <= len(dynClasses) && l.vops != nil {
		for i := range dynClasses[s.numValues-1] {
			if c := &dynClasses[s.numValues-1][i]; c.words >= l.words {
				l.class = c
				break
			}
		}
	}
	return l
}

// dynBlock is a block type fixed at compile time: V is an array of
// interface values (as efaces: the same memory, the same pointers for the
// collector, and no equality function to generate for each type), D an
// array of uint64.
type dynBlock[V, D any] struct {
	V V
	D D
}

// A dynClass is a block type for records of v values and at most words
// words of data.
type dynClass struct {
	v, words int
	offD     uintptr
	size     uintptr                    // bytes of one block
	alloc    func() unsafe.Pointer      // one block
	allocN   func(n int) unsafe.Pointer // n blocks one after another, in one allocation
}

func newDynClass[V, D any]() dynClass {
	var x dynBlock[V, D]
	return dynClass{int(unsafe.Sizeof(x.V) / efaceSize), int(unsafe.Sizeof(x.D) / 8), unsafe.Offsetof(x.D), unsafe.Sizeof(x),
		func() unsafe.Pointer { return unsafe.Pointer(new(dynBlock[V, D])) },
		func(n int) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(make([]dynBlock[V, D], n))) }}
}

// dynClassesOf lists the block types of records of len(V) values, by
// growing data area. The sizes step as the allocator's size classes do
// (16 bytes up to 256, then 32), so a block wastes little of its class.
func dynClassesOf[V any]() [12]dynClass {
	return [...]dynClass{
		newDynClass[V, [2]uint64](), newDynClass[V, [4]uint64](), newDynClass[V, [6]uint64](),
		newDynClass[V, [8]uint64](), newDynClass[V, [10]uint64](), newDynClass[V, [12]uint64](),
		newDynClass[V, [14]uint64](), newDynClass[V, [16]uint64](), newDynClass[V, [20]uint64](),
		newDynClass[V, [24]uint64](), newDynClass[V, [28]uint64](), newDynClass[V, [32]uint64](),
	}
}

// dynClasses[v-1] are the block types of records of v values.
var dynClasses = [...][12]dynClass{
	dynClassesOf[[1]eface](), dynClassesOf[[2]eface](), dynClassesOf[[3]eface](), dynClassesOf[[4]eface](),
	dynClassesOf[[5]eface](), dynClassesOf[[6]eface](), dynClassesOf[[7]eface](), dynClassesOf[[8]eface](),
	dynClassesOf[[9]eface](), dynClassesOf[[10]eface](), dynClassesOf[[11]eface](), dynClassesOf[[12]eface](),
	dynClassesOf[[13]eface](), dynClassesOf[[14]eface](), dynClassesOf[[15]eface](), dynClassesOf[[16]eface](),
}

// unpackBlock decodes rec, which holds exactly one record, as
// Struct.unpack does: in one allocation for small records, in two for
// larger ones. It returns false if the record has no values or its results
// would exceed MaxAlloc.
func (s *Struct) unpackBlock(rec []byte) ([]any, bool) {
	l := s.dynLayoutOf()
	if !l.fresh {
		return nil, false
	}
	return l.unpackFresh(unsafe.Pointer(unsafe.SliceData(rec)), s.numValues), true
}

// unpackFresh decodes the record at rec into new storage; l.fresh holds.
func (l *dynLayout) unpackFresh(rec unsafe.Pointer, n int) []any {
	if l.class != nil {
		return l.unpackClass(rec, n)
	}
	vals := unsafe.Pointer(unsafe.SliceData(make([]any, n)))
	data := unsafe.Pointer(unsafe.SliceData(make([]uint64, l.words)))
	l.decode(rec, data)
	l.fill(vals, data)
	return unsafe.Slice((*any)(vals), n)
}

// unpackClass decodes the record at rec into a new block of l.class,
// which is not nil.
func (l *dynLayout) unpackClass(rec unsafe.Pointer, n int) []any {
	c := l.class
	vals := c.alloc()
	data := unsafe.Add(vals, c.offD)
	decodeValues(l.vops, rec, data, vals) // records with a block type are small: they have vops
	// The slice, as unsafe.Slice(vals, n) makes it without its checks:
	// n values are at vals.
	return *(*[]any)(unsafe.Pointer(&sliceHeader{vals, n, n}))
}

// sliceHeader is the memory of a slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// fillRows points the interface values of m blocks just allocated, one
// after another, stride bytes apart, at their places in their own data
// areas: the first block's values at vals and its data at data. Op by op,
// each over the m blocks. It writes them without write barriers, as
// decodeValues does.
func fillRows(ops []vop, m int, vals, data unsafe.Pointer, stride uintptr) {
	for i := range ops {
		o := &ops[i]
		if o.code == dcEnd {
			return
		}
		typ, v, d := uintptr(o.typ), unsafe.Add(vals, o.val), uintptr(data)+uintptr(o.dst)
		for r := 0; ; v, d = unsafe.Add(v, stride), d+stride {
			*(*[2]uintptr)(v) = [2]uintptr{typ, d}
			if o.pair() {
				*(*[2]uintptr)(unsafe.Add(v, efaceSize)) = [2]uintptr{typ, d + 8}
			}
			if r++; r == m {
				break // never past the allocation's end
			}
		}
	}
}

// fill points the interface values at vals at their places in data.
func (l *dynLayout) fill(vals, data unsafe.Pointer) {
	ops := l.ops
	for i := range ops {
		o := &ops[i]
		q := unsafe.Add(data, o.dst)
		for j := uintptr(0); ; {
			*(*eface)(vals) = eface{o.typ, unsafe.Add(q, j*o.stride)}
			if j++; j == o.count {
				break
			}
			vals = unsafe.Add(vals, unsafe.Sizeof(eface{}))
		}
		if i+1 < len(ops) {
			vals = unsafe.Add(vals, unsafe.Sizeof(eface{}))
		}
	}
}

// setBytes writes the []byte header at h: n bytes at p, its capacity
// ending with them. p and h are in one data area, which holds no pointers
// the collector sees (see above).
func setBytes(h unsafe.Pointer, p unsafe.Pointer, n uintptr) {
	if n == 0 {
		*(*[3]uintptr)(h) = [3]uintptr{zeroBytes, 0, 0}
		return
	}
	*(*[3]uintptr)(h) = [3]uintptr{uintptr(p), n, n}
}

// The ops' codes: the little-endian integers and floats, bools and byte
// strings have loops of their own; the rest go through loadWire by kind.
// The codes are dense so that decode's switch is one jump table.
const (
	dcS1 uint8 = iota
	dcS2le
	dcS4le
	dcS8le
	dcU1
	dcU2le
	dcU4le
	dcU8le
	dcF4le
	dcF8le
	dcBool
	dcChar
	dcString
	dcPascal
	dcEmpty // a byte string of no bytes: '0s' or '0p'
	dcSigned
	dcUnsigned
	dcHalf
	dcFloat32
	dcFloat64
	// Two values at once, for decodeValues: a pair of little-endian
	// integers of 2 or 4 bytes read as one word, or of 8-byte values.
	dcU2le2
	dcS2le2
	dcU4le2
	dcS4le2
	dc8le2
	dcStringLong // decodeValues: 's' of more than 16 bytes
	dcEnd        // decodeValues: the end of the ops
)

// dynPairs maps a code to its code for two values at once, if it has one.
var dynPairs = map[uint8]uint8{dcU2le: dcU2le2, dcS2le: dcS2le2, dcU4le: dcU4le2, dcS4le: dcS4le2,
	dcU8le: dc8le2, dcS8le: dc8le2, dcF8le: dc8le2}

// dynCode returns the op code of kind k on wire w.
func dynCode(k dynKind, w wireKind) uint8 {
	switch k {
	case dynSigned:
		if w <= w8le {
			return dcS1 + uint8(w)
		}
		return dcSigned
	case dynUnsigned:
		if w <= w8le {
			return dcU1 + uint8(w)
		}
		return dcUnsigned
	case dynFloat32:
		if w == w4le {
			return dcF4le
		}
		return dcFloat32
	case dynFloat64:
		if w == w8le {
			return dcF8le
		}
		return dcFloat64
	case dynHalf:
		return dcHalf
	case dynBool:
		return dcBool
	case dynChar:
		return dcChar
	case dynString:
		return dcString
	}
	return dcPascal
}

// decode writes the numbers, bools and byte strings of the record at rec
// into data, a data area of l.words words.
func (l *dynLayout) decode(rec, data unsafe.Pointer) {
	if l.vops != nil {
		decodeValues(l.vops, rec, data, nil)
	} else {
		decodeOps(l.ops, rec, data)
	}
}

// decodeValues decodes the values of a small record, one op of one value
// or a pair each, into data, up to the ops' dcEnd. If vals is not nil, it
// is a block's interface values, just allocated, and decodeValues points
// each at its value's place in data as it decodes it. It writes them
// without write barriers: the block is new, so the stores overwrite no
// pointer, and they store only pointers to static type data and into the
// block itself, which the collector has marked if it is marking (objects
// are allocated marked then). Nothing the collector must learn of is
// stored.
//
// The loop walks the ops to their dcEnd and switches on code&31, every
// value of which is a case: no count to test and no range check on the
// jump, only the op's own work.
func decodeValues(ops []vop, rec, data, vals unsafe.Pointer) {
	for o := &ops[0]; ; o = (*vop)(unsafe.Add(unsafe.Pointer(o), vopSize)) { // ops end with a dcEnd
		p := unsafe.Add(rec, o.off) // inside the record: an op of no bytes (dcEmpty) does not read p
		q := unsafe.Add(data, o.dst)
		switch o.code & 31 {
		case dcS1:
			*(*int64)(q) = int64(*(*int8)(p))
		case dcS2le:
			*(*int64)(q) = int64(int16(binary.LittleEndian.Uint16((*[2]byte)(p)[:])))
		case dcS4le:
			*(*int64)(q) = int64(int32(binary.LittleEndian.Uint32((*[4]byte)(p)[:])))
		case dcU1:
			*(*uint64)(q) = uint64(*(*uint8)(p))
		case dcU2le:
			*(*uint64)(q) = uint64(binary.LittleEndian.Uint16((*[2]byte)(p)[:]))
		case dcU4le:
			*(*uint64)(q) = uint64(binary.LittleEndian.Uint32((*[4]byte)(p)[:]))
		case dcS8le, dcU8le, dcF8le:
			*(*uint64)(q) = binary.LittleEndian.Uint64((*[8]byte)(p)[:])
		case dcF4le:
			*(*float64)(q) = float32ToFloat64(binary.LittleEndian.Uint32((*[4]byte)(p)[:]))
		case dcBool:
			*(*bool)(q) = *(*byte)(p) != 0
		case dcU2le2:
			x := binary.LittleEndian.Uint32((*[4]byte)(p)[:])
			*(*[2]uint64)(q) = [2]uint64{uint64(uint16(x)), uint64(x >> 16)}
			fillSecond(o, q, vals)
		case dcS2le2:
			x := binary.LittleEndian.Uint32((*[4]byte)(p)[:])
			*(*[2]int64)(q) = [2]int64{int64(int16(x)), int64(int32(x) >> 16)}
			fillSecond(o, q, vals)
		case dcU4le2:
			x := binary.LittleEndian.Uint64((*[8]byte)(p)[:])
			*(*[2]uint64)(q) = [2]uint64{uint64(uint32(x)), x >> 32}
			fillSecond(o, q, vals)
		case dcS4le2:
			x := binary.LittleEndian.Uint64((*[8]byte)(p)[:])
			*(*[2]int64)(q) = [2]int64{int64(int32(x)), int64(x) >> 32}
			fillSecond(o, q, vals)
		case dc8le2:
			*(*[2]uint64)(q) = [2]uint64{binary.LittleEndian.Uint64((*[8]byte)(p)[:]), binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, 8))[:])}
			fillSecond(o, q, vals)
		case dcString:
			// 1 to 16 bytes (newVops): copyShort, written out, as it does
			// not inline and a call here cost 28 instructions a wide
			// record (the loop's registers saved around it).
			n, b := uintptr(o.size), unsafe.Add(data, o.bytes)
			switch {
			case n >= 8:
				x, y := *(*uint64)(p), *(*uint64)(unsafe.Add(p, n-8))
				*(*uint64)(b), *(*uint64)(unsafe.Add(b, n-8)) = x, y
			case n >= 4:
				x, y := *(*uint32)(p), *(*uint32)(unsafe.Add(p, n-4))
				*(*uint32)(b), *(*uint32)(unsafe.Add(b, n-4)) = x, y
			default:
				x, y, z := *(*byte)(p), *(*byte)(unsafe.Add(p, n/2)), *(*byte)(unsafe.Add(p, n-1))
				*(*byte)(b), *(*byte)(unsafe.Add(b, n/2)), *(*byte)(unsafe.Add(b, n-1)) = x, y, z
			}
			*(*[3]uintptr)(q) = [3]uintptr{uintptr(b), n, n}
		case dcChar, dcPascal, dcEmpty, dcSigned, dcUnsigned, dcHalf, dcFloat32, dcFloat64, dcStringLong:
			o.decodeOther(p, q, data)
		case dcEnd, dcEnd + 1, dcEnd + 2, dcEnd + 3, dcEnd + 4, dcEnd + 5: // dcEnd + 5 is 31
			return
		}
		if vals != nil {
			*(*[2]uintptr)(unsafe.Add(vals, o.val)) = [2]uintptr{uintptr(o.typ), uintptr(q)}
		}
	}
}

// fillSecond points the second interface value of a pair op at its
// number word, right after the first's, if vals is not nil.
func fillSecond(o *vop, q, vals unsafe.Pointer) {
	if vals != nil {
		*(*[2]uintptr)(unsafe.Add(vals, o.val+uint32(efaceSize))) = [2]uintptr{uintptr(o.typ), uintptr(q) + 8}
	}
}

// decodeOther decodes the value of one op of decodeValues or decodeRows
// without a case of its own there: long, empty and Pascal strings, chars,
// and numbers through loadWire.
func (o *vop) decodeOther(p, q, data unsafe.Pointer) {
	switch o.code {
	case dcString, dcStringLong:
		dynCopy(q, data, uintptr(o.bytes), p, 0, uintptr(o.size))
	case dcChar:
		b := unsafe.Add(data, o.bytes)
		*(*byte)(b) = *(*byte)(p)
		setBytes(q, b, 1)
	case dcPascal:
		dynCopy(q, data, uintptr(o.bytes), p, 1, min(uintptr(*(*byte)(p)), uintptr(o.size)-1))
	case dcEmpty:
		setBytes(q, nil, 0)
	default:
		decodeWire(o.code, o.wire, o.shift, p, q)
	}
}

// decodeOps decodes the values of larger records op by op. Every op has
// at least one value, so each loop tests its count after a value, not
// before.
func decodeOps(ops []dynOp, rec, data unsafe.Pointer) {
	for i := range ops {
		o := &ops[i]
		p := unsafe.Add(rec, o.off) // inside the record: an op of no bytes (dcEmpty) does not read p
		q := unsafe.Add(data, o.dst)
		n := o.count
		switch o.code {
		case dcS1:
			for j := uintptr(0); ; {
				*(*int64)(unsafe.Add(q, j*8)) = int64(*(*int8)(unsafe.Add(p, j)))
				if j++; j == n {
					break
				}
			}
		case dcS2le:
			for j := uintptr(0); ; {
				*(*int64)(unsafe.Add(q, j*8)) = int64(int16(binary.LittleEndian.Uint16((*[2]byte)(unsafe.Add(p, j*2))[:])))
				if j++; j == n {
					break
				}
			}
		case dcS4le:
			for j := uintptr(0); ; {
				*(*int64)(unsafe.Add(q, j*8)) = int64(int32(binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(p, j*4))[:])))
				if j++; j == n {
					break
				}
			}
		case dcU1:
			for j := uintptr(0); ; {
				*(*uint64)(unsafe.Add(q, j*8)) = uint64(*(*uint8)(unsafe.Add(p, j)))
				if j++; j == n {
					break
				}
			}
		case dcU2le:
			for j := uintptr(0); ; {
				*(*uint64)(unsafe.Add(q, j*8)) = uint64(binary.LittleEndian.Uint16((*[2]byte)(unsafe.Add(p, j*2))[:]))
				if j++; j == n {
					break
				}
			}
		case dcU4le:
			for j := uintptr(0); ; {
				*(*uint64)(unsafe.Add(q, j*8)) = uint64(binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(p, j*4))[:]))
				if j++; j == n {
					break
				}
			}
		case dcS8le, dcU8le, dcF8le:
			for j := uintptr(0); ; {
				*(*uint64)(unsafe.Add(q, j*8)) = binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, j*8))[:])
				if j++; j == n {
					break
				}
			}
		case dcF4le:
			for j := uintptr(0); ; {
				*(*float64)(unsafe.Add(q, j*8)) = float32ToFloat64(binary.LittleEndian.Uint32((*[4]byte)(unsafe.Add(p, j*4))[:]))
				if j++; j == n {
					break
				}
			}
		case dcBool:
			for j := uintptr(0); ; {
				*(*bool)(unsafe.Add(q, j)) = *(*byte)(unsafe.Add(p, j)) != 0
				if j++; j == n {
					break
				}
			}
		case dcChar:
			for j := uintptr(0); ; {
				b := unsafe.Add(data, o.bytes+j)
				*(*byte)(b) = *(*byte)(unsafe.Add(p, j))
				setBytes(unsafe.Add(q, j*bytesSize), b, 1)
				if j++; j == n {
					break
				}
			}
		case dcString:
			dynCopy(q, data, o.bytes, p, 0, o.size)
		case dcPascal:
			dynCopy(q, data, o.bytes, p, 1, min(uintptr(*(*byte)(p)), o.size-1))
		case dcEmpty:
			setBytes(q, nil, 0)
		default:
			o.decodeWire(p, q)
		}
	}
}

// decodeWire decodes the numbers of an op of a code without a loop of
// its own in decodeOps: big-endian and half-precision ones.
func (o *dynOp) decodeWire(p, q unsafe.Pointer) {
	for j := range o.count {
		decodeWire(o.code, o.wire, o.shift, unsafe.Add(p, j*o.size), unsafe.Add(q, j*8))
	}
}

// decodeWire decodes one number of code on wire at p into its word at q:
// the codes without cases of their own in the decoding loops.
func decodeWire(code uint8, wire wireKind, shift uint8, p, q unsafe.Pointer) {
	u := loadWire(p, wire)
	switch code {
	case dcSigned:
		*(*int64)(q) = int64(u<<shift) >> shift
	case dcUnsigned, dcFloat64:
		*(*uint64)(q) = u
	case dcHalf:
		*(*float64)(q) = half.ToFloat64(uint16(u))
	case dcFloat32:
		*(*float64)(q) = float32ToFloat64(uint32(u))
	}
}

// dynCopy copies n bytes from p+poff to data+off and points the []byte
// header at h at them. Pointers are made only to bytes that exist: the
// bytes of an empty string may be past the end of the record or area.
func dynCopy(h, data unsafe.Pointer, off uintptr, p unsafe.Pointer, poff, n uintptr) {
	if n == 0 {
		setBytes(h, nil, 0)
		return
	}
	b, src := unsafe.Add(data, off), unsafe.Add(p, poff)
	if n <= 16 {
		copyShort(b, src, n) // cheaper than a call of memmove
	} else {
		copy(unsafe.Slice((*byte)(b), n), unsafe.Slice((*byte)(src), n))
	}
	setBytes(h, b, n)
}

// copyShort copies n bytes, 1 to 16, from src to b: loads that may overlap
// copy them all, never touching a byte outside the n. decodeValues has it
// written out.
func copyShort(b, src unsafe.Pointer, n uintptr) {
	switch {
	case n >= 8:
		x, y := *(*uint64)(src), *(*uint64)(unsafe.Add(src, n-8))
		*(*uint64)(b), *(*uint64)(unsafe.Add(b, n-8)) = x, y
	case n >= 4:
		x, y := *(*uint32)(src), *(*uint32)(unsafe.Add(src, n-4))
		*(*uint32)(b), *(*uint32)(unsafe.Add(b, n-4)) = x, y
	default: // bytes 0, n/2 and n-1 cover 1, 2 or 3
		x, y, z := *(*byte)(src), *(*byte)(unsafe.Add(src, n/2)), *(*byte)(unsafe.Add(src, n-1))
		*(*byte)(b), *(*byte)(unsafe.Add(b, n/2)), *(*byte)(unsafe.Add(b, n-1)) = x, y, z
	}
}

// decodeRows decodes m records as decodeValues decodes one, from the ops
// of decodeValues, op by op: each op runs over the m records before the
// next op, so that its dispatch is paid once per m records. Record r is at
// rec + r×rstride and its data area at data + r×dstride. The []byte
// headers of record r point at its bytes where they will be read:
// hdata + r×hstride + the bytes' offset in the data area (hstride is 0 when
// the rows are copied, one at a time, into the data area at hdata).
func decodeRows(ops []vop, m int, rec unsafe.Pointer, rstride uintptr, data unsafe.Pointer, dstride uintptr, hdata unsafe.Pointer, hstride uintptr) {
	for i := range ops {
		o := &ops[i]
		if o.code == dcEnd {
			return
		}
		p := unsafe.Add(rec, o.off) // inside the record: an op of no bytes (dcEmpty) does not read p
		q := unsafe.Add(data, o.dst)
		// Each loop decodes record r, then steps to the next, never past
		// the last.
		switch o.code {
		case dcS1:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				*(*int64)(q) = int64(*(*int8)(p))
				if r++; r == m {
					break
				}
			}
		case dcS2le:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				*(*int64)(q) = int64(int16(binary.LittleEndian.Uint16((*[2]byte)(p)[:])))
				if r++; r == m {
					break
				}
			}
		case dcS4le:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				*(*int64)(q) = int64(int32(binary.LittleEndian.Uint32((*[4]byte)(p)[:])))
				if r++; r == m {
					break
				}
			}
		case dcU1:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				*(*uint64)(q) = uint64(*(*uint8)(p))
				if r++; r == m {
					break
				}
			}
		case dcU2le:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				*(*uint64)(q) = uint64(binary.LittleEndian.Uint16((*[2]byte)(p)[:]))
				if r++; r == m {
					break
				}
			}
		case dcU4le:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				*(*uint64)(q) = uint64(binary.LittleEndian.Uint32((*[4]byte)(p)[:]))
				if r++; r == m {
					break
				}
			}
		case dcS8le, dcU8le, dcF8le:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				*(*uint64)(q) = binary.LittleEndian.Uint64((*[8]byte)(p)[:])
				if r++; r == m {
					break
				}
			}
		case dcF4le:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				*(*float64)(q) = float32ToFloat64(binary.LittleEndian.Uint32((*[4]byte)(p)[:]))
				if r++; r == m {
					break
				}
			}
		case dcBool:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				*(*bool)(q) = *(*byte)(p) != 0
				if r++; r == m {
					break
				}
			}
		case dcU2le2:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				x := binary.LittleEndian.Uint32((*[4]byte)(p)[:])
				*(*[2]uint64)(q) = [2]uint64{uint64(uint16(x)), uint64(x >> 16)}
				if r++; r == m {
					break
				}
			}
		case dcS2le2:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				x := binary.LittleEndian.Uint32((*[4]byte)(p)[:])
				*(*[2]int64)(q) = [2]int64{int64(int16(x)), int64(int32(x) >> 16)}
				if r++; r == m {
					break
				}
			}
		case dcU4le2:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				x := binary.LittleEndian.Uint64((*[8]byte)(p)[:])
				*(*[2]uint64)(q) = [2]uint64{uint64(uint32(x)), x >> 32}
				if r++; r == m {
					break
				}
			}
		case dcS4le2:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				x := binary.LittleEndian.Uint64((*[8]byte)(p)[:])
				*(*[2]int64)(q) = [2]int64{int64(int32(x)), int64(x) >> 32}
				if r++; r == m {
					break
				}
			}
		case dc8le2:
			for r := 0; ; p, q = unsafe.Add(p, rstride), unsafe.Add(q, dstride) {
				*(*[2]uint64)(q) = [2]uint64{binary.LittleEndian.Uint64((*[8]byte)(p)[:]), binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, 8))[:])}
				if r++; r == m {
					break
				}
			}
		default:
			// Byte strings, chars and numbers through loadWire: one
			// record at a time, as decodeValues decodes them, then the
			// []byte header pointed at where the bytes will be read.
			d, h := data, hdata
			for r := 0; ; p, q, d, h = unsafe.Add(p, rstride), unsafe.Add(q, dstride), unsafe.Add(d, dstride), unsafe.Add(h, hstride) {
				o.decodeOther(p, q, d)
				if o.code >= dcChar && o.code <= dcEmpty || o.code == dcStringLong {
					// A byte string: its header points at its bytes in d.
					if hp := (*[3]uintptr)(q); hp[0] != zeroBytes && d != h {
						hp[0] += uintptr(h) - uintptr(d)
					}
				}
				if r++; r == m {
					break
				}
			}
		}
	}
}

// iterBatchBytes bounds the allocations of IterUnpack's blocks: the
// blocks of as many consecutive records as fit in it are one allocation,
// decoded together. With 128-byte blocks ('<IIhhd'), four to an
// allocation ran faster than one, two, three, eight or sixteen: from 512
// bytes on, Go's allocator adds a header to objects that hold pointers and
// rounds them up to coarser size classes, and the larger blocks only added
// to the bytes allocated. (Fifteen to an allocation, 1920 bytes and the
// header in a 2048-byte class, took 13 % fewer instructions a record than
// four once batches were decoded op by op, and 7 % more bytes; paired runs
// could not tell the two apart in time.)
const iterBatchBytes = 512

// iterBlocks is IterUnpack's iteration of records with a block type
// (l.class != nil): the blocks of consecutive records are allocated a few
// at a time (iterBatchBytes), never more than the records buf still holds.
func (l *dynLayout) iterBlocks(buf []byte, size, n int) iter.Seq[[]any] {
	c, vops := l.class, l.vops // records with a block type are small: they have vops
	batch := max(1, iterBatchBytes/int(c.size))
	return func(yield func([]any) bool) {
		base := unsafe.Pointer(unsafe.SliceData(buf))
		for off := 0; off < len(buf); {
			// The records of one allocation are decoded together, op by
			// op, into their blocks' data areas.
			m := min(batch, (len(buf)-off)/size)
			block := c.allocN(m)
			data := unsafe.Add(block, c.offD)
			decodeRows(vops, m, unsafe.Add(base, off), uintptr(size), data, c.size, data, c.size)
			fillRows(vops, m, block, data, c.size)
			off += m * size
			for r, vals := 0, block; ; vals = unsafe.Add(vals, c.size) {
				if !yield(unsafe.Slice((*any)(vals), n)) {
					return
				}
				if r++; r == m {
					break // never past the allocation's end
				}
			}
		}
	}
}
