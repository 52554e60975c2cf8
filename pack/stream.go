package pack

import (
	"errors"
	"io"
	"iter"
)

// The errors of an Encoder or Decoder with no stream: the zero value, a
// nil pointer, or one made with a nil io.Writer or io.Reader.
var (
	errNoWriter = errors.New("pack: Encoder has no io.Writer: make it with NewEncoder(w, s)")
	errNoReader = errors.New("pack: Decoder has no io.Reader: make it with NewDecoder(r, s)")
)

// An Encoder writes records of one format to a stream: a socket, a pipe, a
// file. Each call packs one record and writes it whole.
//
// An Encoder does not buffer. A call that succeeds has made exactly one
// Write, of exactly [Struct.Size] bytes (or of all the records of a slice
// given to Encode), so on a socket each record leaves as soon as it is
// packed and there is nothing to flush. A call with no bytes to write (a
// format of size zero, or an empty slice) makes no Write. To gather many small records into
// fewer writes, to a file say, give NewEncoder a *bufio.Writer and Flush
// that.
//
// A value that fails to pack writes nothing, and the stream stays usable.
// A Write that fails having written nothing (a write deadline that has
// passed, say) leaves the stream intact too, and a later call may try
// again. A Write that fails after writing part of a record tears the
// stream, since the reader now holds part of a record: the Encoder returns
// that error from the call and from every later one. Encode reports a
// failed Write as an [*EncodeError] that counts the whole records written,
// so the outcome of a slice that fails midway is known.
//
// An Encoder is not safe for concurrent use. Many Encoders may share one
// Struct.
//
// An Encoder needs a writer: the zero Encoder, a nil *Encoder and one made
// with a nil io.Writer return an error from every call, saying to use
// NewEncoder.
type Encoder struct {
	w   io.Writer
	s   *Struct
	buf []byte // the record being written, reused from call to call
	err error  // the error that tore the stream
}

// NewEncoder returns an Encoder that writes records of s to w. A nil s
// is the empty format, as for the zero [Struct].
func NewEncoder(w io.Writer, s *Struct) *Encoder {
	return &Encoder{w: w, s: s.orEmpty()}
}

// Pack packs values into one record, as [Struct.Pack] does, and writes it.
// It allocates nothing beyond what boxing the values cost the caller.
func (e *Encoder) Pack(values ...any) error {
	if e == nil || e.w == nil {
		return errNoWriter
	}
	if e.err != nil {
		return e.err
	}
	b, err := e.s.Append(e.buf[:0], values...)
	if err != nil {
		return err
	}
	e.buf = b
	return e.write(b)
}

// Encode packs the exported fields of v into one record, as
// [Struct.MarshalAppend] does, and writes it. v is a struct or a pointer
// to one, or, for a format of one value, a scalar or a pointer to one (a
// uint32 for "!I"; see [Struct.Decode]); if it is a slice of structs,
// Encode writes its records, one after the other, in one Write. Once v's type is bound to the format,
// Encode with a pointer allocates nothing.
func (e *Encoder) Encode(v any) error {
	if e == nil || e.w == nil {
		return errNoWriter
	}
	if e.err != nil {
		return e.err
	}
	b, err := e.s.MarshalAppend(e.buf[:0], v)
	if err != nil {
		return err
	}
	e.buf = b
	if len(b) == 0 {
		return nil // no records, or records of no bytes: nothing to write
	}
	n, err := e.w.Write(b)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	if err != nil {
		size := e.s.Size()
		if n > 0 && n < len(b) && n%size != 0 {
			e.err = err
		}
		return &EncodeError{Written: max(0, min(n, len(b))) / size, Torn: e.err != nil, Err: err}
	}
	return nil
}

// An EncodeError is the error of an [Encoder.Encode] whose Write failed.
// It says how much of the call's records reached the stream, so that a
// caller can resume after them instead of writing them twice: Written
// whole records left, and Torn says that part of the record after them
// did too, which tears the stream (the Encoder then returns Err from every
// later call). With Torn false, the records from index Written on may be
// given to Encode again. errors.Is and errors.As see Err through it.
type EncodeError struct {
	Written int   // the whole records written
	Torn    bool  // part of record Written was written too
	Err     error // the error from Write, or io.ErrShortWrite
}

func (e *EncodeError) Error() string {
	s := "pack: Encode wrote " + itoa(e.Written) + " whole record"
	if e.Written != 1 {
		s += "s"
	}
	if e.Torn {
		s += " and part of the next"
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the error from Write.
func (e *EncodeError) Unwrap() error { return e.Err }

// write writes packed records.
func (e *Encoder) write(recs []byte) error {
	if len(recs) == 0 {
		return nil
	}
	n, err := e.w.Write(recs)
	if err == nil && n < len(recs) {
		err = io.ErrShortWrite
	}
	if err != nil && n > 0 && n < len(recs) && n%e.s.Size() != 0 {
		e.err = err
	}
	return err
}

// A Decoder reads records of one format from a stream: a socket, a pipe, a
// file. Each call reads one whole record.
//
// A Decoder reads exactly [Struct.Size] bytes per record, looping over
// short reads, and never reads ahead: after any record the reader can be
// handed on to other code. It makes at least one Read per record; to read
// many small records with fewer system calls, give NewDecoder a
// *bufio.Reader. The Decoder keeps one record buffer and reuses it. The
// buffer grows as the record's bytes arrive, not at the format's word: a
// Decoder of a record of a gigabyte whose stream holds three bytes has
// allocated a few kilobytes, not a gigabyte.
//
// At the end of the stream, a call returns io.EOF if the stream ended
// between records and io.ErrUnexpectedEOF if it ended inside one. A call
// never returns part of a record. If Read fails inside a record with
// another error, such as a read deadline passing on a net.Conn, the call
// returns that error as it is and the Decoder keeps the bytes read so far:
// the next call goes on with the same record, so a caller that chooses to
// wait longer loses nothing. Records never get out of step with the
// stream: a record that reads whole but fails to decode is consumed, and
// the next call reads the record after it.
//
// A format of size zero has no records to read: every call returns an
// error matching [ErrBuffer], with CPython's message for iter_unpack of
// such a format.
//
// A Decoder is not safe for concurrent use. Many Decoders may share one
// Struct.
//
// A Decoder needs a reader: the zero Decoder, a nil *Decoder and one made
// with a nil io.Reader return an error from every call (All and DecodeAll
// yield it once), saying to use NewDecoder.
type Decoder struct {
	r   io.Reader
	s   *Struct
	rec partial // the record being read, its buffer grown as bytes arrive
	buf []byte  // the last whole record
}

// NewDecoder returns a Decoder that reads records of s from r. A nil s is
// the empty format, as for the zero [Struct], whose records of no bytes a
// Decoder cannot read.
func NewDecoder(r io.Reader, s *Struct) *Decoder {
	return &Decoder{r: r, s: s.orEmpty()}
}

// read reads the next record whole into d.buf.
func (d *Decoder) read() error {
	if d == nil || d.r == nil {
		return errNoReader
	}
	size := d.s.Size()
	if d.rec.n == 0 {
		if size == 0 {
			return d.s.bufferError("iter_unpack", "cannot iteratively unpack with a struct of length 0")
		}
		if size > MaxAlloc {
			return d.s.bufferError("unpack", "cannot allocate a record of "+itoa(size)+" bytes (limit "+itoa(MaxAlloc)+")")
		}
	}
	if err := d.rec.fill(d.r, size); err != nil {
		return err
	}
	d.buf = d.rec.take(size)
	return nil
}

// Unpack reads one record and unpacks it, as [Struct.Unpack] does. Byte
// strings in the values are copies that do not alias the Decoder's
// buffer.
func (d *Decoder) Unpack() ([]any, error) {
	if err := d.read(); err != nil {
		return nil, err
	}
	return d.s.unpack(d.buf), nil
}

// Decode reads one record and unpacks it into the exported fields of the
// struct v points to, or, for a format of one value, into the scalar v
// points to (a *uint32 for "!I"; see [Struct.Decode]), as
// [Struct.Unmarshal] does. If v cannot take the
// record (an unpacked value too large for its field, say, or a v of the
// wrong type), Decode returns Unmarshal's error, and the record is
// consumed all the same. string and
// []byte fields receive copies that do not alias the Decoder's buffer.
// Once v's type is bound to the format, Decode into a struct without
// string or []byte fields allocates nothing.
func (d *Decoder) Decode(v any) error {
	if err := d.read(); err != nil {
		return err
	}
	return d.s.Unmarshal(d.buf, v)
}

// All returns an iterator over the remaining records of the stream, each
// unpacked as by [Decoder.Unpack] into a new slice. It stops at a clean end
// of the stream without yielding io.EOF; any other error is yielded once,
// with nil values, and ends the iteration. The iterator reads from the
// Decoder, so ranging over it again, or calling Unpack after a break, goes
// on from where the last range stopped.
func (d *Decoder) All() iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		for {
			vals, err := d.Unpack()
			if err == io.EOF {
				return
			}
			if !yield(vals, err) || err != nil {
				return
			}
		}
	}
}

// DecodeAll returns an iterator over the remaining records of d's stream,
// each decoded as by [Decoder.Decode] into a new value of type T: a
// struct, or a scalar for a format of one value. Like [Decoder.All], it stops at a clean end of the stream without
// yielding io.EOF, and yields any other error once, with T's zero value,
// to end the iteration; ranging again goes on from where the last range
// stopped. Each T is decoded into zeroed memory, so values yielded before
// never share the backing arrays of later ones. Once T is bound to the
// format, the iteration allocates nothing per record for a T without
// string or []byte fields.
func DecodeAll[T any](d *Decoder) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		v := new(T)
		for {
			var zero T
			*v = zero
			err := d.Decode(v)
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(zero, err)
				return
			}
			if !yield(*v, nil) {
				return
			}
		}
	}
}
