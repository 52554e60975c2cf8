package pack

import (
	"errors"
	"strconv"

	"github.com/pystruct/pystruct/format"
)

// Categories of the errors that pack's functions return, for errors.Is.
// Errors in the format string itself match format.ErrSyntax instead.
var (
	// ErrRange: a value does not fit its format code (an integer outside
	// the C type's range, a float too large for 'e' or 'f').
	ErrRange = errors.New("value out of range")
	// ErrType: a value of a kind the format code does not accept.
	ErrType = errors.New("wrong type of value")
	// ErrCount: the number of values does not match the format.
	ErrCount = errors.New("wrong number of values")
	// ErrBuffer: a buffer, offset or record size that does not fit the
	// format.
	ErrBuffer = errors.New("bad buffer size or offset")
)

// An Error describes a failed pack or unpack. Its message ends with the
// text CPython 3.13 gives for the same call, and it unwraps to one of the
// categories [ErrRange], [ErrType], [ErrCount] or [ErrBuffer].
type Error struct {
	Op     string // the Python operation: "pack", "pack_into", "unpack", "unpack_from" or "iter_unpack"; or "marshal", "unmarshal", "decode", "encode" or "records"
	Format string // the format string
	Item   int    // index of the value at fault, or -1 if no single value is
	Err    error  // the category
	Msg    string // CPython's message, e.g. "'h' format requires -32768 <= number <= 32767"
}

func (e *Error) Error() string {
	s := e.Op + " " + format.QuoteFormat(e.Format) + ": "
	if e.Item >= 0 {
		s += "item " + strconv.Itoa(e.Item) + ": "
	}
	return s + e.Msg
}

// Unwrap returns the error's category.
func (e *Error) Unwrap() error { return e.Err }
