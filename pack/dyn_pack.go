package pack

import (
	"encoding/binary"
	"math"
	"unsafe"

	"github.com/pystruct/pystruct/format"
)

// packFast's codes: integers of every size and order (signedness is in
// the range), floats of 4 and 8 bytes, bools, and 's' and 'c' byte
// strings. Other kinds (half floats, complex, 'p') have none.
const (
	pkInt1 uint8 = iota
	pkInt2le
	pkInt4le
	pkInt8le
	pkInt2be
	pkInt4be
	pkInt8be
	pkF4le
	pkF8le
	pkF4be
	pkF8be
	pkBool
	pkString
	pkChar
	pkNone
)

var intType = efaceType(int(0))

// packCode returns packFast's code for values of the kind and size.
func packCode(k format.Kind, size int, big bool) uint8 {
	switch k {
	case format.Signed, format.Unsigned:
		var code uint8
		switch size {
		case 1:
			code = pkInt1
		case 2:
			code = pkInt2le
		case 4:
			code = pkInt4le
		case 8:
			code = pkInt8le
		default:
			return pkNone
		}
		if big && size > 1 {
			code += pkInt2be - pkInt2le
		}
		return code
	case format.Float:
		switch {
		case size == 4 && !big:
			return pkF4le
		case size == 8 && !big:
			return pkF8le
		case size == 4:
			return pkF4be
		case size == 8:
			return pkF8be
		}
	case format.Bool:
		return pkBool
	case format.String:
		return pkString
	case format.Char:
		return pkChar
	}
	return pkNone
}

// packFast packs values into rec, a zeroed record, for the common case:
// every value of a concrete type its code takes directly (int64, int or
// uint64 for integers, float64 for floats, bool for '?', []byte for 's'
// and 'c') and in range. It reports false as soon as a value is anything
// else, or if the format has a kind it has no fast path for, leaving the
// rest to Struct.pack's general path, which rewrites the same bytes and
// reports errors as CPython does.
func (s *Struct) packFast(rec []byte, values []any) bool {
	l := s.dynLayoutOf()
	if !l.pack || len(values) != s.numValues {
		return false // a kind without a fast path, or results beyond MaxAlloc
	}
	r := unsafe.Pointer(unsafe.SliceData(rec))
	vals := unsafe.Pointer(unsafe.SliceData(values))
	if l.packs != nil {
		return packValues(r, vals, l.packs)
	}
	// A large record: its values in chunks, each listed on the stack.
	var buf [64]dynPack
	n, vi := 0, uintptr(0)
	for i := range l.ops {
		o := &l.ops[i]
		for j := range o.count {
			buf[n] = newDynPack(o, j)
			if n++; n == len(buf) {
				if !packValues(r, unsafe.Add(vals, vi*unsafe.Sizeof(eface{})), buf[:]) {
					return false
				}
				n, vi = 0, vi+uintptr(len(buf))
			}
		}
	}
	return n == 0 || packValues(r, unsafe.Add(vals, vi*unsafe.Sizeof(eface{})), buf[:n])
}

// A dynPack is where packFast puts one value: its code, its offset in the
// record, and for integers the range of the code. Small records have a
// table of them; larger ones list them in chunks as they go, so that the
// table stays small.
type dynPack struct {
	off  uintptr
	size uintptr // 's': the field's size
	min  int64
	max  uint64
	code uint8
}

const dynPackMax = 256

// newDynPack returns the dynPack of value j of o, which has a fast pack.
func newDynPack(o *dynOp, j uintptr) dynPack {
	pk := dynPack{off: o.off + j*o.size, size: o.size, code: o.pcode}
	if o.pcode <= pkInt8be {
		bits := uint(8 * o.size)
		if o.kind == dynSigned {
			pk.min, pk.max = -1<<(bits-1), 1<<(bits-1)-1
		} else {
			pk.max = math.MaxUint64 >> (64 - bits)
		}
	}
	return pk
}

// newDynPacks lists the values of the ops, which have fast packs.
func newDynPacks(ops []dynOp, numValues int) []dynPack {
	packs := make([]dynPack, 0, numValues)
	for i := range ops {
		for j := range ops[i].count {
			packs = append(packs, newDynPack(&ops[i], j))
		}
	}
	return packs
}

// packValues packs the values at vals, one per entry of packs, into the
// record at r, or reports false at the first that needs the general path.
func packValues(r, vals unsafe.Pointer, packs []dynPack) bool {
	for i := range packs {
		pk := &packs[i]
		e := (*eface)(unsafe.Add(vals, uintptr(i)*unsafe.Sizeof(eface{})))
		if pk.code <= pkInt8be {
			var x uint64
			switch e.typ {
			case int64Type:
				v := *(*int64)(e.data)
				if v < pk.min || v >= 0 && uint64(v) > pk.max {
					return false
				}
				x = uint64(v)
			case intType:
				v := int64(*(*int)(e.data))
				if v < pk.min || v >= 0 && uint64(v) > pk.max {
					return false
				}
				x = uint64(v)
			case uint64Type:
				x = *(*uint64)(e.data)
				if x > pk.max {
					return false
				}
			default:
				return false
			}
			q := unsafe.Add(r, pk.off)
			switch pk.code {
			case pkInt1:
				*(*uint8)(q) = uint8(x)
			case pkInt2le:
				binary.LittleEndian.PutUint16((*[2]byte)(q)[:], uint16(x))
			case pkInt4le:
				binary.LittleEndian.PutUint32((*[4]byte)(q)[:], uint32(x))
			case pkInt8le:
				binary.LittleEndian.PutUint64((*[8]byte)(q)[:], x)
			case pkInt2be:
				binary.BigEndian.PutUint16((*[2]byte)(q)[:], uint16(x))
			case pkInt4be:
				binary.BigEndian.PutUint32((*[4]byte)(q)[:], uint32(x))
			default:
				binary.BigEndian.PutUint64((*[8]byte)(q)[:], x)
			}
			continue
		}
		q := unsafe.Add(r, pk.off)
		switch pk.code {
		case pkF8le, pkF8be:
			if e.typ != float64Type {
				return false
			}
			bits := math.Float64bits(*(*float64)(e.data))
			if pk.code == pkF8le {
				binary.LittleEndian.PutUint64((*[8]byte)(q)[:], bits)
			} else {
				binary.BigEndian.PutUint64((*[8]byte)(q)[:], bits)
			}
		case pkF4le, pkF4be:
			if e.typ != float64Type {
				return false
			}
			bits, ok := float32Bits(*(*float64)(e.data))
			if !ok {
				return false
			}
			if pk.code == pkF4le {
				binary.LittleEndian.PutUint32((*[4]byte)(q)[:], bits)
			} else {
				binary.BigEndian.PutUint32((*[4]byte)(q)[:], bits)
			}
		case pkBool:
			if e.typ != boolType {
				return false
			}
			if *(*bool)(e.data) {
				*(*byte)(q) = 1
			}
		case pkString:
			if e.typ != bytesType {
				return false
			}
			b := *(*[]byte)(e.data)
			n := min(uintptr(len(b)), pk.size)
			if n > 16 {
				copy(unsafe.Slice((*byte)(q), n), b)
			} else {
				for k := range n { // short strings: cheaper than a call of memmove
					*(*byte)(unsafe.Add(q, k)) = b[k]
				}
			}
		case pkChar:
			if e.typ != bytesType {
				return false
			}
			b := *(*[]byte)(e.data)
			if len(b) != 1 {
				return false
			}
			*(*byte)(q) = b[0]
		}
	}
	return true
}
