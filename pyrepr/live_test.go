package pyrepr_test

import (
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pystruct/pystruct/internal/livepy"
	"github.com/pystruct/pystruct/pyrepr"
)

var (
	liveSeed  = flag.Uint64("seed", 0, "seed for the random inputs of the live Python tests (0: from the clock)")
	liveCount = flag.Int("live.n", 20000, "number of random inputs of each kind in the live Python tests")
)

// python returns a command that runs CPython 3.13 with args; see
// package livepy for how it is found (the test fails without it).
func python(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	return livepy.Command(t, args...)
}

// pythonLines runs the Python program prog with input on stdin and returns
// the lines it prints.
func pythonLines(t *testing.T, prog string, input []byte) []string {
	t.Helper()
	cmd := python(t, "-c", prog)
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.Bytes())
	}
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
}

func liveRand(t *testing.T) *rand.Rand {
	seed := *liveSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("random inputs from -seed=%d", seed)
	return rand.New(rand.NewPCG(seed, seed))
}

// randomFloat returns floats of the kinds where repr is easy to get wrong.
func randomFloat(r *rand.Rand) float64 {
	switch r.IntN(8) {
	case 0: // any bit pattern, NaNs and infinities included
		return math.Float64frombits(r.Uint64())
	case 1: // subnormal
		return math.Float64frombits(r.Uint64() & (1<<63 | 1<<52 - 1))
	case 2: // integer-valued
		return float64(r.Int64() >> r.IntN(64))
	case 3: // huge or tiny
		return math.Ldexp(1+r.Float64(), r.IntN(2098)-1074)
	case 4: // near the switch between positional and scientific notation
		return math.Pow10(r.IntN(9)*4-16) * (1 + float64(r.IntN(10))) * (1 + r.Float64()*1e-15)
	case 5: // a short decimal
		f, _ := strconv.ParseFloat(strconv.Itoa(r.IntN(1e6))+"e"+strconv.Itoa(r.IntN(660)-340), 64)
		return f
	case 6: // signed zero and neighbours
		return []float64{0, math.Copysign(0, -1), 5e-324, -5e-324, math.Inf(1), math.Inf(-1)}[r.IntN(6)]
	}
	return (r.Float64() - 0.5) * math.Pow10(r.IntN(40)-20)
}

// Python's repr and Float agree on random floats.
func TestFloatLive(t *testing.T) {
	r := liveRand(t)
	fs := make([]float64, *liveCount)
	var in bytes.Buffer
	for i := range fs {
		fs[i] = randomFloat(r)
		in.WriteString(strconv.FormatUint(math.Float64bits(fs[i]), 16))
		in.WriteByte('\n')
	}
	got := pythonLines(t, `
import struct, sys
for line in sys.stdin:
    print(repr(struct.unpack('<d', int(line, 16).to_bytes(8, 'little'))[0]))
`, in.Bytes())
	if len(got) != len(fs) {
		t.Fatalf("python printed %d lines for %d floats", len(got), len(fs))
	}
	for i, f := range fs {
		if want := got[i]; pyrepr.Float(f) != want {
			t.Errorf("Float(%#016x) = %s, Python's repr is %s", math.Float64bits(f), pyrepr.Float(f), want)
		}
	}
}

// Python's repr of complex(x, y) and Complex agree on random parts, each of
// the kinds randomFloat makes (zeros of both signs, NaNs of every sign and
// payload and infinities among them).
func TestComplexLive(t *testing.T) {
	r := liveRand(t)
	cs := make([]complex128, *liveCount)
	var in bytes.Buffer
	for i := range cs {
		re, im := randomFloat(r), randomFloat(r)
		switch r.IntN(8) {
		case 0:
			re = 0
		case 1:
			re = math.Copysign(0, -1)
		case 2:
			im = float64(r.IntN(2001) - 1000)
		}
		cs[i] = complex(re, im)
		fmt.Fprintf(&in, "%x %x\n", math.Float64bits(re), math.Float64bits(im))
	}
	got := pythonLines(t, `
import struct, sys
for line in sys.stdin:
    re, im = (struct.unpack('<d', int(w, 16).to_bytes(8, 'little'))[0] for w in line.split())
    print(repr(complex(re, im)))
`, in.Bytes())
	if len(got) != len(cs) {
		t.Fatalf("python printed %d lines for %d complex values", len(got), len(cs))
	}
	for i, c := range cs {
		if want := got[i]; pyrepr.Complex(c) != want {
			t.Errorf("Complex(complex(%#016x, %#016x)) = %s, Python's repr is %s",
				math.Float64bits(real(c)), math.Float64bits(imag(c)), pyrepr.Complex(c), want)
		}
	}
}

// Python's repr and Bytes agree on all single bytes and random strings.
func TestBytesLive(t *testing.T) {
	r := liveRand(t)
	var bs [][]byte
	for c := range 256 {
		bs = append(bs, []byte{byte(c)})
	}
	quoteish := []byte("'\"\\ab\x00\n\x7f")
	for range *liveCount {
		b := make([]byte, r.IntN(30))
		for i := range b {
			if r.IntN(3) == 0 {
				b[i] = quoteish[r.IntN(len(quoteish))]
			} else {
				b[i] = byte(r.Uint32())
			}
		}
		bs = append(bs, b)
	}
	var in bytes.Buffer
	for _, b := range bs {
		in.WriteString(hex.EncodeToString(b))
		in.WriteByte('\n')
	}
	got := pythonLines(t, `
import sys
for line in sys.stdin:
    print(repr(bytes.fromhex(line)))
`, in.Bytes())
	if len(got) != len(bs) {
		t.Fatalf("python printed %d lines for %d byte strings", len(got), len(bs))
	}
	for i, b := range bs {
		if want := got[i]; pyrepr.Bytes(b) != want {
			t.Errorf("Bytes(%q) = %s, Python's repr is %s", b, pyrepr.Bytes(b), want)
		}
	}
}

// CPython writes a tuple that contains itself as Tuple does. Python code
// cannot make such a tuple, so the program points a tuple's item at the
// tuple itself through ctypes (CPython's layout: three words of header,
// then the items).
func TestRecursiveTupleLive(t *testing.T) {
	got := pythonLines(t, `
import ctypes, struct
def selfish(n, at):
    t = tuple([None] * n)
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(t))
    ctypes.c_void_p.from_address(id(t) + 3 * struct.calcsize('P') + at * struct.calcsize('P')).value = id(t)
    return t
print(repr(selfish(1, 0)))
print(repr(selfish(3, 1)))
t = selfish(2, 0)
print(repr((t, [t], t)))
`, nil)
	one := []any{nil}
	one[0] = one
	three := []any{nil, nil, nil}
	three[1] = three
	two := []any{nil, nil}
	two[0] = two
	want := []string{pyrepr.Tuple(one), pyrepr.Tuple(three), pyrepr.Tuple([]any{two, []any{two}, two})}
	// Python's list in the last line is a tuple to pyrepr.
	got[2] = strings.NewReplacer("[", "(", "]", ",)").Replace(got[2])
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Errorf("line %d: Python printed %q, Tuple gives %q", i, got, want[i])
		}
	}
}
