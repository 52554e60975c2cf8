package format

import (
	"math"
	"strconv"
	"strings"
)

// A Field is one item of a format string: a code with its repeat count,
// placed at an offset.
type Field struct {
	Code byte // the format character, such as 'i' or 's'
	Kind Kind // the kind of value the code holds
	// Count is the repeat count as written (1 when omitted). For 's' and
	// 'p' it is the length in bytes of the field's one value; for 'x' it
	// is the number of pad bytes.
	Count  int
	Offset int // offset of the field's first byte, after any alignment padding
	Size   int // size in bytes of one item; for 's' and 'p' it equals Count, for 'x' it is 1
	// Z reports a complex field written with CPython 3.15's two-letter
	// code, "Zf" or "Zd"; its Code is then 'F' or 'D', the 3.14 spelling
	// of the same item.
	Z bool
}

// Name returns the field's code as a format string writes it: "i", "5s"'s
// "s", or for a complex field "F", "D", "Zf" or "Zd".
func (f Field) Name() string {
	if f.Z {
		return "Z" + string(rune(f.Code-'A'+'a'))
	}
	return string(rune(f.Code))
}

// NumValues returns how many values the field takes when packing and gives
// when unpacking: 1 for 's' and 'p' whatever the count, 0 for 'x', and the
// repeat count otherwise.
func (f Field) NumValues() int {
	switch f.Kind {
	case String, Pascal:
		return 1
	case Pad:
		return 0
	}
	return f.Count
}

// Len returns the number of bytes the field occupies, not counting the
// alignment padding before it.
func (f Field) Len() int {
	if f.Kind == String || f.Kind == Pascal {
		return f.Count
	}
	return f.Count * f.Size
}

// A Plan is a compiled format string: its mode and its fields, each at its
// offset, with the total size. A Plan is immutable and safe for concurrent
// use. Repeat counts stay compact: "1000000i" is one field.
type Plan struct {
	src       string
	order     Order
	items     []item
	size      int
	numValues int
	// byteStrings is the total length of the 'c', 's' and 'p' fields.
	byteStrings int
	// huge holds the counts that do not fit an item, by field index.
	huge map[int]int
}

// An item is a Field as a Plan keeps it, in 16 bytes (12 where int has 32
// bits): the code's kind and item size are small, a byte string's size is
// its count, and a count of 2³²-1 or more is kept in the plan's huge map.
type item struct {
	offset int
	count  uint32 // or hugeCount
	code   byte
	kind   Kind
	size   uint8 // item size; 1 for 's' and 'p', whose Field.Size is count
	z      bool
}

// hugeCount marks an item whose count is in Plan.huge.
const hugeCount = math.MaxUint32

// field expands item i into a Field.
func (p *Plan) field(i int) Field {
	it := &p.items[i]
	count := int(it.count)
	if it.count == hugeCount {
		count = p.huge[i]
	}
	f := Field{Code: it.code, Kind: it.kind, Count: count, Offset: it.offset, Size: int(it.size), Z: it.z}
	if it.kind == String || it.kind == Pascal {
		f.Size = count
	}
	return f
}

// Format returns the format string the plan was parsed from, exactly as
// given.
func (p *Plan) Format() string { return p.src }

// Order returns the plan's byte-order mode.
func (p *Plan) Order() Order { return p.order }

// Size returns the number of bytes a packed record occupies: Python's
// struct.calcsize. Native mode adds no trailing padding.
func (p *Plan) Size() int { return p.size }

// NumValues returns how many values a record holds.
func (p *Plan) NumValues() int { return p.numValues }

// ByteStringLen returns the number of bytes the byte-string fields of a
// record occupy: the sum of [Field.Len] over the fields of kinds [Char],
// [String] and [Pascal]. Unpacking a record copies at most that many bytes
// into its byte-string values, so a decoder can reserve them at once.
func (p *Plan) ByteStringLen() int { return p.byteStrings }

// NumFields returns the number of fields, counting pad fields and fields
// with a repeat count of zero.
func (p *Plan) NumFields() int { return len(p.items) }

// Field returns field i, for 0 <= i < NumFields().
func (p *Plan) Field(i int) Field { return p.field(i) }

// Fields returns a copy of the plan's fields in order.
func (p *Plan) Fields() []Field {
	if len(p.items) == 0 {
		return nil
	}
	fields := make([]Field, len(p.items))
	for i := range p.items {
		fields[i] = p.field(i)
	}
	return fields
}

// String returns the plan in canonical form: the mode prefix, then each
// field as its count (omitted when 1) and code, with no whitespace.
// Parsing the canonical form gives an equivalent plan.
func (p *Plan) String() string {
	var b strings.Builder
	b.WriteByte(byte(p.order))
	for i := range p.items {
		f := p.field(i)
		if f.Count != 1 {
			b.WriteString(strconv.Itoa(f.Count))
		}
		b.WriteString(f.Name())
	}
	return b.String()
}
