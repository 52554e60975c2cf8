package main

import (
	"encoding/json"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var appendJSONTests = []struct {
	in   []any
	want string
}{
	{nil, "[]"},
	{[]any{int64(5)}, "[5]"},
	{[]any{int64(1), []byte("zhang"), 1.75}, `[1, "zhang", 1.75]`},
	{[]any{int64(math.MinInt64), uint64(math.MaxUint64)}, "[-9223372036854775808, 18446744073709551615]"},
	{[]any{true, false}, "[true, false]"},
	{[]any{1e16, 1e-5, math.Copysign(0, -1), 0.1, 5e-324}, "[1e+16, 1e-05, -0.0, 0.1, 5e-324]"},
	{[]any{math.Inf(1), math.Inf(-1), math.NaN()}, `["inf", "-inf", "nan"]`},
	{[]any{[]byte("\"\\/\b\f\n\r\t\x00\x1f ~\x7f\x80\xe9\xff")}, `["\"\\/\b\f\n\r\t\u0000\u001f ~\u007f\u0080\u00e9\u00ff"]`},
}

func TestAppendJSON(t *testing.T) {
	for _, tt := range appendJSONTests {
		if got := string(appendJSON(nil, tt.in)); got != tt.want {
			t.Errorf("appendJSON(%#v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// Bytes survive the trip through JSON: every string character is one
// byte, U+0000-U+00FF, and the output is ASCII.
func TestAppendJSONBytesLossless(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	out := appendJSON(nil, []any{all, []byte{}})
	for _, c := range out {
		if c < ' ' || c > '~' {
			t.Fatalf("appendJSON wrote byte %#02x; want ASCII text only", c)
		}
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("appendJSON wrote invalid JSON %s: %v", out, err)
	}
	var back []byte
	for _, r := range got[0] {
		if r > 0xff {
			t.Fatalf("decoded string holds %U, beyond Latin-1", r)
		}
		back = append(back, byte(r))
	}
	if diff := cmp.Diff(all, back); diff != "" || got[1] != "" {
		t.Errorf("bytes after the JSON round trip (-want +got):\n%s", diff)
	}
}

var hexReaderTests = []struct {
	in      string
	want    string
	wantErr string
}{
	{"", "", ""},
	{"0aFf", "\x0a\xff", ""},
	{" 01 02\n\t03\r\v\f", "\x01\x02\x03", ""},
	{"abc", "\xab", "non-hexadecimal number found in fromhex() arg at position 3"},
	{"1 2", "", "non-hexadecimal number found in fromhex() arg at position 1"},
	{"0g", "", "non-hexadecimal number found in fromhex() arg at position 1"},
	{"01 0x", "\x01", "non-hexadecimal number found in fromhex() arg at position 4"},
	{"é", "", "non-hexadecimal number found in fromhex() arg at position 0"},
}

func TestHexReader(t *testing.T) {
	for _, tt := range hexReaderTests {
		got, err := io.ReadAll(newHexReader(strings.NewReader(tt.in)))
		errText := ""
		if err != nil {
			errText = err.Error()
		}
		if string(got) != tt.want || !strings.HasSuffix(errText, tt.wantErr) || (tt.wantErr == "") != (err == nil) {
			t.Errorf("reading hex %q: %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
