package main

import (
	"bufio"
	"io"
	"io/fs"
	"strconv"

	"github.com/pystruct/pystruct/pack"
	"github.com/pystruct/pystruct/pyrepr"
)

// ioBufSize is the size of iter's input and output buffers.
const ioBufSize = 64 << 10

// runIter prints the records of the input one a line, as
// `for t in struct.iter_unpack(FMT, data): print(t)` does, reading one
// record at a time: memory use does not depend on the size of the input.
//
// iter_unpack checks the length of its buffer before it yields anything.
// For a regular file (named, or redirected to stdin) pystruct does the same:
// it checks the file's size first (for --hex, it reads the text once to
// count the bytes) and prints nothing if the input is not a whole number of
// records. For a pipe the length is known only at its end, so pystruct
// prints the whole records it read and then fails with the same error.
func runIter(_ *command, opts *options, args []string, stdin io.Reader, stdout *bufio.Writer) error {
	s, err := pack.Compile(args[0])
	if err != nil {
		return err
	}
	size := s.Size()
	if size == 0 {
		_, err := s.IterUnpack(nil) // CPython's error for a record of length 0
		return err
	}
	in, done, err := openInput(args, stdin)
	if err != nil {
		return err
	}
	defer done()
	if err := checkLength(s, in, opts.hex); err != nil {
		return err
	}
	var r io.Reader = bufio.NewReaderSize(in, ioBufSize)
	if opts.hex {
		r = newHexReader(r)
	}
	appendRecord := pyrepr.AppendTuple
	if opts.json {
		appendRecord = appendJSON
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
		line := appendRecord(stdout.AvailableBuffer(), vals)
		if _, err := stdout.Write(append(line, '\n')); err != nil {
			return err
		}
	}
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
// if in is a regular file that does not hold a whole number of records.
// For any other input it does nothing. In hex mode it reads the text to
// count the bytes, and then puts the file back where it was.
func checkLength(s *pack.Struct, in io.Reader, hexIn bool) error {
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
