package pack

import (
	"encoding/binary"
	"math"
	"unsafe"

	"github.com/pystruct/pystruct/format"
)

// A dynPack packs one value on the fast path: where it goes in the
// record, and, for integers, the range its code takes.
type dynPack struct {
	code uint8   // pk* below
	off  uintptr // offset in the record
	size uintptr // bytes: the field's size for 's'
	min  int64   // integers: the range of the code
	max  uint64
}

// The fast-path codes of packFast: integers of every size and order
// (signedness is in the range), floats of 4 and 8 bytes, bools, and 's'
// and 'c' byte strings.
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
)

var intType = efaceType(int(0))

// newDynPacks returns the fast-path packing of s's values, or nil if a
// kind of s has no fast path (half floats, complex, 'p'): packFast then
// leaves every record to the general path.
func newDynPacks(s *Struct) []dynPack {
	big := s.plan.Order().BigEndian()
	packs := make([]dynPack, 0, s.numValues)
	for i := range s.coders {
		c := &s.coders[i]
		f := s.plan.Field(c.field)
		pk := dynPack{size: uintptr(c.size)}
		switch f.Kind {
		case format.Signed, format.Unsigned:
			switch c.size {
			case 1:
				pk.code = pkInt1
			case 2:
				pk.code = pkInt2le
			case 4:
				pk.code = pkInt4le
			case 8:
				pk.code = pkInt8le
			default:
				return nil
			}
			if big && c.size > 1 {
				pk.code += pkInt2be - pkInt2le
			}
			bits := uint(8 * c.size)
			if f.Kind == format.Signed {
				pk.min, pk.max = -1<<(bits-1), 1<<(bits-1)-1
			} else {
				pk.max = math.MaxUint64 >> (64 - bits)
			}
		case format.Float:
			switch {
			case c.size == 4 && !big:
				pk.code = pkF4le
			case c.size == 8 && !big:
				pk.code = pkF8le
			case c.size == 4:
				pk.code = pkF4be
			case c.size == 8:
				pk.code = pkF8be
			default:
				return nil
			}
		case format.Bool:
			pk.code = pkBool
		case format.String:
			pk.code = pkString
		case format.Char:
			pk.code = pkChar
		default:
			return nil
		}
		for j := range c.count {
			pk.off = uintptr(c.off + j*c.size)
			packs = append(packs, pk)
		}
	}
	return packs
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
	packs := l.packs
	if len(packs) != len(values) || len(packs) == 0 {
		return false // a kind without a fast path, or results beyond MaxAlloc
	}
	r := unsafe.Pointer(unsafe.SliceData(rec))
	for i := range packs {
		pk := &packs[i]
		e := (*eface)(unsafe.Pointer(&values[i]))
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
