package pyrepr_test

import (
	"bufio"
	"encoding/hex"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pystruct/pystruct/pyrepr"
)

// vector is one line of a file in testdata: an input and the repr CPython
// printed for it.
type vector struct {
	pos   string // file:line
	input string
	repr  string
}

// readVectors reads the cases of testdata/name. It fails the test if the
// file is missing or has no cases, so a lost file cannot pass silently.
func readVectors(t *testing.T, name string) []vector {
	t.Helper()
	path := filepath.Join("testdata", name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.HasPrefix(text, "#") {
			continue
		}
		pos := path + ":" + strconv.Itoa(line)
		input, repr, ok := strings.Cut(text, "\t")
		if !ok {
			t.Fatalf("%s: want two TAB-separated columns, have %q", pos, text)
		}
		vs = append(vs, vector{pos, input, repr})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatalf("%s: no cases", path)
	}
	return vs
}

// parseFloatToken reads float.hex() output or nan:<bits>.
func parseFloatToken(s string) (float64, error) {
	if bits, ok := strings.CutPrefix(s, "nan:"); ok {
		u, err := strconv.ParseUint(bits, 16, 64)
		return math.Float64frombits(u), err
	}
	return strconv.ParseFloat(s, 64)
}

func TestFloatVectors(t *testing.T) {
	for _, v := range readVectors(t, "floats.txt") {
		f, err := parseFloatToken(v.input)
		if err != nil {
			t.Fatalf("%s: %v", v.pos, err)
		}
		if got := pyrepr.Float(f); got != v.repr {
			t.Errorf("%s: Float(%s) = %s, want %s", v.pos, v.input, got, v.repr)
		}
	}
}

func TestBytesVectors(t *testing.T) {
	seen := make(map[string]bool)
	for _, v := range readVectors(t, "bytes.txt") {
		b, err := hex.DecodeString(v.input)
		if err != nil {
			t.Fatalf("%s: %v", v.pos, err)
		}
		seen[string(b)] = true
		if got := pyrepr.Bytes(b); got != v.repr {
			t.Errorf("%s: Bytes(%q) = %s, want %s", v.pos, b, got, v.repr)
		}
	}
	for c := range 256 {
		if !seen[string([]byte{byte(c)})] {
			t.Errorf("bytes.txt lacks the single byte %#02x", c)
		}
	}
}
