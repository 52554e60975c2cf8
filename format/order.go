package format

import "github.com/pystruct/pystruct/internal/cabi"

// An Order is the byte-order, size and alignment mode selected by the first
// character of a format string.
type Order byte

// The five modes. A format string without a prefix is in [Native] mode.
const (
	Native  Order = '@' // native byte order, native sizes, native alignment
	Host    Order = '=' // native byte order, standard sizes, no alignment
	Little  Order = '<' // little-endian, standard sizes, no alignment
	Big     Order = '>' // big-endian, standard sizes, no alignment
	Network Order = '!' // big-endian (network order), standard sizes, no alignment
)

// String returns the prefix character of the mode.
func (o Order) String() string { return string(rune(o)) }

// BigEndian reports whether values are stored most significant byte first
// in this mode on the platform the program runs on.
func (o Order) BigEndian() bool {
	switch o {
	case Big, Network:
		return true
	case Little:
		return false
	}
	return cabi.BigEndian
}

// IsNative reports whether the mode uses the platform's C sizes and
// alignment. Only '@' does: '=' has native byte order but standard sizes.
func (o Order) IsNative() bool { return o == Native }

func isOrder(c byte) bool {
	switch Order(c) {
	case Native, Host, Little, Big, Network:
		return true
	}
	return false
}
