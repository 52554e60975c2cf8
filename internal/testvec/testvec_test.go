package testvec

import (
	"encoding/binary"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `# pystruct golden vectors: sample.txt
# python: CPython 3.13.0 (main) [GCC]
# machine: x86_64
# native: byteorder=little long=8 pointer=8
calcsize	"@llh0l"	-	-	-	ok 24
calcsize	"\u0000"	-	-	-	err struct.error: embedded null character
pack	"<hd"	-	-	i:-2 f:0x1.8000000000000p+0	ok xfeff000000000000f83f
pack	"<"	-	-		ok x
pack	"e"	-	-	f:0x1.ffe0000000000p+15	err OverflowError: float too large to pack with e format
pack	"5?"	-	-	True False None b: nan:fff8000000000001	ok x0100000001
pack	"<d"	-	-	f:-inf	ok x000000000000f0ff
pack_into	"<hh"	xffffffffffff	1	i:1 i:70000	err struct.error: 'h' format requires -32768 <= number <= 32767 => xff01000000ff
pack_into	"b"	x0000	-2	i:127	ok x7f00
unpack	"<dfq"	x0000000000000000000000ffffffffffffffffff	-	-	ok f:-0x0.0p+0 f:-inf i:-1
unpack	"5x"	x0102030405	-	-	ok
unpack	"<e"	x007e	-	-	ok nan:7ff8000000000000
unpack_from	"<h"	x010203	-4	-	err struct.error: offset -4 out of range for 3-byte buffer
unpack_from	"3s?"	x00616263ff	1	-	ok b:616263 True
iter_unpack	">IB"	x0102030405060708090a	-	-	ok i:16909060 i:5 ; i:101124105 i:10
iter_unpack	"4x"	x0000000000000000	-	-	ok () ; ()
iter_unpack	"b"	x	-	-	ok
iter_unpack	""	x01	-	-	err struct.error: cannot iteratively unpack with a struct of length 0
`

func TestParseSample(t *testing.T) {
	cases, err := Parse("sample.txt", strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 18 {
		t.Fatalf("got %d cases, want 18", len(cases))
	}
	c := cases[0]
	if c.Pos() != "sample.txt:5" || c.Op != "calcsize" || c.Format != "@llh0l" || !c.OK || c.Size != 24 ||
		c.HasBuffer || c.HasOffset || c.Args != nil || !c.Native() {
		t.Errorf("case 0 = %+v", c)
	}
	if c := cases[1]; c.Format != "\x00" || c.OK || c.Exc != "struct.error" || c.Msg != "embedded null character" {
		t.Errorf("%s: %+v", c.Pos(), c)
	}
	c = cases[2]
	if len(c.Args) != 2 || c.Args[0].Kind != Int || c.Args[0].Int.Int64() != -2 ||
		c.Args[1].Kind != Float || c.Args[1].Float != 1.5 || string(c.Bytes) != "\xfe\xff\x00\x00\x00\x00\x00\x00\xf8\x3f" || c.Native() {
		t.Errorf("%s: %+v", c.Pos(), c)
	}
	if c := cases[3]; c.Args == nil || len(c.Args) != 0 || !c.OK || c.Bytes == nil || len(c.Bytes) != 0 {
		t.Errorf("%s: empty args/result: %+v", c.Pos(), c)
	}
	if c := cases[4]; c.OK || c.Exc != "OverflowError" || c.Msg != "float too large to pack with e format" || c.Args[0].Float != 65520 {
		t.Errorf("%s: %+v", c.Pos(), c)
	}
	c = cases[5]
	wantKinds := []Kind{Bool, Bool, None, Bytes, Float}
	for i, v := range c.Args {
		if v.Kind != wantKinds[i] {
			t.Errorf("%s: arg %d kind %v, want %v", c.Pos(), i, v.Kind, wantKinds[i])
		}
	}
	if !c.Args[0].Bool || c.Args[1].Bool || c.Args[3].Bytes == nil || len(c.Args[3].Bytes) != 0 ||
		math.Float64bits(c.Args[4].Float) != 0xfff8000000000001 {
		t.Errorf("%s: %+v", c.Pos(), c.Args)
	}
	if c := cases[6]; !math.IsInf(c.Args[0].Float, -1) {
		t.Errorf("%s: %v", c.Pos(), c.Args[0])
	}
	c = cases[7]
	if c.Op != "pack_into" || c.OK || !c.HasBuffer || !c.HasOffset || c.Offset != 1 ||
		string(c.Buffer) != strings.Repeat("\xff", 6) || string(c.Bytes) != "\xff\x01\x00\x00\x00\xff" ||
		c.Exc != "struct.error" || c.Msg != "'h' format requires -32768 <= number <= 32767" {
		t.Errorf("%s: pack_into error: %+v", c.Pos(), c)
	}
	if c := cases[8]; !c.OK || c.Offset != -2 || string(c.Bytes) != "\x7f\x00" {
		t.Errorf("%s: %+v", c.Pos(), c)
	}
	c = cases[9]
	if len(c.Values) != 3 || math.Float64bits(c.Values[0].Float) != 1<<63 || !math.IsInf(c.Values[1].Float, -1) ||
		c.Values[2].Int.Int64() != -1 {
		t.Errorf("%s: %v", c.Pos(), c.Values)
	}
	if c := cases[10]; !c.OK || c.Values == nil || len(c.Values) != 0 {
		t.Errorf("%s: empty tuple: %+v", c.Pos(), c)
	}
	if c := cases[11]; math.Float64bits(c.Values[0].Float) != 0x7ff8000000000000 {
		t.Errorf("%s: %v", c.Pos(), c.Values)
	}
	if c := cases[12]; c.Op != "unpack_from" || c.Offset != -4 || c.OK || c.Msg != "offset -4 out of range for 3-byte buffer" {
		t.Errorf("%s: %+v", c.Pos(), c)
	}
	if c := cases[13]; string(c.Values[0].Bytes) != "abc" || !c.Values[1].Bool {
		t.Errorf("%s: %v", c.Pos(), c.Values)
	}
	c = cases[14]
	if len(c.Records) != 2 || len(c.Records[1]) != 2 || c.Records[1][0].Int.Int64() != 0x06070809 || c.Records[1][1].Int.Int64() != 10 {
		t.Errorf("%s: %v", c.Pos(), c.Records)
	}
	if c := cases[15]; len(c.Records) != 2 || c.Records[0] == nil || len(c.Records[0]) != 0 || len(c.Records[1]) != 0 {
		t.Errorf("%s: () records: %v", c.Pos(), c.Records)
	}
	if c := cases[16]; !c.OK || c.Records == nil || len(c.Records) != 0 {
		t.Errorf("%s: no records: %+v", c.Pos(), c)
	}
	if c := cases[17]; c.OK || c.Msg != "cannot iteratively unpack with a struct of length 0" {
		t.Errorf("%s: %+v", c.Pos(), c)
	}
}

func TestParseHeader(t *testing.T) {
	h, err := ParseHeader("sample.txt", strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := Header{ByteOrder: "little", Long: 8, Pointer: 8, Machine: "x86_64", Python: "CPython 3.13.0 (main) [GCC]"}
	if h != want {
		t.Errorf("ParseHeader = %+v, want %+v", h, want)
	}
	for _, bad := range []string{
		"# python: x\ncalcsize\t\"\"\t-\t-\t-\tok 0\n# native: byteorder=little long=8 pointer=8\n",
		"# native: byteorder=little long=8\n",
		"# native: byteorder=middle long=8 pointer=8\n",
		"# native: byteorder=little long=eight pointer=8\n",
	} {
		if _, err := ParseHeader("h.txt", strings.NewReader(bad)); err == nil || !strings.HasPrefix(err.Error(), "h.txt") {
			t.Errorf("ParseHeader(%q) error = %v, want an error naming h.txt", bad, err)
		}
	}
}

func TestParseValue(t *testing.T) {
	big1, _ := new(big.Int).SetString("-1000000000000000000000000000000", 10)
	tests := []struct {
		tok  string
		want Value
	}{
		{"i:0", Value{Kind: Int, Int: big.NewInt(0)}},
		{"i:-1000000000000000000000000000000", Value{Kind: Int, Int: big1}},
		{"f:0x0.0000000000001p-1022", Value{Kind: Float, Float: 5e-324}},
		{"f:-0x1.0000000000000p-1", Value{Kind: Float, Float: -0.5}},
		{"f:inf", Value{Kind: Float, Float: math.Inf(1)}},
		{"nan:7ff0000000000001", Value{Kind: Float, Float: math.Float64frombits(0x7ff0000000000001)}},
		{"b:00ff", Value{Kind: Bytes, Bytes: []byte{0, 0xff}}},
		{"b:", Value{Kind: Bytes, Bytes: []byte{}}},
		{"True", Value{Kind: Bool, Bool: true}},
		{"False", Value{Kind: Bool}},
		{"None", Value{Kind: None}},
	}
	for _, tt := range tests {
		got, err := ParseValue(tt.tok)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseValue(%q) = %v, %v; want %v", tt.tok, got, err, tt.want)
		}
		if again, err := ParseValue(got.String()); err != nil || !again.Equal(got) {
			t.Errorf("ParseValue(%q.String() = %q) = %v, %v", tt.tok, got.String(), again, err)
		}
	}
	for _, tok := range []string{"", "i:", "i:1.5", "i:0x10", "f:nan", "f:", "f:abc", "nan:7ff8", "nan:3ff0000000000000",
		"nan:7ff000000000000g", "b:0", "b:zz", "true", "none", "x:1", "s:61"} {
		if v, err := ParseValue(tok); err == nil {
			t.Errorf("ParseValue(%q) = %v, want an error", tok, v)
		}
	}
}

func TestValueEqual(t *testing.T) {
	pos, neg := Value{Kind: Float, Float: 0}, Value{Kind: Float, Float: math.Copysign(0, -1)}
	if pos.Equal(neg) {
		t.Error("0.0 equals -0.0")
	}
	nan := Value{Kind: Float, Float: math.NaN()}
	if !nan.Equal(nan) {
		t.Error("NaN does not equal itself")
	}
	if (Value{Kind: Bytes}).Equal(Value{Kind: Bool}) {
		t.Error("different kinds are equal")
	}
	if !(Value{Kind: Bytes}).Equal(Value{Kind: Bytes, Bytes: []byte{}}) {
		t.Error("nil bytes differ from empty bytes")
	}
}

func TestParseErrors(t *testing.T) {
	bad := []string{
		"",                                                        // blank line
		"calcsize\t\"h\"\t-\t-\t-",                                // 5 columns
		"calcsize\t\"h\"\t-\t-\t-\tok 2\textra",                   // 7 columns
		"frobnicate\t\"h\"\t-\t-\t-\tok 2",                        // unknown op
		"calcsize\th\t-\t-\t-\tok 2",                              // unquoted format
		"calcsize\t\"h\t-\t-\t-\tok 2",                            // bad quoting
		"calcsize\t\"h\"\tx00\t-\t-\tok 2",                        // buffer for calcsize
		"calcsize\t\"h\"\t-\t-\t-\tok two",                        // bad size
		"calcsize\t\"h\"\t-\t-\t-\tfine",                          // bad result
		"pack\t\"h\"\t-\t-\t-\tok x0100",                          // "-" args for pack
		"pack\t\"h\"\t-\t-\ti:1  i:2\tok x0100",                   // empty token
		"pack\t\"h\"\t-\t-\t1\tok x0100",                          // untyped token
		"pack\t\"h\"\t-\t-\ti:1\tok 0100",                         // bytes without x
		"pack\t\"h\"\t-\t-\ti:1\tok x010",                         // odd hex
		"pack\t\"h\"\t-\t-\ti:1\terr struct.error",                // no message
		"pack\t\"h\"\t-\t-\ti:1\terr : message",                   // no exception
		"unpack\t\"h\"\t-\t-\t-\tok i:1",                          // missing buffer
		"unpack\t\"h\"\t0100\t-\t-\tok i:1",                       // buffer without x
		"unpack\t\"h\"\tx0100\t0\t-\tok i:1",                      // offset for unpack
		"unpack\t\"h\"\tx0100\t-\t-\tok f:nan",                    // NaN spelled as a float
		"unpack_from\t\"h\"\tx0100\t-\t-\tok i:1",                 // missing offset
		"unpack_from\t\"h\"\tx0100\t1.5\t-\tok i:1",               // bad offset
		"unpack_from\t\"h\"\tx0100\t0\ti:1\tok i:1",               // args for unpack_from
		"pack_into\t\"h\"\tx0000\t0\ti:1\terr struct.error: boom", // no => buffer
		"pack_into\t\"h\"\tx0000\t0\ti:1\terr struct.error: boom => 0000",
		"iter_unpack\t\"h\"\tx0100\t-\t-\tok i:1 ; ",  // empty record
		"iter_unpack\t\"h\"\tx0100\t-\t-\tok i:1 ; ;", // empty record
		"calcsize\t\"h\"\t-\t-\t-\tok 2\r",            // CRLF
	}
	for _, line := range bad {
		input := "# header\ncalcsize\t\"\"\t-\t-\t-\tok 0\n" + line + "\ncalcsize\t\"\"\t-\t-\t-\tok 0\n"
		cases, err := Parse("bad.txt", strings.NewReader(input))
		if err == nil {
			t.Errorf("Parse(%q) = %d cases, want an error", line, len(cases))
			continue
		}
		if !strings.HasPrefix(err.Error(), "bad.txt:3: ") {
			t.Errorf("Parse(%q) error %q does not start with bad.txt:3: ", line, err)
		}
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "v.txt")
	if err := os.WriteFile(path, []byte("# c\ncalcsize\t\"h\"\t-\t-\t-\tok 2\npack\t\"h\"\t-\t-\ti:1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path); err == nil || !strings.HasPrefix(err.Error(), path+":3: ") {
		t.Errorf("ReadFile error = %v, want one starting with %s:3: ", err, path)
	}
	if _, err := ReadDir(dir); err == nil {
		t.Error("ReadDir of a directory with a bad file succeeded")
	}
	if _, err := ReadDir(t.TempDir()); err == nil {
		t.Error("ReadDir of an empty directory succeeded")
	}
}

const vectorDir = "../../testdata/vectors"

// TestVectors reads the committed vectors: every file has the same native
// header and every line parses.
func TestVectors(t *testing.T) {
	cases, err := ReadDir(vectorDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 5000 {
		t.Fatalf("read %d cases from %s, want more than 5000", len(cases), vectorDir)
	}
	paths, _ := filepath.Glob(filepath.Join(vectorDir, "*.txt"))
	var first Header
	seen := map[string]int{}
	for i, p := range paths {
		h, err := ReadHeader(p)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = h
		} else if h != first {
			t.Errorf("%s: header %+v differs from %s's %+v", p, h, paths[0], first)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := 0
		for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			if !strings.HasPrefix(l, "#") {
				lines++
			}
		}
		n := 0
		for _, c := range cases {
			if c.File == p {
				n++
			}
		}
		if n != lines {
			t.Errorf("%s: %d cases parsed from %d case lines", p, n, lines)
		}
	}
	if !strings.HasPrefix(first.Python, "CPython 3.13.") {
		t.Errorf("vectors come from %q, want CPython 3.13", first.Python)
	}
	for _, c := range cases {
		seen[c.Op]++
		if !c.OK && (c.Exc == "" || c.Msg == "") {
			t.Errorf("%s: error case without exception or message", c.Pos())
		}
	}
	for op := range ops {
		if seen[op] == 0 {
			t.Errorf("no %s cases in %s", op, vectorDir)
		}
	}
}

// TestVectorTokensExact cross-checks the value tokens against the buffers
// they were unpacked from: for standard-size d, q and Q the decoded value
// must have exactly the bits of the input.
func TestVectorTokensExact(t *testing.T) {
	cases, err := ReadDir(vectorDir)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range cases {
		if c.Op != "unpack" || !c.OK || len(c.Format) != 2 || len(c.Buffer) != 8 {
			continue
		}
		var order binary.ByteOrder
		switch c.Format[0] {
		case '<':
			order = binary.LittleEndian
		case '>', '!':
			order = binary.BigEndian
		default:
			continue
		}
		bits := order.Uint64(c.Buffer)
		v := c.Values[0]
		switch c.Format[1] {
		case 'd':
			if v.Kind != Float || math.Float64bits(v.Float) != bits {
				t.Errorf("%s: %v does not have bits %016x", c.Pos(), v, bits)
			}
		case 'q':
			if v.Kind != Int || !v.Int.IsInt64() || v.Int.Int64() != int64(bits) {
				t.Errorf("%s: %v is not %d", c.Pos(), v, int64(bits))
			}
		case 'Q':
			if v.Kind != Int || !v.Int.IsUint64() || v.Int.Uint64() != bits {
				t.Errorf("%s: %v is not %d", c.Pos(), v, bits)
			}
		default:
			continue
		}
		checked++
	}
	if checked < 50 {
		t.Errorf("checked only %d unpack cases", checked)
	}
}

func TestBigCounts(t *testing.T) {
	for fs, want := range map[string]bool{
		"":                     false,
		"<i5sf":                false,
		"268435455s":           false,
		"268435456s":           true,
		"<h 1x268435456q":      true,
		"99999999999999999999": true,
		"b0268435455x":         false,
	} {
		if got := BigCounts(fs); got != want {
			t.Errorf("BigCounts(%q) = %v, want %v", fs, got, want)
		}
	}
}

func TestPlatformHolds(t *testing.T) {
	other := Host
	other.Long++
	flipped := Host
	flipped.BigEndian = !flipped.BigEndian
	narrow := Host
	narrow.IntBits = 96 - narrow.IntBits // 32 <-> 64
	for _, tt := range []struct {
		p    Platform
		fs   string
		want bool
	}{
		{Host, "@l", true},
		{Host, "999999999999x", true},
		{other, "l", false},
		{other, "@hL", false},
		{other, "@h", true}, // no long in it
		{other, "=l", true},
		{other, "<l", true},
		{flipped, "=h", false},
		{flipped, "<h", true},
		{flipped, "!h", true},
		{narrow, "<999999999999x", false},
		{narrow, "<99x", true},
	} {
		if got := tt.p.Holds(tt.fs); got != tt.want {
			t.Errorf("%+v.Holds(%q) = %v, want %v", tt.p, tt.fs, got, tt.want)
		}
	}
}
