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

// packCode returns packFast's code for values of the kind and size, and
// for integers the range the code takes.
func packCode(k format.Kind, size int, big bool) (code uint8, lo int64, hi uint64) {
	switch k {
	case format.Signed, format.Unsigned:
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
			return pkNone, 0, 0
		}
		if big && size > 1 {
			code += pkInt2be - pkInt2le
		}
		bits := uint(8 * size)
		if k == format.Signed {
			return code, -1 << (bits - 1), 1<<(bits-1) - 1
		}
		return code, 0, math.MaxUint64 >> (64 - bits)
	case format.Float:
		switch {
		case size == 4 && !big:
			return pkF4le, 0, 0
		case size == 8 && !big:
			return pkF8le, 0, 0
		case size == 4:
			return pkF4be, 0, 0
		case size == 8:
			return pkF8be, 0, 0
		}
	case format.Bool:
		return pkBool, 0, 0
	case format.String:
		return pkString, 0, 0
	case format.Char:
		return pkChar, 0, 0
	}
	return pkNone, 0, 0
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
	ops := l.ops
	vi := uintptr(0)
	for i := range ops {
		o := &ops[i]
		for j := range o.count {
			e := (*eface)(unsafe.Add(vals, vi*unsafe.Sizeof(eface{})))
			vi++
			if o.pcode <= pkInt8be {
				var x uint64
				switch e.typ {
				case int64Type:
					v := *(*int64)(e.data)
					if v < o.min || v >= 0 && uint64(v) > o.max {
						return false
					}
					x = uint64(v)
				case intType:
					v := int64(*(*int)(e.data))
					if v < o.min || v >= 0 && uint64(v) > o.max {
						return false
					}
					x = uint64(v)
				case uint64Type:
					x = *(*uint64)(e.data)
					if x > o.max {
						return false
					}
				default:
					return false
				}
				q := unsafe.Add(r, o.off+j*o.size)
				switch o.pcode {
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
			if o.size == 0 {
				// '0s' packs nothing, but only a []byte may go there.
				if e.typ != bytesType {
					return false
				}
				continue
			}
			q := unsafe.Add(r, o.off+j*o.size)
			switch o.pcode {
			case pkF8le, pkF8be:
				if e.typ != float64Type {
					return false
				}
				bits := math.Float64bits(*(*float64)(e.data))
				if o.pcode == pkF8le {
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
				if o.pcode == pkF4le {
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
				n := min(uintptr(len(b)), o.size)
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
	}
	return true
}
