package format

import "github.com/pystruct/pystruct/internal/cabi"

// A Kind classifies a format code by the kind of value it holds.
type Kind uint8

// The kinds of format codes.
const (
	Invalid  Kind = iota
	Pad           // 'x': pad bytes, no value
	Signed        // 'b' 'h' 'i' 'l' 'q' 'n': a signed integer
	Unsigned      // 'B' 'H' 'I' 'L' 'Q' 'N' 'P': an unsigned integer
	Bool          // '?'
	Float         // 'e' 'f' 'd': an IEEE 754 binary16, binary32 or binary64
	Char          // 'c': one byte, as a bytes value of length 1
	String        // 's': a fixed-length byte string
	Pascal        // 'p': a byte string preceded by its length byte
	Complex       // 'F' 'D' (CPython 3.14), 'Zf' 'Zd' (3.15): two binary32 or binary64 parts, real first
)

// layout is one code's entry in a mode's table: its kind, its item size and
// its alignment (0 for none).
type layout struct {
	kind  Kind
	size  uint8
	align uint8
}

// The tables cover every byte value: those outside ASCII are Invalid.
var standard, native [256]layout

func init() {
	std := func(c byte, k Kind, size int) { standard[c] = layout{k, uint8(size), 0} }
	std('x', Pad, 1)
	std('c', Char, 1)
	std('b', Signed, 1)
	std('B', Unsigned, 1)
	std('?', Bool, 1)
	std('h', Signed, 2)
	std('H', Unsigned, 2)
	std('i', Signed, 4)
	std('I', Unsigned, 4)
	std('l', Signed, 4)
	std('L', Unsigned, 4)
	std('q', Signed, 8)
	std('Q', Unsigned, 8)
	std('e', Float, 2)
	std('f', Float, 4)
	std('d', Float, 8)
	std('s', String, 1)
	std('p', Pascal, 1)
	std('F', Complex, 8)
	std('D', Complex, 16)

	nat := func(c byte, k Kind, size, align int) { native[c] = layout{k, uint8(size), uint8(align)} }
	nat('x', Pad, 1, 0)
	nat('c', Char, 1, 0)
	nat('b', Signed, 1, 0)
	nat('B', Unsigned, 1, 0)
	nat('?', Bool, cabi.BoolSize, cabi.BoolAlign)
	nat('h', Signed, cabi.ShortSize, cabi.ShortAlign)
	nat('H', Unsigned, cabi.ShortSize, cabi.ShortAlign)
	nat('i', Signed, cabi.IntSize, cabi.IntAlign)
	nat('I', Unsigned, cabi.IntSize, cabi.IntAlign)
	nat('l', Signed, cabi.LongSize, cabi.LongAlign)
	nat('L', Unsigned, cabi.LongSize, cabi.LongAlign)
	nat('q', Signed, cabi.LongLongSize, cabi.LongLongAlign)
	nat('Q', Unsigned, cabi.LongLongSize, cabi.LongLongAlign)
	nat('n', Signed, cabi.SizeTSize, cabi.SizeTAlign)
	nat('N', Unsigned, cabi.SizeTSize, cabi.SizeTAlign)
	nat('e', Float, 2, cabi.ShortAlign)
	nat('f', Float, cabi.FloatSize, cabi.FloatAlign)
	nat('d', Float, cabi.DoubleSize, cabi.DoubleAlign)
	nat('s', String, 1, 0)
	nat('p', Pascal, 1, 0)
	nat('P', Unsigned, cabi.PointerSize, cabi.PointerAlign)
	nat('F', Complex, 2*cabi.FloatSize, cabi.FloatAlign)
	nat('D', Complex, 2*cabi.DoubleSize, cabi.DoubleAlign)
}

func lookup(o Order, c byte) layout {
	if o == Native {
		return native[c]
	}
	return standard[c]
}

// KindOf returns the kind of code c in mode o, or [Invalid] if CPython does
// not accept c in that mode ('n', 'N' and 'P' exist only in native mode).
func KindOf(o Order, c byte) Kind { return lookup(o, c).kind }

// ItemSize returns the size in bytes of one item of code c in mode o, or 0
// if c is not valid in that mode. For 's', 'p' and 'x' it is 1: their
// repeat count is a byte length.
func ItemSize(o Order, c byte) int { return int(lookup(o, c).size) }
