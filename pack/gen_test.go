package pack_test

// Generators for the property tests and fuzz targets, and the model they
// are checked against.
//
// The generators draw from a genSource: gopter's *rand.Rand in the
// properties, the fuzzer's bytes in the fuzz targets (fuzzSource), so the
// same code makes random records for both. A genRecord is a format string
// spelled with the variations CPython accepts (mode prefixes, omitted and
// zero-padded counts, whitespace between items) together with values for
// it in varied Go types, what unpacking must give back, and the bytes
// packing must give.
//
// The model is written from the CPython reference
// (/work/shared/reference/cpython-struct.md), not from the code under
// test: it has its own table of codes, sizes and alignments, its own
// binary16 conversion and its own rules for which Go values each code
// accepts. Where the library and the model disagree, one of them is wrong.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/leanovate/gopter"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/pack"
)

// A genSource is where the generators take their randomness from.
// *rand.Rand implements it.
type genSource interface {
	Uint64() uint64
	Intn(n int) int
}

// fuzzSource draws from a fuzzer's bytes, then zeros once they run out, so
// that every input means something and a shorter input a simpler record.
type fuzzSource struct{ b []byte }

func (s *fuzzSource) Uint64() uint64 {
	var x [8]byte
	n := copy(x[:], s.b)
	s.b = s.b[n:]
	return binary.LittleEndian.Uint64(x[:])
}

func (s *fuzzSource) Intn(n int) int {
	if n <= 0 {
		panic("fuzzSource.Intn: n <= 0")
	}
	if n <= 256 {
		if len(s.b) == 0 {
			return 0
		}
		c := s.b[0]
		s.b = s.b[1:]
		return int(c) % n
	}
	return int(s.Uint64() % uint64(n))
}

// Named types, to check that pack accepts every Go type of the right kind.
type (
	genInt     int
	genInt8    int8
	genInt32   int32
	genUint8   uint8
	genUint16  uint16
	genUint64  uint64
	genUintptr uintptr
	genBool    bool
	genFloat32 float32
	genFloat64 float64
	genBytes   []byte
	genString  string
)

// The model of the format codes.

// A modelKind is how the model treats a code.
type modelKind uint8

const (
	modelInvalid  modelKind = iota
	modelPad                // x
	modelSigned             // b h i l q n
	modelUnsigned           // B H I L Q N
	modelPointer            // P: unsigned, but packs -2**(bits-1) up
	modelBool               // ?
	modelHalf               // e
	modelFloat              // f
	modelDouble             // d
	modelChar               // c
	modelString             // s
	modelPascal             // p
	modelComplexF           // F Zf: two 'f' parts
	modelComplexD           // D Zd: two 'd' parts
)

// modelCode is one code's row in the model's table: its kind, its size and
// alignment in native mode, and its size in the standard modes (0 if the
// code exists only in native mode).
type modelCode struct {
	kind        modelKind
	size, align int
	stdSize     int
}

// The platform's C layout, by the rules of the C ABIs rather than Go's
// layout (which differs on wasm, whose C is wasm32 with 4-byte pointers,
// and on 32-bit arm and mips, where Go aligns int64 to 4 and C to 8):
// pointers have the word's size but on wasm, C long is 4 bytes on
// Windows, and 8-byte types align to 4 on 386 outside Windows.
var (
	modelPtrSize    = map[bool]int{true: 4, false: int(unsafe.Sizeof(uintptr(0)))}[runtime.GOARCH == "wasm"]
	modelLongSize   = map[bool]int{true: 4, false: modelPtrSize}[runtime.GOOS == "windows"]
	modelInt64Align = map[bool]int{true: 4, false: 8}[runtime.GOARCH == "386" && runtime.GOOS != "windows"]
	modelBigEndian  = binary.NativeEndian.Uint16([]byte{0, 1}) == 1
)

var modelCodes = map[byte]modelCode{
	'x': {modelPad, 1, 0, 1},
	'c': {modelChar, 1, 1, 1},
	'b': {modelSigned, 1, 1, 1},
	'B': {modelUnsigned, 1, 1, 1},
	'?': {modelBool, 1, 1, 1},
	'h': {modelSigned, 2, 2, 2},
	'H': {modelUnsigned, 2, 2, 2},
	'i': {modelSigned, 4, 4, 4},
	'I': {modelUnsigned, 4, 4, 4},
	'l': {modelSigned, modelLongSize, modelLongSize, 4},
	'L': {modelUnsigned, modelLongSize, modelLongSize, 4},
	'q': {modelSigned, 8, modelInt64Align, 8},
	'Q': {modelUnsigned, 8, modelInt64Align, 8},
	'n': {modelSigned, modelPtrSize, modelPtrSize, 0},
	'N': {modelUnsigned, modelPtrSize, modelPtrSize, 0},
	'P': {modelPointer, modelPtrSize, modelPtrSize, 0},
	'e': {modelHalf, 2, 2, 2},
	'f': {modelFloat, 4, 4, 4},
	'd': {modelDouble, 8, modelInt64Align, 8},
	's': {modelString, 1, 0, 1},
	'p': {modelPascal, 1, 0, 1},
	'F': {modelComplexF, 8, 4, 8}, // aligned as one float
	'D': {modelComplexD, 16, modelInt64Align, 16},
}

// The codes valid in native mode and in the standard modes.
const (
	modelNativeCodes   = "xcbB?hHiIlLqQnNPefdspFD"
	modelStandardCodes = "xcbB?hHiIlLqQefdspFD"
)

// modelLookup returns the kind, item size and alignment of code c in mode
// ('@', '=', '<', '>' or '!'), or modelInvalid.
func modelLookup(mode, c byte) (kind modelKind, size, align int) {
	mc, ok := modelCodes[c]
	if !ok {
		return modelInvalid, 0, 0
	}
	if mode == '@' {
		return mc.kind, mc.size, mc.align
	}
	if mc.stdSize == 0 {
		return modelInvalid, 0, 0
	}
	return mc.kind, mc.stdSize, 0
}

// modelOrder returns the byte order of mode.
func modelOrder(mode byte) binary.ByteOrder {
	switch mode {
	case '<':
		return binary.LittleEndian
	case '>', '!':
		return binary.BigEndian
	}
	if modelBigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// modelPut stores the low size bytes of u at b in the byte order.
func modelPut(b []byte, size int, u uint64, order binary.ByteOrder) {
	var x [8]byte
	if order == binary.BigEndian {
		binary.BigEndian.PutUint64(x[:], u)
		copy(b[:size], x[8-size:])
		return
	}
	binary.LittleEndian.PutUint64(x[:], u)
	copy(b[:size], x[:size])
}

// modelGet loads size bytes from b in the byte order.
func modelGet(b []byte, size int, order binary.ByteOrder) uint64 {
	var x [8]byte
	if order == binary.BigEndian {
		copy(x[8-size:], b[:size])
		return binary.BigEndian.Uint64(x[:])
	}
	copy(x[:size], b[:size])
	return binary.LittleEndian.Uint64(x[:])
}

// modelHalfToFloat64 converts binary16 bits to a float64 as CPython 3.13
// does: exactly, except that every NaN becomes the default quiet NaN with
// the sign kept.
func modelHalfToFloat64(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, frac := int(h>>10)&0x1f, int(h&0x3ff)
	switch exp {
	case 0x1f:
		if frac != 0 {
			return math.Float64frombits(uint64(h>>15)<<63 | 0x7ff8000000000000)
		}
		return math.Inf(int(sign))
	case 0:
		return math.Copysign(math.Ldexp(float64(frac), -24), sign)
	}
	return math.Copysign(math.Ldexp(float64(frac|0x400), exp-25), sign)
}

// modelFloat32ToFloat64 converts binary32 bits to a float64 as CPython
// 3.13 does: exactly, except that a NaN comes back with the quiet bit set
// and the other 22 payload bits and the sign kept.
func modelFloat32ToFloat64(u uint32) float64 {
	if u&0x7f800000 == 0x7f800000 && u&0x7fffff != 0 {
		return math.Float64frombits(uint64(u>>31)<<63 | 0x7ff8000000000000 | uint64(u&0x3fffff)<<29)
	}
	return float64(math.Float32frombits(u))
}

// modelNaN32 returns the binary32 bits CPython 3.13 packs a float64 NaN
// as: the sign, the quiet bit forced on, the top 22 payload bits.
func modelNaN32(d uint64) uint32 {
	return uint32(d>>63)<<31 | 0x7fc00000 | uint32(d>>29)&0x3fffff
}

// modelRound rounds f to the nearest binary format with the given fraction
// and exponent widths, ties to even, subnormals included, and returns its
// bits; ok is false if the result overflows to infinity (f itself may be
// infinite). f must not be a NaN.
func modelRound(f float64, fracBits, expBits uint) (bits uint64, ok bool) {
	var sign uint64
	if math.Signbit(f) {
		sign = 1 << (fracBits + expBits)
	}
	emax := 1<<(expBits-1) - 1
	emin := 1 - emax
	a := math.Abs(f)
	switch {
	case math.IsInf(a, 0):
		return sign | (1<<expBits-1)<<fracBits, true
	case a == 0:
		return sign, true
	}
	_, e := math.Frexp(a) // a is in [2**(e-1), 2**e)
	e = max(e-1, emin)    // the exponent of the result's unit in the last place, plus fracBits
	m := math.RoundToEven(math.Ldexp(a, int(fracBits)-e))
	if m == math.Ldexp(1, int(fracBits)+1) {
		m, e = m/2, e+1
	}
	if m < math.Ldexp(1, int(fracBits)) {
		return sign | uint64(m), true // subnormal, or zero
	}
	if e > emax {
		return 0, false
	}
	return sign | uint64(e+emax)<<fracBits | (uint64(m) - 1<<fracBits), true
}

func isNaN16(h uint16) bool { return h&0x7c00 == 0x7c00 && h&0x3ff != 0 }
func isNaN32(u uint32) bool { return u&0x7f800000 == 0x7f800000 && u&0x7fffff != 0 }

// Records.

// A genItem is one item of a record's format string with its values.
type genItem struct {
	Space  string // whitespace written before the item
	Count  string // the repeat count as written; "" when omitted
	Code   byte
	Values []any  // the Go values to pack
	Want   []any  // the values unpack must give back
	Bytes  []byte // the bytes the item packs to, without alignment padding
}

func (it genItem) count() int {
	if it.Count == "" {
		return 1
	}
	n, err := strconv.Atoi(it.Count)
	if err != nil {
		panic(err)
	}
	return n
}

// A genRecord is a format string with values to pack into it.
type genRecord struct {
	Prefix   string // "", "@", "=", "<", ">" or "!"
	Items    []genItem
	Trailing string // whitespace after the last item
}

// Format returns the record's format string.
func (r genRecord) Format() string {
	var b strings.Builder
	b.WriteString(r.Prefix)
	for _, it := range r.Items {
		b.WriteString(it.Space)
		b.WriteString(it.Count)
		b.WriteByte(it.Code)
	}
	b.WriteString(r.Trailing)
	return b.String()
}

// mode returns the record's mode: its prefix, '@' if it has none.
func (r genRecord) mode() byte {
	if r.Prefix == "" {
		return '@'
	}
	return r.Prefix[0]
}

// Values returns the values to pack.
func (r genRecord) Values() []any {
	vs := []any{}
	for _, it := range r.Items {
		vs = append(vs, it.Values...)
	}
	return vs
}

// Want returns the values unpacking the packed record must give.
func (r genRecord) Want() []any {
	vs := []any{}
	for _, it := range r.Items {
		vs = append(vs, it.Want...)
	}
	return vs
}

// layout returns the offset of each item and the record's size, by the
// model's rules: in native mode each code with an alignment is aligned,
// even with a count of zero, unless it is the first thing in the record;
// there is no trailing padding.
func (r genRecord) layout() (offsets []int, size int) {
	mode := r.mode()
	for _, it := range r.Items {
		_, isz, align := modelLookup(mode, it.Code)
		if align > 0 && size%align != 0 {
			size += align - size%align
		}
		offsets = append(offsets, size)
		size += it.count() * isz
	}
	return offsets, size
}

// Bytes returns the packed record: each item's bytes at its offset, zeros
// elsewhere.
func (r genRecord) Bytes() []byte {
	offsets, size := r.layout()
	b := make([]byte, size)
	for i, it := range r.Items {
		copy(b[offsets[i]:], it.Bytes)
	}
	return b
}

func (r genRecord) String() string {
	return fmt.Sprintf("pack(%q%s)", r.Format(), genValuesString(r.Values()))
}

// genValueString formats v as a Go expression of its type.
func genValueString(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case *big.Int:
		if x == nil {
			return "(*big.Int)(nil)"
		}
		return "big(" + x.String() + ")"
	case float64:
		return fmt.Sprintf("float64(%v /* %#016x */)", x, math.Float64bits(x))
	case float32:
		return fmt.Sprintf("float32(%v /* %#08x */)", x, math.Float32bits(x))
	case []byte:
		return fmt.Sprintf("[]byte(%q)", x)
	case string:
		return strconv.Quote(x)
	}
	return fmt.Sprintf("%T(%#v)", v, v)
}

// A genRecordSet is several records with the same format string.
type genRecordSet struct {
	Format  string
	Records []genRecord
}

func (s genRecordSet) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d records of %q:", len(s.Records), s.Format)
	for _, r := range s.Records {
		b.WriteString("\n\t")
		b.WriteString(r.String())
	}
	return b.String()
}

// Generating records.

var (
	genPrefixes = []string{"", "@", "=", "<", ">", "!"}
	genSpaces   = " \t\n\v\f\r"
)

// genRecordLayout returns a random valid format as a record without
// values: a prefix, 0 to 8 items of codes valid in its mode with counts
// 0-5 (0-20 for 's' and 'p', now and then a long 'p'), sometimes omitted
// or written with leading zeros, and whitespace here and there.
func genRecordLayout(src genSource) genRecord {
	r := genRecord{Prefix: genPrefixes[src.Intn(len(genPrefixes))]}
	codes := modelStandardCodes
	if r.mode() == '@' {
		codes = modelNativeCodes
	}
	n := src.Intn(9)
	for range n {
		it := genItem{Code: codes[src.Intn(len(codes))]}
		if src.Intn(4) == 0 {
			it.Space = genWhitespace(src)
		}
		var count int
		switch {
		case (it.Code == 's' || it.Code == 'p') && src.Intn(10) == 0:
			count = 250 + src.Intn(60) // past the 255 limit of a 'p' length byte
		case it.Code == 's' || it.Code == 'p':
			count = src.Intn(21)
		default:
			count = src.Intn(6)
		}
		switch src.Intn(8) {
		case 0, 1, 2:
			if count == 1 {
				break // omitted
			}
			fallthrough
		default:
			it.Count = strconv.Itoa(count)
		case 3:
			it.Count = strings.Repeat("0", 1+src.Intn(2)) + strconv.Itoa(count)
		}
		r.Items = append(r.Items, it)
	}
	if src.Intn(6) == 0 {
		r.Trailing = genWhitespace(src)
	}
	return r
}

func genWhitespace(src genSource) string {
	var b strings.Builder
	for range 1 + src.Intn(2) {
		b.WriteByte(genSpaces[src.Intn(len(genSpaces))])
	}
	return b.String()
}

// genFill gives every item of r new values.
func genFill(src genSource, r genRecord) genRecord {
	mode := r.mode()
	r.Items = slices.Clone(r.Items)
	for i := range r.Items {
		it := &r.Items[i]
		it.Values, it.Want, it.Bytes = genItemValues(src, mode, it.Code, it.count())
	}
	return r
}

// genRandomRecord returns a random valid format with values for it.
func genRandomRecord(src genSource) genRecord {
	return genFill(src, genRecordLayout(src))
}

// genRecords generates records; it shrinks a failing record by dropping
// items.
func genRecords() gopter.Gen {
	return func(gp *gopter.GenParameters) *gopter.GenResult {
		return gopter.NewGenResult(genRandomRecord(gp.Rng), shrinkRecord)
	}
}

func shrinkRecord(v any) gopter.Shrink {
	r := v.(genRecord)
	i := 0
	return func() (any, bool) {
		if i >= len(r.Items) {
			return nil, false
		}
		s := r
		s.Items = slices.Delete(slices.Clone(r.Items), i, i+1)
		i++
		return s, true
	}
}

// genRecordSets generates 0 to 4 records of one format; it shrinks a
// failing set by dropping records.
func genRecordSets() gopter.Gen {
	return func(gp *gopter.GenParameters) *gopter.GenResult {
		layout := genRecordLayout(gp.Rng)
		s := genRecordSet{Format: layout.Format()}
		for range gp.Rng.Intn(5) {
			s.Records = append(s.Records, genFill(gp.Rng, layout))
		}
		return gopter.NewGenResult(s, shrinkRecordSet)
	}
}

func shrinkRecordSet(v any) gopter.Shrink {
	s := v.(genRecordSet)
	i := 0
	return func() (any, bool) {
		if i >= len(s.Records) {
			return nil, false
		}
		t := s
		t.Records = slices.Delete(slices.Clone(s.Records), i, i+1)
		i++
		return t, true
	}
}

// genItemValues returns values for count items of code in mode (one value
// for 's' and 'p', whose count is a length): the Go values to pack, in
// varied types but always within range, the values unpack must give back
// (int64, uint64, bool, float64 or []byte), and the bytes they pack to.
func genItemValues(src genSource, mode, code byte, count int) (values, want []any, b []byte) {
	kind, size, _ := modelLookup(mode, code)
	order := modelOrder(mode)
	values, want = []any{}, []any{}
	switch kind {
	case modelPad:
		return values, want, make([]byte, count)
	case modelString:
		data := genData(src, genDataLen(src, count))
		w := make([]byte, count)
		copy(w, data)
		return []any{genByteValue(src, data)}, []any{w}, w
	case modelPascal:
		data := genData(src, genDataLen(src, count))
		b = make([]byte, count)
		if count == 0 {
			return []any{genByteValue(src, data)}, []any{[]byte{}}, b
		}
		k := copy(b[1:], data)
		b[0] = byte(min(k, 255))
		return []any{genByteValue(src, data)}, []any{slices.Clone(data[:min(k, 255)])}, b
	}
	b = make([]byte, count*size)
	for j := range count {
		var v, w any
		var u uint64 // the item's bits
		switch kind {
		case modelSigned:
			i := genSigned(src, size)
			v, w, u = genIntValue(src, big.NewInt(i)), i, uint64(i)
		case modelUnsigned:
			x := genUnsigned(src, size)
			v, w, u = genIntValue(src, new(big.Int).SetUint64(x)), x, x
		case modelPointer:
			if src.Intn(4) == 0 {
				i := genSigned(src, size)
				x := uint64(i) & (math.MaxUint64 >> (64 - 8*uint(size)))
				v, w, u = genIntValue(src, big.NewInt(i)), x, x
			} else {
				x := genUnsigned(src, size)
				v, w, u = genIntValue(src, new(big.Int).SetUint64(x)), x, x
			}
		case modelBool:
			v = genTruthValue(src)
			t := modelTruth(v)
			w = t
			if t {
				u = 1
			}
		case modelHalf:
			v, w, u = genHalfItem(src)
		case modelFloat:
			v, w, u = genSingleItem(src)
		case modelDouble:
			v, w, u = genDoubleItem(src)
		case modelChar:
			c := byte(src.Uint64())
			v, w, u = genByteValue(src, []byte{c}), []byte{c}, uint64(c)
		case modelComplexF, modelComplexD:
			// Two parts as 'f' or 'd' items give them: a complex64 or
			// complex128 of the parts, or (imaginary part +0) a real value.
			gen, half := genDoubleItem, size/2
			if kind == modelComplexF {
				gen = genSingleItem
			}
			v0, w0, u0 := gen(src)
			v1, w1, u1 := gen(src)
			part := func(v any) float64 { f, _, _ := modelFloatOf(v); return f }
			re, im := part(v0), part(v1)
			switch src.Intn(4) {
			case 0:
				if im == 0 && !math.Signbit(im) {
					v = v0
					break
				}
				fallthrough
			default:
				v = complex(re, im)
			case 1:
				if kind == modelComplexF && !math.IsNaN(re) && !math.IsNaN(im) {
					v = complex64(complex(re, im))
				} else {
					v = complex(re, im)
				}
			}
			w = complex(w0.(float64), w1.(float64))
			values, want = append(values, v), append(want, w)
			modelPut(b[j*size:], half, u0, order)
			modelPut(b[j*size+half:], half, u1, order)
			continue
		default:
			panic(fmt.Sprintf("genItemValues: code %q in mode %q", code, mode))
		}
		values, want = append(values, v), append(want, w)
		modelPut(b[j*size:], size, u, order)
	}
	return values, want, b
}

// genDataLen returns a length for the data of an 's' or 'p' of count
// bytes: from 0 to count+3, often just around count, where truncation and
// the 'p' limits of count-1 and 255 bytes lie.
func genDataLen(src genSource, count int) int {
	if src.Intn(3) == 0 {
		return max(0, count-1+src.Intn(3))
	}
	return src.Intn(count + 4)
}

// genData returns n random bytes.
func genData(src genSource, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		if i%8 == 0 {
			var x [8]byte
			binary.LittleEndian.PutUint64(x[:], src.Uint64())
			copy(b[i:], x[:])
		}
	}
	return b
}

// genByteValue returns data as one of the Go types 's', 'p' and 'c' take.
func genByteValue(src genSource, data []byte) any {
	switch src.Intn(5) {
	case 0:
		return string(data)
	case 1:
		return genBytes(slices.Clone(data))
	case 2:
		return genString(data)
	case 3:
		if len(data) == 0 {
			return []byte(nil)
		}
	}
	return slices.Clone(data)
}

// genSigned returns a signed integer that fits size bytes, often one at
// an edge of the range.
func genSigned(src genSource, size int) int64 {
	shift := 64 - 8*uint(size)
	switch src.Intn(8) {
	case 0:
		return math.MinInt64 >> shift
	case 1:
		return math.MaxInt64 >> shift
	case 2:
		return int64(src.Intn(7)) - 3
	}
	return int64(src.Uint64()<<shift) >> shift
}

// genUnsigned returns an unsigned integer that fits size bytes, often one
// at an edge of the range.
func genUnsigned(src genSource, size int) uint64 {
	max := uint64(math.MaxUint64) >> (64 - 8*uint(size))
	switch src.Intn(8) {
	case 0:
		return 0
	case 1:
		return max
	case 2:
		return uint64(src.Intn(4))
	}
	return src.Uint64() & max
}

// genIntValue returns the integer v as one of the Go types that can hold
// it, named types, bool and *big.Int included.
func genIntValue(src genSource, v *big.Int) any {
	var c []any
	if v.IsInt64() {
		i := v.Int64()
		c = append(c, i)
		if int64(int(i)) == i {
			c = append(c, int(i), genInt(i))
		}
		if int64(int8(i)) == i {
			c = append(c, int8(i), genInt8(i))
		}
		if int64(int16(i)) == i {
			c = append(c, int16(i))
		}
		if int64(int32(i)) == i {
			c = append(c, int32(i), genInt32(i))
		}
		if i >= 0 {
			c = genAppendUints(c, uint64(i))
		}
		if i == 0 || i == 1 {
			c = append(c, i == 1, genBool(i == 1))
		}
	} else if v.IsUint64() {
		c = genAppendUints(c, v.Uint64())
	}
	c = append(c, new(big.Int).Set(v))
	return c[src.Intn(len(c))]
}

func genAppendUints(c []any, u uint64) []any {
	c = append(c, u, genUint64(u))
	if uint64(uint(u)) == u {
		c = append(c, uint(u))
	}
	if uint64(uintptr(u)) == u {
		c = append(c, uintptr(u), genUintptr(u))
	}
	if uint64(uint8(u)) == u {
		c = append(c, uint8(u), genUint8(u))
	}
	if uint64(uint16(u)) == u {
		c = append(c, uint16(u), genUint16(u))
	}
	if uint64(uint32(u)) == u {
		c = append(c, uint32(u))
	}
	return c
}

// genFloatValue returns the float f as one of the Go types that hold it
// exactly: float64, float32 when it fits, named types, and an integer type
// (or *big.Int) when f is a whole number other than -0.
func genFloatValue(src genSource, f float64) any {
	c := []any{f, genFloat64(f)}
	if float64(float32(f)) == f || math.IsInf(f, 0) {
		c = append(c, float32(f), genFloat32(float32(f)))
	}
	if !math.IsInf(f, 0) && f == math.Trunc(f) && !(f == 0 && math.Signbit(f)) {
		i, _ := new(big.Float).SetFloat64(f).Int(nil)
		c = append(c, genIntValue(src, i))
	}
	return c[src.Intn(len(c))]
}

var (
	genSpecials16 = []uint16{0x0000, 0x8000, 0x7c00, 0xfc00, 0x0001, 0x8001, 0x03ff, 0x0400, 0x7bff, 0xfbff, 0x3c00, 0x3555, 0x7e00}
	genSpecials32 = []uint32{0, 0x80000000, 0x7f800000, 0xff800000, 1, 0x80000001, 0x007fffff, 0x00800000,
		0x7f7fffff, 0xff7fffff, 0x3f800000, 0x7f800001, 0x7fc00000, 0xffc00001, 0x7fffffff, 0x4b800000}
	genSpecials64 = []uint64{0, 1 << 63, 0x7ff0000000000000, 0xfff0000000000000, 1, 0x000fffffffffffff,
		0x0010000000000000, 0x7fefffffffffffff, 0x3ff0000000000000, 0x7ff0000000000001, 0x7ff8000000000000,
		0xfff8000000000000, 0x7fffffffffffffff, 0x4340000000000000, 0xc3e0000000000000}
)

// genHalfItem returns a value for 'e', what unpack gives back and the binary16
// bits. Finite values and infinities are exact binary16 values; a NaN is
// any float64 NaN, which packs as the quiet NaN with its sign.
func genHalfItem(src genSource) (v, want any, bits uint64) {
	var h uint16
	switch src.Intn(6) {
	case 0, 1:
		h = genSpecials16[src.Intn(len(genSpecials16))]
	case 2:
		h = uint16(src.Uint64()) | 0x7c00 // inf or NaN
	default:
		h = uint16(src.Uint64())
	}
	if isNaN16(h) {
		sign := uint64(h >> 15)
		d := math.Float64frombits(sign<<63 | 0x7ff0000000000000 | (src.Uint64()&(1<<52-1) | 1))
		return d, math.Float64frombits(sign<<63 | 0x7ff8000000000000), sign<<15 | 0x7e00
	}
	f := modelHalfToFloat64(h)
	return genFloatValue(src, f), f, uint64(h)
}

// genSingleItem returns a value for 'f', what unpack gives back and the
// binary32 bits. Finite values and infinities are exact binary32 values; a
// NaN, given as a float32 or float64, packs with the quiet bit set and its
// top 22 payload bits.
func genSingleItem(src genSource) (v, want any, bits uint64) {
	var u uint32
	switch src.Intn(6) {
	case 0, 1:
		u = genSpecials32[src.Intn(len(genSpecials32))]
	case 2:
		u = uint32(src.Uint64()) | 0x7f800000 // inf or NaN, quiet or signalling
	default:
		u = uint32(src.Uint64())
	}
	if isNaN32(u) {
		var d float64
		if src.Intn(2) == 0 {
			f := math.Float32frombits(u)
			v, d = f, float64(f) // the conversion pack makes
		} else {
			d = math.Float64frombits(uint64(u>>31)<<63 | 0x7ff0000000000000 | uint64(u&0x7fffff)<<29 | src.Uint64()&(1<<29-1))
			v = d
		}
		n := modelNaN32(math.Float64bits(d))
		return v, modelFloat32ToFloat64(n), uint64(n)
	}
	f := float64(math.Float32frombits(u))
	return genFloatValue(src, f), f, uint64(u)
}

// genDoubleItem returns a value for 'd', what unpack gives back and the
// binary64 bits; NaNs keep their payload.
func genDoubleItem(src genSource) (v, want any, bits uint64) {
	var u uint64
	switch src.Intn(5) {
	case 0:
		u = genSpecials64[src.Intn(len(genSpecials64))]
	case 1:
		u = math.Float64bits(float64(src.Intn(4001)-2000) / 8)
	case 2:
		u = src.Uint64() | 0x7ff0000000000000 // inf or NaN
	default:
		u = src.Uint64()
	}
	f := math.Float64frombits(u)
	if math.IsNaN(f) {
		if src.Intn(2) == 0 {
			return genFloat64(f), f, u
		}
		return f, f, u
	}
	return genFloatValue(src, f), f, u
}

// genTruthValue returns a value of some Go type for '?'.
func genTruthValue(src genSource) any {
	pick := func(vs ...any) any { return vs[src.Intn(len(vs))] }
	switch src.Intn(14) {
	case 0:
		return src.Intn(2) == 1
	case 1:
		return genBool(src.Intn(2) == 1)
	case 2:
		return src.Intn(3) - 1
	case 3:
		return pick(uint8(0), uint8(200), genUint16(0), genUint16(7), uint64(1<<63))
	case 4:
		return pick(0.0, math.Copysign(0, -1), 0.5, math.NaN(), math.Inf(-1))
	case 5:
		return pick(float32(0), float32(-1), genFloat64(0), genFloat64(2))
	case 6:
		return pick("", "x", genString(""), genString("\x00"))
	case 7:
		return pick([]byte{}, []byte(nil), []byte{0}, genBytes{})
	case 8:
		return nil
	case 9:
		return pick(big.NewInt(0), big.NewInt(-5), new(big.Int).Lsh(big.NewInt(1), 100))
	case 10:
		return pick(complex128(0), 1i)
	case 11:
		return pick([]int{}, []int{0}, [0]int{}, [1]int{})
	case 12:
		return pick(map[string]int{}, map[string]int{"a": 1})
	}
	return pick(struct{}{}, &struct{}{}, (*int)(nil))
}

// modelTruth is Python's truth value of a Go value: false for nil, false,
// zero numbers and empty strings, slices, arrays and maps, and nil
// pointers; true otherwise.
func modelTruth(v any) bool {
	if v == nil {
		return false
	}
	if x, ok := v.(*big.Int); ok {
		return x != nil && x.Sign() != 0
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return rv.Uint() != 0
	case reflect.Float32, reflect.Float64:
		return rv.Float() != 0
	case reflect.Complex64, reflect.Complex128:
		return rv.Complex() != 0
	case reflect.String, reflect.Slice, reflect.Array, reflect.Map, reflect.Chan:
		return rv.Len() != 0
	case reflect.Pointer, reflect.Interface, reflect.Func, reflect.UnsafePointer:
		return !rv.IsNil()
	}
	return true
}

// Arbitrary values, and the model of which ones pack accepts.

// genArbitrary returns a value of any Go type, often one no code accepts
// or one out of every code's range.
func genArbitrary(src genSource) any {
	pick := func(vs ...any) any { return vs[src.Intn(len(vs))] }
	shift := src.Intn(64)
	switch src.Intn(26) {
	case 0:
		return int64(src.Uint64()) >> shift
	case 1:
		return int(int64(src.Uint64()) >> shift)
	case 2:
		return int8(src.Uint64())
	case 3:
		return src.Uint64() >> shift
	case 4:
		return pick(uint32(src.Uint64()), int32(src.Uint64()), uint16(src.Uint64()), int16(src.Uint64()))
	case 5:
		return pick(genInt(int64(src.Uint64())>>shift), genUint16(src.Uint64()), genUintptr(src.Uint64()), genUint64(src.Uint64()))
	case 6:
		return pick(true, false, genBool(true))
	case 7:
		// Around 2**64 and around 2**1024, where ints stop fitting
		// integer codes and doubles.
		shift := []int{src.Intn(70), 960 + src.Intn(10), src.Intn(1100)}[src.Intn(3)]
		x := new(big.Int).Lsh(new(big.Int).SetUint64(src.Uint64()|1<<63), uint(shift))
		if src.Intn(2) == 0 {
			x.Neg(x)
		}
		return x
	case 8:
		return pick((*big.Int)(nil), big.NewInt(int64(src.Intn(600))-300),
			new(big.Int).Lsh(big.NewInt(1), 64), new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 63)))
	case 9:
		return math.Float64frombits(src.Uint64())
	case 10:
		return pick(0.0, 65504.0, 65519.99, 65520.0, -65520.0, 3.4028234663852886e38, 3.4028235677973366e38,
			-3.4028235677973366e38, 3.4028235677973362e38, 1e300, math.Inf(1), math.NaN(), 0x1p-25, 0x1.0000000000001p-25,
			0x1p-149, 0x1p-150, 0x1.8p-150, 0x1p-24, 0x1.ffcp-15, 1.5, 1+0x1p-24, 1+0x3p-24, 2049.0, 2051.0,
			math.Float64frombits(0x7ff0000000000001), math.Float64frombits(0xfff8000020000000))
	case 11:
		return math.Float32frombits(uint32(src.Uint64()))
	case 12:
		return pick(genFloat64(1e39), genFloat32(-2.5), genFloat64(70000))
	case 13:
		return string(genData(src, src.Intn(4)))
	case 14:
		return genData(src, src.Intn(4))
	case 15:
		return nil
	case 16:
		return pick(genBytes("a"), genString("bc"), genString(""), []genUint8{'z'}, []genUint8{}, "ab", "", []byte("ab"), []byte{})
	case 17:
		return pick(complex128(1+2i), complex64(0))
	case 18:
		return pick(struct{}{}, []int{1}, map[string]int{}, [1]byte{'a'})
	case 19:
		x := 1
		return pick(&x, (*int)(nil), fmt.Errorf("an error"))
	case 20:
		return pick(uint64(1)<<63, uint64(math.MaxUint64), int64(math.MinInt64), uint(math.MaxUint))
	case 21:
		return pick(int64(1)<<31, int64(-1)<<31-1, int64(1)<<32, 1<<15, -1<<15-1, 1<<16, 128, -129, 256)
	}
	return src.Intn(600) - 300
}

// genNearMiss returns a value for code (size bytes per item, the length
// for 's' and 'p') in mode at the edge of what it accepts: integers at and
// one past each end of the range, byte strings of the wrong length or
// type, floats and ints at the overflow thresholds.
func genNearMiss(src genSource, mode, code byte, size int) any {
	pick := func(vs ...any) any { return vs[src.Intn(len(vs))] }
	kind, _, _ := modelLookup(mode, code)
	bits := uint(8 * size)
	one := big.NewInt(1)
	pow2 := func(n uint) *big.Int { return new(big.Int).Lsh(one, n) }
	switch kind {
	case modelSigned, modelUnsigned, modelPointer:
		lo, hi := new(big.Int), new(big.Int).Sub(pow2(bits), one)
		if kind == modelSigned {
			lo.Neg(pow2(bits - 1))
			hi.Sub(pow2(bits-1), one)
		} else if kind == modelPointer {
			lo.Neg(pow2(bits - 1))
		}
		x := [...]*big.Int{lo, hi, new(big.Int).Sub(lo, one), new(big.Int).Add(hi, one)}[src.Intn(4)]
		return genIntValue(src, x)
	case modelChar:
		return pick("", "ab", []byte{}, []byte("ab"), genString("xy"), 'a', byte('a'))
	case modelString, modelPascal:
		return pick(1, nil, 'a', []int{1}, [2]byte{'a', 'b'}, []rune("ab"), 1.5)
	case modelHalf:
		return pick(65504.0, 65519.99999999999, 65520.0, -65520.0, big.NewInt(65519), big.NewInt(-65520),
			float32(65520), 0x1p-25, -0x1.0000000000001p-25, "1", nil)
	case modelFloat:
		return pick(0x1p128-0x1p104, 0x1p128-0x1p103, -(0x1p128 - 0x1p103), math.Nextafter(0x1p128-0x1p103, 0),
			pow2(128), new(big.Int).Sub(pow2(128), pow2(103)), new(big.Int).Sub(pow2(128), pow2(104)), "1", nil)
	case modelDouble:
		return pick(pow2(1024), new(big.Int).Sub(pow2(1024), pow2(970)), new(big.Int).Sub(pow2(1024), pow2(971)),
			new(big.Int).Neg(new(big.Int).Sub(pow2(1024), pow2(970))), "1", nil, complex(1, 0))
	}
	return genArbitrary(src)
}

// modelInt returns v as an integer if pack takes it as one: every Go
// integer kind, bool, and a non-nil *big.Int.
func modelInt(v any) (*big.Int, bool) {
	if x, ok := v.(*big.Int); ok {
		return x, x != nil
	}
	if v == nil {
		return nil, false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return big.NewInt(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return new(big.Int).SetUint64(rv.Uint()), true
	case reflect.Bool:
		if rv.Bool() {
			return big.NewInt(1), true
		}
		return big.NewInt(0), true
	}
	return nil, false
}

// modelFloatOf returns v as a float64 if pack takes it as one: Go floats,
// and integers rounded to the nearest double (not if that overflows, as
// CPython's int.__float__ raises).
func modelFloatOf(v any) (f float64, isInt, ok bool) {
	if v != nil {
		if k := reflect.ValueOf(v).Kind(); k == reflect.Float32 || k == reflect.Float64 {
			return reflect.ValueOf(v).Float(), false, true
		}
	}
	i, ok := modelInt(v)
	if !ok {
		return 0, false, false
	}
	f, _ = new(big.Float).SetInt(i).Float64()
	return f, true, !math.IsInf(f, 0)
}

// modelBytesOf returns v's bytes if pack takes it as a byte string: a
// string or a slice of a byte kind, named types included.
func modelBytesOf(v any) ([]byte, bool) {
	if v == nil {
		return nil, false
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.Kind() == reflect.String:
		return []byte(rv.String()), true
	case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8:
		return rv.Bytes(), true
	}
	return nil, false
}

// A modelResult is the model's verdict on packing one value.
type modelResult struct {
	err error  // nil, pack.ErrType or pack.ErrRange
	msg string // CPython's message, if err != nil
	// bytes is what the value packs to; with an error, what CPython
	// leaves in pack_into's buffer before raising (usually nothing).
	bytes []byte
}

// modelPackValue says what packing v as one item of code (size bytes per
// item, 'count' bytes for 's' and 'p') in mode gives, following the
// CPython 3.13 reference, sections 5.2 to 5.5 and 6.
func modelPackValue(mode, code byte, size int, v any) modelResult {
	kind, _, _ := modelLookup(mode, code)
	order := modelOrder(mode)
	typeErr := func(msg string) modelResult { return modelResult{err: pack.ErrType, msg: msg} }
	rangeErr := func(msg string) modelResult { return modelResult{err: pack.ErrRange, msg: msg} }
	bits := uint(8 * size)
	switch kind {
	case modelSigned, modelUnsigned, modelPointer:
		i, ok := modelInt(v)
		if !ok {
			return typeErr("required argument is not an integer")
		}
		lo, hi := new(big.Int), new(big.Int).Lsh(big.NewInt(1), bits)
		hi.Sub(hi, big.NewInt(1))
		switch kind {
		case modelSigned:
			lo.Lsh(big.NewInt(-1), bits-1)
			hi.Rsh(hi, 1)
		case modelPointer:
			lo.Lsh(big.NewInt(-1), bits-1)
		}
		if i.Cmp(lo) < 0 || i.Cmp(hi) > 0 {
			if kind == modelPointer {
				return rangeErr("int too large to convert")
			}
			res := rangeErr(fmt.Sprintf("'%c' format requires %v <= number <= %v", code, lo, hi))
			// CPython 3.13's standard-mode 'q' and 'Q' routines for the
			// byte order opposite to the host's store the low 64 bits
			// before raising ('Q' only for a positive value); the modes in
			// the host's order use the native routines, which check first.
			if mode != '@' && size == 8 && order != modelOrder('=') && (kind == modelSigned || i.Sign() > 0) {
				low := new(big.Int).And(i, new(big.Int).SetUint64(math.MaxUint64))
				res.bytes = make([]byte, 8)
				modelPut(res.bytes, 8, low.Uint64(), order)
			}
			return res
		}
		var u uint64
		if i.Sign() < 0 {
			u = uint64(i.Int64())
		} else {
			u = i.Uint64()
		}
		b := make([]byte, size)
		modelPut(b, size, u, order)
		return modelResult{bytes: b}
	case modelBool:
		if modelTruth(v) {
			return modelResult{bytes: []byte{1}}
		}
		return modelResult{bytes: []byte{0}}
	case modelHalf, modelFloat, modelDouble:
		f, isInt, ok := modelFloatOf(v)
		if !ok {
			return typeErr("required argument is not a float")
		}
		// CPython 3.13 packs a NaN as 'e' as the quiet NaN with its
		// sign, as 'f' with the quiet bit set and the top 22 bits of its
		// payload. CPython 3.13.0 packs a too-large native 'f' as inf
		// without an error; later 3.13 releases (gh-145633) raise, as this
		// library does.
		u, ok := math.Float64bits(f), true
		switch {
		case kind == modelHalf && math.IsNaN(f):
			u = u>>63<<15 | 0x7e00
		case kind == modelHalf:
			u, ok = modelRound(f, 10, 5)
		case kind == modelFloat && math.IsNaN(f):
			u = uint64(modelNaN32(u))
		case kind == modelFloat:
			u, ok = modelRound(f, 23, 8)
		}
		if !ok {
			if isInt {
				return rangeErr("int too large to convert")
			}
			return rangeErr(fmt.Sprintf("float too large to pack with %c format", code))
		}
		b := make([]byte, size)
		modelPut(b, size, u, order)
		return modelResult{bytes: b}
	case modelComplexF, modelComplexD:
		// A complex, or any real value 'd' takes (CPython converts it with
		// complex() first, so an int too large for 'f' is a float too
		// large), each part packed as 'f' or 'd' packs a float, the 3.13
		// NaN rule included.
		var re, im float64
		switch x := v.(type) {
		case complex128:
			re, im = real(x), imag(x)
		case complex64:
			re, im = float64(real(x)), float64(imag(x))
		default:
			f, _, ok := modelFloatOf(v)
			if !ok {
				return typeErr("required argument is not a complex")
			}
			re = f
		}
		half := size / 2
		b := make([]byte, size)
		for i, part := range []float64{re, im} {
			u, ok := math.Float64bits(part), true
			switch {
			case half == 4 && math.IsNaN(part):
				u = uint64(modelNaN32(u))
			case half == 4:
				u, ok = modelRound(part, 23, 8)
			}
			if !ok {
				// CPython stores the real part before it converts the
				// imaginary one: it stays in pack_into's buffer.
				res := rangeErr("float too large to pack with f format")
				if i == 1 {
					res.bytes = b[:half]
				}
				return res
			}
			modelPut(b[i*half:], half, u, order)
		}
		return modelResult{bytes: b}
	case modelChar:
		b, ok := modelBytesOf(v)
		if !ok || len(b) != 1 {
			return typeErr("char format requires a bytes object of length 1")
		}
		return modelResult{bytes: slices.Clone(b)}
	case modelString, modelPascal:
		data, ok := modelBytesOf(v)
		if !ok {
			return typeErr(fmt.Sprintf("argument for '%c' must be a bytes object", code))
		}
		b := make([]byte, size)
		if kind == modelString {
			copy(b, data)
		} else if size > 0 {
			b[0] = byte(min(copy(b[1:], data), 255))
		}
		return modelResult{bytes: b}
	}
	panic(fmt.Sprintf("modelPackValue: code %q in mode %q", code, mode))
}

// Unpacking, by the model.

// modelDecode unpacks rec, a record of p, by the model: integers in the
// mode's byte order, '?' true for any byte but 0, floats as CPython 3.13
// widens them, 'p' as many bytes as its length byte says, at most count-1.
func modelDecode(p *format.Plan, rec []byte) []any {
	order := modelOrder(byte(p.Order()))
	vs := []any{}
	for _, f := range p.Fields() {
		off := f.Offset
		switch f.Kind {
		case format.Pad:
			continue
		case format.String:
			vs = append(vs, bytes.Clone(rec[off:off+f.Count]))
			continue
		case format.Pascal:
			if f.Count == 0 {
				vs = append(vs, []byte{})
				continue
			}
			n := min(int(rec[off]), f.Count-1)
			vs = append(vs, bytes.Clone(rec[off+1:off+1+n]))
			continue
		case format.Complex:
			half := f.Size / 2
			for j := range f.Count {
				b := rec[off+j*f.Size:]
				re, im := modelGet(b, half, order), modelGet(b[half:], half, order)
				if half == 4 {
					vs = append(vs, complex(modelFloat32ToFloat64(uint32(re)), modelFloat32ToFloat64(uint32(im))))
				} else {
					vs = append(vs, complex(math.Float64frombits(re), math.Float64frombits(im)))
				}
			}
			continue
		}
		for j := range f.Count {
			b := rec[off+j*f.Size:]
			u := modelGet(b, f.Size, order)
			switch f.Kind {
			case format.Signed:
				shift := 64 - 8*uint(f.Size)
				vs = append(vs, int64(u<<shift)>>shift)
			case format.Unsigned:
				vs = append(vs, u)
			case format.Bool:
				vs = append(vs, u != 0)
			case format.Char:
				vs = append(vs, []byte{b[0]})
			case format.Float:
				switch f.Size {
				case 2:
					vs = append(vs, modelHalfToFloat64(uint16(u)))
				case 4:
					vs = append(vs, modelFloat32ToFloat64(uint32(u)))
				default:
					vs = append(vs, math.Float64frombits(u))
				}
			}
		}
	}
	return vs
}

// modelCanonical returns the bytes that packing the values unpacked from
// rec gives, worked out from the plan's fields rather than by packing: pad
// bytes and alignment padding zero, each '?' 0 or 1, each 'p' length byte
// min(stored length, count-1, 255) with the bytes after that length zero,
// binary16 NaNs the quiet NaN with their sign, binary32 NaNs quiet.
func modelCanonical(p *format.Plan, rec []byte) []byte {
	order := modelOrder(byte(p.Order()))
	out := make([]byte, len(rec))
	for _, f := range p.Fields() {
		off, n := f.Offset, f.Len()
		if f.Kind == format.Pad {
			continue
		}
		copy(out[off:off+n], rec[off:off+n])
		switch f.Kind {
		case format.Bool:
			for i := off; i < off+n; i++ {
				if out[i] != 0 {
					out[i] = 1
				}
			}
		case format.Pascal:
			if f.Count == 0 {
				break
			}
			l := min(int(out[off]), f.Count-1, 255)
			out[off] = byte(l)
			clear(out[off+1+l : off+f.Count])
		case format.Float:
			for j := range f.Count {
				b := out[off+j*f.Size:]
				u := modelGet(b, f.Size, order)
				switch {
				case f.Size == 2 && isNaN16(uint16(u)):
					u = u&0x8000 | 0x7e00
				case f.Size == 4 && isNaN32(uint32(u)):
					u |= 0x400000
				}
				modelPut(b, f.Size, u, order)
			}
		case format.Complex:
			for j := 0; f.Size == 8 && j < 2*f.Count; j++ { // binary32 parts: NaNs quiet
				b := out[off+j*4:]
				if u := modelGet(b, 4, order); isNaN32(uint32(u)) {
					modelPut(b, 4, u|0x400000, order)
				}
			}
		}
	}
	return out
}

// A genRaw is a format with bytes to unpack.
type genRaw struct {
	Format string
	Bytes  []byte
}

func (r genRaw) String() string { return fmt.Sprintf("unpack(%q, %x)", r.Format, r.Bytes) }

// genRaws generates random formats with bytes from genRecordBytes.
func genRaws() gopter.Gen {
	return func(gp *gopter.GenParameters) *gopter.GenResult {
		fs := genRecordLayout(gp.Rng).Format()
		raw := genRaw{Format: fs, Bytes: genRecordBytes(gp.Rng, format.MustParse(fs))}
		return gopter.NewGenResult(raw, gopter.NoShrinker)
	}
}

// genRecordBytes returns bytes for a record of p: random, but with what
// the unpack rules single out put here and there: NaNs with payloads,
// signalling ones included, in float fields, '?' bytes other than 0 and 1,
// and 'p' length bytes at and past the field's capacity.
func genRecordBytes(src genSource, p *format.Plan) []byte {
	b := genData(src, p.Size())
	order := modelOrder(byte(p.Order()))
	for _, f := range p.Fields() {
		switch f.Kind {
		case format.Float:
			for j := range f.Count {
				if src.Intn(3) != 0 {
					continue
				}
				exp := map[int]uint64{2: 0x7c00, 4: 0x7f800000, 8: 0x7ff0000000000000}[f.Size]
				frac := exp&-exp - 1 // the fraction bits, below the exponent
				payload := src.Uint64() & frac
				if src.Intn(2) == 0 {
					payload &= frac >> 1 // quiet bit clear: signalling
				}
				if payload == 0 {
					payload = 1
				}
				sign := src.Uint64() & 1 << (8*uint(f.Size) - 1)
				modelPut(b[f.Offset+j*f.Size:], f.Size, sign|exp|payload, order)
			}
		case format.Bool:
			for j := range f.Count {
				b[f.Offset+j] = []byte{0, 1, 2, 0x80, 0xff}[src.Intn(5)]
			}
		case format.Pascal:
			if f.Count > 0 && src.Intn(2) == 0 {
				b[f.Offset] = []byte{0, 0xff, byte(f.Count - 1), byte(f.Count), byte(f.Count + 1)}[src.Intn(5)]
			}
		}
	}
	return b
}

// A genMixed is a format with values that may be of the wrong type, out
// of range, or too many or too few.
type genMixed struct {
	Format string
	Values []any
}

func (m genMixed) String() string {
	return fmt.Sprintf("pack(%q%s)", m.Format, genValuesString(m.Values))
}

// genValuesString formats values as the tail of an argument list.
func genValuesString(vs []any) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(", ")
		b.WriteString(genValueString(v))
	}
	return b.String()
}

// genMixedValues returns values for plan: each one valid for its field,
// but some replaced by arbitrary values or values at the edge of what the
// field accepts, and now and then one too many or too few.
func genMixedValues(src genSource, p *format.Plan) []any {
	var vs []any
	mode := byte(p.Order())
	for _, f := range p.Fields() {
		v, _, _ := genItemValues(src, mode, f.Code, f.Count)
		for i := range v {
			switch src.Intn(8) { // 0, where a fuzzer's bytes run out, keeps the values valid
			case 5:
				v[i] = genNearMiss(src, mode, f.Code, f.Size)
			case 6, 7:
				v[i] = genArbitrary(src)
			}
		}
		vs = append(vs, v...)
	}
	switch src.Intn(16) {
	case 14:
		if len(vs) > 0 {
			vs = vs[:len(vs)-1]
		}
	case 15:
		vs = append(vs, genArbitrary(src))
	}
	return vs
}

func genMixedRecords() gopter.Gen {
	return func(gp *gopter.GenParameters) *gopter.GenResult {
		fs := genRecordLayout(gp.Rng).Format()
		m := genMixed{Format: fs, Values: genMixedValues(gp.Rng, format.MustParse(fs))}
		return gopter.NewGenResult(m, gopter.NoShrinker)
	}
}

// genRoundingRecords generates an 'e' or 'f' format, in any mode, with one
// value near where rounding to that format decides: on, just above or just
// below a tie between two neighbours, across the subnormal range and up to
// overflow.
func genRoundingRecords() gopter.Gen {
	return func(gp *gopter.GenParameters) *gopter.GenResult {
		src := gp.Rng
		code, fracBits, expBits := byte('e'), uint(10), uint(5)
		if src.Intn(2) == 0 {
			code, fracBits, expBits = 'f', 23, 8
		}
		emax := 1<<(expBits-1) - 1
		lo := 1 - emax - int(fracBits) - 2 // below the smallest subnormal
		e := lo + src.Intn(emax+2-lo)      // up to past the largest finite value
		m := float64(src.Uint64() & (1<<(fracBits+1) - 1))
		if src.Intn(4) == 0 {
			// The largest finite value: its tie with the next is where
			// packing overflows.
			m, e = float64(uint64(1)<<(fracBits+1)-1), emax
		}
		x := math.Ldexp(m, e-int(fracBits))
		tie := x + math.Ldexp(1, e-int(fracBits)-1)
		switch src.Intn(4) {
		case 0:
			x = tie
		case 1:
			x = math.Nextafter(tie, math.Inf(1))
		case 2:
			x = math.Nextafter(tie, 0)
		}
		if src.Intn(2) == 0 {
			x = -x
		}
		var v any = x
		if float64(float32(x)) == x && src.Intn(2) == 0 {
			v = float32(x)
		}
		fs := genPrefixes[src.Intn(len(genPrefixes))] + string(code)
		return gopter.NewGenResult(genMixed{Format: fs, Values: []any{v}}, gopter.NoShrinker)
	}
}
