package pack

import (
	"iter"
	"slices"
	"strconv"
	"sync/atomic"
	"unsafe"

	"github.com/pystruct/pystruct/format"
)

// MaxAlloc is the largest record, in bytes, that [Struct.Append] and
// [Pack] will allocate room for. Packing a larger record into a buffer the
// caller provides ([Struct.PackInto], or Append with enough spare
// capacity) has no such limit.
const MaxAlloc = 1 << 30

// A Struct is a compiled format: Python's struct.Struct. It packs values
// into records and unpacks records into values. A Struct is immutable and
// safe for concurrent use by multiple goroutines.
//
// The zero Struct, and a nil *Struct, is the empty format "" (Python's
// Struct("")): Size and NumValues are 0, Format is "", Pack() gives an
// empty record, and every method behaves as on MustCompile("").
type Struct struct {
	// A Struct keeps its plan and a few counts, and no coders: the coder of
	// a field is derived from the plan's field where it is needed (newCoder,
	// coderOf), so that a compiled format holds little more than its plan's
	// 16 bytes a field.
	plan      *format.Plan
	byteLen   int // bytes held by the 's', 'p' and 'c' values of one record
	numValues int
	typed     typedCache                // bindings to Go struct types (bind.go)
	general   atomic.Pointer[[]fieldOp] // the general loops' fields, made on first use
	noGen     bool                      // bind without generated code (codegen.go)
}

// Compile parses a format string and compiles it into a Struct. The errors
// it returns have type *format.SyntaxError.
func Compile(fs string) (*Struct, error) {
	p, err := format.Parse(fs)
	if err != nil {
		return nil, err
	}
	return New(p), nil
}

// MustCompile is like [Compile] but panics if the format cannot be
// compiled. It is meant for package-level variables and tests.
func MustCompile(fs string) *Struct {
	s, err := Compile(fs)
	if err != nil {
		panic(err)
	}
	return s
}

// The zero Struct, a nil *Struct and New(nil) are the empty format "":
// Python's Struct("").
var emptyStruct = newStruct(mustParse(""))

func mustParse(fs string) *format.Plan {
	p, err := format.Parse(fs)
	if err != nil {
		panic(err)
	}
	return p
}

// orEmpty returns s, or the empty format if s is nil or the zero Struct.
func (s *Struct) orEmpty() *Struct {
	if s == nil || s.plan == nil {
		return emptyStruct
	}
	return s
}

// New compiles a parsed plan into a Struct. A nil plan, or the zero
// format.Plan, gives the empty format "", like the zero Struct.
func New(p *format.Plan) *Struct {
	if p == nil || p.Order() == 0 {
		return emptyStruct
	}
	return newStruct(p)
}

func newStruct(p *format.Plan) *Struct {
	return &Struct{plan: p, numValues: p.NumValues(), byteLen: p.ByteStringLen()}
}

// A fieldOp is what the general pack and unpack loops keep of a field
// that holds values, in 24 bytes: its place and the template of its coder.
type fieldOp struct {
	off  int
	n    int   // values, or the length of the one 's' or 'p' value
	tmpl uint8 // index in coderTemplates
}

// fieldOps returns the ops of s's fields that hold values, working them
// out on first use: a compiled Struct keeps only its plan until a value
// takes the general path. (Deriving each field's coder from the plan on
// every call would copy each format.Field, which stalls on store
// forwarding.)
func (s *Struct) fieldOps() []fieldOp {
	if ops := s.general.Load(); ops != nil {
		return *ops
	}
	t := &coderTemplate[modeIndex(s.plan.Order())]
	n := 0
	for i := range s.plan.NumFields() {
		if s.plan.Field(i).NumValues() > 0 {
			n++
		}
	}
	ops := make([]fieldOp, 0, n)
	for i := range s.plan.NumFields() {
		f := s.plan.Field(i)
		if f.NumValues() == 0 {
			continue
		}
		n := f.NumValues()
		if f.Kind == format.String || f.Kind == format.Pascal {
			n = f.Size
		}
		ops = append(ops, fieldOp{off: f.Offset, n: n, tmpl: t[f.Code&0x7f]})
	}
	s.general.Store(&ops)
	return ops
}

// coder returns the coder of the field's values, and how many there are:
// the template itself, or for the one value of an 's' or 'p' field, tmp
// made from the template with the field's length. (The coder's off,
// count and field are the template's; the general loops take the place
// from fo.)
func (fo *fieldOp) coder(tmp *coder) (*coder, int) {
	t := &coderTemplates[fo.tmpl]
	if t.op != opString && t.op != opPascal {
		return t, fo.n
	}
	*tmp = *t
	tmp.size = fo.n
	return tmp, 1
}

// load makes c the whole coder of the field, whose index in the plan is
// field, as newCoder does.
func (fo *fieldOp) load(c *coder, field int) {
	*c = coderTemplates[fo.tmpl]
	c.off, c.field = fo.off, field
	if c.op == opString || c.op == opPascal {
		c.size = fo.n // one value of n bytes
	} else {
		c.count = fo.n // values of the template's size
	}
}

// coderOf returns a new coder of field i of s's plan, or nil if the field
// holds no values (pad bytes and zero repeat counts).
func (s *Struct) coderOf(i int) *coder {
	c, ok := newCoder(s.plan.Order(), s.plan.Field(i), i)
	if !ok {
		return nil
	}
	return &c
}

// Plan returns the parsed format.
func (s *Struct) Plan() *format.Plan { return s.orEmpty().plan }

// Format returns the format string exactly as given.
func (s *Struct) Format() string { return s.orEmpty().plan.Format() }

// Size returns the size in bytes of a packed record: Python's calcsize.
func (s *Struct) Size() int { return s.orEmpty().plan.Size() }

// NumValues returns the number of values in a record.
func (s *Struct) NumValues() int { return s.orEmpty().numValues }

// String describes the compiled struct like Python's repr, with the format
// quoted as in Go: Struct("<i5sf").
func (s *Struct) String() string { return "Struct(" + strconv.Quote(s.Format()) + ")" }

// Append packs values into a record and appends it to dst, growing dst as
// needed; dst may be nil. The record is zero-filled first, so pad bytes are
// zero. On error Append returns dst with its original length, and the
// bytes past that length may have been written.
func (s *Struct) Append(dst []byte, values ...any) ([]byte, error) {
	s = s.orEmpty()
	if len(values) != s.numValues {
		return dst, s.countError("pack", len(values))
	}
	n, size := len(dst), s.Size()
	if size > cap(dst)-n && size > MaxAlloc {
		return dst, &Error{"pack", s.Format(), -1, ErrBuffer,
			"cannot allocate a record of " + strconv.Itoa(size) + " bytes (limit " + strconv.Itoa(MaxAlloc) + ")"}
	}
	dst = slices.Grow(dst, size)[:n+size]
	rec := dst[n:]
	clear(rec)
	if err := s.pack(rec, values, "pack"); err != nil {
		return dst[:n], err
	}
	return dst, nil
}

// Pack packs values into a new record: Python's Struct.pack.
func (s *Struct) Pack(values ...any) ([]byte, error) {
	return s.Append(nil, values...)
}

// PackInto packs values into buf at offset: Python's Struct.pack_into. A
// negative offset counts from the end of buf. The record's region of buf
// is zero-filled first; if a value fails, the values before it stay
// written, as in CPython. Bytes outside the region are never touched.
func (s *Struct) PackInto(buf []byte, offset int, values ...any) error {
	s = s.orEmpty()
	if len(values) != s.numValues {
		return s.countError("pack_into", len(values))
	}
	size, n := s.Size(), len(buf)
	if offset < 0 {
		if offset+size > 0 {
			return s.bufferError("pack_into", "no space to pack "+itoa(size)+" bytes at offset "+itoa(offset))
		}
		if offset+n < 0 {
			return s.bufferError("pack_into", "offset "+itoa(offset)+" out of range for "+itoa(n)+"-byte buffer")
		}
		offset += n
	}
	if n-offset < size {
		return s.bufferError("pack_into", "pack_into requires a buffer of at least "+
			strconv.FormatUint(uint64(size)+uint64(offset), 10)+" bytes for packing "+itoa(size)+
			" bytes at offset "+itoa(offset)+" (actual buffer size is "+itoa(n)+")")
	}
	rec := buf[offset : offset+size]
	clear(rec)
	return s.pack(rec, values, "pack_into")
}

// pack writes values into rec, a zeroed record of s.Size() bytes.
func (s *Struct) pack(rec []byte, values []any, op string) error {
	if s.packFast(rec, values) {
		return nil
	}
	vi := 0
	ops := s.fieldOps()
	for i := range ops {
		fo := &ops[i]
		t := &coderTemplates[fo.tmpl]
		b := rec[fo.off:]
		if t.op == opString || t.op == opPascal {
			// One value of fo.n bytes: the template with that size, on
			// the stack, and a direct call.
			c := *t
			c.size = fo.n
			if code := c.pack(b, values[vi]); code != errNone {
				return s.valueError(op, vi, &c, code)
			}
			vi++
			continue
		}
		for j := range fo.n {
			if code := t.packOne(t, b[j*t.size:], values[vi]); code != errNone {
				return s.valueError(op, vi, t, code)
			}
			vi++
		}
	}
	return nil
}

// Unpack unpacks a record: Python's Struct.unpack. buf must hold exactly
// Size() bytes. Integers come back as int64 (signed codes) or uint64
// (unsigned codes), floats as float64, '?' as bool, and 's', 'p' and 'c' as
// []byte copies that do not alias buf.
func (s *Struct) Unpack(buf []byte) ([]any, error) {
	if s != nil {
		// The common case first, with fewer calls between: a record
		// with a block type, its layout worked out (bind_dyn.go). (A
		// Struct with a layout is not the zero Struct.)
		if l := s.typed.dyn.Load(); l != nil && l.class != nil && len(buf) == l.size {
			return l.unpackClass(unsafe.Pointer(unsafe.SliceData(buf)), s.numValues), nil
		}
	}
	s = s.orEmpty()
	if len(buf) != s.Size() {
		return nil, s.bufferError("unpack", "unpack requires a buffer of "+itoa(s.Size())+" bytes")
	}
	return s.unpack(buf), nil
}

// UnpackFrom unpacks the record at offset in buf: Python's
// Struct.unpack_from. A negative offset counts from the end of buf; bytes
// after the record are ignored.
func (s *Struct) UnpackFrom(buf []byte, offset int) ([]any, error) {
	s = s.orEmpty()
	size, n := s.Size(), len(buf)
	if offset < 0 {
		if offset+size > 0 {
			return nil, s.bufferError("unpack_from", "not enough data to unpack "+itoa(size)+" bytes at offset "+itoa(offset))
		}
		if offset+n < 0 {
			return nil, s.bufferError("unpack_from", "offset "+itoa(offset)+" out of range for "+itoa(n)+"-byte buffer")
		}
		offset += n
	}
	if n-offset < size {
		return nil, s.bufferError("unpack_from", "unpack_from requires a buffer of at least "+
			strconv.FormatUint(uint64(size)+uint64(offset), 10)+" bytes for unpacking "+itoa(size)+
			" bytes at offset "+itoa(offset)+" (actual buffer size is "+itoa(n)+")")
	}
	return s.unpack(buf[offset : offset+size]), nil
}

// IterUnpack returns an iterator over the records of buf: Python's
// Struct.iter_unpack. It checks buf before iterating: the format must have
// a non-zero size and buf must hold a whole number of records. Each
// iteration yields a new slice.
//
// The slices and values of consecutive records may share one allocation
// (of at most 512 bytes, for records of at most 16 values): a value kept
// after the iteration keeps its neighbours' storage alive with its own.
// Take values out (a type assertion, bytes.Clone) or use [Struct.Unpack]
// when a few values of many records are kept for long. The records of one
// allocation are decoded together, before the first of them is yielded:
// unlike Python's iter_unpack, which reads each record when it reaches
// it, the iteration may not see what the loop body writes into buf's
// next few records.
func (s *Struct) IterUnpack(buf []byte) (iter.Seq[[]any], error) {
	s = s.orEmpty()
	size := s.Size()
	if size == 0 {
		return nil, s.bufferError("iter_unpack", "cannot iteratively unpack with a struct of length 0")
	}
	if len(buf)%size != 0 {
		return nil, s.bufferError("iter_unpack", "iterative unpacking requires a buffer of a multiple of "+itoa(size)+" bytes")
	}
	l := s.dynLayoutOf()
	if l.class != nil {
		return l.iterBlocks(buf, size, s.numValues), nil
	}
	if l.fresh {
		return func(yield func([]any) bool) {
			base := unsafe.Pointer(unsafe.SliceData(buf))
			for off := 0; off < len(buf); off += size {
				if !yield(l.unpackFresh(unsafe.Add(base, off), s.numValues)) {
					return
				}
			}
		}, nil
	}
	return func(yield func([]any) bool) {
		for off := 0; off < len(buf); off += size {
			if !yield(s.unpack(buf[off : off+size])) {
				return
			}
		}
	}, nil
}

// unpack decodes rec, which holds exactly one record.
func (s *Struct) unpack(rec []byte) []any {
	if out, ok := s.unpackBlock(rec); ok { // one allocation (bind_dyn.go)
		return out
	}
	return s.unpackEach(rec)
}

// unpackEach decodes rec value by value through the fields' coders,
// boxing each.
// It serves the records unpackBlock leaves alone (no values, or results
// too large for one block), and gives the same values.
func (s *Struct) unpackEach(rec []byte) []any {
	out := make([]any, s.numValues)
	var st unpackState
	if s.byteLen > 0 {
		st.arena = make([]byte, s.byteLen)
	}
	vi := 0
	var tmp coder
	ops := s.fieldOps()
	for i := range ops {
		c, n := ops[i].coder(&tmp)
		b := rec[ops[i].off:]
		for j := range n {
			out[vi] = c.unpack(b[j*c.size:], &st)
			vi++
		}
	}
	return out
}

func (s *Struct) countError(op string, got int) error {
	return &Error{op, s.Format(), -1, ErrCount,
		op + " expected " + itoa(s.numValues) + " items for packing (got " + itoa(got) + ")"}
}

func (s *Struct) bufferError(op, msg string) error {
	return &Error{op, s.Format(), -1, ErrBuffer, msg}
}

// valueError builds the error for value vi, which c could not pack.
func (s *Struct) valueError(op string, vi int, c *coder, code errCode) error {
	e := &Error{Op: op, Format: s.Format(), Item: vi, Err: ErrType}
	switch code {
	case errNotInt:
		e.Msg = "required argument is not an integer"
	case errIntRange:
		e.Err = ErrRange
		lo := "0"
		if c.min < 0 {
			lo = strconv.FormatInt(c.min, 10)
		}
		e.Msg = "'" + string(c.code) + "' format requires " + lo + " <= number <= " + strconv.FormatUint(c.max, 10)
	case errIntTooLarge:
		e.Err = ErrRange
		e.Msg = "int too large to convert"
	case errNotFloat:
		e.Msg = "required argument is not a float"
	case errFloatRange:
		e.Err = ErrRange
		code := c.code
		if code == 'F' {
			code = 'f' // CPython packs each part of 'F' and 'Zf' as 'f'
		}
		e.Msg = "float too large to pack with " + string(code) + " format"
	case errNotComplex:
		e.Msg = "required argument is not a complex"
	case errChar:
		e.Msg = "char format requires a bytes object of length 1"
	case errNotBytes:
		e.Msg = "argument for '" + string(c.code) + "' must be a bytes object"
	}
	return e
}

func itoa(i int) string { return strconv.Itoa(i) }
