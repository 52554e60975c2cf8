package main

import (
	"bufio"
	"errors"
	"io"
	"math/big"
	"os"
	"strconv"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/pack"
	"github.com/pystruct/pystruct/pyrepr"
)

const dumpHelp = `Print an annotated hexdump of the records of FILE or stdin: for every item
of every record, its offset in the input, its bytes in hex and its value as
Python's repr prints it, the value struct.unpack_from(FMT, data, offset)
gives for it.

  --offset N   start at byte N (skip a header): the records are at N,
               N+size, N+2*size, ... where size is struct.calcsize(FMT)
  --count N    dump at most N records

Each record starts with a line "record I at offset K" (I counts from 0 at
N); then comes a line
per value: the offset (decimal), up to 8 bytes in hex (a longer item
goes on over more lines), the item's code (with its count for s, p and x)
and the value. Pad bytes are shown as pad: x items with their count,
and the padding native alignment inserts ('@' or no prefix) as "align".
The second example reads records written in '<' mode as native ones: the
I is misread after a pad byte, the classic mistake 'pystruct layout'
shows.

dump streams: it reads one record at a time, so memory use does not grow
with the input, and it stops reading after --count records. A trailing
partial record is shown as "partial" with its bytes, after the whole
records, and dump then fails with the error unpack_from gives for it;
N past the end of the input fails the same way. N and the count must be 0
or more, and FMT must not describe records of size 0.

Output is in colour when stdout is a terminal and the environment variable
NO_COLOR is unset or empty; never into a pipe or a file.

Example:
  $ pystruct pack '<h5sI' 1 zhang 7 > rec; pystruct pack '<h5sI' -2 li 8 >> rec
  $ pystruct dump '<h5sI' rec
  record 0 at offset 0
         0  01 00                    h   1
         2  7a 68 61 6e 67           5s  b'zhang'
         7  07 00 00 00              I   7
  record 1 at offset 11
        11  fe ff                    h   -2
        13  6c 69 00 00 00           5s  b'li\x00\x00\x00'
        18  08 00 00 00              I   8
  $ pystruct dump --count 1 'h5sI' rec
  record 0 at offset 0
         0  01 00                    h      1
         2  7a 68 61 6e 67           5s     b'zhang'
         7  07                       align  pad
         8  00 00 00 fe              I      4261412864
  $ pystruct dump --offset 11 'hx5s' rec
  record 0 at offset 11
        11  fe ff                    h   -2
        13  6c                       x   pad
        14  69 00 00 00 08           5s  b'i\x00\x00\x00\x08'
  record 1 at offset 19: partial, 3 of 8 bytes
        19  00 00 00
  pystruct: unpack_from "hx5s": unpack_from requires a buffer of at least 27 bytes for unpacking 8 bytes at offset 19 (actual buffer size is 22)
`

// Terminal escapes for dump's colours.
const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrFaint  = "\x1b[2m"
	sgrRed    = "\x1b[31m"
	sgrYellow = "\x1b[33m"
	sgrCyan   = "\x1b[36m"
)

// isTerminal reports whether w, pystruct's stdout, is a terminal: an
// *os.File that isTerminalFile accepts. Tests replace it.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminalFile(f)
}

// wantColour reports whether output to stdout is to be coloured: stdout is
// a terminal and NO_COLOR is unset or empty (https://no-color.org).
func wantColour(stdout io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && isTerminal(stdout)
}

// dumpBytesPerLine is how many bytes a line of the dump shows.
const dumpBytesPerLine = 8

// runDump prints an annotated hexdump: pystruct dump [--offset N]
// [--count N] FMT [FILE].
func runDump(cmd *command, opts *options, args []string, stdin io.Reader, stdout *bufio.Writer) error {
	var off, count int64 = 0, -1
	if opts.hasOff {
		n, err := parseNonNegative(cmd, "--offset", opts.offset)
		if err != nil {
			return err
		}
		off = n
	}
	if opts.hasCount {
		n, err := parseCount(cmd, opts.count) // as iter's: a count past any input is no limit
		if err != nil {
			return err
		}
		count = int64(n)
	}
	s, err := compileRecords(args[0])
	if err != nil {
		return err
	}
	size := s.Size()
	in, done, err := openInput(args, stdin)
	if err != nil {
		return err
	}
	defer done()
	skipped, err := skip(in, in, off, false)
	if err != nil {
		return err
	}
	if skipped < off {
		return unpackFromError(s, off, skipped)
	}
	d, err := newDumper(stdout, s.Plan(), opts.colour)
	if err != nil {
		return err
	}
	r := bufio.NewReaderSize(in, ioBufSize)
	rec := make([]byte, 0, min(size, ioBufSize))
	pos := off
	for n := int64(0); count < 0 || n < count; n++ {
		rec, err = readWhole(r, rec, size)
		switch err {
		case nil:
		case io.EOF:
			return nil
		case io.ErrUnexpectedEOF:
			if err := d.partial(n, pos, rec, size); err != nil {
				return err
			}
			return unpackFromError(s, pos, pos+int64(len(rec)))
		default:
			return err
		}
		if err := d.record(n, pos, rec); err != nil {
			return err
		}
		pos += int64(size)
	}
	return nil
}

// parseNonNegative reads the value of dump's --offset: a Python int
// literal from 0 to the largest int64.
func parseNonNegative(cmd *command, name, text string) (int64, error) {
	v, err := parseValue(text)
	if err == nil {
		switch x := v.(type) {
		case int64:
			if x >= 0 {
				return x, nil
			}
			err = errors.New("must be 0 or more")
		case uint64, *big.Int:
			if x, ok := x.(*big.Int); ok && x.Sign() < 0 {
				err = errors.New("must be 0 or more")
			} else {
				err = errors.New("too large")
			}
		default:
			err = errors.New("not an integer")
		}
	}
	return 0, usagef(cmd, "%s %s: %v", name, quoteArg(text), err)
}

// readWhole is readRecord, but a record cut short by the end of the input
// keeps only the bytes that came.
func readWhole(r io.Reader, buf []byte, size int) ([]byte, error) {
	if cap(buf) < size {
		return readRecord(r, buf, size)
	}
	n, err := io.ReadFull(r, buf[:size])
	return buf[:n], err
}

// A dumper writes the lines of a dump.
type dumper struct {
	w      *bufio.Writer
	items  []item
	value  []*pack.Struct // for each item with values, a Struct of one of them
	width  int            // of the item column
	colour bool
}

// newDumper returns a dumper of the records of plan p. It unpacks each
// value by itself, with a Struct of the value's one code in p's mode, so
// that the values of a record are never all in memory at once: a value
// comes from its bytes alone, as in the whole record.
func newDumper(w *bufio.Writer, p *format.Plan, colour bool) (*dumper, error) {
	d := &dumper{w: w, items: items(p), colour: colour}
	d.value = make([]*pack.Struct, len(d.items))
	for i, it := range d.items {
		d.width = max(d.width, len(itemName(it.f)))
		if it.pad > 0 {
			d.width = max(d.width, len("align"))
		}
		if it.f.NumValues() == 0 {
			continue
		}
		one := p.Order().String() + it.f.Name()
		if it.f.Kind == format.String || it.f.Kind == format.Pascal {
			one = p.Order().String() + itemName(it.f)
		}
		s, err := pack.Compile(one)
		if err != nil {
			return nil, err
		}
		d.value[i] = s
	}
	return d, nil
}

// unpack returns the value of item i in data, its bytes.
func (d *dumper) unpack(i int, data []byte) (any, error) {
	vals, err := d.value[i].Unpack(data)
	if err != nil {
		return nil, err
	}
	return vals[0], nil
}

// record writes record n, at offset pos in the input, with its bytes
// and values.
func (d *dumper) record(n, pos int64, rec []byte) error {
	if err := d.header(n, pos, ""); err != nil {
		return err
	}
	for i, it := range d.items {
		f := it.f
		if it.pad > 0 {
			start := f.Offset - it.pad
			if err := d.line(pos+int64(start), rec[start:f.Offset], "align", nil, true); err != nil {
				return err
			}
		}
		switch f.Kind {
		case format.Pad:
			if f.Count > 0 {
				if err := d.line(pos+int64(f.Offset), rec[f.Offset:f.Offset+f.Count], itemName(f), nil, true); err != nil {
					return err
				}
			}
		case format.String, format.Pascal:
			data := rec[f.Offset : f.Offset+f.Count]
			v, err := d.unpack(i, data)
			if err != nil {
				return err
			}
			if err := d.line(pos+int64(f.Offset), data, itemName(f), v, false); err != nil {
				return err
			}
		default:
			for j := 0; j < f.Count; j++ {
				o := f.Offset + j*f.Size
				v, err := d.unpack(i, rec[o:o+f.Size])
				if err != nil {
					return err
				}
				if err := d.line(pos+int64(o), rec[o:o+f.Size], f.Name(), v, false); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// partial writes the bytes of a partial record n at offset pos.
func (d *dumper) partial(n, pos int64, rec []byte, size int) error {
	note := ": partial, " + strconv.Itoa(len(rec)) + " of " + strconv.Itoa(size) + " bytes"
	if err := d.header(n, pos, note); err != nil {
		return err
	}
	return d.line(pos, rec, "", nil, false)
}

// header writes the line that starts record n at offset pos, with note
// after it.
func (d *dumper) header(n, pos int64, note string) error {
	b := d.w.AvailableBuffer()
	if d.colour {
		b = append(b, sgrBold...)
		if note != "" {
			b = append(b, sgrRed...)
		}
	}
	b = append(b, "record "...)
	b = strconv.AppendInt(b, n, 10)
	b = append(b, " at offset "...)
	b = strconv.AppendInt(b, pos, 10)
	b = append(b, note...)
	if d.colour {
		b = append(b, sgrReset...)
	}
	_, err := d.w.Write(append(b, '\n'))
	return err
}

// line writes the lines of one item at offset pos: its bytes, its name
// and its value, or pad (for isPad) or nothing (for a nil value and
// !isPad). Bytes beyond the first dumpBytesPerLine go on further lines of
// their own.
func (d *dumper) line(pos int64, data []byte, name string, v any, isPad bool) error {
	first := true
	for first || len(data) > 0 {
		chunk := data[:min(len(data), dumpBytesPerLine)]
		data = data[len(chunk):]
		b := d.w.AvailableBuffer()
		b = d.start(b, sgrCyan)
		b = appendRight(b, strconv.FormatInt(pos, 10), 8)
		b = d.end(b)
		b = append(b, "  "...)
		if isPad {
			b = d.start(b, sgrFaint)
		}
		for i, c := range chunk {
			if i > 0 {
				b = append(b, ' ')
			}
			b = append(b, hexDigits[c>>4], hexDigits[c&15])
		}
		if isPad {
			b = d.end(b)
		}
		if first && (name != "" || v != nil || isPad) {
			for n := max(3*len(chunk)-1, 0); n < 3*dumpBytesPerLine-1; n++ {
				b = append(b, ' ')
			}
			b = append(b, "  "...)
			b = d.start(b, sgrYellow)
			b = appendLeft(b, name, d.width)
			b = d.end(b)
			b = append(b, "  "...)
			if isPad {
				b = d.start(b, sgrFaint)
				b = append(b, "pad"...)
				b = d.end(b)
			} else {
				b = pyrepr.AppendValue(b, v)
			}
		}
		if _, err := d.w.Write(append(b, '\n')); err != nil {
			return err
		}
		pos += int64(len(chunk))
		first = false
	}
	return nil
}

func (d *dumper) start(b []byte, sgr string) []byte {
	if d.colour {
		b = append(b, sgr...)
	}
	return b
}

func (d *dumper) end(b []byte) []byte {
	if d.colour {
		b = append(b, sgrReset...)
	}
	return b
}

const hexDigits = "0123456789abcdef"
