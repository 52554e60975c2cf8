package format

import (
	"math"
	"math/bits"
	"strings"
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
// Parse makes one allocation for a format of up to 16 fields and two for
// a longer one, and a field takes 16 bytes of the plan.
func Parse(fs string) (*Plan, error) {
	i, order := 0, Native
	if len(fs) > 0 && isOrder(fs[0]) {
		order = Order(fs[0])
		i = 1
	}
	table := &standard
	if order == Native {
		table = &native
	}
	// Room for the fields: a field takes at least one character that is
	// neither whitespace nor a digit, and most take exactly one.
	n := 0
	for j := i; j < len(fs); j++ {
		n += int(itemStart[fs[j]])
	}
	p, items := newPlan(n)

	// One pass both parses and checks the characters: a format that
	// parses holds only whitespace, digits and codes, all ASCII and none
	// null. An error looks for the errors that CPython reports first.
	size, values, bytes := 0, 0, 0
	huge := false
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
					return nil, syntaxError(fs, i, msgTooLong)
				}
				count = count*10 + d
			}
			if i == len(fs) {
				return nil, syntaxError(fs, i, msgNoSpecifier)
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
				return nil, syntaxError(fs, i, msgBadChar)
			}
		}
		lay := table[c]
		if lay.kind == Invalid {
			return nil, syntaxError(fs, i, msgBadChar)
		}
		if a := int(lay.align); a > 1 {
			// The native alignments are powers of two: the padding is
			// what rounds size up to a multiple of a.
			extra := -size & (a - 1)
			if extra > math.MaxInt-size {
				return nil, syntaxError(fs, i, msgTooLong)
			}
			size += extra
		}
		// The field's length, count*size, must fit after size: a
		// multiplication that checks its high word, rather than a
		// division, which would cost more than the rest of the loop.
		hi, length := bits.Mul64(uint64(count), uint64(lay.size))
		if hi != 0 || length > uint64(math.MaxInt-size) {
			return nil, syntaxError(fs, i, msgTooLong)
		}
		// The fields are written in place, not built and copied: a copy
		// with wide loads over narrow stores stalls on store forwarding.
		// The loop calls nothing but on its way out, so that its values
		// stay in registers: n counted a character of every field, and
		// the counts too large for an item are found again afterwards.
		k := len(items)
		items = items[:k+1]
		it := &items[k]
		it.offset, it.code, it.kind, it.size, it.z = size, c, lay.kind, lay.size, z
		it.count = uint32(min(uint(count), hugeCount))
		if uint(count) >= hugeCount {
			huge = true
		}
		switch lay.kind {
		case Pad:
		case String, Pascal:
			values++
			bytes += count
		case Char:
			values += count
			bytes += count
		default:
			values += count
		}
		size += int(length)
		i++
		if z {
			i++
		}
	}
	p.src, p.order, p.items, p.size, p.numValues, p.byteStrings = fs, order, items, size, values, bytes
	if huge {
		p.huge = hugeCounts(fs, items)
	}
	return p, nil
}

// hugeCounts reads again the counts of fs, a format that parsed into
// items, and returns those too large for an item by field index.
func hugeCounts(fs string, items []item) map[int]int {
	m := make(map[int]int)
	i, k := 0, 0
	if len(fs) > 0 && isOrder(fs[0]) {
		i = 1
	}
	for i < len(fs) {
		if isSpace(fs[i]) {
			i++
			continue
		}
		count := 1
		if isDigit(fs[i]) {
			count = 0
			for ; isDigit(fs[i]); i++ {
				count = count*10 + int(fs[i]-'0') // fits: Parse checked it
			}
		}
		if items[k].count == hugeCount {
			m[k] = count
		}
		if fs[i] == 'Z' {
			i++
		}
		i++
		k++
	}
	return m
}

// A planOf is a Plan with room for its fields, A being an array of items:
// a plan of up to 16 fields takes one allocation, of the size it needs.
type planOf[A any] struct {
	p Plan
	a A
}

func newPlanOf[A any](n int, slice func(*A) []item) (*Plan, []item) {
	x := new(planOf[A])
	return &x.p, slice(&x.a)[:0:n]
}

// newPlan returns a new Plan and room for n fields, in one allocation if
// n is at most 16.
func newPlan(n int) (*Plan, []item) {
	switch n {
	case 1:
		return newPlanOf(n, func(a *[1]item) []item { return a[:] })
	case 2:
		return newPlanOf(n, func(a *[2]item) []item { return a[:] })
	case 3:
		return newPlanOf(n, func(a *[3]item) []item { return a[:] })
	case 4:
		return newPlanOf(n, func(a *[4]item) []item { return a[:] })
	case 5:
		return newPlanOf(n, func(a *[5]item) []item { return a[:] })
	case 6:
		return newPlanOf(n, func(a *[6]item) []item { return a[:] })
	case 7:
		return newPlanOf(n, func(a *[7]item) []item { return a[:] })
	case 8:
		return newPlanOf(n, func(a *[8]item) []item { return a[:] })
	case 9:
		return newPlanOf(n, func(a *[9]item) []item { return a[:] })
	case 10:
		return newPlanOf(n, func(a *[10]item) []item { return a[:] })
	case 11:
		return newPlanOf(n, func(a *[11]item) []item { return a[:] })
	case 12:
		return newPlanOf(n, func(a *[12]item) []item { return a[:] })
	case 13:
		return newPlanOf(n, func(a *[13]item) []item { return a[:] })
	case 14:
		return newPlanOf(n, func(a *[14]item) []item { return a[:] })
	case 15:
		return newPlanOf(n, func(a *[15]item) []item { return a[:] })
	case 16:
		return newPlanOf(n, func(a *[16]item) []item { return a[:] })
	}
	if n <= 0 {
		return new(Plan), nil
	}
	return new(Plan), make([]item, 0, n)
}

// syntaxError returns the error of fs that CPython reports: a non-ASCII
// character anywhere comes first, then a null character, and only then
// msg, the first problem that parsing found, at offset i.
func syntaxError(fs string, i int, msg string) *SyntaxError {
	for j := 0; j < len(fs); j++ {
		if fs[j] >= 0x80 {
			return &SyntaxError{fs, j, msgNonASCII}
		}
	}
	if j := strings.IndexByte(fs, 0); j >= 0 {
		return &SyntaxError{fs, j, msgNull}
	}
	return &SyntaxError{fs, i, msg}
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
