package format

import (
	"math"
	"math/bits"
)

// Parse compiles a format string in Python's struct syntax into a plan.
//
// An optional mode prefix ('@', '=', '<', '>' or '!') may stand as the first
// character only. Items follow, each an optional decimal repeat count and a
// format code; ASCII whitespace between items is ignored but may not
// separate a count from its code. Parse reports the first problem found
// scanning left to right, with CPython's message; the errors it returns
// have type *[SyntaxError] and match [ErrSyntax].
//
// Parse makes two allocations, the plan and its fields, whatever the
// number of fields; a field takes 24 bytes of the plan.
func Parse(fs string) (*Plan, error) {
	// A first pass finds the characters CPython refuses before it parses
	// (a non-ASCII character anywhere comes first, then a null character)
	// and counts the characters that may start an item, which bounds the
	// number of fields.
	null, n := -1, 0
	for i := 0; i < len(fs); i++ {
		c := fs[i]
		if c >= 0x80 {
			return nil, &SyntaxError{fs, i, msgNonASCII}
		}
		n += int(itemStart[c])
		if c == 0 && null < 0 {
			null = i
		}
	}
	if null >= 0 {
		return nil, &SyntaxError{fs, null, msgNull}
	}

	i, order := 0, Native
	if len(fs) > 0 && isOrder(fs[0]) {
		order = Order(fs[0])
		i = 1
		n--
	}
	table := &standard
	if order == Native {
		table = &native
	}
	var items []item
	if n > 0 {
		items = make([]item, 0, n)
	}

	size, values := 0, 0
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
		lay := table[c&0x7f] // c < 0x80: the first pass checked
		if lay.kind == Invalid {
			return nil, &SyntaxError{fs, i, msgBadChar}
		}
		if a := int(lay.align); a > 1 {
			// The native alignments are powers of two: the padding is
			// what rounds size up to a multiple of a.
			extra := -size & (a - 1)
			if extra > math.MaxInt-size {
				return nil, &SyntaxError{fs, i, msgTooLong}
			}
			size += extra
		}
		// The field's length, count*size, must fit after size: a
		// multiplication that checks its high word, rather than a
		// division, which would cost more than the rest of the loop.
		hi, length := bits.Mul64(uint64(count), uint64(lay.size))
		if hi != 0 || length > uint64(math.MaxInt-size) {
			return nil, &SyntaxError{fs, i, msgTooLong}
		}
		// The fields are written in place, not built and copied: a copy
		// with wide loads over narrow stores stalls on store forwarding.
		k := len(items)
		if k < cap(items) {
			items = items[:k+1] // always: n bounds the number of items
		} else {
			items = append(items, item{})
		}
		it := &items[k]
		it.count, it.offset, it.code, it.kind, it.size, it.z = count, size, c, lay.kind, lay.size, z
		switch lay.kind {
		case Pad:
		case String, Pascal:
			values++
		default:
			values += count
		}
		size += int(length)
		i++
		if z {
			i++
		}
	}
	return &Plan{src: fs, order: order, items: items, size: size, numValues: values}, nil
}

// itemStart is 1 for the characters that may begin an item: all but
// whitespace and digits. Counting them bounds the number of fields.
var itemStart = func() (t [256]uint8) {
	for c := range t {
		if !isSpace(byte(c)) && !isDigit(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

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
