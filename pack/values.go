package pack

import (
	"iter"
	"unsafe"
)

// Values holds the values of one unpacked record for reuse, so that
// unpacking record after record allocates nothing once it has grown to
// the size of the Struct's records. The zero Values is ready to use. A
// Values is not safe for concurrent use; one Values may serve several
// Structs in turn.
//
// The slice that [Struct.UnpackValues] returns, and the values in it,
// point into the Values' storage, and the next call with the same Values
// overwrites them: an interface value copied out of the slice changes too
// (whatever its type, bool included), and so do the bytes of a []byte
// value. Take what outlives the next call out with a type assertion
// (n := vals[0].(int64)) and copy byte strings (bytes.Clone). Use
// [Struct.Unpack] for values that stay. The caller may write into the
// slice; the next call gives the next record's values all the same.
type Values struct {
	vals []any
	data []uint64   // the data area (bind_dyn.go) the values point into
	l    *dynLayout // the layout vals was filled for, or nil
	// want[i] is where vals[i] points, as filled: the caller may have
	// changed vals since. Only the data pointers need checking: without
	// package unsafe, no other interface value can point into data, so
	// one that does is the one fill put there, type and all.
	want []uintptr
}

// load decodes the record at rec, of layout l with numValues values, into
// v's storage, and returns v's values. Filled once for l, the interface
// values stay the same from record to record (they point at fixed places
// in data): load only rewrites the data, and fills the interface values
// again if the caller has changed any of them.
func (v *Values) load(l *dynLayout, numValues int, rec unsafe.Pointer) []any {
	if v.l != l {
		v.setup(l, numValues)
	}
	data := unsafe.Pointer(unsafe.SliceData(v.data))
	l.decode(rec, data)
	if !v.intact() {
		l.fill(unsafe.Pointer(unsafe.SliceData(v.vals)), data)
	}
	return v.vals
}

// intact reports whether v.vals still holds the interface values fill
// put there.
func (v *Values) intact() bool {
	// Unrolled: a loop over the values spent more on its own counting
	// than on the comparisons (three instructions a value here).
	vals := unsafe.Pointer(unsafe.SliceData(v.vals)) // len(v.vals) == len(v.want)
	want := unsafe.Pointer(unsafe.SliceData(v.want))
	n := uintptr(len(v.want))
	var diff uintptr
	for ; n >= 8; n -= 8 {
		a, w := (*[8][2]uintptr)(vals), (*[8]uintptr)(want)
		diff |= (a[0][1] ^ w[0]) | (a[1][1] ^ w[1]) | (a[2][1] ^ w[2]) | (a[3][1] ^ w[3]) |
			(a[4][1] ^ w[4]) | (a[5][1] ^ w[5]) | (a[6][1] ^ w[6]) | (a[7][1] ^ w[7]) // (^ binds as | does)
		if n == 8 {
			return diff == 0 // vals and want may end here: make no pointer past them
		}
		vals, want = unsafe.Add(vals, 8*unsafe.Sizeof(eface{})), unsafe.Add(want, 8*unsafe.Sizeof(uintptr(0)))
	}
	// The last n < 8 values, from the last.
	at := func(i uintptr) uintptr {
		return *(*uintptr)(unsafe.Add(vals, i*unsafe.Sizeof(eface{})+unsafe.Offsetof(eface{}.data))) ^
			*(*uintptr)(unsafe.Add(want, i*unsafe.Sizeof(uintptr(0))))
	}
	switch n {
	case 7:
		diff |= at(6)
		fallthrough
	case 6:
		diff |= at(5)
		fallthrough
	case 5:
		diff |= at(4)
		fallthrough
	case 4:
		diff |= at(3)
		fallthrough
	case 3:
		diff |= at(2)
		fallthrough
	case 2:
		diff |= at(1)
		fallthrough
	case 1:
		diff |= at(0)
	}
	return diff == 0
}

// setup makes room for the records of l and fills v's interface values.
func (v *Values) setup(l *dynLayout, numValues int) {
	if cap(v.vals) < numValues || cap(v.want) < numValues {
		// (The coders' path of unpackValues leaves vals and want of
		// different sizes.)
		v.vals = make([]any, numValues)
		v.want = make([]uintptr, numValues)
	}
	if cap(v.data) < l.words {
		v.data = make([]uint64, l.words)
	}
	v.vals = v.vals[:numValues] // keeping their capacity for the Structs of more values it may serve
	v.want = v.want[:numValues]
	l.fill(unsafe.Pointer(unsafe.SliceData(v.vals)), unsafe.Pointer(unsafe.SliceData(v.data)))
	for i := range v.want {
		v.want[i] = uintptr((*eface)(unsafe.Pointer(&v.vals[i])).data)
	}
	v.l = l
}

// UnpackValues unpacks a record as [Struct.Unpack] does, with the same
// values and errors, into v's storage, and returns v's slice of the
// values. It allocates nothing once v has held a record of s. The slice
// and its values stay valid until the next use of v (see [Values]).
func (s *Struct) UnpackValues(v *Values, buf []byte) ([]any, error) {
	s = s.orEmpty()
	if len(buf) != s.Size() {
		return nil, s.bufferError("unpack", "unpack requires a buffer of "+itoa(s.Size())+" bytes")
	}
	return s.unpackValues(v, buf), nil
}

func (s *Struct) unpackValues(v *Values, rec []byte) []any {
	l := s.dynLayoutOf()
	if s.numValues == 0 {
		v.l = nil
		v.vals = v.vals[:0]
		if v.vals == nil {
			v.vals = []any{}
		}
		return v.vals
	}
	if !l.fresh {
		v.l = nil
		v.vals = s.unpackEach(rec) // results beyond MaxAlloc: as Unpack does
		return v.vals
	}
	return v.load(l, s.numValues, unsafe.Pointer(unsafe.SliceData(rec)))
}

// iterRowsWords bounds the stage of IterUnpackValues: the rows of as many
// records as fit in it (at most) are decoded together.
const iterRowsWords = 256

// IterUnpackValues is [Struct.IterUnpack] with the values of every record
// unpacked into one [Values] of its own: the iteration allocates nothing
// per record, and each slice it yields, with its values, is valid only
// until the next iteration. It checks buf as IterUnpack does. Like
// IterUnpack, it decodes records a few at a time (up to 2 KiB of their
// data), ahead of the loop body: what the loop body writes into buf's
// next records may not be seen.
func (s *Struct) IterUnpackValues(buf []byte) (iter.Seq[[]any], error) {
	s = s.orEmpty()
	if _, err := s.IterUnpack(buf); err != nil {
		return nil, err
	}
	size := s.Size()
	l := s.dynLayoutOf()
	if !l.fresh {
		return func(yield func([]any) bool) {
			var v Values
			for off := 0; off < len(buf); off += size {
				if !yield(s.unpackValues(&v, buf[off:off+size])) {
					return
				}
			}
		}, nil
	}
	return func(yield func([]any) bool) {
		// Everything but the record is the same from one record to the
		// next: the layout, the storage, the slice yielded.
		var v Values
		v.setup(l, s.numValues)
		vals, data := unsafe.Pointer(unsafe.SliceData(v.vals)), unsafe.Pointer(unsafe.SliceData(v.data))
		base := unsafe.Pointer(unsafe.SliceData(buf))
		out := v.vals
		if vops := l.vops; vops != nil && l.words <= iterRowsWords {
			// Records are decoded a batch at a time into rows of a
			// stage, op by op over the batch (decodeRows), and each row
			// is copied into the data area in turn.
			var rows [iterRowsWords]uint64 // on the stack: nothing allocated per iteration
			stage := unsafe.Pointer(&rows)
			words := uintptr(l.words)
			batch := iterRowsWords / int(words)
			for off := 0; off < len(buf); {
				m := min(batch, (len(buf)-off)/size)
				decodeRows(vops, m, unsafe.Add(base, off), uintptr(size), stage, words*8, data, 0)
				off += m * size
				for r, row := 0, stage; ; row = unsafe.Add(row, words*8) {
					copyWords(data, row, words)
					if !v.intact() {
						l.fill(vals, data)
					}
					if !yield(out) {
						return
					}
					if r++; r == m {
						break
					}
				}
			}
			return
		}
		for off := 0; off < len(buf); off += size {
			decodeOps(l.ops, unsafe.Add(base, off), data)
			if !v.intact() {
				l.fill(vals, data)
			}
			if !yield(out) {
				return
			}
		}
	}, nil
}

// copyWords copies n words from src to dst: for the few words of a record,
// cheaper than a call of memmove.
func copyWords(dst, src unsafe.Pointer, n uintptr) {
	// Word by word: a copy of an array of words is a call of memmove.
	for ; n >= 4; n -= 4 {
		d, s := (*[4]uint64)(dst), (*[4]uint64)(src)
		d[0], d[1], d[2], d[3] = s[0], s[1], s[2], s[3]
		if n == 4 {
			return // dst and src may end here: make no pointer past them
		}
		dst, src = unsafe.Add(dst, 32), unsafe.Add(src, 32)
	}
	switch n { // the conversions are of the words there are
	case 3:
		d, s := (*[3]uint64)(dst), (*[3]uint64)(src)
		d[0], d[1], d[2] = s[0], s[1], s[2]
	case 2:
		d, s := (*[2]uint64)(dst), (*[2]uint64)(src)
		d[0], d[1] = s[0], s[1]
	case 1:
		*(*uint64)(dst) = *(*uint64)(src)
	}
}
