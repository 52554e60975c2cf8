package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"math"
	"math/big"
	"strconv"

	"github.com/pystruct/pystruct/pack"
)

// ioBufSize is the size of iter's input and output buffers.
const ioBufSize = 64 << 10

// runIter prints the records of the input one a line, as
// `for t in struct.iter_unpack(FMT, data): print(t)` does, reading one
// record at a time: memory use does not depend on the size of the input.
// With --offset N and --count C the records are those of
// data[N:][:C*size]: N bytes are skipped first (a negative N keeps the
// last -N bytes of the input), and reading stops after C records.
//
// iter_unpack checks the length of its buffer before it yields anything.
// For a regular file (named, or redirected to stdin) pystruct does the same:
// it checks the file's size first (for --hex, it reads the text once to
// count the bytes) and prints nothing if the input is not a whole number of
// records. For a pipe the length is known only at its end, so pystruct
// prints the whole records it read and then fails with the same error.
func runIter(cmd *command, opts *options, args []string, stdin io.Reader, stdout *bufio.Writer) error {
	off, count := 0, -1
	var err error
	if opts.hasOff {
		if off, err = parseOffset(cmd, opts.offset); err != nil {
			return err
		}
	}
	if opts.hasCount {
		if count, err = parseCount(cmd, opts.count); err != nil {
			return err
		}
	}
	s, err := compileRecords(args[0])
	if err != nil {
		return err
	}
	size := s.Size()
	w, err := newRecordWriter(cmd, opts, s.NumValues())
	if err != nil {
		return err
	}
	// limit is how many bytes of records to read at most, -1 for all.
	limit := int64(-1)
	if count >= 0 && int64(count) <= math.MaxInt64/int64(size) {
		limit = int64(count) * int64(size)
	}
	in, done, err := openInput(args, stdin)
	if err != nil {
		return err
	}
	defer done()
	var r io.Reader
	if off < 0 {
		// The last -off bytes: all of them are read before anything is
		// printed, so the length is checked first, as Python does.
		r = in
		if opts.hex {
			r = newHexReader(in)
		}
		tail, err := readTail(r, tailLen(off))
		if err != nil {
			return err
		}
		if limit >= 0 && int64(len(tail)) > limit {
			tail = tail[:limit]
		}
		if len(tail)%size != 0 {
			return lengthError(s)
		}
		r = bytes.NewReader(tail)
	} else {
		if err := checkLength(s, in, opts.hex, int64(off), limit); err != nil {
			return err
		}
		r = bufio.NewReaderSize(in, ioBufSize)
		if opts.hex {
			r = newHexReader(r)
		}
		if _, err := skip(in, r, int64(off), opts.hex); err != nil {
			return err
		}
	}
	if limit >= 0 {
		r = io.LimitReader(r, limit)
	}
	if _, err := stdout.Write(w.header(stdout.AvailableBuffer())); err != nil {
		return err
	}
	rec := make([]byte, 0, min(size, ioBufSize))
	for {
		rec, err = readRecord(r, rec, size)
		switch err {
		case nil:
		case io.EOF:
			return nil
		case io.ErrUnexpectedEOF:
			return lengthError(s)
		default:
			return err
		}
		vals, err := s.Unpack(rec)
		if err != nil {
			return err
		}
		if _, err := stdout.Write(w.record(stdout.AvailableBuffer(), vals)); err != nil {
			return err
		}
	}
}

// skip passes over the first n bytes of r, the reader over in, and
// returns how many there were: by seeking if in is a regular file read as
// bytes, by reading otherwise. Input that ends sooner is not an error.
func skip(in, r io.Reader, n int64, hexIn bool) (int64, error) {
	if n == 0 {
		return 0, nil
	}
	if f, ok := in.(interface {
		Stat() (fs.FileInfo, error)
		io.Seeker
	}); ok && !hexIn {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			if cur, err := f.Seek(0, io.SeekCurrent); err == nil {
				n = min(n, max(fi.Size()-cur, 0))
				if _, err := f.Seek(n, io.SeekCurrent); err == nil {
					return n, nil
				}
			}
		}
	}
	k, err := io.CopyN(io.Discard, r, n)
	if err == io.EOF {
		err = nil
	}
	return k, err
}

// parseCount reads the value of --count: a Python int literal, 0 or more.
// A count beyond what any input holds is as good as no count.
func parseCount(cmd *command, text string) (int, error) {
	v, err := parseValue(text)
	if err == nil {
		switch x := v.(type) {
		case int64:
			if x >= 0 {
				return int(min(x, math.MaxInt)), nil
			}
			err = errors.New("a count is 0 or more")
		case uint64:
			return math.MaxInt, nil
		case *big.Int:
			if x.Sign() >= 0 {
				return math.MaxInt, nil
			}
			err = errors.New("a count is 0 or more")
		default:
			err = errors.New("not an integer")
		}
	}
	return 0, usagef(cmd, "--count %s: %v", quoteArg(text), err)
}

// readRecord reads a record of size bytes into buf's memory, growing buf
// only as data arrives: a format with huge records costs no more memory
// than the input holds. It returns io.EOF if the input ended before the
// record began and io.ErrUnexpectedEOF if it ended inside it.
func readRecord(r io.Reader, buf []byte, size int) ([]byte, error) {
	if cap(buf) >= size {
		_, err := io.ReadFull(r, buf[:size])
		return buf[:size], err
	}
	buf = buf[:0]
	for len(buf) < size {
		if len(buf) > maxInput {
			return buf, tooLarge("a record of " + strconv.Itoa(size) + " bytes")
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), size)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			if len(buf) == 0 {
				return buf, io.EOF
			}
			return buf, io.ErrUnexpectedEOF
		} else if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// checkLength fails with iter_unpack's error, before anything is printed,
// if in is a regular file whose records, data[off:][:limit] (limit -1 for
// no limit), are not a whole number of records. For any other input it
// does nothing. In hex mode it reads the text to count the bytes (so a bad
// hex digit anywhere is found first, as fromhex finds it), and then puts
// the file back where it was.
func checkLength(s *pack.Struct, in io.Reader, hexIn bool, off, limit int64) error {
	f, ok := in.(interface {
		Stat() (fs.FileInfo, error)
		io.Seeker
	})
	if !ok {
		return nil
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	start, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil
	}
	n := fi.Size() - start
	if hexIn {
		if n, err = io.Copy(io.Discard, newHexReader(in)); err != nil {
			return err
		}
		if _, err := f.Seek(start, io.SeekStart); err != nil {
			return err
		}
	}
	n = max(n-off, 0)
	if limit >= 0 {
		n = min(n, limit)
	}
	if n%int64(s.Size()) != 0 {
		return lengthError(s)
	}
	return nil
}

// lengthError is the error iter_unpack gives for a buffer that is not a
// whole number of records. Struct.IterUnpack makes it for a buffer in
// memory; a stream's length is known only at its end, so iter builds the
// same error here (a test checks that the two agree).
func lengthError(s *pack.Struct) error {
	return &pack.Error{Op: "iter_unpack", Format: s.Format(), Item: -1, Err: pack.ErrBuffer,
		Msg: "iterative unpacking requires a buffer of a multiple of " + strconv.Itoa(s.Size()) + " bytes"}
}

// compileRecords compiles the format of a command that reads records one
// after another (iter, dump): a format of size 0 is CPython's
// iter_unpack error.
func compileRecords(fs string) (*pack.Struct, error) {
	s, err := pack.Compile(fs)
	if err != nil {
		return nil, err
	}
	if s.Size() == 0 {
		_, err := s.IterUnpack(nil)
		return nil, err
	}
	return s, nil
}
