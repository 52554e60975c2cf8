package pyrepr_test

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/pystruct/pystruct/pyrepr"
)

// FuzzFloat checks Float against strconv: the text reads back as the same
// float64 (sign of zero included), nan for every NaN, and it has the same
// significant digits as Go's shortest formatting.
func FuzzFloat(f *testing.F) {
	for _, x := range []float64{0, math.Copysign(0, -1), 1.75, 1e16, 1e15, 1e-4, 1e-5, 5e-324, math.MaxFloat64, math.Inf(-1), math.NaN(), 0.1, 123456789012345680} {
		f.Add(math.Float64bits(x))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		x := math.Float64frombits(bits)
		got := pyrepr.Float(x)
		if string(pyrepr.AppendFloat([]byte("x"), x)) != "x"+got {
			t.Fatalf("AppendFloat and Float differ for %#x", bits)
		}
		if math.IsNaN(x) {
			if got != "nan" {
				t.Fatalf("Float(%#x) = %s, want nan", bits, got)
			}
			return
		}
		back, err := strconv.ParseFloat(got, 64)
		if err != nil || math.Float64bits(back) != bits {
			t.Fatalf("Float(%#x) = %s, which reads back as %#x, %v", bits, got, math.Float64bits(back), err)
		}
		if math.IsInf(x, 0) || x == 0 {
			return
		}
		digits := func(s string) string {
			s = strings.TrimLeft(s, "-")
			if i := strings.IndexByte(s, 'e'); i >= 0 {
				s = s[:i]
			}
			s = strings.Trim(strings.ReplaceAll(s, ".", ""), "0")
			return s
		}
		if want := strconv.FormatFloat(x, 'e', -1, 64); digits(got) != digits(want) {
			t.Fatalf("Float(%#x) = %s, digits %s; strconv's shortest is %s", bits, got, digits(got), want)
		}
	})
}

// unrepr decodes a Python bytes literal as Bytes writes it, the simple way.
func unrepr(s string) ([]byte, bool) {
	if len(s) < 3 || s[0] != 'b' || (s[1] != '\'' && s[1] != '"') || s[len(s)-1] != s[1] {
		return nil, false
	}
	q, body := s[1], s[2:len(s)-1]
	var out []byte
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c < ' ' || c >= 0x7f || c == q:
			return nil, false // must have been escaped
		case c != '\\':
			out = append(out, c)
			continue
		}
		if i++; i == len(body) {
			return nil, false
		}
		switch body[i] {
		case '\\', '\'', '"':
			out = append(out, body[i])
		case 't':
			out = append(out, '\t')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 'x':
			if i+2 >= len(body) {
				return nil, false
			}
			v, err := strconv.ParseUint(body[i+1:i+3], 16, 8)
			if err != nil || strings.ToLower(body[i+1:i+3]) != body[i+1:i+3] {
				return nil, false
			}
			out = append(out, byte(v))
			i += 2
		default:
			return nil, false
		}
	}
	return out, true
}

// FuzzBytes checks that Bytes writes only printable ASCII that decodes
// back to the bytes, with the quote Python chooses: " only when the bytes
// hold ' and no ".
func FuzzBytes(f *testing.F) {
	for _, s := range []string{"", "zhang", "it's", `"'`, "\x00\t\n\r\\\x7f\xff", `say "hi"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := pyrepr.Bytes(b)
		back, ok := unrepr(got)
		if !ok || !bytes.Equal(back, b) {
			t.Fatalf("Bytes(%q) = %s, which decodes to %q, %v", b, got, back, ok)
		}
		wantQuote := byte('\'')
		if bytes.IndexByte(b, '\'') >= 0 && bytes.IndexByte(b, '"') < 0 {
			wantQuote = '"'
		}
		if got[1] != wantQuote {
			t.Fatalf("Bytes(%q) = %s, want quote %c", b, got, wantQuote)
		}
	})
}

// FuzzTuple builds nested tuples, some containing themselves, from the
// fuzzer's bytes and checks Tuple against a recursive model that tracks
// the tuples it is inside.
func FuzzTuple(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5})
	f.Add([]byte{6, 6, 7, 0, 8, 1, 9})
	f.Add([]byte{6, 7, 7, 7, 6, 8})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64 {
			return
		}
		var made [][]any // every tuple built, for references back
		refs := 0        // references back, at most 10: shared tuples multiply the text
		var build func() any
		build = func() any {
			if len(data) == 0 {
				return nil
			}
			c := data[0]
			data = data[1:]
			switch c % 10 {
			case 0:
				return int64(c) - 100
			case 1:
				return uint64(c) << 56
			case 2:
				return float64(c) / 7
			case 3:
				return []byte{c, '\'', 0}
			case 4:
				return c%20 < 10
			case 5:
				return nil
			case 6, 7: // a tuple of the next few values
				n := int(c/10) % 4
				tup := make([]any, n)
				made = append(made, tup)
				for i := range tup {
					tup[i] = build()
				}
				return tup
			default: // a tuple built before, perhaps one we are inside
				if len(made) == 0 || refs == 10 {
					return []any{}
				}
				refs++
				return made[int(c/10)%len(made)]
			}
		}
		var vals []any
		for len(data) > 0 && len(vals) < 8 {
			vals = append(vals, build())
		}
		var model func(v any, inside [][]any) string
		model = func(v any, inside [][]any) string {
			tup, ok := v.([]any)
			if !ok {
				return pyrepr.Value(v)
			}
			for _, o := range inside {
				if len(o) > 0 && len(o) == len(tup) && &o[0] == &tup[0] {
					return "(...)"
				}
			}
			parts := make([]string, len(tup))
			for i, x := range tup {
				parts[i] = model(x, append(inside, tup))
			}
			if len(tup) == 1 {
				return "(" + parts[0] + ",)"
			}
			return "(" + strings.Join(parts, ", ") + ")"
		}
		if got, want := pyrepr.Tuple(vals), model(vals, nil); got != want {
			t.Fatalf("Tuple = %s, model %s", got, want)
		}
	})
}
