// Package testvec reads pystruct's golden test vectors: the files in
// testdata/vectors that testdata/gen_vectors.py writes by running CPython's
// struct module (see testdata/README.md for their provenance).
//
// A vector file is line-oriented text. Lines starting with '#' are comments;
// the header comments include a line
//
//	# native: byteorder=little long=8 pointer=8
//
// describing the platform that produced the native-mode ('@' or no prefix)
// results. Every other line is one case with six TAB-separated columns:
//
//		op  format  buffer  offset  args  result
//
//	  - op is calcsize, pack, pack_into, unpack, unpack_from or iter_unpack.
//	  - format is a double-quoted string as accepted by [strconv.Unquote].
//	  - buffer is "x" followed by lowercase hex (the input bytes; for
//	    pack_into the buffer before the call), or "-" when the op takes none.
//	  - offset is a decimal integer for pack_into and unpack_from, "-" otherwise.
//	  - args holds the values for pack and pack_into as space-separated tokens
//	    (the column is empty when there are none), "-" for other ops.
//	  - result is "ok" followed by an optional payload, or
//	    "err EXCEPTION: MESSAGE"; failed pack_into cases end with
//	    " => x<hex>", the whole buffer after the failed call.
//
// The ok payload is the struct size (calcsize), "x<hex>" bytes (pack, and
// pack_into, where it is the whole buffer after the call), value tokens
// (unpack, unpack_from), or records separated by " ; " (iter_unpack), where
// a record without values is written "()".
//
// Value tokens are i:<decimal int>, f:<Python float.hex()> (including
// f:inf and f:-inf), nan:<16 hex digits of the IEEE 754 bits>, b:<hex>,
// True, False and None.
//
// The functions in this package are safe for concurrent use; the values they
// return are not shared.
package testvec

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/pystruct/pystruct/internal/cabi"
)

// Kind is the type of a [Value].
type Kind int

// The kinds of values that appear in vector files.
const (
	Int     Kind = iota + 1 // Python int: Value.Int
	Float                   // Python float: Value.Float (NaN bits exact)
	Bytes                   // Python bytes: Value.Bytes
	Bool                    // Python bool: Value.Bool
	None                    // Python None
	Complex                 // Python complex: Value.Float and Value.Imag, NaN bits exact
)

// String returns the name of the kind ("Int", "Float", ...).
func (k Kind) String() string {
	switch k {
	case Int:
		return "Int"
	case Float:
		return "Float"
	case Bytes:
		return "Bytes"
	case Bool:
		return "Bool"
	case None:
		return "None"
	case Complex:
		return "Complex"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one Python value: a pack argument or an unpacked result. Only the
// field that belongs to Kind is set.
type Value struct {
	Kind  Kind
	Int   *big.Int // Kind Int; never nil for Int
	Float float64  // Kind Float, and the real part of a Complex; NaNs carry the exact bits from the file
	Imag  float64  // Kind Complex: the imaginary part, NaN bits exact
	Bytes []byte   // Kind Bytes; non-nil (possibly empty) for Bytes
	Bool  bool     // Kind Bool
}

// String returns v as a vector-file token, such as "i:-5", "f:0x1.8p+0",
// "nan:7ff8000000000000", "b:6162", "True" or, for a complex, the bits of
// its parts: "c:3ff0000000000000,c000000000000000". Floats are printed with
// [strconv.FormatFloat]'s 'x' format, which reads back to the same value but
// is not always spelled like Python's float.hex.
func (v Value) String() string {
	switch v.Kind {
	case Int:
		if v.Int == nil {
			return "i:<nil>"
		}
		return "i:" + v.Int.String()
	case Float:
		if math.IsNaN(v.Float) {
			return fmt.Sprintf("nan:%016x", math.Float64bits(v.Float))
		}
		if math.IsInf(v.Float, 0) {
			if v.Float > 0 {
				return "f:inf"
			}
			return "f:-inf"
		}
		return "f:" + strconv.FormatFloat(v.Float, 'x', -1, 64)
	case Bytes:
		return "b:" + hex.EncodeToString(v.Bytes)
	case Bool:
		if v.Bool {
			return "True"
		}
		return "False"
	case None:
		return "None"
	case Complex:
		return fmt.Sprintf("c:%016x,%016x", math.Float64bits(v.Float), math.Float64bits(v.Imag))
	}
	return v.Kind.String()
}

// Equal reports whether v and w are the same value. Floats are compared by
// their bits, so NaNs with equal bits are equal and 0.0 differs from -0.0;
// Bytes compare by content (nil equals empty).
func (v Value) Equal(w Value) bool {
	if v.Kind != w.Kind {
		return false
	}
	switch v.Kind {
	case Int:
		if v.Int == nil || w.Int == nil {
			return v.Int == w.Int
		}
		return v.Int.Cmp(w.Int) == 0
	case Float:
		return math.Float64bits(v.Float) == math.Float64bits(w.Float)
	case Bytes:
		return string(v.Bytes) == string(w.Bytes)
	case Bool:
		return v.Bool == w.Bool
	case Complex:
		return math.Float64bits(v.Float) == math.Float64bits(w.Float) && math.Float64bits(v.Imag) == math.Float64bits(w.Imag)
	}
	return true
}

// Case is one line of a vector file: a call of a Python struct function and
// what CPython returned or raised.
type Case struct {
	File string // the path the case was read from, as given to ReadFile
	Line int    // 1-based line number in File

	Op     string // calcsize, pack, pack_into, unpack, unpack_from or iter_unpack
	Format string // the format string

	Buffer    []byte // input buffer; for pack_into the buffer before the call
	HasBuffer bool   // the op takes a buffer (all but calcsize and pack)

	Offset    int64 // offset argument
	HasOffset bool  // the op takes an offset (pack_into, unpack_from)

	Args []Value // pack and pack_into values; non-nil for those ops, nil otherwise

	OK      bool      // the call succeeded
	Size    int64     // calcsize result (it may not fit a 32-bit int)
	Bytes   []byte    // pack result, or the pack_into buffer after the call (also on error)
	Values  []Value   // unpack and unpack_from result; non-nil when OK
	Records [][]Value // iter_unpack result, one slice per record; non-nil when OK
	Exc     string    // on error: the exception, "struct.error" or a builtin name such as "OverflowError"
	Msg     string    // on error: the exception message
}

// Pos returns the position of c as "file:line", for test messages.
func (c *Case) Pos() string {
	return c.File + ":" + strconv.Itoa(c.Line)
}

// Native reports whether c's format uses native mode ('@' or no prefix),
// whose results depend on the platform recorded in the file's [Header].
func (c *Case) Native() bool { return NativeMode(c.Format) }

// NativeMode reports whether the format fs uses native mode ('@' or no
// prefix): native sizes, alignment and byte order.
func NativeMode(fs string) bool {
	return fs == "" || !strings.ContainsRune("=<>!", rune(fs[0]))
}

// NativeOrder reports whether the format fs uses the native byte order
// ('@', '=' or no prefix).
func NativeOrder(fs string) bool {
	return NativeMode(fs) || fs[0] == '='
}

// BigCounts reports whether the format fs has a repeat count of 2**28 or
// more. Such a count can make a struct size past 2**31-1, the limit of
// CPython (and of pystruct) on 32-bit platforms, where the result is then
// "total struct size too long" where a 64-bit platform has another.
func BigCounts(fs string) bool {
	digits := 0
	for i := 0; i <= len(fs); i++ {
		if i < len(fs) && fs[i] >= '0' && fs[i] <= '9' {
			digits++
			continue
		}
		if digits > 0 {
			n, err := strconv.ParseUint(fs[i-digits:i], 10, 64)
			if err != nil || n >= 1<<28 {
				return true
			}
		}
		digits = 0
	}
	return false
}

// String returns the call that c describes, in the file's notation, such as
// pack_into("<h", x0000, 0, i:1).
func (c *Case) String() string {
	var b strings.Builder
	b.WriteString(c.Op)
	b.WriteByte('(')
	b.WriteString(strconv.Quote(c.Format))
	if c.HasBuffer {
		b.WriteString(", x")
		b.WriteString(hex.EncodeToString(c.Buffer))
	}
	if c.HasOffset {
		b.WriteString(", ")
		b.WriteString(strconv.FormatInt(c.Offset, 10))
	}
	for _, v := range c.Args {
		b.WriteString(", ")
		b.WriteString(v.String())
	}
	b.WriteByte(')')
	return b.String()
}

// Header holds what a file's header comments say about where its results
// came from.
type Header struct {
	ByteOrder string // native byte order: "little" or "big"
	Long      int    // native size of C long, in bytes
	Pointer   int    // native size of a pointer (format code 'P'), in bytes
	Align8    int    // native alignment of 8-byte types ('q', 'd'); 0 if not recorded
	IntBits   int    // width of Py_ssize_t, 32 or 64; 0 if not recorded
	Machine   string // platform.machine(), e.g. "x86_64"; empty if absent
	Python    string // the Python version line; empty if absent
}

// Holds reports whether the result recorded for c holds on this platform
// (see [Platform.Holds]).
func (h Header) Holds(c *Case) bool {
	align8, intBits := h.Align8, h.IntBits
	if align8 == 0 {
		align8 = 8 // files from before the field: recorded on a 64-bit platform
	}
	if intBits == 0 {
		intBits = 64
	}
	return Platform{h.ByteOrder == "big", h.Long, h.Pointer, align8, intBits}.Holds(c.Format)
}

// Platform is what the results of a format depend on besides the format:
// the native byte order, sizes and alignment, and the width of sizes.
type Platform struct {
	BigEndian bool
	Long      int // size of C long
	Pointer   int // size of a pointer
	Align8    int // alignment of 8-byte types ('q', 'd')
	IntBits   int // width of Py_ssize_t (CPython) or int (Go): 32 or 64
}

// Host is the platform pystruct runs on.
var Host = Platform{cabi.BigEndian, cabi.LongSize, cabi.PointerSize, cabi.LongLongAlign, strconv.IntSize}

// Holds reports whether a result for the format fs that was recorded on
// platform p holds on the host too. Native mode depends on the size of
// long for 'l' and 'L', of pointers for 'n', 'N' and 'P', and on the
// alignment of 'q', 'Q', 'd' and the double complex codes 'D' and 'Zd';
// native mode and '=' depend on the byte order for every code of more
// than one byte (the complex codes too); and big counts (see
// [BigCounts]) depend on the width of sizes. The test of fs is by the
// characters it has, so a malformed format may count as dependent when it
// is not.
func (p Platform) Holds(fs string) bool {
	has := func(codes string) bool { return strings.ContainsAny(fs, codes) }
	switch {
	case NativeOrder(fs) && p.BigEndian != Host.BigEndian && has("hHiIlLqQnNPefdFDZ"):
		return false
	case NativeMode(fs) && (p.Long != Host.Long && has("lL") ||
		p.Pointer != Host.Pointer && has("nNP") ||
		p.Align8 != Host.Align8 && has("qQdD")):
		return false
	case BigCounts(fs) && p.IntBits != Host.IntBits:
		return false
	}
	return true
}

// ReadHeader reads the header comments of the vector file at path.
// It fails if the file has no "# native:" line.
func ReadHeader(path string) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, err
	}
	defer f.Close()
	return ParseHeader(path, f)
}

// ParseHeader reads the header comments of a vector file from r; name is
// used in error messages. It stops at the first line that is not a comment
// and fails if there was no "# native:" line.
func ParseHeader(name string, r io.Reader) (Header, error) {
	var h Header
	native := false
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if err == io.EOF || (err == nil && !strings.HasPrefix(line, "#")) {
			break
		}
		if err != nil {
			return h, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		text := strings.TrimSpace(strings.TrimPrefix(line, "#"))
		key, val, _ := strings.Cut(text, ":")
		val = strings.TrimSpace(val)
		switch key {
		case "python":
			h.Python = val
		case "machine":
			h.Machine = val
		case "native":
			if err := parseNative(&h, val); err != nil {
				return h, fmt.Errorf("%s:%d: %w", name, n, err)
			}
			native = true
		}
	}
	if !native {
		return h, fmt.Errorf("%s: no \"# native:\" header line", name)
	}
	return h, nil
}

func parseNative(h *Header, s string) error {
	seen := 0
	for _, kv := range strings.Fields(s) {
		k, v, _ := strings.Cut(kv, "=")
		var err error
		switch k {
		case "byteorder":
			if v != "little" && v != "big" {
				err = errors.New("bad byteorder")
			}
			h.ByteOrder = v
		case "long":
			h.Long, err = strconv.Atoi(v)
		case "pointer":
			h.Pointer, err = strconv.Atoi(v)
		case "align8", "intbits":
			p := &h.Align8
			if k == "intbits" {
				p = &h.IntBits
			}
			if *p, err = strconv.Atoi(v); err != nil {
				return fmt.Errorf("bad native header field %q", kv)
			}
			continue // optional
		default:
			continue
		}
		if err != nil {
			return fmt.Errorf("bad native header field %q", kv)
		}
		seen++
	}
	if seen != 3 {
		return fmt.Errorf("native header %q needs byteorder, long and pointer", s)
	}
	return nil
}

// ReadFile reads all cases of the vector file at path. Case.File is set to
// path. Errors name the file and line.
func ReadFile(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(path, f)
}

// ReadDir reads all *.txt vector files in dir, in name order, and returns
// their cases in file order. It fails if dir holds no such file.
func ReadDir(dir string) ([]Case, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no *.txt vector files", dir)
	}
	sort.Strings(paths)
	var all []Case
	for _, p := range paths {
		cs, err := ReadFile(p)
		if err != nil {
			return nil, err
		}
		all = append(all, cs...)
	}
	return all, nil
}

// Parse reads the cases of a vector file from r; name becomes Case.File and
// appears in error messages ("name:line: ..."). Comment lines are skipped;
// any other line that is not a well-formed case is an error.
func Parse(name string, r io.Reader) ([]Case, error) {
	var cases []Case
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if err == io.EOF {
			return cases, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		c := Case{File: name, Line: n}
		if err := parseCase(&c, line); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		cases = append(cases, c)
	}
}

// readLine returns the next line without its '\n', or io.EOF at the end.
func readLine(br *bufio.Reader) (string, error) {
	line, err := br.ReadString('\n')
	if err == io.EOF && line != "" {
		err = nil
	}
	if err != nil {
		return "", err
	}
	line = strings.TrimSuffix(line, "\n")
	if strings.ContainsRune(line, '\r') {
		return "", errors.New("carriage return in line")
	}
	return line, nil
}

// Which columns each op uses.
var ops = map[string]struct{ buffer, offset, args bool }{
	"calcsize":    {},
	"pack":        {args: true},
	"pack_into":   {buffer: true, offset: true, args: true},
	"unpack":      {buffer: true},
	"unpack_from": {buffer: true, offset: true},
	"iter_unpack": {buffer: true},
}

func parseCase(c *Case, line string) error {
	col := strings.Split(line, "\t")
	if len(col) != 6 {
		return fmt.Errorf("have %d tab-separated columns, want 6", len(col))
	}
	c.Op = col[0]
	use, ok := ops[c.Op]
	if !ok {
		return fmt.Errorf("unknown op %q", c.Op)
	}

	if !strings.HasPrefix(col[1], `"`) {
		return fmt.Errorf("format %s is not a double-quoted string", col[1])
	}
	fs, err := strconv.Unquote(col[1])
	if err != nil {
		return fmt.Errorf("format %s: %v", col[1], err)
	}
	c.Format = fs

	if err := notApplicable("buffer", col[2], use.buffer); err != nil {
		return err
	}
	if use.buffer {
		if c.Buffer, err = parseHex("buffer", col[2]); err != nil {
			return err
		}
		c.HasBuffer = true
	}

	if err := notApplicable("offset", col[3], use.offset); err != nil {
		return err
	}
	if use.offset {
		if c.Offset, err = strconv.ParseInt(col[3], 10, 64); err != nil {
			return fmt.Errorf("bad offset %q", col[3])
		}
		c.HasOffset = true
	}

	if err := notApplicable("args", col[4], use.args); err != nil {
		return err
	}
	if use.args {
		if c.Args, err = parseValues(col[4]); err != nil {
			return fmt.Errorf("args: %w", err)
		}
	}

	return parseResult(c, col[5])
}

// notApplicable checks that a column is "-" exactly when the op does not use it.
func notApplicable(name, s string, used bool) error {
	if used && s == "-" {
		return fmt.Errorf("%s column is \"-\" but the op needs it", name)
	}
	if !used && s != "-" {
		return fmt.Errorf("%s column is %q, want \"-\" for this op", name, s)
	}
	return nil
}

func parseResult(c *Case, s string) error {
	if rest, ok := strings.CutPrefix(s, "err "); ok {
		if c.Op == "pack_into" {
			i := strings.LastIndex(rest, " => ")
			if i < 0 {
				return errors.New(`pack_into error result lacks " => x<buffer>"`)
			}
			b, err := parseHex("buffer after pack_into", rest[i+len(" => "):])
			if err != nil {
				return err
			}
			c.Bytes = b
			rest = rest[:i]
		}
		exc, msg, ok := strings.Cut(rest, ": ")
		if !ok || exc == "" || msg == "" || strings.ContainsRune(exc, ' ') {
			return fmt.Errorf("bad error result %q, want \"err EXCEPTION: MESSAGE\"", s)
		}
		c.Exc, c.Msg = exc, msg
		return nil
	}

	var payload string
	switch {
	case s == "ok":
	case strings.HasPrefix(s, "ok "):
		payload = s[len("ok "):]
	default:
		return fmt.Errorf("result %q starts with neither \"ok\" nor \"err \"", s)
	}
	c.OK = true
	var err error
	switch c.Op {
	case "calcsize":
		if c.Size, err = strconv.ParseInt(payload, 10, 64); err != nil || c.Size < 0 {
			return fmt.Errorf("bad calcsize result %q", payload)
		}
	case "pack", "pack_into":
		c.Bytes, err = parseHex("result", payload)
	case "unpack", "unpack_from":
		c.Values, err = parseValues(payload)
	case "iter_unpack":
		c.Records = [][]Value{}
		if payload == "" {
			break
		}
		for _, rec := range strings.Split(payload, " ; ") {
			if rec == "()" {
				c.Records = append(c.Records, []Value{})
				continue
			}
			if rec == "" {
				return errors.New("result: empty iter_unpack record, want ()")
			}
			vs, err := parseValues(rec)
			if err != nil {
				return fmt.Errorf("result: %w", err)
			}
			c.Records = append(c.Records, vs)
		}
	}
	if err != nil {
		return fmt.Errorf("result: %w", err)
	}
	return nil
}

// parseHex decodes "x<hex>".
func parseHex(what, s string) ([]byte, error) {
	h, ok := strings.CutPrefix(s, "x")
	if !ok {
		return nil, fmt.Errorf("%s %q does not start with x", what, s)
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %v", what, s, err)
	}
	return b, nil
}

// parseValues parses space-separated tokens; the empty string gives an empty,
// non-nil slice.
func parseValues(s string) ([]Value, error) {
	vs := []Value{}
	if s == "" {
		return vs, nil
	}
	for _, tok := range strings.Split(s, " ") {
		v, err := ParseValue(tok)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, nil
}

// ParseValue parses one value token, such as "i:-5", "f:0x1.8000000000000p+0",
// "f:-inf", "nan:7ff8000000000000", "b:00ff", "b:", "True", "False", "None"
// or "c:3ff0000000000000,7ff8000000000000" (a complex: its parts' bits).
func ParseValue(tok string) (Value, error) {
	switch tok {
	case "True":
		return Value{Kind: Bool, Bool: true}, nil
	case "False":
		return Value{Kind: Bool}, nil
	case "None":
		return Value{Kind: None}, nil
	}
	kind, body, ok := strings.Cut(tok, ":")
	if !ok {
		return Value{}, fmt.Errorf("bad value token %q", tok)
	}
	switch kind {
	case "i":
		n, ok := new(big.Int).SetString(body, 10)
		if !ok {
			return Value{}, fmt.Errorf("bad int token %q", tok)
		}
		return Value{Kind: Int, Int: n}, nil
	case "f":
		f, err := strconv.ParseFloat(body, 64)
		if err != nil || math.IsNaN(f) {
			return Value{}, fmt.Errorf("bad float token %q", tok)
		}
		return Value{Kind: Float, Float: f}, nil
	case "nan":
		bits, err := strconv.ParseUint(body, 16, 64)
		f := math.Float64frombits(bits)
		if err != nil || len(body) != 16 || !math.IsNaN(f) {
			return Value{}, fmt.Errorf("bad NaN token %q, want 16 hex digits of a NaN", tok)
		}
		return Value{Kind: Float, Float: f}, nil
	case "c":
		re, im, ok := strings.Cut(body, ",")
		r, err1 := strconv.ParseUint(re, 16, 64)
		i, err2 := strconv.ParseUint(im, 16, 64)
		if !ok || err1 != nil || err2 != nil || len(re) != 16 || len(im) != 16 {
			return Value{}, fmt.Errorf("bad complex token %q, want c: and the 16 hex digits of each part's bits", tok)
		}
		return Value{Kind: Complex, Float: math.Float64frombits(r), Imag: math.Float64frombits(i)}, nil
	case "b":
		b, err := hex.DecodeString(body)
		if err != nil {
			return Value{}, fmt.Errorf("bad bytes token %q", tok)
		}
		if b == nil {
			b = []byte{}
		}
		return Value{Kind: Bytes, Bytes: b}, nil
	}
	return Value{}, fmt.Errorf("bad value token %q", tok)
}
