package main

import (
	"bufio"
	"io"
	"strconv"
)

// A hexReader decodes hex text as Python's bytes.fromhex does: pairs of
// hex digits in either case, with ASCII whitespace allowed between pairs
// but not inside one. Its errors carry fromhex's message and the position
// in the text.
type hexReader struct {
	r   *bufio.Reader
	pos int64 // position in the text of the next byte r returns
}

func newHexReader(r io.Reader) *hexReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &hexReader{r: br}
}

// hexError is a non-hex character at a position in the text, or a missing
// second digit at the end.
type hexError struct{ pos int64 }

func (e *hexError) Error() string {
	return "hex input: non-hexadecimal number found in fromhex() arg at position " + strconv.FormatInt(e.pos, 10)
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c|0x20 && c|0x20 <= 'f':
		return c | 0x20 - 'a' + 10, true
	}
	return 0, false
}

func isSpace(c byte) bool { return c == ' ' || '\t' <= c && c <= '\r' }

// Read decodes into p. It returns io.EOF at the end of well-formed text,
// and a *hexError at the first character fromhex would reject.
func (h *hexReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c, err := h.r.ReadByte()
		if err != nil {
			return n, err
		}
		if isSpace(c) {
			h.pos++
			continue
		}
		hi, ok := unhex(c)
		if !ok {
			return n, &hexError{h.pos}
		}
		c, err = h.r.ReadByte()
		if err == io.EOF {
			return n, &hexError{h.pos + 1}
		} else if err != nil {
			return n, err
		}
		lo, ok := unhex(c)
		if !ok {
			return n, &hexError{h.pos + 1}
		}
		p[n] = hi<<4 | lo
		n++
		h.pos += 2
		if h.r.Buffered() == 0 {
			break // return what we have rather than block for more input
		}
	}
	return n, nil
}
