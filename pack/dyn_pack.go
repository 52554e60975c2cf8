package pack

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// packFast packs values into rec, a zeroed record, for the common case:
// every value of a concrete type its code takes directly (int64, int or
// uint64 for integers, float64 for floats, bool for '?', []byte for 's'
// and 'c') and in range. It reports false as soon as a value is anything
// else, or if the format has a kind it has no loop for, leaving the rest
// to Struct.pack's general path, which rewrites the same bytes and reports
// errors as CPython does.
func (s *Struct) packFast(rec []byte, values []any) bool {
	l := s.dynLayoutOf()
	if !l.fresh {
		return false // a kind without a loop here, or results beyond MaxAlloc
	}
	r := unsafe.Pointer(unsafe.SliceData(rec))
	vi := 0
	for i := range l.ops {
		o := &l.ops[i]
		p := r
		if o.size > 0 {
			p = unsafe.Add(r, o.off) // only inside the record: a field of no bytes may sit at its end
		}
		switch o.code {
		case dcS1:
			for j := uintptr(0); j < o.count; j++ {
				var x int64
				switch v := values[vi].(type) {
				case int64:
					x = v
				case int:
					x = int64(v)
				default:
					return false
				}
				if x != int64(int8(x)) {
					return false
				}
				q := unsafe.Add(p, j*1)
				*(*byte)(q) = byte(x)
				vi++
			}
			continue
		case dcS2le:
			for j := uintptr(0); j < o.count; j++ {
				var x int64
				switch v := values[vi].(type) {
				case int64:
					x = v
				case int:
					x = int64(v)
				default:
					return false
				}
				if x != int64(int16(x)) {
					return false
				}
				q := unsafe.Add(p, j*2)
				binary.LittleEndian.PutUint16((*[2]byte)(q)[:], uint16(x))
				vi++
			}
			continue
		case dcS4le:
			for j := uintptr(0); j < o.count; j++ {
				var x int64
				switch v := values[vi].(type) {
				case int64:
					x = v
				case int:
					x = int64(v)
				default:
					return false
				}
				if x != int64(int32(x)) {
					return false
				}
				q := unsafe.Add(p, j*4)
				binary.LittleEndian.PutUint32((*[4]byte)(q)[:], uint32(x))
				vi++
			}
			continue
		case dcS8le:
			for j := uintptr(0); j < o.count; j++ {
				var x int64
				switch v := values[vi].(type) {
				case int64:
					x = v
				case int:
					x = int64(v)
				default:
					return false
				}
				q := unsafe.Add(p, j*8)
				binary.LittleEndian.PutUint64((*[8]byte)(q)[:], uint64(x))
				vi++
			}
			continue
		case dcU1:
			for j := uintptr(0); j < o.count; j++ {
				var x uint64
				switch v := values[vi].(type) {
				case int64:
					if v < 0 {
						return false
					}
					x = uint64(v)
				case int:
					if v < 0 {
						return false
					}
					x = uint64(v)
				case uint64:
					x = v
				default:
					return false
				}
				if x > math.MaxUint8 {
					return false
				}
				q := unsafe.Add(p, j*1)
				*(*byte)(q) = byte(x)
				vi++
			}
			continue
		case dcU2le:
			for j := uintptr(0); j < o.count; j++ {
				var x uint64
				switch v := values[vi].(type) {
				case int64:
					if v < 0 {
						return false
					}
					x = uint64(v)
				case int:
					if v < 0 {
						return false
					}
					x = uint64(v)
				case uint64:
					x = v
				default:
					return false
				}
				if x > math.MaxUint16 {
					return false
				}
				q := unsafe.Add(p, j*2)
				binary.LittleEndian.PutUint16((*[2]byte)(q)[:], uint16(x))
				vi++
			}
			continue
		case dcU4le:
			for j := uintptr(0); j < o.count; j++ {
				var x uint64
				switch v := values[vi].(type) {
				case int64:
					if v < 0 {
						return false
					}
					x = uint64(v)
				case int:
					if v < 0 {
						return false
					}
					x = uint64(v)
				case uint64:
					x = v
				default:
					return false
				}
				if x > math.MaxUint32 {
					return false
				}
				q := unsafe.Add(p, j*4)
				binary.LittleEndian.PutUint32((*[4]byte)(q)[:], uint32(x))
				vi++
			}
			continue
		case dcU8le:
			for j := uintptr(0); j < o.count; j++ {
				var x uint64
				switch v := values[vi].(type) {
				case int64:
					if v < 0 {
						return false
					}
					x = uint64(v)
				case int:
					if v < 0 {
						return false
					}
					x = uint64(v)
				case uint64:
					x = v
				default:
					return false
				}
				q := unsafe.Add(p, j*8)
				binary.LittleEndian.PutUint64((*[8]byte)(q)[:], uint64(x))
				vi++
			}
			continue
		case dcF8le:
			for j := uintptr(0); j < o.count; j++ {
				f, ok := values[vi].(float64)
				if !ok {
					return false
				}
				binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(p, j*8))[:], math.Float64bits(f))
				vi++
			}
			continue
		case dcF4le:
			for j := uintptr(0); j < o.count; j++ {
				f, ok := values[vi].(float64)
				if !ok {
					return false
				}
				bits, ok := float32Bits(f)
				if !ok {
					return false
				}
				binary.LittleEndian.PutUint32((*[4]byte)(unsafe.Add(p, j*4))[:], bits)
				vi++
			}
			continue
		case dcBool:
			for j := uintptr(0); j < o.count; j++ {
				b, ok := values[vi].(bool)
				if !ok {
					return false
				}
				if b {
					*(*byte)(unsafe.Add(p, j)) = 1
				}
				vi++
			}
			continue
		}
		switch o.kind {
		case dynString:
			b, ok := values[vi].([]byte)
			if !ok {
				return false
			}
			copy(unsafe.Slice((*byte)(p), o.size), b)
			vi++
		case dynChar:
			for j := uintptr(0); j < o.count; j++ {
				b, ok := values[vi].([]byte)
				if !ok || len(b) != 1 {
					return false
				}
				*(*byte)(unsafe.Add(p, j)) = b[0]
				vi++
			}
		default:
			return false
		}
	}
	return true
}
