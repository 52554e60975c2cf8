package main

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pystruct/pystruct/pyrepr"
)

// A recordWriter writes the records of unpack and iter in the form the
// options chose: Python's tuple (the default), Python's dict of --names,
// a JSON array or object (--json), or a CSV row (--csv).
type recordWriter struct {
	json, csv bool
	names     []string // nil without --names
	bytes     string   // how JSON and CSV write bytes: "latin1", "hex" or "base64"
}

// newRecordWriter checks the output options against a record of n values.
func newRecordWriter(cmd *command, opts *options, n int) (*recordWriter, error) {
	w := &recordWriter{json: opts.json, csv: opts.csv, bytes: opts.bytes}
	if w.bytes == "" {
		w.bytes = "latin1"
	}
	if opts.hasNames {
		names, err := parseNames(opts.names)
		if err != nil {
			return nil, usagef(cmd, "--names %s: %v", quoteArg(opts.names), err)
		}
		if len(names) != n {
			return nil, usagef(cmd, "--names gives %d %s, but a record has %d %s", len(names), plural(len(names), "name"), n, plural(n, "value"))
		}
		w.names = names
	}
	return w, nil
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// parseNames splits the value of --names at its commas. Spaces around a
// name are dropped; each name must be a non-empty run of printable
// characters, different from the others.
func parseNames(list string) ([]string, error) {
	names := strings.Split(list, ",")
	seen := make(map[string]bool, len(names))
	for i, name := range names {
		name = strings.Trim(name, " ")
		switch {
		case name == "":
			return nil, fmt.Errorf("name %d is empty", i+1)
		case !utf8.ValidString(name):
			return nil, fmt.Errorf("name %d is not UTF-8 text", i+1)
		case strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
			return nil, fmt.Errorf("name %d has a character that is not printable", i+1)
		case seen[name]:
			return nil, fmt.Errorf("%s is there twice", name)
		}
		seen[name] = true
		names[i] = name
	}
	return names, nil
}

// header appends the CSV header row of the names, if there is one.
func (w *recordWriter) header(dst []byte) []byte {
	if !w.csv || w.names == nil {
		return dst
	}
	for i, name := range w.names {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendCSVField(dst, name, len(w.names) == 1)
	}
	return append(dst, '\n')
}

// record appends a record's line, newline included.
func (w *recordWriter) record(dst []byte, vals []any) []byte {
	switch {
	case w.csv:
		dst = w.appendCSV(dst, vals)
	case w.json && w.names != nil:
		dst = append(dst, '{')
		for i, v := range vals {
			if i > 0 {
				dst = append(dst, ',', ' ')
			}
			dst = appendJSONString(dst, w.names[i])
			dst = append(dst, ':', ' ')
			dst = w.appendJSONValue(dst, v)
		}
		dst = append(dst, '}')
	case w.json:
		dst = append(dst, '[')
		for i, v := range vals {
			if i > 0 {
				dst = append(dst, ',', ' ')
			}
			dst = w.appendJSONValue(dst, v)
		}
		dst = append(dst, ']')
	case w.names != nil:
		dst = append(dst, '{')
		for i, v := range vals {
			if i > 0 {
				dst = append(dst, ',', ' ')
			}
			dst = appendPyStr(dst, w.names[i])
			dst = append(dst, ':', ' ')
			dst = pyrepr.AppendValue(dst, v)
		}
		dst = append(dst, '}')
	default:
		dst = pyrepr.AppendTuple(dst, vals)
	}
	return append(dst, '\n')
}

// appendJSONValue appends one value as appendJSON does, with bytes in the
// writer's --bytes form.
func (w *recordWriter) appendJSONValue(dst []byte, v any) []byte {
	b, ok := v.([]byte)
	if !ok || w.bytes == "latin1" {
		return appendJSONItem(dst, v)
	}
	dst = append(dst, '"')
	dst = w.appendBytesText(dst, b)
	return append(dst, '"')
}

// appendBytesText appends b as hex or base64 text.
func (w *recordWriter) appendBytesText(dst, b []byte) []byte {
	if w.bytes == "hex" {
		return hex.AppendEncode(dst, b)
	}
	return base64.StdEncoding.AppendEncode(dst, b)
}

// appendCSV appends a record as one CSV row, without the line end: each
// value as Python's str writes it (ints, floats as repr, True and False,
// complex as repr), bytes as --json writes them (their Latin-1 decoding,
// written as UTF-8, or hex or base64), quoted as Python's csv.writer
// quotes them (RFC 4180).
func (w *recordWriter) appendCSV(dst []byte, vals []any) []byte {
	for i, v := range vals {
		if i > 0 {
			dst = append(dst, ',')
		}
		start := len(dst)
		switch x := v.(type) {
		case []byte:
			if w.bytes != "latin1" {
				dst = w.appendBytesText(dst, x)
				break
			}
			for _, c := range x {
				dst = utf8.AppendRune(dst, rune(c))
			}
		default:
			dst = pyrepr.AppendValue(dst, v)
		}
		// Quote the field if it needs it: the text is in dst[start:].
		if needsCSVQuotes(dst[start:], len(vals) == 1) {
			field := string(dst[start:])
			dst = appendCSVField(dst[:start], field, len(vals) == 1)
		}
	}
	return dst
}

// needsCSVQuotes reports whether Python's csv.writer (QUOTE_MINIMAL)
// quotes a field: when it holds a comma, a double quote, CR or LF, or
// when it is the only field of its row and empty.
func needsCSVQuotes(field []byte, only bool) bool {
	if len(field) == 0 {
		return only
	}
	for _, c := range field {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

// appendCSVField appends a field, quoted if it needs it, with its double
// quotes doubled.
func appendCSVField(dst []byte, field string, only bool) []byte {
	if !needsCSVQuotes([]byte(field), only) {
		return append(dst, field...)
	}
	dst = append(dst, '"')
	dst = append(dst, strings.ReplaceAll(field, `"`, `""`)...)
	return append(dst, '"')
}

// appendJSONString appends s as json.dumps writes a str: ASCII, with \"
// \\ \b \f \n \r \t, \u00XX for other control characters and \uXXXX for
// everything beyond ASCII (a surrogate pair beyond the BMP).
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			dst = append(dst, '\\', byte(r))
		case r >= ' ' && r <= '~':
			dst = append(dst, byte(r))
		case r == '\b':
			dst = append(dst, `\b`...)
		case r == '\f':
			dst = append(dst, `\f`...)
		case r == '\n':
			dst = append(dst, `\n`...)
		case r == '\r':
			dst = append(dst, `\r`...)
		case r == '\t':
			dst = append(dst, `\t`...)
		case r > 0xffff:
			r -= 0x10000
			dst = appendU4(dst, 0xd800+(r>>10))
			dst = appendU4(dst, 0xdc00+(r&0x3ff))
		default:
			dst = appendU4(dst, r)
		}
	}
	return append(dst, '"')
}

func appendU4(dst []byte, r rune) []byte {
	const hexDigits = "0123456789abcdef"
	return append(dst, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

// appendPyStr appends a name as Python's repr writes a str of printable
// characters: in single quotes, or in double quotes if it has a single
// quote and no double quote, with backslashes and the chosen quote
// escaped.
func appendPyStr(dst []byte, s string) []byte {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	dst = append(dst, q)
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' || s[i] == q {
			dst = append(dst, '\\')
		}
		dst = append(dst, s[i])
	}
	return append(dst, q)
}
