package half

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// isNaN16 reports whether bits is a binary16 NaN.
func isNaN16(bits uint16) bool {
	return bits&0x7c00 == 0x7c00 && bits&0x03ff != 0
}

// TestRoundTripAll checks every binary16 bit pattern: non-NaN patterns survive
// ToFloat64 followed by FromFloat64 unchanged, and NaN patterns decode to the
// default quiet NaN with the sign kept and re-encode to 0x7e00|sign.
func TestRoundTripAll(t *testing.T) {
	for i := range 1 << 16 {
		h := uint16(i)
		f := ToFloat64(h)
		sign := h & 0x8000
		if isNaN16(h) {
			want := uint64(0x7ff8000000000000) | uint64(sign)<<48
			if got := math.Float64bits(f); got != want {
				t.Errorf("ToFloat64(%#04x) bits = %#016x; want %#016x", h, got, want)
			}
			if got, ok := FromFloat64(f); got != 0x7e00|sign || !ok {
				t.Errorf("FromFloat64(ToFloat64(%#04x)) = %#04x, %v; want %#04x, true", h, got, ok, 0x7e00|sign)
			}
			continue
		}
		if math.IsNaN(f) {
			t.Errorf("ToFloat64(%#04x) = NaN", h)
			continue
		}
		if math.Signbit(f) != (sign != 0) {
			t.Errorf("ToFloat64(%#04x) = %v: sign bit wrong", h, f)
		}
		if got, ok := FromFloat64(f); got != h || !ok {
			t.Errorf("FromFloat64(ToFloat64(%#04x)) = %#04x, %v; want %#04x, true", h, got, ok, h)
		}
	}
}

// TestToFloat64Values checks decoding of a few well-known patterns.
func TestToFloat64Values(t *testing.T) {
	tests := []struct {
		bits uint16
		want float64
	}{
		{0x0000, 0},
		{0x0001, 0x1p-24},
		{0x03ff, 0x1p-14 - 0x1p-24},
		{0x0400, 0x1p-14},
		{0x3555, 0.333251953125},
		{0x3c00, 1},
		{0x3c01, 1 + 0x1p-10},
		{0xc000, -2},
		{0x7bff, 65504},
		{0xfbff, -65504},
		{0x7c00, math.Inf(1)},
		{0xfc00, math.Inf(-1)},
	}
	for _, tt := range tests {
		if got := ToFloat64(tt.bits); got != tt.want {
			t.Errorf("ToFloat64(%#04x) = %v; want %v", tt.bits, got, tt.want)
		}
	}
	if got := ToFloat64(0x8000); got != 0 || !math.Signbit(got) {
		t.Errorf("ToFloat64(0x8000) = %v; want -0", got)
	}
}

var fromTests = []struct {
	in   float64
	bits uint16
	ok   bool
}{
	// Zeros, infinities.
	{0, 0x0000, true},
	{math.Copysign(0, -1), 0x8000, true},
	{math.Inf(1), 0x7c00, true},
	{math.Inf(-1), 0xfc00, true},
	// Ordinary values.
	{1, 0x3c00, true},
	{-2, 0xc000, true},
	{0.333251953125, 0x3555, true},
	{65504, 0x7bff, true},
	{-65504, 0xfbff, true},
	// Underflow to zero and the subnormal range.
	{5e-324, 0x0000, true},
	{-5e-324, 0x8000, true},
	{0x1p-26, 0x0000, true},
	{-0x1p-26, 0x8000, true},
	{0x1p-25, 0x0000, true},
	{-0x1p-25, 0x8000, true},
	{0x1p-25 + 0x1p-35, 0x0001, true},
	{-(0x1p-25 + 0x1p-35), 0x8001, true},
	{0x1p-24, 0x0001, true},
	{0x1p-14 - 0x1p-24, 0x03ff, true},
	{-(0x1p-14 - 0x1p-24), 0x83ff, true},
	{0x1p-14 - 0x1p-25 - 0x1p-65, 0x03ff, true},
	{-(0x1p-14 - 0x1p-25 - 0x1p-65), 0x83ff, true},
	{0x1p-14 - 0x1p-25, 0x0400, true},
	{-(0x1p-14 - 0x1p-25), 0x8400, true},
	{0x1p-14, 0x0400, true},
	// Rounding of normal values.
	{1 + 0x1p-11 + 0x1p-16, 0x3c01, true},
	{-(1 + 0x1p-11 + 0x1p-16), 0xbc01, true},
	{1 + 0x1p-11, 0x3c00, true},
	{-(1 + 0x1p-11), 0xbc00, true},
	{1 + 0x1p-12, 0x3c00, true},
	{-(1 + 0x1p-12), 0xbc00, true},
	{1 + 3*0x1p-11, 0x3c02, true}, // tie, rounds up to even
	// Double rounding trap: 64→32→16 would give 0x6800.
	{0x1ffdffffff * 0x1p-26, 0x67ff, true},
	// Near the top of the range.
	{65519, 0x7bff, true},
	{-65519, 0xfbff, true},
	{math.Nextafter(65520, 0), 0x7bff, true},
	{65520, 0, false},
	{-65520, 0, false},
	{65536, 0, false},
	{-65536, 0, false},
	{1e300, 0, false},
	{-1e300, 0, false},
	{math.MaxFloat64, 0, false},
	// NaNs: payload dropped, sign kept.
	{math.NaN(), 0x7e00, true},
	{math.Float64frombits(0x7ff0000000000001), 0x7e00, true},
	{math.Float64frombits(0x7ff4000000000000), 0x7e00, true},
	{math.Float64frombits(0xfff8000000000000), 0xfe00, true},
	{math.Float64frombits(0xffffffffffffffff), 0xfe00, true},
}

func TestFromFloat64(t *testing.T) {
	for _, tt := range fromTests {
		bits, ok := FromFloat64(tt.in)
		if bits != tt.bits || ok != tt.ok {
			t.Errorf("FromFloat64(%v) = %#04x, %v; want %#04x, %v", tt.in, bits, ok, tt.bits, tt.ok)
		}
	}
}

// refValue returns the non-negative value of the binary16 magnitude pattern
// k (0 <= k <= 0x7c00), computed independently of ToFloat64. Pattern 0x7c00
// is given the value 2**16: the next value above 65504 if the exponent range
// were unbounded, so that rounding to it means overflow.
func refValue(k uint16) float64 {
	exp := int(k >> 10)
	frac := float64(k & 0x3ff)
	if exp == 0 {
		return math.Ldexp(frac, -24)
	}
	return math.Ldexp(1024+frac, exp-25)
}

// checkFrom reports a test failure if FromFloat64(x) is not (bits, ok).
func checkFrom(t *testing.T, what string, x float64, bits uint16, ok bool) {
	t.Helper()
	got, gotOK := FromFloat64(x)
	if got != bits || gotOK != ok {
		t.Errorf("%s: FromFloat64(%v) = %#04x, %v; want %#04x, %v", what, x, got, gotOK, bits, ok)
	}
}

// expect gives the expected FromFloat64 result for magnitude pattern k
// (0x7c00 meaning overflow) and a sign bit.
func expect(k, sign uint16) (uint16, bool) {
	if k >= 0x7c00 {
		return 0, false
	}
	return k | sign, true
}

// TestRoundingMidpoints checks, for every pair of adjacent binary16
// magnitudes (including 65504 and the overflow threshold 65536), that the
// exact midpoint rounds to the even neighbour and that one float64 ulp
// below and above it rounds down and up respectively.
func TestRoundingMidpoints(t *testing.T) {
	for k := uint16(0); k < 0x7c00; k++ {
		lo, hi := refValue(k), refValue(k+1)
		mid := (lo + hi) / 2 // exact: few significant bits, no overflow
		if mid-lo != hi-mid || !(lo < mid && mid < hi) {
			t.Fatalf("midpoint of %#04x/%#04x not exact", k, k+1)
		}
		even := k
		if k&1 == 1 {
			even = k + 1
		}
		below := math.Nextafter(mid, 0)
		above := math.Nextafter(mid, math.Inf(1))
		for _, sign := range []uint16{0, 0x8000} {
			neg := sign != 0
			s := func(x float64) float64 {
				if neg {
					return -x
				}
				return x
			}
			b, ok := expect(even, sign)
			checkFrom(t, "midpoint", s(mid), b, ok)
			b, ok = expect(k, sign)
			checkFrom(t, "below midpoint", s(below), b, ok)
			b, ok = expect(k+1, sign)
			checkFrom(t, "above midpoint", s(above), b, ok)
		}
	}

	// Explicit checks around the overflow threshold 65520.
	for _, x := range []float64{65504, 65519, 65519.99, math.Nextafter(65520, 0)} {
		checkFrom(t, "below 65520", x, 0x7bff, true)
		checkFrom(t, "below 65520", -x, 0xfbff, true)
	}
	for _, x := range []float64{65520, math.Nextafter(65520, math.Inf(1)), 65535, 65536, 70000} {
		checkFrom(t, "at/above 65520", x, 0, false)
		checkFrom(t, "at/above 65520", -x, 0, false)
	}
}

// refFromFloat64 is a slow reference for FromFloat64 on finite or infinite
// inputs: it finds the binary16 neighbours of |x| by bisection and picks the
// nearer one using exact math/big arithmetic, breaking ties to even.
func refFromFloat64(x float64) (uint16, bool) {
	var sign uint16
	if math.Signbit(x) {
		sign = 0x8000
	}
	a := math.Abs(x)
	if math.IsInf(a, 1) {
		return sign | 0x7c00, true
	}
	if a >= 65536 {
		return 0, false
	}
	// Largest k in [0, 0x7bff] with refValue(k) <= a.
	lo, hi := uint16(0), uint16(0x7bff)
	for lo < hi {
		m := lo + (hi-lo+1)/2
		if refValue(m) <= a {
			lo = m
		} else {
			hi = m - 1
		}
	}
	k := lo
	if refValue(k) == a {
		return expect(k, sign)
	}
	// Exact distances: 1200 bits covers 2**16 down to 2**-1074.
	const prec = 1200
	ab := new(big.Float).SetPrec(prec).SetFloat64(a)
	dLo := new(big.Float).SetPrec(prec).Sub(ab, big.NewFloat(refValue(k)))
	dHi := new(big.Float).SetPrec(prec).Sub(big.NewFloat(refValue(k+1)), ab)
	switch c := dLo.Cmp(dHi); {
	case c < 0:
		return expect(k, sign)
	case c > 0:
		return expect(k+1, sign)
	case k&1 == 0:
		return expect(k, sign)
	default:
		return expect(k+1, sign)
	}
}

// TestRandomAgainstReference compares FromFloat64 with refFromFloat64 on
// pseudo-random inputs drawn to cover the binary16 range densely, including
// values with many trailing zero bits (near or exactly at ties).
func TestRandomAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 100_000
	for i := range n {
		var x float64
		switch i % 4 {
		case 0: // arbitrary bit pattern (mostly huge or tiny)
			x = math.Float64frombits(r.Uint64())
		case 1, 2: // exponent in and around the binary16 range
			e := uint64(1023 - 27 + r.IntN(45))
			x = math.Float64frombits(r.Uint64()&(1<<63|1<<52-1) | e<<52)
		case 3: // few significant bits: hits ties and near-ties
			e := uint64(1023 - 27 + r.IntN(45))
			frac := r.Uint64() & (1<<52 - 1) &^ (1<<(30+r.IntN(23)) - 1)
			if r.IntN(2) == 0 {
				frac ^= 1 // one ulp off the tie
			}
			x = math.Float64frombits(r.Uint64()&(1<<63) | e<<52 | frac)
		}
		if math.IsNaN(x) {
			sign := uint16(0)
			if math.Signbit(x) {
				sign = 0x8000
			}
			checkFrom(t, "random NaN", x, 0x7e00|sign, true)
			continue
		}
		want, wantOK := refFromFloat64(x)
		checkFrom(t, "random", x, want, wantOK)
		if t.Failed() {
			break
		}
	}
}

var sink16 uint16
var sink64 float64

func BenchmarkFromFloat64(b *testing.B) {
	b.ReportAllocs()
	xs := []float64{1, -2, 0.333251953125, 65519, 0x1p-20, 1e-10, 3.14159}
	i := 0
	for b.Loop() {
		sink16, _ = FromFloat64(xs[i%len(xs)])
		i++
	}
}

func BenchmarkToFloat64(b *testing.B) {
	b.ReportAllocs()
	var h uint16
	for b.Loop() {
		sink64 = ToFloat64(h)
		h += 0x0123
	}
}
