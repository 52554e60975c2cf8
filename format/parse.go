package format

import "math"

// Parse compiles a format string in Python's struct syntax into a plan.
//
// An optional mode prefix ('@', '=', '<', '>' or '!') may stand as the first
// character only. Items follow, each an optional decimal repeat count and a
// format code; ASCII whitespace between items is ignored but may not
// separate a count from its code. Parse reports the first problem found
// scanning left to right, with CPython's message; the errors it returns
// have type *[SyntaxError] and match [ErrSyntax].
func Parse(fs string) (*Plan, error) {
	for i := 0; i < len(fs); i++ {
		if fs[i] >= 0x80 {
			return nil, &SyntaxError{fs, i, msgNonASCII}
		}
	}
	for i := 0; i < len(fs); i++ {
		if fs[i] == 0 {
			return nil, &SyntaxError{fs, i, msgNull}
		}
	}

	p := &Plan{src: fs, order: Native}
	i := 0
	if len(fs) > 0 && isOrder(fs[0]) {
		p.order = Order(fs[0])
		i = 1
	}
	nfields := 0
	for j := i; j < len(fs); j++ {
		if c := fs[j]; !isSpace(c) && !isDigit(c) {
			nfields++
		}
	}
	p.fields = make([]Field, 0, nfields)

	size := 0
	for i < len(fs) {
		c := fs[i]
		if isSpace(c) {
			i++
			continue
		}
		count := 1
		if isDigit(c) {
			count = 0
			for ; i < len(fs) && isDigit(fs[i]); i++ {
				d := int(fs[i] - '0')
				if count > (math.MaxInt-d)/10 {
					return nil, &SyntaxError{fs, i, msgTooLong}
				}
				count = count*10 + d
			}
			if i == len(fs) {
				return nil, &SyntaxError{fs, i, msgNoSpecifier}
			}
			c = fs[i]
		}
		z := false
		if c == 'Z' {
			// CPython 3.15's two-letter codes: 'Zf' and 'Zd' are 'F' and
			// 'D' spelled anew; a 'Z' not followed at once by 'f' or 'd'
			// is a bad char, as any unknown code.
			if i+1 < len(fs) && (fs[i+1] == 'f' || fs[i+1] == 'd') {
				z, c = true, fs[i+1]-'a'+'A'
			} else {
				return nil, &SyntaxError{fs, i, msgBadChar}
			}
		}
		lay := lookup(p.order, c)
		if lay.kind == Invalid {
			return nil, &SyntaxError{fs, i, msgBadChar}
		}
		if lay.align > 0 && size > 0 {
			extra := (lay.align - 1) - (size-1)%lay.align
			if extra > math.MaxInt-size {
				return nil, &SyntaxError{fs, i, msgTooLong}
			}
			size += extra
		}
		if count > (math.MaxInt-size)/lay.size {
			return nil, &SyntaxError{fs, i, msgTooLong}
		}
		f := Field{Code: c, Kind: lay.kind, Count: count, Offset: size, Size: lay.size, Z: z}
		if lay.kind == String || lay.kind == Pascal {
			f.Size = count
		}
		p.fields = append(p.fields, f)
		p.numValues += f.NumValues()
		size += count * lay.size
		i++
		if z {
			i++
		}
	}
	p.size = size
	return p, nil
}

// MustParse is like [Parse] but panics if the format cannot be compiled.
// It is meant for package-level variables and tests.
func MustParse(fs string) *Plan {
	p, err := Parse(fs)
	if err != nil {
		panic(err)
	}
	return p
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isSpace reports whether c is ASCII whitespace as CPython's Py_ISSPACE
// sees it: space, \t, \n, \v, \f and \r.
func isSpace(c byte) bool { return c == ' ' || ('\t' <= c && c <= '\r') }
