package main

import (
	"math"
	"strconv"

	"github.com/pystruct/pystruct/pyrepr"
)

// appendJSON appends a record's values as one JSON array, written as
// Python's json.dumps writes the list of the values after this mapping:
// integers stay integers (exact at any size), finite floats stay floats
// (written as repr writes them), infinities and NaNs become the strings
// "inf", "-inf" and "nan", a complex becomes the list [real, imag] of its
// two parts, each mapped as a float, booleans stay booleans, and bytes become the str
// of their Latin-1 decoding, so each byte is one character U+0000-U+00FF.
func appendJSON(dst []byte, vals []any) []byte {
	dst = append(dst, '[')
	for i, v := range vals {
		if i > 0 {
			dst = append(dst, ',', ' ')
		}
		dst = appendJSONItem(dst, v)
	}
	return append(dst, ']')
}

// appendJSONItem appends one value as appendJSON writes it.
func appendJSONItem(dst []byte, v any) []byte {
	switch x := v.(type) {
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case uint64:
		return strconv.AppendUint(dst, x, 10)
	case bool:
		return strconv.AppendBool(dst, x)
	case float64:
		return appendJSONFloat(dst, x)
	case complex128:
		dst = append(dst, '[')
		dst = appendJSONFloat(dst, real(x))
		dst = append(dst, ',', ' ')
		dst = appendJSONFloat(dst, imag(x))
		return append(dst, ']')
	case []byte:
		return appendJSONLatin1(dst, x)
	}
	// pack.Unpack returns no other types.
	panic("pystruct: unexpected value type in a record")
}

// appendJSONFloat appends f as appendJSON writes a float.
func appendJSONFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, `"nan"`...)
	case math.IsInf(f, 1):
		return append(dst, `"inf"`...)
	case math.IsInf(f, -1):
		return append(dst, `"-inf"`...)
	}
	return pyrepr.AppendFloat(dst, f)
}

// appendJSONLatin1 appends b as a JSON string with one character per byte,
// escaped as json.dumps escapes it (ensure_ascii): \" \\ \b \f \n \r \t,
// and \u00xx for every other byte outside ' '...'~'.
func appendJSONLatin1(dst, b []byte) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i, c := range b {
		if c >= ' ' && c <= '~' && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, b[start:i]...)
		start = i + 1
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
	}
	dst = append(dst, b[start:]...)
	return append(dst, '"')
}
