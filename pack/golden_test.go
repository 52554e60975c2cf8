package pack_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/testvec"
	"github.com/pystruct/pystruct/pack"
)

const vectorDir = "../testdata/vectors"

// TestGolden replays every case CPython 3.13 recorded in ../testdata/vectors
// through the package-level functions, and reports file:line on failure.
func TestGolden(t *testing.T) {
	cases, err := testvec.ReadDir(vectorDir)
	if err != nil {
		t.Fatal(err)
	}
	h, err := testvec.ReadHeader(vectorDir + "/ints.txt")
	if err != nil {
		t.Fatal(err)
	}
	failures, ran := 0, 0
	for i := range cases {
		c := &cases[i]
		if !h.Holds(c) {
			continue
		}
		ran++
		if msg := runCase(c, i%4); msg != "" {
			t.Errorf("%s: %s: %s", c.Pos(), c, msg)
			if failures++; failures == 50 {
				t.Fatal("too many failures")
			}
		}
	}
	if ran < 5000 {
		t.Errorf("ran only %d golden cases", ran) // even where no native case holds, more than half do
	}
	if ran < len(cases) {
		t.Logf("%d of %d cases skipped: their results depend on the platform (recorded with %+v)", len(cases)-ran, len(cases), h)
	}
}

// runCase runs one case through pack's package-level functions and a
// compiled Struct, and returns what differs from CPython, or "". variant
// picks the Go types the Python values are given as.
func runCase(c *testvec.Case, variant int) string {
	s, cerr := pack.Compile(c.Format)
	switch c.Op {
	case "calcsize":
		n, err := pack.Calcsize(c.Format)
		if err != nil || !c.OK {
			return checkError(c, err)
		}
		if int64(n) != c.Size {
			return fmt.Sprintf("Calcsize = %d, want %d", n, c.Size)
		}
	case "pack":
		args := goValues(c.Args, variant)
		b, err := pack.Pack(c.Format, args...)
		if err != nil || !c.OK {
			return checkError(c, err)
		}
		if !bytes.Equal(b, c.Bytes) {
			return fmt.Sprintf("Pack = %x, want %x", b, c.Bytes)
		}
		if b2, _ := s.Append([]byte("prefix"), args...); !bytes.Equal(b2[6:], c.Bytes) {
			return fmt.Sprintf("Struct.Append = %x, want prefix+%x", b2, c.Bytes)
		}
	case "pack_into":
		off, ok := intOffset(c.Offset)
		if !ok {
			return ""
		}
		buf := bytes.Clone(c.Buffer)
		err := pack.PackInto(c.Format, buf, off, goValues(c.Args, variant)...)
		if msg := checkError(c, err); msg != "" {
			return msg
		}
		if c.Bytes != nil && !bytes.Equal(buf, c.Bytes) {
			return fmt.Sprintf("PackInto left %x, want %x", buf, c.Bytes)
		}
	case "unpack", "unpack_from":
		var vals []any
		var err error
		if c.Op == "unpack" {
			vals, err = pack.Unpack(c.Format, c.Buffer)
		} else {
			off, ok := intOffset(c.Offset)
			if !ok {
				return ""
			}
			vals, err = pack.UnpackFrom(c.Format, c.Buffer, off)
		}
		if err != nil || !c.OK {
			return checkError(c, err)
		}
		return compareValues(vals, c.Values)
	case "iter_unpack":
		seq, err := pack.IterUnpack(c.Format, c.Buffer)
		if err != nil || !c.OK {
			return checkError(c, err)
		}
		n := 0
		for rec := range seq {
			if n >= len(c.Records) {
				return fmt.Sprintf("IterUnpack yields more than %d records", len(c.Records))
			}
			if msg := compareValues(rec, c.Records[n]); msg != "" {
				return fmt.Sprintf("record %d: %s", n, msg)
			}
			n++
		}
		if n != len(c.Records) {
			return fmt.Sprintf("IterUnpack yields %d records, want %d", n, len(c.Records))
		}
	default:
		return "unknown op " + c.Op
	}
	if cerr != nil && c.OK {
		return fmt.Sprintf("Compile failed (%v) where CPython succeeded", cerr)
	}
	return ""
}

func intOffset(o int64) (int, bool) {
	return int(o), int64(int(o)) == o
}

// checkError compares err with the case's outcome: nil for a success, or
// an error ending with CPython's message and of the matching category.
func checkError(c *testvec.Case, err error) string {
	if c.OK {
		if err != nil {
			return fmt.Sprintf("unexpected error: %v", err)
		}
		return ""
	}
	if err == nil {
		return fmt.Sprintf("no error, want %s: %s", c.Exc, c.Msg)
	}
	if !strings.HasSuffix(err.Error(), ": "+c.Msg) {
		return fmt.Sprintf("error %q, want one ending %q", err, c.Msg)
	}
	if want := category(c); !errors.Is(err, want) {
		return fmt.Sprintf("error %v does not match %v", err, want)
	}
	return ""
}

var syntaxMessages = map[string]bool{
	"bad char in struct format":                   true,
	"repeat count given without format specifier": true,
	"total struct size too long":                  true,
	"embedded null character":                     true,
}

// category is the error category pystruct assigns to CPython's exception.
func category(c *testvec.Case) error {
	m := c.Msg
	switch {
	case c.Exc == "OverflowError":
		return pack.ErrRange
	case syntaxMessages[m]:
		return format.ErrSyntax
	case strings.HasPrefix(m, "required argument") || strings.HasPrefix(m, "char format") || strings.HasSuffix(m, "must be a bytes object"):
		return pack.ErrType
	case strings.Contains(m, "format requires") || m == "int too large to convert":
		return pack.ErrRange
	case strings.Contains(m, "items for packing"):
		return pack.ErrCount
	}
	return pack.ErrBuffer
}

// goValues converts Python values to Go ones. Ints become int64, uint64
// or *big.Int, or, depending on variant, smaller or named Go integer types;
// bytes become []byte or, for odd variants, string.
func goValues(vals []testvec.Value, variant int) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		switch v.Kind {
		case testvec.Int:
			out[i] = goInt(v.Int, variant)
		case testvec.Float:
			out[i] = v.Float
		case testvec.Bytes:
			if variant%2 == 1 {
				out[i] = string(v.Bytes)
			} else {
				out[i] = bytes.Clone(v.Bytes)
			}
		case testvec.Bool:
			out[i] = v.Bool
		case testvec.None:
			out[i] = nil
		case testvec.Complex:
			out[i] = complex(v.Float, v.Imag)
		}
	}
	return out
}

type namedInt int32

func goInt(x *big.Int, variant int) any {
	switch {
	case variant == 1 && x.IsInt64() && x.Int64() >= math.MinInt32 && x.Int64() <= math.MaxInt32:
		return namedInt(x.Int64())
	case variant == 2 && x.IsUint64() && x.Uint64() <= math.MaxUint16:
		return uint16(x.Uint64())
	case variant == 3:
		return new(big.Int).Set(x)
	case x.IsInt64():
		return x.Int64()
	case x.IsUint64():
		return x.Uint64()
	}
	return new(big.Int).Set(x)
}

// compareValues compares unpacked Go values with CPython's, floats by bits.
func compareValues(got []any, want []testvec.Value) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d values, want %d", len(got), len(want))
	}
	for i, w := range want {
		var ok bool
		switch g := got[i].(type) {
		case int64:
			ok = w.Kind == testvec.Int && w.Int.IsInt64() && w.Int.Int64() == g
		case uint64:
			ok = w.Kind == testvec.Int && w.Int.IsUint64() && w.Int.Uint64() == g
		case float64:
			ok = w.Kind == testvec.Float && math.Float64bits(w.Float) == math.Float64bits(g)
		case bool:
			ok = w.Kind == testvec.Bool && w.Bool == g
		case []byte:
			ok = w.Kind == testvec.Bytes && bytes.Equal(w.Bytes, g)
		case complex128:
			ok = w.Kind == testvec.Complex && math.Float64bits(w.Float) == math.Float64bits(real(g)) &&
				math.Float64bits(w.Imag) == math.Float64bits(imag(g))
		}
		if !ok {
			return fmt.Sprintf("value %d = %#v (%s), want %s", i, got[i], hexIfBytes(got[i]), w)
		}
	}
	return ""
}

func hexIfBytes(v any) string {
	if b, ok := v.([]byte); ok {
		return "x" + hex.EncodeToString(b)
	}
	return fmt.Sprintf("%T", v)
}
