package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/pack"
)

// maxLineBase is the length of the longest line pack reads from stdin
// beyond what the record itself needs (see maxLine).
const maxLineBase = 1 << 20

// maxLine is the length of the longest line pack reads from stdin for
// records of s: 1 MiB, plus 8 bytes for each byte of the record (a byte
// of bytes costs at most 6, as \u00XX in JSON) and 32 for each value
// (the longest float repr is 24): enough for any record iter writes, and
// a bound on the memory a hostile input can take; never more than
// maxInput.
func maxLine(s *pack.Struct) int {
	n := uint64(maxLineBase) + 8*uint64(s.Size()) + 32*uint64(s.NumValues())
	return int(min(n, uint64(maxInput)))
}

// A lineError is a line of pack's input that could not be read or
// packed, with its number (from 1).
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string {
	return "stdin line " + strconv.Itoa(e.line) + ": " + e.err.Error()
}
func (e *lineError) Unwrap() error { return e.err }

// packLines packs the records of r, one a line, each a Python tuple
// literal as iter prints it or a JSON array as iter --json prints it, and
// writes them to w one after the other, or with --hex one hex line each.
// Blank lines are skipped. It keeps one line and one record in memory.
// At the first bad line it stops with an error naming the line; the
// records before it have been written.
func packLines(s *pack.Struct, opts *options, r io.Reader, w *bufio.Writer) error {
	p := &lineParser{kinds: valueKinds(s.Plan()), bytes: opts.bytes}
	br := bufio.NewReaderSize(r, 64<<10)
	limit := maxLine(s)
	var line, rec []byte
	for n := 1; ; n++ {
		var err error
		line, err = readLine(br, line[:0], limit)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &lineError{n, err}
		}
		text := bytes.Trim(line, " \t\r\n\v\f")
		if len(text) == 0 {
			continue
		}
		vals, err := p.parse(text)
		if err != nil {
			return &lineError{n, err}
		}
		if rec, err = s.Append(rec[:0], vals...); err != nil {
			return &lineError{n, err}
		}
		if opts.hex {
			w.Write(hex.AppendEncode(w.AvailableBuffer(), rec))
			err = w.WriteByte('\n')
		} else {
			_, err = w.Write(rec)
		}
		if err != nil {
			return err
		}
	}
}

// readLine reads a line into buf, without its newline. It returns io.EOF
// at the end of the input, and an error if the line is longer than limit.
func readLine(br *bufio.Reader, buf []byte, limit int) ([]byte, error) {
	for {
		frag, err := br.ReadSlice('\n')
		if len(buf)+len(frag) > limit+1 || len(buf)+len(frag) > limit && frag[len(frag)-1] != '\n' {
			return buf, fmt.Errorf("line longer than %d bytes, the most pack reads for a record of this format", limit)
		}
		buf = append(buf, frag...)
		switch err {
		case nil:
			return buf[:len(buf)-1], nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(buf) == 0 {
				return buf, io.EOF
			}
			return buf, nil
		default:
			return buf, err
		}
	}
}

// A kindRun is a run of values of one kind.
type kindRun struct {
	kind  format.Kind
	count int
}

// valueKinds lists the kinds of a record's values in runs, in order.
func valueKinds(p *format.Plan) []kindRun {
	var runs []kindRun
	for _, f := range p.Fields() {
		if n := f.NumValues(); n > 0 {
			runs = append(runs, kindRun{f.Kind, n})
		}
	}
	return runs
}

// A lineParser reads the lines of pack's input.
type lineParser struct {
	kinds []kindRun
	bytes string // --bytes: how JSON strings in bytes positions are written
}

var errLineSyntax = errors.New("want a Python tuple such as (1, b'zhang', 1.75) or a JSON array such as [1, \"zhang\", 1.75]")

// parse reads one line, without surrounding space.
func (p *lineParser) parse(line []byte) ([]any, error) {
	switch line[0] {
	case '(':
		return parseTupleLine(string(line))
	case '[':
		return p.parseJSONLine(line)
	}
	return nil, errLineSyntax
}

// parseTupleLine reads a Python tuple literal: "(" values separated by
// commas, with an optional trailing comma (required after a single
// value), ")". Each value is a literal as pack's VALUE arguments are,
// except that plain words are not allowed.
func parseTupleLine(s string) ([]any, error) {
	var vals []any
	i := 1
	comma := false
	for {
		i = skipSpace(s, i)
		if i == len(s) {
			return nil, errors.New("tuple not closed: want )")
		}
		if s[i] == ')' {
			if len(vals) == 1 && !comma {
				return nil, errors.New("(x) is not a tuple: write (x,) for a record of one value")
			}
			if j := skipSpace(s, i+1); j != len(s) {
				return nil, fmt.Errorf("text after the tuple: %s", quoteArg(s[j:]))
			}
			return vals, nil
		}
		if len(vals) > 0 && !comma {
			return nil, fmt.Errorf("want , or ) after value %d, have %s", len(vals), quoteArg(s[i:]))
		}
		end, err := scanElement(s, i)
		if err != nil {
			return nil, fmt.Errorf("value %d: %v", len(vals)+1, err)
		}
		elem := s[i:end]
		v, err := parseValue(elem)
		if err == nil && stringPrefix(elem) < 0 {
			if _, word := v.([]byte); word {
				err = errors.New("not a Python literal (bytes are written b'...')")
			}
		}
		if err != nil {
			return nil, fmt.Errorf("value %d (%s): %v", len(vals)+1, quoteArg(elem), err)
		}
		vals = append(vals, v)
		i = skipSpace(s, end)
		comma = i < len(s) && s[i] == ','
		if comma {
			i++
		}
	}
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// scanElement returns the end of the value that starts at s[i]: a run of
// adjacent string literals, a parenthesized complex, or anything up to the
// next comma, closing parenthesis or space.
func scanElement(s string, i int) (int, error) {
	if stringPrefix(s[i:]) >= 0 {
		for {
			end, err := scanString(s, i)
			if err != nil {
				return 0, err
			}
			j := skipSpace(s, end)
			if j == len(s) || stringPrefix(s[j:]) < 0 {
				return end, nil
			}
			i = j
		}
	}
	if s[i] == '(' {
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			return 0, errors.New("( not closed")
		}
		return i + j + 1, nil
	}
	j := i
	for j < len(s) && s[j] != ',' && s[j] != ')' && s[j] != ' ' && s[j] != '\t' {
		j++
	}
	if j == i {
		return 0, fmt.Errorf("missing: have %s", quoteArg(s[i:]))
	}
	return j, nil
}

// scanString returns the end of the string literal that starts at s[i]:
// its prefix, its quote (single or triple), and its body up to the
// closing quote, a backslash always taking the next character along.
func scanString(s string, i int) (int, error) {
	i += stringPrefix(s[i:])
	q := s[i : i+1]
	if strings.HasPrefix(s[i:], q+q+q) {
		q = q + q + q
	}
	for j := i + len(q); j < len(s); j++ {
		switch {
		case s[j] == '\\':
			j++
		case strings.HasPrefix(s[j:], q):
			return j + len(q), nil
		}
	}
	return 0, errors.New("unterminated string literal")
}

// parseJSONLine reads a JSON array, mapping each element back to the
// value iter --json wrote it for, by the kind of its place in the record:
// numbers are ints (exact at any size) or floats, the strings "inf",
// "-inf" and "nan" are floats in float places, [real, imag] is a complex
// in complex places, strings are bytes in bytes places (Latin-1, or the
// hex or base64 of --bytes), true and false are bools and null is None.
// Anything else goes to struct as Python's json.loads would give it, and
// struct rejects it with CPython's message.
func (p *lineParser) parseJSONLine(line []byte) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("JSON: text after the array")
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, errLineSyntax
	}
	vals := make([]any, len(arr))
	runs := p.kinds
	left := 0 // values left in runs[0]
	if len(runs) > 0 {
		left = runs[0].count
	}
	for i, x := range arr {
		kind := format.Invalid // past the end of the record
		if len(runs) > 0 {
			kind = runs[0].kind
			if left--; left == 0 {
				if runs = runs[1:]; len(runs) > 0 {
					left = runs[0].count
				}
			}
		}
		v, err := p.fromJSON(x, kind)
		if err != nil {
			return nil, fmt.Errorf("value %d: %v", i+1, err)
		}
		vals[i] = v
	}
	return vals, nil
}

func (p *lineParser) fromJSON(x any, kind format.Kind) (any, error) {
	switch x := x.(type) {
	case json.Number:
		return jsonNumber(string(x))
	case string:
		switch kind {
		case format.Float:
			switch x {
			case "inf":
				return math.Inf(1), nil
			case "-inf":
				return math.Inf(-1), nil
			case "nan":
				f, _ := parseInfNaN(x) // Python's NaN, not math.NaN()
				return f, nil
			}
		case format.Char, format.String, format.Pascal:
			return p.decodeBytes(x)
		}
		return pyStr([]rune(x)), nil
	case []any:
		if kind == format.Complex && len(x) == 2 {
			re, err1 := p.fromJSON(x[0], format.Float)
			im, err2 := p.fromJSON(x[1], format.Float)
			if err := errors.Join(err1, err2); err != nil {
				return nil, err
			}
			rf, ok1 := toFloat(re)
			imf, ok2 := toFloat(im)
			if ok1 && ok2 {
				return complex(rf, imf), nil
			}
		}
		return x, nil
	}
	return x, nil // bool, nil, or a map, which struct rejects
}

// toFloat converts a part of a complex, as complex() would take it.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, !math.IsInf(f, 0)
	}
	return 0, false
}

// jsonNumber reads a JSON number as Python's json.loads does: an int if
// it has no fraction and no exponent, else a float (±inf if it is too
// large).
func jsonNumber(s string) (any, error) {
	if !strings.ContainsAny(s, ".eE") {
		return parseValue(s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, err
	}
	return f, nil
}

// decodeBytes turns a JSON string back into the bytes --bytes wrote it
// for.
func (p *lineParser) decodeBytes(s string) ([]byte, error) {
	switch p.bytes {
	case "hex":
		b, err := hex.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("%s is not hex (--bytes hex)", quoteArg(s))
		}
		return b, nil
	case "base64":
		b, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("%s is not base64 (--bytes base64)", quoteArg(s))
		}
		return b, nil
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return nil, fmt.Errorf("%s has a character beyond U+00FF: not Latin-1 bytes", quoteArg(s))
		}
		b = append(b, byte(r))
	}
	return b, nil
}
