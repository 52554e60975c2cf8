package main

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// pyStr is the value of a Python str literal. The struct module rejects
// str wherever it wants bytes or numbers, and the pack package does the
// same for a slice of runes, with CPython's messages; for '?' a pyStr is
// true when it is not empty, as a str is.
type pyStr []rune

// parseValue returns the Go value of a VALUE argument of pack: a Python
// literal (int, float, complex, bool, None, bytes or str) or a plain word,
// taken as its bytes. An argument that starts like a literal but is not a
// valid one is an error that says why.
//
// Integers become int64, uint64 or *big.Int, whichever holds them first;
// floats float64; imaginary numbers complex128; bytes []byte; str pyStr;
// None nil.
func parseValue(s string) (any, error) {
	switch s {
	case "True":
		return true, nil
	case "False":
		return false, nil
	case "None":
		return nil, nil
	}
	if n := stringPrefix(s); n >= 0 {
		return parseQuoted(s, n)
	}
	if f, ok := parseInfNaN(s); ok {
		return f, nil
	}
	if v, ok, err := parseComplex(s); ok {
		return v, err
	}
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	if body != "" && (isDigit(body[0]) || body[0] == '.' && len(body) > 1 && isDigit(body[1])) {
		v, err := parseNumber(body)
		if err != nil {
			return nil, err
		}
		if s[0] == '-' {
			v = negate(v)
			if c, ok := v.(complex128); ok {
				// "-2j" is complex(0, -2), as complex("-2j") and repr
				// read it: the real part stays +0.
				v = complex(0, imag(c))
			}
		}
		return v, nil
	}
	return []byte(s), nil
}

// parseComplex reads a complex value as Python writes one: an imaginary
// literal ("2j", "-2.5j", "infj"), a sum of a real and an imaginary part
// ("1+2j", "nan-infj"), either in parentheses as repr writes them ("(1-0j)",
// "(-0-0j)"). The parts are read as Python's complex() reads a string, so
// the sign belongs to the imaginary part and every repr reads back as the
// value it shows: "-0j" is complex(0, -0.0) and "(1-0j)" is complex(1,
// -0.0). ok is false when s is no complex form; a call such as
// "complex(1, 2)" is an error that says what to write instead.
func parseComplex(s string) (v any, ok bool, err error) {
	if strings.HasPrefix(s, "complex(") {
		return nil, true, errors.New("a call such as complex(1, 2) is not a literal; write the value as Python writes it: 1+2j")
	}
	body := s
	if len(body) >= 2 && body[0] == '(' && body[len(body)-1] == ')' {
		body = body[1 : len(body)-1]
	}
	if !strings.HasSuffix(body, "j") && !strings.HasSuffix(body, "J") || !startsNumber(body) {
		return nil, false, nil // a plain word, such as "(abc)" or "banjo"
	}
	// The imaginary part starts at the last sign that is not the first
	// character and not an exponent's.
	split := 0
	for i := len(body) - 1; i > 0; i-- {
		if (body[i] == '+' || body[i] == '-') && body[i-1]|0x20 != 'e' {
			split = i
			break
		}
	}
	if split == 0 && body == s {
		if _, word := parseInfNaN(body[:len(body)-1]); !word {
			return nil, false, nil // a numeric imaginary literal: parseNumber's
		}
	}
	re := 0.0
	if split > 0 {
		f, err := parseReal(body[:split])
		if err != nil {
			return nil, true, fmt.Errorf("invalid complex literal %s", s)
		}
		re = f
	}
	im, err := parseReal(body[split : len(body)-1])
	if err != nil {
		return nil, true, fmt.Errorf("invalid complex literal %s", s)
	}
	return complex(re, im), true, nil
}

// startsNumber reports whether s starts as a number does: a digit, a
// point, a sign, or inf or nan in any case.
func startsNumber(s string) bool {
	if s == "" {
		return false
	}
	switch c := s[0]; {
	case isDigit(c), c == '.', c == '+', c == '-':
		return true
	}
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "inf") || strings.HasPrefix(l, "nan")
}

// parseReal reads one part of a complex: a signed decimal or float
// literal, inf or nan.
func parseReal(s string) (float64, error) {
	if f, ok := parseInfNaN(s); ok {
		return f, nil
	}
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	if body == "" || strings.Trim(body, "0123456789._eE+-") != "" {
		return 0, errors.New("not a number")
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(body, "_", ""), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, err
	}
	if s[0] == '-' {
		f = -f
	}
	return f, nil
}

// stringPrefix returns the length of the string-literal prefix of s (b, r,
// u, br, rb in either case, or none) if a quote follows it, or -1 if s
// does not start a string literal.
func stringPrefix(s string) int {
	for n := 0; n <= 2 && n < len(s); n++ {
		if s[n] == '\'' || s[n] == '"' {
			switch strings.ToLower(s[:n]) {
			case "", "b", "r", "u", "br", "rb":
				return n
			}
			return -1
		}
	}
	return -1
}

// parseInfNaN accepts what Python's float() accepts besides numbers: inf,
// infinity and nan in any case, with an optional sign.
func parseInfNaN(s string) (float64, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	var f float64
	switch strings.ToLower(s) {
	case "inf", "infinity":
		f = math.Inf(1)
	case "nan":
		// Python's NaN is the default quiet NaN, 0x7ff8000000000000;
		// math.NaN() has a different payload.
		f = math.Float64frombits(0x7ff8000000000000)
	default:
		return 0, false
	}
	if neg {
		f = math.Copysign(f, -1)
	}
	return f, true
}

// negate applies unary minus to a value parseNumber returned, which is
// never a negative integer.
func negate(v any) any {
	switch x := v.(type) {
	case int64:
		return -x
	case uint64:
		if x == 1<<63 {
			return int64(math.MinInt64)
		}
		return new(big.Int).Neg(new(big.Int).SetUint64(x))
	case *big.Int:
		return new(big.Int).Neg(x)
	case float64:
		return -x
	case complex128:
		return -x
	}
	return v
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f'
}

// digits scans s[i:] for digits (as isDig says) separated by single
// underscores, as Python's digitpart and its based forms allow, and
// returns the index after them. ok is false if an underscore is not
// followed by a digit.
func digits(s string, i int, isDig func(byte) bool) (end int, ok bool) {
	for i < len(s) {
		switch {
		case isDig(s[i]):
			i++
		case s[i] == '_' && i+1 < len(s) && isDig(s[i+1]):
			i += 2
		case s[i] == '_':
			return i, false
		default:
			return i, true
		}
	}
	return i, true
}

// parseNumber parses an unsigned Python number literal: an integer in any
// base, a float or an imaginary number.
func parseNumber(s string) (any, error) {
	if len(s) >= 2 && s[0] == '0' {
		switch s[1] | 0x20 {
		case 'x':
			return parseBased(s, 16, "hexadecimal", isHexDigit)
		case 'o':
			return parseBased(s, 8, "octal", func(c byte) bool { return '0' <= c && c <= '7' })
		case 'b':
			return parseBased(s, 2, "binary", func(c byte) bool { return c == '0' || c == '1' })
		}
	}
	errDecimal := errors.New("invalid decimal literal")
	i, ok := 0, true
	if isDigit(s[0]) {
		if i, ok = digits(s, 0, isDigit); !ok {
			return nil, errDecimal
		}
	}
	isFloat := false
	if i < len(s) && s[i] == '.' {
		isFloat = true
		i++
		if i < len(s) && isDigit(s[i]) {
			if i, ok = digits(s, i, isDigit); !ok {
				return nil, errDecimal
			}
		}
	}
	if i < len(s) && s[i]|0x20 == 'e' {
		isFloat = true
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == len(s) || !isDigit(s[i]) {
			return nil, errDecimal
		}
		if i, ok = digits(s, i, isDigit); !ok {
			return nil, errDecimal
		}
	}
	imag := i < len(s) && s[i]|0x20 == 'j'
	if imag {
		i++
	}
	if i != len(s) {
		return nil, errDecimal
	}
	clean := strings.ReplaceAll(strings.TrimRight(s, "jJ"), "_", "")
	if isFloat || imag {
		// Out-of-range literals are ±inf or ±0 in Python too; ParseFloat
		// returns those values along with ErrRange.
		f, err := strconv.ParseFloat(clean, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, errDecimal
		}
		if imag {
			return complex(0, f), nil
		}
		return f, nil
	}
	if clean[0] == '0' && strings.TrimLeft(clean, "0") != "" {
		return nil, errors.New("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")
	}
	if len(clean) > maxStrDigits {
		//lint:ignore ST1005 Python's message, capital and all
		return nil, fmt.Errorf("Exceeds the limit (%d digits) for integer string conversion: value has %d digits", maxStrDigits, len(clean))
	}
	return bigToValue(clean, 10)
}

// maxStrDigits is CPython's default limit on the digits of a decimal int
// literal (sys.get_int_max_str_digits()); other bases have none.
const maxStrDigits = 4300

// parseBased parses an integer literal with a base prefix: 0x1F, 0o17,
// 0b101, with underscores after the prefix and between digits.
func parseBased(s string, base int, name string, isDig func(byte) bool) (any, error) {
	i := 2
	if i < len(s) && s[i] == '_' {
		i++
	}
	end, ok := digits(s, i, isDig)
	if ok && end < len(s) && isDigit(s[end]) {
		return nil, errors.New("invalid digit '" + s[end:end+1] + "' in " + name + " literal")
	}
	if end == i || !ok || end != len(s) {
		return nil, errors.New("invalid " + name + " literal")
	}
	return bigToValue(strings.ReplaceAll(s[2:], "_", ""), base)
}

func bigToValue(digits string, base int) (any, error) {
	if u, err := strconv.ParseUint(digits, base, 64); err == nil {
		if u <= math.MaxInt64 {
			return int64(u), nil
		}
		return u, nil
	}
	n, ok := new(big.Int).SetString(digits, base)
	if !ok {
		return nil, errors.New("invalid integer literal")
	}
	return n, nil
}

// parseQuoted parses a bytes or str literal whose prefix is s[:n], or
// several of one kind in a row, which Python concatenates: b'a' b"b".
func parseQuoted(s string, n int) (any, error) {
	// Python reads source with \r\n and \r turned into \n.
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	v, rest, err := parseOneQuoted(s, n)
	for err == nil && rest != "" {
		if rest = strings.TrimLeft(rest, " \t\f"); rest == "" {
			break
		}
		n := stringPrefix(rest)
		if n < 0 {
			return nil, errors.New("unexpected text after the literal: " + rest)
		}
		var w any
		if w, rest, err = parseOneQuoted(rest, n); err != nil {
			break
		}
		switch x := v.(type) {
		case []byte:
			y, ok := w.([]byte)
			if !ok {
				return nil, errors.New("cannot mix bytes and nonbytes literals")
			}
			v = append(x, y...)
		case pyStr:
			y, ok := w.(pyStr)
			if !ok {
				return nil, errors.New("cannot mix bytes and nonbytes literals")
			}
			v = append(x, y...)
		}
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}

// parseOneQuoted parses the bytes or str literal at the start of s, whose
// prefix is s[:n], and returns its value and the text after it.
func parseOneQuoted(s string, n int) (v any, rest string, err error) {
	prefix := strings.ToLower(s[:n])
	isBytes := strings.Contains(prefix, "b")
	raw := strings.Contains(prefix, "r")
	kind := "string"
	if isBytes {
		kind = "bytes"
	}
	q := s[n : n+1]
	if strings.HasPrefix(s[n:], q+q+q) {
		q = q + q + q
	}
	start := n + len(q)
	end := -1
	for i := start; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if len(q) == 1 && s[i] == '\n' {
			break
		}
		if strings.HasPrefix(s[i:], q) {
			end = i
			break
		}
	}
	if end < 0 {
		if len(q) == 3 {
			return nil, "", errors.New("unterminated triple-quoted " + kind + " literal")
		}
		return nil, "", errors.New("unterminated " + kind + " literal")
	}
	rest = s[end+len(q):]
	body := s[start:end]
	if isBytes {
		for i := 0; i < len(body); i++ {
			if body[i] >= utf8.RuneSelf {
				return nil, "", errors.New("bytes can only contain ASCII literal characters")
			}
		}
		if raw {
			return []byte(body), rest, nil
		}
		v, err = unescapeBytes(body)
		return v, rest, err
	}
	if !utf8.ValidString(body) {
		return nil, "", errors.New("string literal is not valid UTF-8")
	}
	if raw {
		return pyStr(body), rest, nil
	}
	v, err = unescapeStr(body)
	return v, rest, err
}

// simpleEscapes maps the character after a backslash to the byte it
// stands for, for the escapes that bytes and str share.
var simpleEscapes = [128]byte{
	'\\': '\\', '\'': '\'', '"': '"',
	'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v',
}

func isOctal(c byte) bool { return '0' <= c && c <= '7' }

// octal reads up to three octal digits at s[i:] and returns their value
// and the index after them.
func octal(s string, i int) (v, end int) {
	for end = i; end < len(s) && end < i+3 && isOctal(s[end]); end++ {
		v = v*8 + int(s[end]-'0')
	}
	return v, end
}

// unescapeBytes decodes the escapes of a bytes literal's body as CPython
// does: an unknown escape stays as written, backslash included, and an
// octal escape above \377 keeps its low eight bits.
func unescapeBytes(body string) ([]byte, error) {
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++ // body does not end in a lone backslash: it would have escaped the quote
		e := body[i]
		switch {
		case e == '\n':
		case simpleEscapes[e] != 0:
			out = append(out, simpleEscapes[e])
		case isOctal(e):
			v, end := octal(body, i)
			out = append(out, byte(v))
			i = end - 1
		case e == 'x':
			if i+2 >= len(body) || !isHexDigit(body[i+1]) || !isHexDigit(body[i+2]) {
				return nil, errors.New("invalid \\x escape at position " + strconv.Itoa(i-1))
			}
			v, _ := strconv.ParseUint(body[i+1:i+3], 16, 8)
			out = append(out, byte(v))
			i += 2
		default:
			out = append(out, '\\', e)
		}
	}
	return out, nil
}

// unescapeStr decodes the escapes of a str literal's body. Names in
// \N{...} escapes are not looked up: any non-empty name stands for
// U+FFFD. The contents of a str never reach the output, since struct
// rejects str values; only whether it is empty matters.
func unescapeStr(body string) (pyStr, error) {
	var out []rune
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRuneInString(body[i:])
		if r != '\\' {
			out = append(out, r)
			i += size
			continue
		}
		pos := strconv.Itoa(i)
		e := body[i+1]
		if e >= utf8.RuneSelf { // an unknown escape of a non-ASCII character
			out = append(out, '\\')
			i++
			continue
		}
		i += 2
		switch {
		case e == '\n':
		case simpleEscapes[e] != 0:
			out = append(out, rune(simpleEscapes[e]))
		case isOctal(e):
			v, end := octal(body, i-1)
			out = append(out, rune(v))
			i = end
		case e == 'x' || e == 'u' || e == 'U':
			width := 2
			if e == 'u' {
				width = 4
			} else if e == 'U' {
				width = 8
			}
			if i+width > len(body) {
				return nil, errors.New("truncated \\" + string(e) + " escape at position " + pos)
			}
			v, err := strconv.ParseUint(body[i:i+width], 16, 32)
			if err != nil {
				return nil, errors.New("truncated \\" + string(e) + " escape at position " + pos)
			}
			if v > utf8.MaxRune {
				return nil, errors.New("illegal Unicode character at position " + pos)
			}
			out = append(out, rune(v))
			i += width
		case e == 'N':
			name, _, ok := strings.Cut(body[i:], "}")
			if !ok || !strings.HasPrefix(name, "{") || len(name) < 2 {
				return nil, errors.New("malformed \\N character escape at position " + pos)
			}
			out = append(out, utf8.RuneError)
			i += len(name) + 1
		default:
			out = append(out, '\\', rune(e))
		}
	}
	if out == nil {
		out = pyStr{}
	}
	return out, nil
}
