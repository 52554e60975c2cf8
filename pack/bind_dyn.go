package pack

import (
	"encoding/binary"
	"iter"
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
// static true and false), so decoding a record is two steps: write the
// numbers, bools and bytes into D (decode), then set each interface value
// to its type word and place (fill). A reused Values already holds the
// right interface values: it only checks that its caller has not changed
// them (values.go).
//
// The layout a Struct keeps for this is built on first use, and its
// tables grow with the Struct's coders, not with its values, except for
// small records (at most dynPackMax values), which also get one decode op
// and one pack entry per value: a switch per value, with no loop inside,
// is what small records spend least on.

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
	vops  []dynOp   // small records: ops split into one op per value, for decodeValues
	slots []dynSlot // small records: each value's type and place in the data area, for fillSlots
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

// A dynSlot is where one value's interface points: its type word and its
// place in the data area.
type dynSlot struct {
	typ unsafe.Pointer
	off uintptr
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
		l.vops = make([]dynOp, 0, s.numValues)
		for i := range l.ops {
			o := l.ops[i]
			v := o
			v.count = 1
			for j := uintptr(0); j < o.count; j++ {
				v.code, v.off, v.dst = o.code, o.off+j*o.size, o.dst+j*o.stride
				if o.kind == dynChar {
					v.bytes = o.bytes + j
				}
				if pair, ok := dynPairs[o.code]; ok && j+1 < o.count {
					v.code = pair
					j++
				}
				l.vops = append(l.vops, v)
			}
		}
		l.slots = make([]dynSlot, 0, s.numValues)
		for i := range l.ops {
			o := &l.ops[i]
			for j := range o.count {
				l.slots = append(l.slots, dynSlot{o.typ, o.dst + j*o.stride})
			}
		}
	}
	if l.pack && s.numValues <= dynPackMax {
		l.packs = newDynPacks(l.ops, s.numValues)
	}
	if s.numValues <= len(dynClasses) {
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
	fillSlots(l.slots, vals, data)
	decodeValues(l.vops, rec, data) // records with a block type are small: they have vops and slots
	// The slice, as unsafe.Slice(vals, n) makes it without its checks:
	// n values are at vals.
	return *(*[]any)(unsafe.Pointer(&sliceHeader{vals, n, n}))
}

// sliceHeader is the memory of a slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// fillSlots points the interface values of a block just allocated, vals
// and data in it, at their places in data, from the layout's slots. It
// writes them without write barriers: the block is new, so the stores
// overwrite no pointer, and they store only pointers to static type data
// and into the block itself, which the collector has marked if it is
// marking (objects are allocated marked then). Nothing the collector must
// learn of is stored.
func fillSlots(slots []dynSlot, vals, data unsafe.Pointer) {
	// Four values at a time: a loop of one value spent more on its
	// counting than on the value.
	d := uintptr(data)
	for len(slots) >= 4 {
		s, v := (*[4]dynSlot)(slots), (*[4][2]uintptr)(vals)
		v[0] = [2]uintptr{uintptr(s[0].typ), d + s[0].off}
		v[1] = [2]uintptr{uintptr(s[1].typ), d + s[1].off}
		v[2] = [2]uintptr{uintptr(s[2].typ), d + s[2].off}
		v[3] = [2]uintptr{uintptr(s[3].typ), d + s[3].off}
		if slots = slots[4:]; len(slots) == 0 {
			return // vals may end here: make no pointer past it
		}
		vals = unsafe.Add(vals, 4*unsafe.Sizeof(eface{}))
	}
	for i := range slots {
		sl := &slots[i]
		*(*[2]uintptr)(unsafe.Add(vals, uintptr(i)*unsafe.Sizeof(eface{}))) = [2]uintptr{uintptr(sl.typ), d + sl.off}
	}
}

// fillRows is fillSlots for m blocks one after another, stride bytes
// apart, the first's interface values at vals and its data at data: slot
// by slot, each over the m blocks. It writes without write barriers, as
// fillSlots does: the blocks were allocated zeroed, and the stores are of
// pointers to static type data and into the allocation itself.
func fillRows(slots []dynSlot, m int, vals, data unsafe.Pointer, stride uintptr) {
	for i := range slots {
		sl := &slots[i]
		typ, v, d := uintptr(sl.typ), unsafe.Add(vals, uintptr(i)*efaceSize), uintptr(data)+sl.off
		for r := 0; ; v, d = unsafe.Add(v, stride), d+stride {
			*(*[2]uintptr)(v) = [2]uintptr{typ, d}
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
		decodeValues(l.vops, rec, data)
	} else {
		decodeOps(l.ops, rec, data)
	}
}

// decodeValues decodes the values of small records, one op of one value
// each: no loops within the switch.
func decodeValues(ops []dynOp, rec, data unsafe.Pointer) {
	for i := range ops {
		o := &ops[i]
		p := unsafe.Add(rec, o.off) // inside the record: an op of no bytes (dcEmpty) does not read p
		q := unsafe.Add(data, o.dst)
		switch o.code {
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
		case dcS2le2:
			x := binary.LittleEndian.Uint32((*[4]byte)(p)[:])
			*(*[2]int64)(q) = [2]int64{int64(int16(x)), int64(int32(x) >> 16)}
		case dcU4le2:
			x := binary.LittleEndian.Uint64((*[8]byte)(p)[:])
			*(*[2]uint64)(q) = [2]uint64{uint64(uint32(x)), x >> 32}
		case dcS4le2:
			x := binary.LittleEndian.Uint64((*[8]byte)(p)[:])
			*(*[2]int64)(q) = [2]int64{int64(int32(x)), int64(x) >> 32}
		case dc8le2:
			*(*[2]uint64)(q) = [2]uint64{binary.LittleEndian.Uint64((*[8]byte)(p)[:]), binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, 8))[:])}
		case dcString:
			dynCopy(q, data, o.bytes, p, 0, o.size)
		default:
			o.decodeOther(p, q, data)
		}
	}
}

// decodeOther decodes the value of one op of decodeValues without a case
// of its own there: chars, Pascal strings, and numbers through loadWire.
func (o *dynOp) decodeOther(p, q, data unsafe.Pointer) {
	switch o.code {
	case dcString:
		dynCopy(q, data, o.bytes, p, 0, o.size)
	case dcChar:
		b := unsafe.Add(data, o.bytes)
		*(*byte)(b) = *(*byte)(p)
		setBytes(q, b, 1)
	case dcPascal:
		dynCopy(q, data, o.bytes, p, 1, min(uintptr(*(*byte)(p)), o.size-1))
	case dcEmpty:
		setBytes(q, nil, 0)
	default:
		o.decodeWire(p, q)
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

// decodeWire decodes the numbers of the codes without loops of their own
// in decode: big-endian and half-precision ones.
func (o *dynOp) decodeWire(p, q unsafe.Pointer) {
	for j := range o.count {
		u := loadWire(unsafe.Add(p, j*o.size), o.wire)
		r := unsafe.Add(q, j*8)
		switch o.code {
		case dcSigned:
			*(*int64)(r) = int64(u<<o.shift) >> o.shift
		case dcUnsigned:
			*(*uint64)(r) = u
		case dcHalf:
			*(*float64)(r) = half.ToFloat64(uint16(u))
		case dcFloat32:
			*(*float64)(r) = float32ToFloat64(uint32(u))
		case dcFloat64:
			*(*uint64)(r) = u
		}
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
	// Short strings: cheaper than a call of memmove. From 4 bytes on, two
	// loads that may overlap copy them all, never touching a byte
	// outside the n.
	switch {
	case n >= 8 && n <= 16:
		x, y := *(*[8]byte)(src), *(*[8]byte)(unsafe.Add(src, n-8))
		*(*[8]byte)(b), *(*[8]byte)(unsafe.Add(b, n-8)) = x, y
	case n >= 4 && n < 8:
		x, y := *(*[4]byte)(src), *(*[4]byte)(unsafe.Add(src, n-4))
		*(*[4]byte)(b), *(*[4]byte)(unsafe.Add(b, n-4)) = x, y
	case n < 4:
		for i := range n {
			*(*byte)(unsafe.Add(b, i)) = *(*byte)(unsafe.Add(src, i))
		}
	default:
		copy(unsafe.Slice((*byte)(b), n), unsafe.Slice((*byte)(src), n))
	}
	setBytes(h, b, n)
}

// decodeRows decodes m records as decodeValues decodes one, from the ops
// of decodeValues, op by op: each op runs over the m records before the
// next op, so that its dispatch is paid once per m records. Record r is at
// rec + r×rstride and its data area at data + r×dstride. The []byte
// headers of record r point at its bytes where they will be read:
// hdata + r×hstride + the bytes' offset in the data area (hstride is 0 when
// the rows are copied, one at a time, into the data area at hdata).
func decodeRows(ops []dynOp, m int, rec unsafe.Pointer, rstride uintptr, data unsafe.Pointer, dstride uintptr, hdata unsafe.Pointer, hstride uintptr) {
	for i := range ops {
		o := &ops[i]
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
				if o.kind >= dynChar && d != h {
					if hp := (*[3]uintptr)(q); hp[0] != zeroBytes {
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
// blocks of as many consecutive records as fit in it are one allocation.
// With 128-byte blocks ('<IIhhd'), four to an allocation ran faster than
// one, two, three, eight or sixteen: from 512 bytes on, Go's allocator adds
// a header to objects that hold pointers and rounds them up to coarser
// size classes, and the larger blocks only added to the bytes allocated.
const iterBatchBytes = 512

// iterBlocks is IterUnpack's iteration of records with a block type
// (l.class != nil): the blocks of consecutive records are allocated a few
// at a time (iterBatchBytes), never more than the records buf still holds.
func (l *dynLayout) iterBlocks(buf []byte, size, n int) iter.Seq[[]any] {
	c, vops, slots := l.class, l.vops, l.slots // records with a block type are small: they have vops and slots
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
			fillRows(slots, m, block, data, c.size)
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
