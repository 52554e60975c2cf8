package format

import (
	"errors"
	"strconv"
)

// ErrSyntax is the category of every error that [Parse] returns: the format
// string is not one that CPython's struct module would compile. Test for it
// with errors.Is.
var ErrSyntax = errors.New("invalid struct format")

// The messages CPython 3.13 gives for format strings it cannot compile
// (the non-ASCII message is the wording CPython adopts in 3.15).
const (
	msgBadChar     = "bad char in struct format"
	msgNoSpecifier = "repeat count given without format specifier"
	msgTooLong     = "total struct size too long"
	msgNull        = "embedded null character"
	msgNonASCII    = "non-ASCII character in struct format"
)

// A SyntaxError records a format string that could not be compiled, and
// where. Its message ends with the text CPython gives for the same format.
type SyntaxError struct {
	Format string // the format string as given
	Offset int    // byte offset in Format of the character at fault
	Msg    string // CPython's message, e.g. "bad char in struct format"
}

func (e *SyntaxError) Error() string {
	return "format " + QuoteFormat(e.Format) + " at offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// Unwrap returns [ErrSyntax], so that errors.Is(err, format.ErrSyntax)
// holds for every *SyntaxError.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// MaxQuoted is the number of bytes of a format string that error messages
// quote: a longer format is quoted as its first MaxQuoted bytes followed by
// "..." and its length, so that a message stays short however long the
// format is.
const MaxQuoted = 64

// QuoteFormat quotes fs as Go's strconv.Quote does if it is at most
// [MaxQuoted] bytes long; a longer fs is quoted as its first MaxQuoted
// bytes, followed by "..." and its length in bytes, as in
// "<iiii..."... (1048576 bytes).
func QuoteFormat(fs string) string {
	if len(fs) <= MaxQuoted {
		return strconv.Quote(fs)
	}
	return strconv.Quote(fs[:MaxQuoted]) + "... (" + strconv.Itoa(len(fs)) + " bytes)"
}
