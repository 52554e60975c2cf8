package pack

import (
	"errors"
	"io"
	"strconv"

	"github.com/pystruct/pystruct/format"
)

// ErrFrame is the category of the errors of length-prefixed frames that
// are not about a value: a prefix format that is not one integer code, a
// negative limit, and a length prefix a [FrameReader] refuses (a
// [*FrameError], which matches [ErrRange] too).
var ErrFrame = errors.New("bad frame")

// The errors of a FrameReader or FrameWriter with no stream.
var (
	errNoFrameReader = errors.New("pack: FrameReader has no io.Reader: make it with NewFrameReader(r, prefix, limit)")
	errNoFrameWriter = errors.New("pack: FrameWriter has no io.Writer: make it with NewFrameWriter(w, prefix)")
)

// A FrameError reports a length prefix that a [FrameReader] refuses: a
// payload longer than the reader's limit, a negative length under a signed
// prefix code, or, with [LengthIncludesPrefix], a length shorter than the
// prefix itself. Its message names the length and the limit. It matches
// both [ErrFrame] and [ErrRange] with errors.Is.
//
// Such a prefix leaves the stream out of step: nothing was read past the
// prefix, nothing was allocated for the payload, and the FrameReader
// returns the same error from every later call.
type FrameError struct {
	Prefix string // the prefix format, such as "!I"
	// Length is the length the prefix holds, as a magnitude: for a
	// negative length (signed codes only) Negative is set and the length
	// is -Length.
	Length   uint64
	Negative bool
	Limit    int    // the reader's limit on payloads, in bytes
	Msg      string // what is wrong, naming the length and the limit
}

func (e *FrameError) Error() string {
	return "frame " + strconv.Quote(e.Prefix) + ": " + e.Msg
}

// Unwrap returns [ErrFrame] and [ErrRange], the error's categories.
func (e *FrameError) Unwrap() []error { return []error{ErrFrame, ErrRange} }

// A FrameOption changes how a [FrameReader] or [FrameWriter] reads or
// writes length prefixes. Give the same options to both ends of a stream.
type FrameOption func(*frameConfig)

type frameConfig struct {
	includesPrefix bool
}

// LengthIncludesPrefix makes the length in each prefix count the prefix's
// own bytes as well as the payload's, as in protocols whose length field
// gives the size of the whole message: under "!I" a 10-byte payload has
// the prefix 14. A FrameReader refuses a length smaller than the prefix,
// and its limit still bounds the payload alone.
func LengthIncludesPrefix() FrameOption {
	return func(c *frameConfig) { c.includesPrefix = true }
}

// framePrefix is a compiled prefix format: one integer code.
type framePrefix struct {
	s       *Struct
	c       *coder
	size    int
	signed  bool
	include bool
}

// newFramePrefix checks and compiles a prefix format.
func newFramePrefix(prefix string, opts []FrameOption) (framePrefix, error) {
	p, err := format.Parse(prefix)
	if err != nil {
		return framePrefix{}, err
	}
	if p.NumFields() != 1 || p.Field(0).Count != 1 ||
		(p.Field(0).Kind != format.Signed && p.Field(0).Kind != format.Unsigned) {
		return framePrefix{}, &Error{"frame", prefix, -1, ErrFrame,
			"a frame prefix must be exactly one integer code with its byte order, such as '!I' or '<H'"}
	}
	var cfg frameConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := New(p)
	return framePrefix{
		s:       s,
		c:       s.coderOf(0),
		size:    p.Size(),
		signed:  p.Field(0).Kind == format.Signed,
		include: cfg.includesPrefix,
	}, nil
}

// A FrameReader reads length-prefixed frames from a stream: each frame is
// an integer in the prefix format, giving the payload's length, and then
// the payload, which is what Python's
// sock.sendall(struct.pack('!I', len(p)) + p) sends.
//
// ReadFrame reads the prefix and then exactly the payload, looping over
// short reads, and never reads ahead: after any frame the reader can be
// handed on to other code. To read many small frames with fewer system
// calls, give NewFrameReader a *bufio.Reader.
//
// At the end of the stream, ReadFrame returns io.EOF if the stream ended
// between frames and io.ErrUnexpectedEOF if it ended inside one (in its
// prefix or its payload). It never returns part of a payload. If Read
// fails inside a frame with another error, such as a read deadline passing
// on a net.Conn, ReadFrame returns that error as it is and keeps the bytes
// read so far: the next call goes on with the same frame.
//
// A prefix announcing a payload longer than the limit, a negative length
// or (with [LengthIncludesPrefix]) a length shorter than the prefix is a
// [*FrameError]; the stream is then out of step, and every later call
// returns the same error. The payload's buffer grows as its bytes arrive,
// not at the prefix's word: a peer that announces a gigabyte and sends
// three bytes costs a small buffer (4 KiB at most), not a gigabyte.
//
// A FrameReader keeps one payload buffer and reuses it. It is not safe for
// concurrent use. The zero FrameReader, a nil *FrameReader and one made
// with a nil io.Reader return an error from every call, saying to use
// NewFrameReader.
type FrameReader struct {
	r      io.Reader
	p      framePrefix
	limit  int
	pre    partial // the prefix being read
	body   partial // the payload being read
	length int     // the payload's length, or -1 while the prefix is read
	err    error   // the *FrameError that put the stream out of step
}

// NewFrameReader returns a FrameReader that reads frames from r. prefix is
// the format of the length prefix: exactly one integer code with its byte
// order, such as "!I", "<H", ">Q", "<B" or "@i" (any of b B h H i I l L q
// Q, and n N P in native mode); anything else is an error matching
// [ErrFrame], and a format string that does not parse is a
// *format.SyntaxError. limit is the largest payload, in bytes, the reader
// accepts; a negative limit is an error matching ErrFrame.
func NewFrameReader(r io.Reader, prefix string, limit int, opts ...FrameOption) (*FrameReader, error) {
	p, err := newFramePrefix(prefix, opts)
	if err != nil {
		return nil, err
	}
	if limit < 0 {
		return nil, &Error{"frame", prefix, -1, ErrFrame, "negative frame limit " + itoa(limit)}
	}
	return &FrameReader{r: r, p: p, limit: limit, length: -1, pre: partial{buf: make([]byte, 0, p.size)}}, nil
}

// ReadFrame reads the next frame and returns its payload. The payload is
// valid until the next call of ReadFrame, which reuses its memory; copy it
// to keep it. An empty payload is an empty, non-nil slice.
func (fr *FrameReader) ReadFrame() ([]byte, error) {
	if fr == nil || fr.r == nil {
		return nil, errNoFrameReader
	}
	if fr.err != nil {
		return nil, fr.err
	}
	if fr.length < 0 {
		if err := fr.pre.fill(fr.r, fr.p.size); err != nil {
			return nil, err
		}
		n, err := fr.payloadLen(fr.pre.take(fr.p.size))
		if err != nil {
			fr.err = err
			return nil, err
		}
		fr.length = n
	}
	if err := fr.body.fill(fr.r, fr.length); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // the prefix was read
		}
		return nil, err
	}
	n := fr.length
	fr.length = -1
	if n == 0 {
		return []byte{}, nil
	}
	return fr.body.take(n), nil
}

// payloadLen decodes a prefix and checks it against the limit.
func (fr *FrameReader) payloadLen(b []byte) (int, error) {
	p := &fr.p
	u := p.c.get(b)
	if p.signed {
		shift := 64 - 8*uint(p.size)
		if v := int64(u<<shift) >> shift; v < 0 {
			return 0, fr.frameError(uint64(-v), true, "length "+strconv.FormatInt(v, 10)+
				" is negative (limit "+itoa(fr.limit)+" bytes)")
		}
	}
	n := u
	if p.include {
		if u < uint64(p.size) {
			return 0, fr.frameError(u, false, "length "+strconv.FormatUint(u, 10)+
				" is shorter than its own "+itoa(p.size)+"-byte prefix (limit "+itoa(fr.limit)+" bytes)")
		}
		n -= uint64(p.size)
	}
	if n > uint64(fr.limit) {
		msg := "length " + strconv.FormatUint(u, 10)
		if p.include {
			msg += " (a payload of " + strconv.FormatUint(n, 10) + " bytes)"
		}
		return 0, fr.frameError(u, false, msg+" exceeds the limit of "+itoa(fr.limit)+" bytes")
	}
	return int(n), nil
}

func (fr *FrameReader) frameError(length uint64, negative bool, msg string) error {
	return &FrameError{Prefix: fr.p.s.Format(), Length: length, Negative: negative, Limit: fr.limit, Msg: msg}
}

// A FrameWriter writes length-prefixed frames to a stream, as a
// [FrameReader] or Python's sock.sendall(struct.pack('!I', len(p)) + p)
// reads them.
//
// A FrameWriter does not buffer. Each successful WriteFrame makes exactly
// one Write, of the prefix and the payload together, so on a socket a
// frame leaves whole as soon as it is written and there is nothing to
// flush. A payload too long for the prefix writes nothing and leaves the
// stream usable. A Write that fails having written nothing leaves the
// stream intact, and a later call may try again; a Write that fails after
// writing part of a frame tears the stream, and the FrameWriter returns
// that error from the call and from every later one.
//
// A FrameWriter keeps one buffer for the frame and reuses it. It is not
// safe for concurrent use. The zero FrameWriter, a nil *FrameWriter and
// one made with a nil io.Writer return an error from every call, saying to
// use NewFrameWriter.
type FrameWriter struct {
	w   io.Writer
	p   framePrefix
	buf []byte
	err error // the error that tore the stream
}

// NewFrameWriter returns a FrameWriter that writes frames to w, with
// prefixes in the format prefix, as for [NewFrameReader].
func NewFrameWriter(w io.Writer, prefix string, opts ...FrameOption) (*FrameWriter, error) {
	p, err := newFramePrefix(prefix, opts)
	if err != nil {
		return nil, err
	}
	return &FrameWriter{w: w, p: p}, nil
}

// WriteFrame writes one frame: the prefix holding payload's length, then
// payload, in one Write. A payload whose length the prefix cannot hold
// (70000 bytes under "!H") is an error matching [ErrRange] with CPython's
// message for packing that length ("'H' format requires 0 <= number <=
// 65535"), and nothing is written. Once the prefix's format is checked,
// WriteFrame allocates nothing but the growth of its buffer.
func (fw *FrameWriter) WriteFrame(payload []byte) error {
	if fw == nil || fw.w == nil {
		return errNoFrameWriter
	}
	if fw.err != nil {
		return fw.err
	}
	p := &fw.p
	n := uint64(len(payload))
	if p.include {
		n += uint64(p.size)
	}
	if n > p.c.max {
		if _, err := p.s.Append(nil, n); err != nil {
			return err
		}
		return &Error{"pack", p.s.Format(), 0, ErrRange, "frame length " + strconv.FormatUint(n, 10) + " out of range"}
	}
	total := p.size + len(payload)
	if cap(fw.buf) < total {
		fw.buf = make([]byte, total)
	}
	b := fw.buf[:total]
	clear(b[:p.size])
	p.c.put(b, n)
	copy(b[p.size:], payload)
	m, err := fw.w.Write(b)
	if err == nil && m < total {
		err = io.ErrShortWrite
	}
	if err != nil && m > 0 && m < total {
		fw.err = err
	}
	return err
}
