package pack

import (
	"errors"
	"io"
)

// errBadRead is the error for an io.Reader that returns a count outside
// 0..len(p).
var errBadRead = errors.New("pack: io.Reader returned an invalid count")

// firstChunk is the most a partial read allocates before any byte of a
// record or frame has arrived. A record or frame up to this size gets its
// whole buffer at once; a larger one starts with this much and doubles
// whenever the bytes read so far fill the buffer, so memory follows the
// bytes that arrive, not the size a peer announces.
const firstChunk = 4 << 10

// maxEmptyReads is how many Reads in a row may return no bytes and no
// error before a read gives up with io.ErrNoProgress, as bufio does.
const maxEmptyReads = 100

// A partial holds the bytes of one record or frame read so far, across
// calls: buf[:n] has been read, and len(buf) is the window the next Read
// may fill, never past the end of the record.
type partial struct {
	buf []byte
	n   int
}

// fill reads from r until the partial holds want bytes, growing its buffer
// as bytes arrive. It never reads more than want bytes. It returns nil once
// buf[:want] is whole, and otherwise the error that stopped it, keeping
// what it has read for the next call: io.ErrUnexpectedEOF if the stream
// ended with some bytes of the record read, io.EOF if it ended before any.
func (p *partial) fill(r io.Reader, want int) error {
	empty := 0
	for p.n < want {
		if p.n == len(p.buf) {
			p.grow(want)
		}
		m, err := r.Read(p.buf[p.n:])
		if m < 0 || m > len(p.buf)-p.n {
			return errBadRead
		}
		p.n += m
		if p.n == want {
			return nil // the record is whole, whatever the Read also said
		}
		if err != nil {
			if err == io.EOF && p.n > 0 {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		if m == 0 {
			if empty++; empty >= maxEmptyReads {
				return io.ErrNoProgress
			}
		} else {
			empty = 0
		}
	}
	return nil
}

// grow widens the window past p.n, to at most want bytes: within the
// buffer's capacity if it has room, else into a new buffer of twice the
// capacity (firstChunk at the least), holding the bytes read so far.
func (p *partial) grow(want int) {
	if cap(p.buf) > p.n {
		p.buf = p.buf[:min(cap(p.buf), want)]
		return
	}
	size := min(max(2*cap(p.buf), firstChunk), want)
	b := make([]byte, size)
	copy(b, p.buf[:p.n])
	p.buf = b
}

// take returns the whole record of want bytes and resets the partial for
// the next, keeping the buffer.
func (p *partial) take(want int) []byte {
	b := p.buf[:want:want]
	p.buf = p.buf[:0]
	p.n = 0
	return b
}
