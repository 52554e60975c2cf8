package pack

import (
	"encoding/binary"
	"math"
	"math/big"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/cabi"
	"github.com/pystruct/pystruct/internal/half"
)

// errCode is the cheap result of packing one value. The rich *Error, with
// CPython's message, is built from it at the API boundary.
type errCode uint8

const (
	errNone        errCode = iota
	errNotInt              // required argument is not an integer
	errIntRange            // 'X' format requires MIN <= number <= MAX
	errIntTooLarge         // int too large to convert
	errNotFloat            // required argument is not a float
	errFloatRange          // float too large to pack with X format (OverflowError)
	errChar                // char format requires a bytes object of length 1
	errNotBytes            // argument for 'X' must be a bytes object
	errNotComplex          // required argument is not a complex
)

// A coder packs and unpacks the values of one field of a plan. A Struct
// keeps none: the general loops derive each field's coder from the plan as
// they go ([newCoder] is a few table loads and a switch), and bindings keep
// the coders of their fields.
type coder struct {
	off   int // offset of the first item in the record
	count int // number of values
	size  int // bytes per item
	code  byte
	op    coderOp // how values are packed and unpacked
	field int     // index of the field in the plan

	min int64  // signed range, for signed integer codes
	max uint64 // upper bound, for integer codes

	put func(b []byte, u uint64) // stores size bytes in the mode's byte order
	get func(b []byte) uint64    // loads size bytes in the mode's byte order

	// packOne is the function pack dispatches to, for the general loop's
	// calls on a template, which need no switch.
	packOne func(c *coder, b []byte, v any) errCode
}

// A coderOp says how a coder packs and unpacks its values. The general
// loops dispatch on it with a switch, a direct call that lets a coder live
// on the stack of the loop that derived it.
type coderOp uint8

const (
	opSigned               coderOp = iota // packSigned, unpackSigned
	opSigned64Truncating                  // packSigned64Truncating, unpackSigned
	opUnsigned                            // packUnsigned, unpackUnsigned
	opUnsigned64Truncating                // packUnsigned64Truncating, unpackUnsigned
	opPointer                             // packPointer, unpackUnsigned
	opBool                                // packBool, unpackBool
	opHalf                                // packHalf, unpackHalf
	opFloat32                             // packFloat32, unpackFloat32
	opFloat64                             // packFloat64, unpackFloat64
	opComplex64                           // packComplex64, unpackComplex64
	opComplex128                          // packComplex128, unpackComplex128
	opChar                                // packChar, unpackString
	opString                              // packString, unpackString
	opPascal                              // packPascal, unpackPascal
)

// packFuncs are the functions of the ops, as pack dispatches.
var packFuncs = [...]func(c *coder, b []byte, v any) errCode{
	opSigned:               packSigned,
	opSigned64Truncating:   packSigned64Truncating,
	opUnsigned:             packUnsigned,
	opUnsigned64Truncating: packUnsigned64Truncating,
	opPointer:              packPointer,
	opBool:                 packBool,
	opHalf:                 packHalf,
	opFloat32:              packFloat32,
	opFloat64:              packFloat64,
	opComplex64:            packComplex64,
	opComplex128:           packComplex128,
	opChar:                 packChar,
	opString:               packString,
	opPascal:               packPascal,
}

// pack packs v, one of c's values, into b.
func (c *coder) pack(b []byte, v any) errCode {
	switch c.op {
	case opSigned:
		return packSigned(c, b, v)
	case opSigned64Truncating:
		return packSigned64Truncating(c, b, v)
	case opUnsigned:
		return packUnsigned(c, b, v)
	case opUnsigned64Truncating:
		return packUnsigned64Truncating(c, b, v)
	case opPointer:
		return packPointer(c, b, v)
	case opBool:
		return packBool(c, b, v)
	case opHalf:
		return packHalf(c, b, v)
	case opFloat32:
		return packFloat32(c, b, v)
	case opFloat64:
		return packFloat64(c, b, v)
	case opComplex64:
		return packComplex64(c, b, v)
	case opComplex128:
		return packComplex128(c, b, v)
	case opChar:
		return packChar(c, b, v)
	case opString:
		return packString(c, b, v)
	}
	return packPascal(c, b, v)
}

// unpack unpacks the value of c at the start of b.
func (c *coder) unpack(b []byte, st *unpackState) any {
	switch c.op {
	case opSigned, opSigned64Truncating:
		return unpackSigned(c, b, st)
	case opUnsigned, opUnsigned64Truncating, opPointer:
		return unpackUnsigned(c, b, st)
	case opBool:
		return unpackBool(c, b, st)
	case opHalf:
		return unpackHalf(c, b, st)
	case opFloat32:
		return unpackFloat32(c, b, st)
	case opFloat64:
		return unpackFloat64(c, b, st)
	case opComplex64:
		return unpackComplex64(c, b, st)
	case opComplex128:
		return unpackComplex128(c, b, st)
	case opChar, opString:
		return unpackString(c, b, st)
	}
	return unpackPascal(c, b, st)
}

// unpackState carries what the values of one record share: one backing
// array for all their byte strings.
type unpackState struct {
	arena []byte
}

// bytes returns a copy of b carved from the record's arena.
func (st *unpackState) bytes(b []byte) []byte {
	n := len(b)
	if n == 0 {
		return []byte{}
	}
	out := st.arena[:n:n]
	st.arena = st.arena[n:]
	copy(out, b)
	return out
}

// newCoder returns the coder of field f, or false for fields that hold no
// values (pad bytes and zero repeat counts).
//
// The general loops call it for every field of every record they pack or
// unpack, so it copies a template made at init for the field's mode and
// code, and sets the field's place.
func newCoder(o format.Order, f format.Field, index int) (coder, bool) {
	var c coder
	return c, c.load(&coderTemplate[modeIndex(o)], &f, index)
}

// load makes c the coder of field f, the field at index in a plan whose
// mode has the templates t, and reports whether f holds values.
func (c *coder) load(t *[128]uint8, f *format.Field, index int) bool {
	n := f.NumValues()
	if n == 0 {
		return false
	}
	*c = coderTemplates[t[f.Code&0x7f]]
	c.off, c.count, c.size, c.field = f.Offset, n, f.Size, index
	return true
}

// coderTemplates holds a template coder for every code of every mode,
// and coderTemplate its index by mode (see modeIndex) and code; index 0 is
// the template of no code, and serves the codes no mode has.
var (
	coderTemplates []coder
	coderTemplate  [5][128]uint8
)

func init() {
	coderTemplates = []coder{{}}
	for mi, o := range []format.Order{format.Native, format.Host, format.Little, format.Big, format.Network} {
		for code := range byte(128) {
			k := format.KindOf(o, code)
			if k == format.Invalid || k == format.Pad {
				continue
			}
			f := format.Field{Code: code, Kind: k, Count: 1, Size: format.ItemSize(o, code)}
			c, _ := makeCoder(o, f, 0)
			c.packOne = packFuncs[c.op]
			coderTemplate[mi][code] = uint8(len(coderTemplates))
			coderTemplates = append(coderTemplates, c)
		}
	}
}

// modeIndex numbers the five modes from 0 to 4 for coderTemplate.
func modeIndex(o format.Order) int {
	switch o {
	case format.Host:
		return 1
	case format.Little:
		return 2
	case format.Big:
		return 3
	case format.Network:
		return 4
	}
	return 0
}

// makeCoder is newCoder worked out from the field's kind and size, as
// the templates are made.
func makeCoder(o format.Order, f format.Field, index int) (coder, bool) {
	if f.NumValues() == 0 {
		return coder{}, false
	}
	c := coder{off: f.Offset, count: f.NumValues(), size: f.Size, code: f.Code, field: index}
	if f.Kind == format.Signed || f.Kind == format.Unsigned || f.Kind == format.Float {
		c.put, c.get = byteOrder(o.BigEndian(), f.Size)
	}
	if f.Kind == format.Complex {
		c.put, c.get = byteOrder(o.BigEndian(), f.Size/2) // each part
	}
	switch f.Kind {
	case format.Signed:
		bits := uint(8 * f.Size)
		c.min = -1 << (bits - 1)
		c.max = 1<<(bits-1) - 1
		c.op = opSigned
		if writesOnOverflow(o, f) {
			c.op = opSigned64Truncating
		}
	case format.Unsigned:
		c.max = math.MaxUint64 >> (64 - 8*uint(f.Size))
		c.op = opUnsigned
		if writesOnOverflow(o, f) {
			c.op = opUnsigned64Truncating
		}
		if f.Code == 'P' {
			c.min = -1 << (8*uint(f.Size) - 1)
			c.op = opPointer
		}
	case format.Bool:
		c.op = opBool
	case format.Float:
		switch f.Size {
		case 2:
			c.op = opHalf
		case 4:
			c.op = opFloat32
		default:
			c.op = opFloat64
		}
	case format.Complex:
		if f.Size == 8 {
			c.op = opComplex64
		} else {
			c.op = opComplex128
		}
	case format.Char:
		c.op = opChar
	case format.String:
		c.op = opString
	case format.Pascal:
		c.op = opPascal
	}
	return c, true
}

// byteOrder returns the store and load functions of size-byte items in
// the given byte order. They are package-level functions, so choosing one
// allocates nothing.
func byteOrder(bigEndian bool, size int) (func([]byte, uint64), func([]byte) uint64) {
	if bigEndian {
		switch size {
		case 1:
			return put8, get8
		case 2:
			return put16be, get16be
		case 4:
			return put32be, get32be
		}
		return put64be, get64be
	}
	switch size {
	case 1:
		return put8, get8
	case 2:
		return put16le, get16le
	case 4:
		return put32le, get32le
	}
	return put64le, get64le
}

func put16le(b []byte, u uint64) { binary.LittleEndian.PutUint16(b, uint16(u)) }
func get16le(b []byte) uint64    { return uint64(binary.LittleEndian.Uint16(b)) }
func put32le(b []byte, u uint64) { binary.LittleEndian.PutUint32(b, uint32(u)) }
func get32le(b []byte) uint64    { return uint64(binary.LittleEndian.Uint32(b)) }
func put64le(b []byte, u uint64) { binary.LittleEndian.PutUint64(b, u) }
func get64le(b []byte) uint64    { return binary.LittleEndian.Uint64(b) }
func put16be(b []byte, u uint64) { binary.BigEndian.PutUint16(b, uint16(u)) }
func get16be(b []byte) uint64    { return uint64(binary.BigEndian.Uint16(b)) }
func put32be(b []byte, u uint64) { binary.BigEndian.PutUint32(b, uint32(u)) }
func get32be(b []byte) uint64    { return uint64(binary.BigEndian.Uint32(b)) }
func put64be(b []byte, u uint64) { binary.BigEndian.PutUint64(b, u) }
func get64be(b []byte) uint64    { return binary.BigEndian.Uint64(b) }

func put8(b []byte, u uint64) { b[0] = byte(u) }
func get8(b []byte) uint64    { return uint64(b[0]) }

func packSigned(c *coder, b []byte, v any) errCode {
	i, _, class := toInt(v)
	switch class {
	case notInt:
		return errNotInt
	case isInt64:
		if i >= c.min && (i < 0 || uint64(i) <= c.max) {
			c.put(b, uint64(i))
			return errNone
		}
	}
	return errIntRange
}

func packUnsigned(c *coder, b []byte, v any) errCode {
	i, u, class := toInt(v)
	switch class {
	case notInt:
		return errNotInt
	case isInt64:
		if i >= 0 && uint64(i) <= c.max {
			c.put(b, uint64(i))
			return errNone
		}
	case isUint64:
		if u <= c.max {
			c.put(b, u)
			return errNone
		}
	}
	return errIntRange
}

// writesOnOverflow reports whether CPython 3.13 stores the low 64 bits of
// an out-of-range value before raising the range error. Its standard-mode
// 'q' and 'Q' routines for the byte order opposite to the host's do: the
// bytes stay in pack_into's buffer. (Modes in the host's byte order use the
// native routines, which check first.)
func writesOnOverflow(o format.Order, f format.Field) bool {
	return !o.IsNative() && f.Size == 8 && o.BigEndian() != cabi.BigEndian
}

// packSigned64Truncating is packSigned for 'q' in the writesOnOverflow
// modes: an out-of-range int leaves its low 64 bits in two's complement.
func packSigned64Truncating(c *coder, b []byte, v any) errCode {
	code := packSigned(c, b, v)
	if code == errIntRange {
		bits, _ := low64(v)
		c.put(b, bits)
	}
	return code
}

// packUnsigned64Truncating is packUnsigned for 'Q' in the writesOnOverflow
// modes: a positive int too large leaves its low 64 bits; a negative one
// leaves nothing.
func packUnsigned64Truncating(c *coder, b []byte, v any) errCode {
	code := packUnsigned(c, b, v)
	if code == errIntRange {
		if bits, neg := low64(v); !neg {
			c.put(b, bits)
		}
	}
	return code
}

// low64 returns the low 64 bits, in two's complement, of v, an int, and
// whether v is negative.
func low64(v any) (bits uint64, neg bool) {
	switch i, u, class := toInt(v); class {
	case isInt64:
		return uint64(i), i < 0
	case isUint64:
		return u, false
	}
	x, _ := v.(*big.Int)
	return new(big.Int).And(x, new(big.Int).SetUint64(math.MaxUint64)).Uint64(), x.Sign() < 0
}

// packPointer packs 'P', which CPython accepts from the most negative
// signed value of its size to the largest unsigned one, storing negative
// values in two's complement.
func packPointer(c *coder, b []byte, v any) errCode {
	i, u, class := toInt(v)
	switch class {
	case notInt:
		return errNotInt
	case isInt64:
		if i >= c.min && (i < 0 || uint64(i) <= c.max) {
			c.put(b, uint64(i))
			return errNone
		}
	case isUint64:
		if u <= c.max {
			c.put(b, u)
			return errNone
		}
	}
	return errIntTooLarge
}

// rangeError is the error for an int outside c's range: CPython reports
// one for 'P' as an int too large to convert.
func (c *coder) rangeError() errCode {
	if c.code == 'P' {
		return errIntTooLarge
	}
	return errIntRange
}

func unpackSigned(c *coder, b []byte, _ *unpackState) any {
	shift := 64 - 8*uint(c.size)
	return int64(c.get(b)<<shift) >> shift
}

func unpackUnsigned(c *coder, b []byte, _ *unpackState) any { return c.get(b) }

func packBool(_ *coder, b []byte, v any) errCode {
	if truth(v) {
		b[0] = 1
	} else {
		b[0] = 0
	}
	return errNone
}

func unpackBool(_ *coder, b []byte, _ *unpackState) any { return b[0] != 0 }

// floatError is the error for a float too large for the code: CPython
// reports an int argument as an int too large to convert.
func floatError(isInt bool) errCode {
	if isInt {
		return errIntTooLarge
	}
	return errFloatRange
}

func packHalf(c *coder, b []byte, v any) errCode {
	f, isInt, ok := toFloat(v)
	if !ok {
		return errNotFloat
	}
	h, ok := half.FromFloat64(f)
	if !ok {
		return floatError(isInt)
	}
	c.put(b, uint64(h))
	return errNone
}

func unpackHalf(c *coder, b []byte, _ *unpackState) any {
	return half.ToFloat64(uint16(c.get(b)))
}

func packFloat32(c *coder, b []byte, v any) errCode {
	f, isInt, ok := toFloat(v)
	if !ok {
		return errNotFloat
	}
	bits, ok := float32Bits(f)
	if !ok {
		return floatError(isInt)
	}
	c.put(b, uint64(bits))
	return errNone
}

// float32Bits rounds f to binary32 as CPython 3.13 does: to nearest, ties
// to even; ok is false if a finite f rounds to infinity. A NaN keeps its
// sign and the top 22 bits of its payload, with the quiet bit set.
func float32Bits(f float64) (bits uint32, ok bool) {
	if f != f {
		d := math.Float64bits(f)
		return uint32(d>>63)<<31 | 0x7fc00000 | uint32(d>>29)&0x3fffff, true
	}
	r := float32(f)
	if math.IsInf(float64(r), 0) && !math.IsInf(f, 0) {
		return 0, false
	}
	return math.Float32bits(r), true
}

func unpackFloat32(c *coder, b []byte, _ *unpackState) any {
	return float32ToFloat64(uint32(c.get(b)))
}

// float32ToFloat64 widens binary32 bits to a float64 as CPython 3.13 does:
// exactly, except that a NaN comes back quiet, keeping its sign and payload.
func float32ToFloat64(bits uint32) float64 {
	if bits&0x7f800000 == 0x7f800000 && bits&0x7fffff != 0 {
		return math.Float64frombits(uint64(bits>>31)<<63 | 0x7ff8000000000000 | uint64(bits&0x3fffff)<<29)
	}
	return float64(math.Float32frombits(bits))
}

func packFloat64(c *coder, b []byte, v any) errCode {
	f, _, ok := toFloat(v)
	if !ok {
		return errNotFloat
	}
	c.put(b, math.Float64bits(f))
	return errNone
}

func unpackFloat64(c *coder, b []byte, _ *unpackState) any {
	return math.Float64frombits(c.get(b))
}

// packComplex64 packs 'F' or 'Zf': each part as 'f' packs a float, with
// its rounding, NaN rule and overflow error, raised in every mode.
func packComplex64(c *coder, b []byte, v any) errCode {
	re, im, ok := toComplex(v)
	if !ok {
		return errNotComplex
	}
	// The real part is stored before the imaginary part is checked, as
	// CPython packs them one after the other: an imaginary part too large
	// leaves the real part in PackInto's buffer.
	r, ok := float32Bits(re)
	if !ok {
		return errFloatRange
	}
	c.put(b, uint64(r))
	i, ok := float32Bits(im)
	if !ok {
		return errFloatRange
	}
	c.put(b[4:], uint64(i))
	return errNone
}

func unpackComplex64(c *coder, b []byte, _ *unpackState) any {
	return complex(float32ToFloat64(uint32(c.get(b))), float32ToFloat64(uint32(c.get(b[4:]))))
}

// packComplex128 packs 'D' or 'Zd': each part as 'd' packs a float.
func packComplex128(c *coder, b []byte, v any) errCode {
	re, im, ok := toComplex(v)
	if !ok {
		return errNotComplex
	}
	c.put(b, math.Float64bits(re))
	c.put(b[8:], math.Float64bits(im))
	return errNone
}

func unpackComplex128(c *coder, b []byte, _ *unpackState) any {
	return complex(math.Float64frombits(c.get(b)), math.Float64frombits(c.get(b[8:])))
}

func packChar(_ *coder, b []byte, v any) errCode {
	bs, s, isString, ok := toBytes(v)
	switch {
	case !ok:
		return errChar
	case isString && len(s) == 1:
		b[0] = s[0]
	case !isString && len(bs) == 1:
		b[0] = bs[0]
	default:
		return errChar
	}
	return errNone
}

func packString(c *coder, b []byte, v any) errCode {
	bs, s, isString, ok := toBytes(v)
	switch {
	case !ok:
		return errNotBytes
	case isString:
		copy(b[:c.size], s)
	default:
		copy(b[:c.size], bs)
	}
	return errNone
}

func unpackString(c *coder, b []byte, st *unpackState) any {
	return st.bytes(b[:c.size])
}

// packPascal stores at most size-1 bytes after a length byte that says how
// many were stored, capped at 255. A zero-length 'p' writes nothing.
func packPascal(c *coder, b []byte, v any) errCode {
	bs, s, isString, ok := toBytes(v)
	if !ok {
		return errNotBytes
	}
	if c.size == 0 {
		return errNone
	}
	var n int
	if isString {
		n = copy(b[1:c.size], s)
	} else {
		n = copy(b[1:c.size], bs)
	}
	b[0] = byte(min(n, 255))
	return errNone
}

// unpackPascal returns the bytes the length byte announces, at most size-1.
func unpackPascal(c *coder, b []byte, st *unpackState) any {
	if c.size == 0 {
		return st.bytes(nil)
	}
	n := min(int(b[0]), c.size-1)
	return st.bytes(b[1 : 1+n])
}
