package format_test

import (
	"errors"
	"math"
	"math/big"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/pystruct/pystruct/format"
)

// fuzzParseSeeds cover every code in every mode, the notes' record,
// native alignment and the "0l" trick, zero counts, whitespace, leading
// zeros, and each of CPython's format errors.
var fuzzParseSeeds = []string{
	"", "@", "=", "<", ">", "!",
	"xcbB?hHiIlLqQnNPefdsp",
	"@xcbB?hHiIlLqQnNPefdsp",
	"=xcbB?hHiIlLqQefdsp",
	"<xcbB?hHiIlLqQefdsp",
	">xcbB?hHiIlLqQefdsp",
	"!xcbB?hHiIlLqQefdsp",
	"<i5sf", "@llh0l", "c5p i", "@ci", "@lhl", "b0qb", "0q", "b3s h", "b2x h", "xd", "bi0x", "b0i0s",
	"cbxxxxxxhhhhiillffd?", "3c3b18x12h6i6l6f3d3?", "0s0p0c0x0h", "300p",
	"@be", "b?e", "?0e", "bf", "hd", "b?0d", "c0n", "cN", "bP", "bl", "=bl",
	"< 2h\t3s\n", "h \v\f\r", "007q", "<0000b",
	"FD", "bZf", "bZd", "<ZfZd", "!3Zd2F", "=b0D", "Zx", "Z f", "<Z", "ZF", "3Z", "12Zd", "<ZfZ",
	// Errors, each the first found left to right.
	"Z", " <h", "<@h", "@@h", "<h>h", "h<", "1 h", "12 ", "12345", "c12345", "h 12", "14s42",
	"Z12", "12Z", "h12", "<n", "=N", ">P", "!n",
	"99999999999999999999999", "99999999999999999999999Z", "9223372036854775808b",
	"9223372036854775807b", "9223372036854775807s", "4611686018427387904h", "b1152921504606846975q",
	"4611686018427387903b4611686018427387904H", "h\x00", "\x00", "\xe9", "h\xff\x00",
}

// fuzzField is what the model knows of a field.
type fuzzField struct {
	Code          byte
	Count, Offset int
}

// The platform's C layout, for the model, by the rules of the C ABIs
// rather than Go's layout (which differs on wasm, whose C is wasm32 with
// 4-byte pointers, and on 32-bit arm and mips, where Go aligns int64 to 4
// and C to 8): pointers have the word's size but on wasm, C long is 4
// bytes on Windows, and 8-byte types align to 4 on 386 outside Windows.
var (
	fuzzPtr    = map[bool]int{true: 4, false: int(unsafe.Sizeof(uintptr(0)))}[runtime.GOARCH == "wasm"]
	fuzzLong   = map[bool]int{true: 4, false: fuzzPtr}[runtime.GOOS == "windows"]
	fuzzAlign8 = map[bool]int{true: 4, false: 8}[runtime.GOARCH == "386" && runtime.GOOS != "windows"]
)

// fuzzCodes gives each code's native size and alignment, and its standard
// size (0: native only).
var fuzzCodes = map[byte][3]int{
	'x': {1, 0, 1}, 'c': {1, 1, 1}, 'b': {1, 1, 1}, 'B': {1, 1, 1}, '?': {1, 1, 1},
	'h': {2, 2, 2}, 'H': {2, 2, 2}, 'i': {4, 4, 4}, 'I': {4, 4, 4},
	'l': {fuzzLong, fuzzLong, 4}, 'L': {fuzzLong, fuzzLong, 4},
	'q': {8, fuzzAlign8, 8}, 'Q': {8, fuzzAlign8, 8},
	'n': {fuzzPtr, fuzzPtr, 0}, 'N': {fuzzPtr, fuzzPtr, 0}, 'P': {fuzzPtr, fuzzPtr, 0},
	'e': {2, 2, 2}, 'f': {4, 4, 4}, 'd': {8, fuzzAlign8, 8},
	's': {1, 0, 1}, 'p': {1, 0, 1},
	'F': {8, 4, 8}, 'D': {16, fuzzAlign8, 16}, // two floats or doubles, aligned as one
}

// fuzzModelParse parses fs by the rules of the CPython reference (§2-§4),
// on its own: big integers for counts and sizes, a table of its own. It
// returns the mode, the fields and the size, or the message of the first
// problem found.
func fuzzModelParse(fs string) (mode byte, fields []fuzzField, size int, msg string) {
	if strings.IndexFunc(fs, func(r rune) bool { return r >= 0x80 }) >= 0 {
		return 0, nil, 0, "non-ASCII character in struct format"
	}
	if strings.IndexByte(fs, 0) >= 0 {
		return 0, nil, 0, "embedded null character"
	}
	const tooLong = "total struct size too long"
	maxSize := big.NewInt(math.MaxInt)
	mode, i := '@', 0
	if fs != "" && strings.IndexByte("@=<>!", fs[0]) >= 0 {
		mode, i = fs[0], 1
	}
	total := new(big.Int)
	for i < len(fs) {
		c := fs[i]
		if strings.IndexByte(" \t\n\v\f\r", c) >= 0 {
			i++
			continue
		}
		count := big.NewInt(1)
		if '0' <= c && c <= '9' {
			count.SetInt64(0)
			for ; i < len(fs) && '0' <= fs[i] && fs[i] <= '9'; i++ {
				count.Mul(count, big.NewInt(10))
				count.Add(count, big.NewInt(int64(fs[i]-'0')))
				if count.Cmp(maxSize) > 0 {
					return 0, nil, 0, tooLong
				}
			}
			if i == len(fs) {
				return 0, nil, 0, "repeat count given without format specifier"
			}
			c = fs[i]
		}
		wide := false // "Zf" or "Zd", CPython 3.15's spelling of 'F' and 'D'
		if c == 'Z' {
			if i+1 < len(fs) && (fs[i+1] == 'f' || fs[i+1] == 'd') {
				wide, c = true, map[byte]byte{'f': 'F', 'd': 'D'}[fs[i+1]]
			} else {
				return 0, nil, 0, "bad char in struct format"
			}
		}
		row, ok := fuzzCodes[c]
		itemSize, align := row[0], row[1]
		if mode != '@' {
			itemSize, align = row[2], 0
		}
		if !ok || itemSize == 0 {
			return 0, nil, 0, "bad char in struct format"
		}
		if align > 0 {
			a := big.NewInt(int64(align))
			total.Add(total, big.NewInt(int64(align-1)))
			total.Sub(total, new(big.Int).Mod(total, a))
		}
		offset := new(big.Int).Set(total)
		total.Add(total, new(big.Int).Mul(count, big.NewInt(int64(itemSize))))
		if total.Cmp(maxSize) > 0 {
			return 0, nil, 0, tooLong
		}
		fields = append(fields, fuzzField{c, int(count.Int64()), int(offset.Int64())})
		i++
		if wide {
			i++
		}
	}
	return mode, fields, int(total.Int64()), ""
}

// FuzzParse parses any string. Parse must not panic; it must agree with
// the model on whether the string compiles, with which message, and to
// which layout; an error must be a *format.SyntaxError pointing into the
// string; and a plan must be self-consistent and survive a round trip
// through its canonical string.
func FuzzParse(f *testing.F) {
	for _, fs := range fuzzParseSeeds {
		f.Add(fs)
	}
	f.Fuzz(func(t *testing.T, fs string) {
		p, err := format.Parse(fs)
		mode, wantFields, wantSize, wantMsg := fuzzModelParse(fs)
		if err != nil {
			var se *format.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %v has type %T, want *format.SyntaxError", fs, err, err)
			}
			if !errors.Is(err, format.ErrSyntax) {
				t.Fatalf("Parse(%q) error %v is not format.ErrSyntax", fs, err)
			}
			if p != nil {
				t.Fatalf("Parse(%q) = %v with error %v, want nil", fs, p, err)
			}
			if se.Format != fs || se.Offset < 0 || se.Offset > len(fs) || !strings.HasSuffix(se.Error(), se.Msg) {
				t.Fatalf("Parse(%q) error %#v (%v)", fs, se, se)
			}
			if se.Msg != wantMsg {
				t.Fatalf("Parse(%q) error message %q, want %q", fs, se.Msg, wantMsg)
			}
			return
		}
		if wantMsg != "" {
			t.Fatalf("Parse(%q) = %v, want error %q", fs, p, wantMsg)
		}
		if p.Format() != fs || byte(p.Order()) != mode {
			t.Fatalf("Parse(%q): Format() = %q, Order() = %v; want mode %c", fs, p.Format(), p.Order(), mode)
		}

		// The plan is the model's layout.
		fields := p.Fields()
		var got []fuzzField
		for _, f := range fields {
			got = append(got, fuzzField{f.Code, f.Count, f.Offset})
		}
		if diff := cmp.Diff(wantFields, got); diff != "" {
			t.Fatalf("Parse(%q) fields mismatch (-want +got):\n%s", fs, diff)
		}
		if p.Size() != wantSize {
			t.Fatalf("Parse(%q).Size() = %d, want %d", fs, p.Size(), wantSize)
		}

		// The plan agrees with itself.
		end, values, byteStrings := 0, 0, 0
		for i, f := range fields {
			if f.Offset < end {
				t.Fatalf("Parse(%q) field %d %+v starts before the end %d of the previous one", fs, i, f, end)
			}
			if mode != '@' && f.Offset != end {
				t.Fatalf("Parse(%q) field %d %+v: padding in a standard mode", fs, i, f)
			}
			wantItem := format.ItemSize(p.Order(), f.Code)
			if f.Kind == format.String || f.Kind == format.Pascal {
				wantItem = f.Count
			}
			if f.Kind == format.Invalid || f.Kind != format.KindOf(p.Order(), f.Code) || f.Size != wantItem {
				t.Fatalf("Parse(%q) field %d = %+v: kind %v, item size %d", fs, i, f, format.KindOf(p.Order(), f.Code), wantItem)
			}
			if f != p.Field(i) {
				t.Fatalf("Parse(%q): Fields()[%d] = %+v, Field(%d) = %+v", fs, i, f, i, p.Field(i))
			}
			end = f.Offset + f.Len()
			values += f.NumValues()
			switch f.Kind {
			case format.Char, format.String, format.Pascal:
				byteStrings += f.Len()
			}
		}
		if p.Size() != end || p.NumFields() != len(fields) || p.NumValues() != values || p.ByteStringLen() != byteStrings {
			t.Fatalf("Parse(%q): Size() = %d, NumFields() = %d, NumValues() = %d, ByteStringLen() = %d; fields end at %d, number %d, hold %d values and %d bytes of byte strings",
				fs, p.Size(), p.NumFields(), p.NumValues(), p.ByteStringLen(), end, len(fields), values, byteStrings)
		}

		// The canonical string parses to an equal plan.
		canon := p.String()
		q, err := format.Parse(canon)
		if err != nil {
			t.Fatalf("Parse(%q), the canonical string of %q: %v", canon, fs, err)
		}
		if diff := cmp.Diff(fields, q.Fields()); diff != "" {
			t.Fatalf("Parse(%q) fields differ from those of %q (-orig +canonical):\n%s", canon, fs, diff)
		}
		if q.Size() != p.Size() || q.NumValues() != p.NumValues() || q.Order() != p.Order() || q.String() != canon {
			t.Fatalf("Parse(%q) = %v (size %d, %d values), Parse(%q) = %v (size %d, %d values)",
				fs, p, p.Size(), p.NumValues(), canon, q, q.Size(), q.NumValues())
		}
	})
}
