package pack

import (
	"iter"
	"sync"
	"sync/atomic"
)

// cacheCap bounds the number of formats the package-level functions keep
// compiled, and cacheMaxBytes the heap they hold, as estimated by
// Struct.heapBytes. When adding a format would pass either bound the cache
// is emptied, as CPython's is when full; a Struct larger than
// cacheMaxBytes/4 is not kept at all.
const (
	cacheCap      = 256
	cacheMaxBytes = 16 << 20
)

var (
	cache     sync.Map // format string -> *Struct
	cacheMu   sync.Mutex
	cacheLen  int // guarded by cacheMu, as is cacheSize
	cacheSize int
	cacheHit  atomic.Pointer[Struct] // the Struct found last, checked before the map
)

// cached returns the compiled Struct for fs, compiling and remembering it
// on first use. Formats that fail to compile are not remembered.
func cached(fs string) (*Struct, error) {
	if s := cacheHit.Load(); s != nil && s.plan.Format() == fs {
		return s, nil
	}
	if v, ok := cache.Load(fs); ok {
		cacheHit.Store(v.(*Struct))
		return v.(*Struct), nil
	}
	s, err := Compile(fs)
	if err != nil {
		return nil, err
	}
	n := s.heapBytes()
	if n > cacheMaxBytes/4 {
		return s, nil
	}
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if v, ok := cache.Load(fs); ok {
		return v.(*Struct), nil // compiled meanwhile by another goroutine
	}
	if cacheLen >= cacheCap || cacheSize+n > cacheMaxBytes {
		cache.Clear()
		cacheHit.Store(nil)
		cacheLen, cacheSize = 0, 0
	}
	cache.Store(fs, s)
	cacheLen++
	cacheSize += n
	return s, nil
}

// cacheBytes returns the estimated heap the cache holds, for tests.
func cacheBytes() int {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	return cacheSize
}

// heapBytes estimates the heap s holds: its format string and, for each
// field, bytesPerField, with a fixed allowance for the rest.
func (s *Struct) heapBytes() int {
	return 512 + len(s.plan.Format()) + s.plan.NumFields()*bytesPerField
}

// bytesPerField is what a cached Struct may hold for each field of its
// format: the plan's 16 bytes, and an allowance for what the package-level
// functions make on first use: Unpack's layout (32 bytes a field and the
// slack of its growth) and the general loops' fields (24 bytes). A Struct
// so used measured 76 bytes a field.
const bytesPerField = 96

// Calcsize returns the size in bytes of the records fs describes: Python's
// struct.calcsize.
func Calcsize(fs string) (int, error) {
	s, err := cached(fs)
	if err != nil {
		return 0, err
	}
	return s.Size(), nil
}

// Pack packs values into a new record: Python's struct.pack. See
// [Struct.Append].
func Pack(fs string, values ...any) ([]byte, error) {
	s, err := cached(fs)
	if err != nil {
		return nil, err
	}
	return s.Append(nil, values...)
}

// Append packs values and appends the record to dst. See [Struct.Append].
func Append(dst []byte, fs string, values ...any) ([]byte, error) {
	s, err := cached(fs)
	if err != nil {
		return dst, err
	}
	return s.Append(dst, values...)
}

// PackInto packs values into buf at offset: Python's struct.pack_into. See
// [Struct.PackInto].
func PackInto(fs string, buf []byte, offset int, values ...any) error {
	s, err := cached(fs)
	if err != nil {
		return err
	}
	return s.PackInto(buf, offset, values...)
}

// Unpack unpacks a record of exactly Calcsize(fs) bytes: Python's
// struct.unpack. See [Struct.Unpack].
func Unpack(fs string, buf []byte) ([]any, error) {
	s, err := cached(fs)
	if err != nil {
		return nil, err
	}
	return s.Unpack(buf)
}

// UnpackFrom unpacks the record at offset in buf: Python's
// struct.unpack_from. See [Struct.UnpackFrom].
func UnpackFrom(fs string, buf []byte, offset int) ([]any, error) {
	s, err := cached(fs)
	if err != nil {
		return nil, err
	}
	return s.UnpackFrom(buf, offset)
}

// IterUnpack returns an iterator over the records in buf: Python's
// struct.iter_unpack. See [Struct.IterUnpack].
func IterUnpack(fs string, buf []byte) (iter.Seq[[]any], error) {
	s, err := cached(fs)
	if err != nil {
		return nil, err
	}
	return s.IterUnpack(buf)
}
