package main

import (
	"bufio"
	"io"
	"strconv"

	"github.com/pystruct/pystruct/format"
)

const layoutHelp = `Print where each item of FMT lies in a record: one line per item with its
offset, its size in bytes, its code with its count, and the pad bytes that
native alignment inserts before it; then the total size, struct.calcsize(FMT).

  --json   print one JSON object per item, one a line, instead

Native mode ('@' or no prefix) uses this machine's C sizes and aligns each
item to its C type: the pad column shows the bytes it skips, marked
"<- alignment", and the last line says the mode is native and counts
them. A format without a prefix is native: '<4sl' is 8 bytes, '4sl' is 16
on 64-bit Unix, its l at offset 8 after 4 pad bytes.

Items are shown as written, with their counts: "3h" is one item of size 6
(three values), "5s" one of size 5 (one value), "3x" one of size 3 (pad
bytes, no value). A count of zero is an item of size 0 that is still aligned
in native mode, so a trailing "0l" shows the padding it adds. Whitespace
is not an item.

JSON output: each line is an object with the keys
  offset  the offset of the item's first byte in the record, after the
          alignment padding before it
  size    the bytes the item occupies: count times the code's size, and
          for s, p and x the count itself
  code    the format code as written: one character, or "Zf" or "Zd"
  count   the repeat count as written, 1 when omitted (0 for "0l"); for s
          and p the length of the string, for x the number of pad bytes
  pad     the alignment pad bytes just before the item (always 0 outside
          native mode); pad bytes written as x are an item of their own
The total size is the offset plus the size of the last item (0 for a
format without items, which prints no line).

Example:
  $ pystruct layout '<h5sI'
  offset  size  item  pad
       0     2  h       0
       2     5  5s      0
       7     4  I       0
  total 11 bytes
  $ pystruct layout 'h5sI'
  offset  size  item  pad
       0     2  h       0
       2     5  5s      0
       8     4  I       1  <- alignment
  total 12 bytes; native sizes and alignment ('@' or no prefix): 1 pad byte
  $ pystruct layout 'ih0i'
  offset  size  item  pad
       0     4  i       0
       4     2  h       0
       8     0  0i      2  <- alignment
  total 8 bytes; native sizes and alignment ('@' or no prefix): 2 pad bytes
  $ pystruct layout --json 'cI'
  {"offset": 0, "size": 1, "code": "c", "count": 1, "pad": 0}
  {"offset": 4, "size": 4, "code": "I", "count": 1, "pad": 3}
`

// An item is one line of a layout: a field of the plan and the alignment
// padding before it.
type item struct {
	f   format.Field
	pad int
}

// items returns the fields of p with the padding before each.
func items(p *format.Plan) []item {
	out := make([]item, p.NumFields())
	end := 0
	for i := range out {
		f := p.Field(i)
		out[i] = item{f, f.Offset - end}
		end = f.Offset + f.Len()
	}
	return out
}

// runLayout prints the layout of a format: pystruct layout [--json] FMT.
func runLayout(_ *command, opts *options, args []string, _ io.Reader, stdout *bufio.Writer) error {
	p, err := format.Parse(args[0])
	if err != nil {
		return err
	}
	its := items(p)
	if opts.json {
		for _, it := range its {
			b := stdout.AvailableBuffer()
			b = append(b, `{"offset": `...)
			b = strconv.AppendInt(b, int64(it.f.Offset), 10)
			b = append(b, `, "size": `...)
			b = strconv.AppendInt(b, int64(it.f.Len()), 10)
			b = append(b, `, "code": "`...)
			b = append(b, it.f.Name()...)
			b = append(b, `", "count": `...)
			b = strconv.AppendInt(b, int64(it.f.Count), 10)
			b = append(b, `, "pad": `...)
			b = strconv.AppendInt(b, int64(it.pad), 10)
			b = append(b, "}\n"...)
			if _, err := stdout.Write(b); err != nil {
				return err
			}
		}
		return nil
	}
	// Columns as wide as their widest entry, and at least as their heading.
	wOff, wSize, wItem, wPad := len("offset"), len("size"), len("item"), len("pad")
	totalPad := 0
	for _, it := range its {
		wOff = max(wOff, decimalLen(it.f.Offset))
		wSize = max(wSize, decimalLen(it.f.Len()))
		wItem = max(wItem, len(itemName(it.f)))
		wPad = max(wPad, decimalLen(it.pad))
		totalPad += it.pad
	}
	b := stdout.AvailableBuffer()
	b = appendLeft(b, "offset", wOff)
	b = appendLeft(append(b, "  "...), "size", wSize)
	b = appendLeft(append(b, "  "...), "item", wItem)
	b = append(b, "  pad\n"...)
	if _, err := stdout.Write(b); err != nil {
		return err
	}
	for _, it := range its {
		b := stdout.AvailableBuffer()
		b = appendRight(b, strconv.Itoa(it.f.Offset), wOff)
		b = appendRight(append(b, "  "...), strconv.Itoa(it.f.Len()), wSize)
		b = appendLeft(append(b, "  "...), itemName(it.f), wItem)
		b = appendRight(append(b, "  "...), strconv.Itoa(it.pad), wPad)
		if it.pad > 0 {
			b = append(b, "  <- alignment"...)
		}
		if _, err := stdout.Write(append(b, '\n')); err != nil {
			return err
		}
	}
	b = append(stdout.AvailableBuffer(), "total "...)
	b = strconv.AppendInt(b, int64(p.Size()), 10)
	b = append(b, " bytes"...)
	if p.Order().IsNative() {
		b = append(b, "; native sizes and alignment ('@' or no prefix): "...)
		switch totalPad {
		case 0:
			b = append(b, "no pad bytes"...)
		case 1:
			b = append(b, "1 pad byte"...)
		default:
			b = strconv.AppendInt(b, int64(totalPad), 10)
			b = append(b, " pad bytes"...)
		}
	}
	_, err = stdout.Write(append(b, '\n'))
	return err
}

// itemName returns a field as the format writes it: its count, unless it
// is an omitted 1, and its code.
func itemName(f format.Field) string {
	if f.Count == 1 {
		return f.Name()
	}
	return strconv.Itoa(f.Count) + f.Name()
}

func decimalLen(n int) int { return len(strconv.Itoa(n)) }

// appendLeft appends s padded with spaces on the right to width w.
func appendLeft(b []byte, s string, w int) []byte {
	b = append(b, s...)
	for n := len(s); n < w; n++ {
		b = append(b, ' ')
	}
	return b
}

// appendRight appends s padded with spaces on the left to width w.
func appendRight(b []byte, s string, w int) []byte {
	for n := len(s); n < w; n++ {
		b = append(b, ' ')
	}
	return append(b, s...)
}
