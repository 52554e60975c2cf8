package pyrepr

import (
	"bytes"
	"math"
	"reflect"
	"strconv"
)

// AppendTuple appends Python's repr of the tuple vals, such as
// (1, b'zhang', 1.75), to dst and returns the extended buffer. dst may be
// nil. The items are formatted as by [AppendValue]. A tuple that contains
// itself, directly or through other tuples, is written as (...) where it
// recurs, as Python writes recursive containers; nesting of any depth is
// written without recursion, so it cannot exhaust the stack.
func AppendTuple(dst []byte, vals []any) []byte {
	// The tuples being written, outermost first. A tuple is a []any with
	// the same first element and length: sharing a backing array with a
	// different length gives a different tuple.
	type frame struct {
		vals []any
		i    int // the next item to write
	}
	var small [8]frame
	stack := append(small[:0], frame{vals: vals})
	var open map[tupleID]int // the tuples on stack, once it is deep
	dst = append(dst, '(')
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.i == len(f.vals) {
			if len(f.vals) == 1 {
				dst = append(dst, ',')
			}
			dst = append(dst, ')')
			if open != nil {
				id := idOf(f.vals)
				if open[id]--; open[id] == 0 {
					delete(open, id)
				}
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if f.i > 0 {
			dst = append(dst, ',', ' ')
		}
		v := f.vals[f.i]
		f.i++
		inner, ok := v.([]any)
		if !ok {
			dst = appendScalar(dst, v)
			continue
		}
		if len(inner) == 0 {
			dst = append(dst, '(', ')')
			continue
		}
		id := idOf(inner)
		recurs := false
		if open != nil {
			recurs = open[id] > 0
		} else {
			for i := range stack {
				if idOf(stack[i].vals) == id {
					recurs = true
					break
				}
			}
		}
		if recurs {
			dst = append(dst, "(...)"...)
			continue
		}
		if open == nil && len(stack) >= 64 {
			open = make(map[tupleID]int, 2*len(stack))
			for i := range stack {
				open[idOf(stack[i].vals)]++
			}
		}
		if open != nil {
			open[id]++
		}
		stack = append(stack, frame{vals: inner})
		dst = append(dst, '(')
	}
	return dst
}

// A tupleID identifies a non-empty []any: its first element and length.
type tupleID struct {
	first *any
	n     int
}

func idOf(vals []any) tupleID {
	if len(vals) == 0 {
		return tupleID{}
	}
	return tupleID{&vals[0], len(vals)}
}

// Tuple returns Python's repr of the tuple vals: "(1, b'zhang', 1.75)",
// "(5,)" or "()".
func Tuple(vals []any) string { return string(AppendTuple(nil, vals)) }

// AppendValue appends Python's repr of v to dst and returns the extended
// buffer. dst may be nil. The package documentation lists the types it
// formats; a value of another type is written as <unsupported T>.
func AppendValue(dst []byte, v any) []byte {
	if x, ok := v.([]any); ok {
		return AppendTuple(dst, x)
	}
	return appendScalar(dst, v)
}

// appendScalar is AppendValue for a v that is not a []any.
func appendScalar(dst []byte, v any) []byte {
	switch x := v.(type) {
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case uint64:
		return strconv.AppendUint(dst, x, 10)
	case float64:
		return AppendFloat(dst, x)
	case []byte:
		return AppendBytes(dst, x)
	case bool:
		return AppendBool(dst, x)
	case nil:
		return append(dst, "None"...)
	case int:
		return strconv.AppendInt(dst, int64(x), 10)
	case float32:
		return AppendFloat(dst, float64(x))
	case complex128:
		return AppendComplex(dst, x)
	case complex64:
		return AppendComplex(dst, complex128(x))
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(dst, rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(dst, rv.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return AppendFloat(dst, rv.Float())
	case reflect.Bool:
		return AppendBool(dst, rv.Bool())
	case reflect.Complex64, reflect.Complex128:
		return AppendComplex(dst, rv.Complex())
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return AppendBytes(dst, rv.Bytes())
		}
	}
	dst = append(dst, "<unsupported "...)
	dst = append(dst, rv.Type().String()...)
	return append(dst, '>')
}

// Value returns Python's repr of v. See [AppendValue].
func Value(v any) string { return string(AppendValue(nil, v)) }

// AppendComplex appends Python's repr of the complex c to dst and returns
// the extended buffer: "2j" when the real part is +0, else "(re+imj)" with
// the imaginary part's sign ("(1-2j)", "(-0-0j)", "(nan+infj)"). Each part
// is written as repr writes a float but without a ".0" of its own:
// "(1e+16+1j)", "(1.5+100j)". A NaN part has no sign.
func AppendComplex(dst []byte, c complex128) []byte {
	re, im := real(c), imag(c)
	if re == 0 && !math.Signbit(re) {
		dst = appendPart(dst, im)
		return append(dst, 'j')
	}
	dst = append(dst, '(')
	dst = appendPart(dst, re)
	if im == im && !math.Signbit(im) || im != im {
		dst = append(dst, '+')
	}
	dst = appendPart(dst, im)
	return append(dst, "j)"...)
}

// appendPart appends one part of a complex: a float's repr without the
// ".0" that repr adds to an integral value, and "nan" for any NaN.
func appendPart(dst []byte, f float64) []byte {
	if f != f {
		return append(dst, "nan"...)
	}
	n := len(dst)
	dst = AppendFloat(dst, f)
	if s := dst[n:]; len(s) > 2 && s[len(s)-2] == '.' && s[len(s)-1] == '0' {
		dst = dst[:len(dst)-2]
	}
	return dst
}

// Complex returns Python's repr of c. See [AppendComplex].
func Complex(c complex128) string { return string(AppendComplex(nil, c)) }

// AppendBool appends True or False to dst and returns the extended buffer.
func AppendBool(dst []byte, b bool) []byte {
	if b {
		return append(dst, "True"...)
	}
	return append(dst, "False"...)
}

// AppendFloat appends Python's repr of f, such as 1.75, 1e+16, -0.0 or
// nan, to dst and returns the extended buffer. dst may be nil. The
// package documentation gives the rules.
func AppendFloat(dst []byte, f float64) []byte {
	switch {
	case f != f:
		return append(dst, "nan"...)
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	// Shortest round-trip digits in Go's scientific form,
	// [-]d[.ddd]e±dd[d], which is also Python's scientific form.
	var buf [32]byte
	sci := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	if sci[0] == '-' {
		dst = append(dst, '-')
		sci = sci[1:]
	}
	e := len(sci) - 4 // index of 'e': the exponent has 2 or 3 digits
	if sci[e] != 'e' {
		e--
	}
	exp := int(sci[e+2]-'0')*10 + int(sci[e+3]-'0')
	if e+4 < len(sci) {
		exp = exp*10 + int(sci[e+4]-'0')
	}
	if sci[e+1] == '-' {
		exp = -exp
	}
	decpt := exp + 1 // the value is 0.DIGITS × 10^decpt
	if decpt <= -4 || decpt > 16 {
		return append(dst, sci...)
	}

	// Positional notation. The digits are sci[0] and sci[2:e] (if there
	// is a point).
	first, rest := sci[0], sci[:0]
	if e > 1 {
		rest = sci[2:e]
	}
	switch {
	case decpt <= 0: // 0.000ddd
		dst = append(dst, '0', '.')
		for range -decpt {
			dst = append(dst, '0')
		}
		dst = append(dst, first)
		return append(dst, rest...)
	case decpt > len(rest): // ddd000.0
		dst = append(dst, first)
		dst = append(dst, rest...)
		for range decpt - 1 - len(rest) {
			dst = append(dst, '0')
		}
		return append(dst, '.', '0')
	default: // dd.ddd
		dst = append(dst, first)
		dst = append(dst, rest[:decpt-1]...)
		dst = append(dst, '.')
		return append(dst, rest[decpt-1:]...)
	}
}

// Float returns Python's repr of f. See [AppendFloat].
func Float(f float64) string { return string(AppendFloat(nil, f)) }

const hexDigits = "0123456789abcdef"

// AppendBytes appends Python's repr of the bytes b, such as b'zhang',
// b"it's" or b'\x00\n', to dst and returns the extended buffer. dst may be
// nil. The package documentation gives the rules.
func AppendBytes(dst, b []byte) []byte {
	quote := byte('\'')
	if bytes.IndexByte(b, '\'') >= 0 && bytes.IndexByte(b, '"') < 0 {
		quote = '"'
	}
	dst = append(dst, 'b', quote)
	start := 0 // b[start:i] is a run of bytes that stand for themselves
	for i, c := range b {
		if c >= ' ' && c < 0x7f && c != '\\' && c != quote {
			continue
		}
		dst = append(dst, b[start:i]...)
		start = i + 1
		switch c {
		case '\\', quote:
			dst = append(dst, '\\', c)
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
		}
	}
	dst = append(dst, b[start:]...)
	return append(dst, quote)
}

// Bytes returns Python's repr of the bytes b. See [AppendBytes].
func Bytes(b []byte) string { return string(AppendBytes(nil, b)) }
