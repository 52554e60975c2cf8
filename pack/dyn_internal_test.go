package pack

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/pystruct/pystruct/format"
)

// packFast writes the same bytes as the general path wherever it accepts
// the values, and declines the values the general path must judge.
func TestPackFastMatchesGeneralPath(t *testing.T) {
	formats := []string{"<i5sf", "<IIhhqd?5sxH", "@ci?d", "<bBhHiIqQ", "<3c2?", "<0s4x2d", "=lL", "@nNP", "<fff", "<10s0s", "@bhilq", "<iD?",
		">bBhHiIqQ", "!fd?3s2c", ">IIhhqd?5sxH", "<e2p", "<20s17s"}
	rng := rand.New(rand.NewPCG(1, 2))
	edge := []int64{0, 1, -1, 127, -128, 128, 255, 256, -129, 32767, -32768, 65535, 65536, math.MaxInt32, math.MinInt32,
		math.MaxUint32, math.MaxUint32 + 1, math.MaxInt64, math.MinInt64}
	accepted, declined := 0, 0
	for _, fs := range formats {
		s := MustCompile(fs)
		for trial := range 2000 {
			vals := make([]any, 0, s.numValues)
			for fi := range s.plan.NumFields() {
				c := s.coderOf(fi)
				if c == nil {
					continue
				}
				for range c.count {
					vals = append(vals, randomValue(rng, s.plan.Field(c.field).Kind, c.size, edge, trial))
				}
			}
			fast := make([]byte, s.Size())
			ok := s.packFast(fast, vals)
			general := make([]byte, s.Size())
			var err error
			vi := 0
			for fi := range s.plan.NumFields() {
				c := s.coderOf(fi)
				if c == nil {
					continue
				}
				for j := range c.count {
					if code := c.pack(general[c.off+j*c.size:], vals[vi]); code != errNone && err == nil {
						err = s.valueError("pack", vi, c, code)
					}
					vi++
				}
			}
			if ok {
				accepted++
				if err != nil || !bytes.Equal(fast, general) {
					t.Fatalf("%s %v: packFast gives % x, the general path % x (%v)", fs, vals, fast, general, err)
				}
			} else {
				declined++
			}
		}
	}
	if accepted == 0 || declined == 0 {
		t.Errorf("packFast accepted %d and declined %d value lists: the test does not cover both", accepted, declined)
	}
}

// randomValue returns a value for a field of the kind and size: mostly of
// the concrete types the fast path takes, sometimes of others.
func randomValue(rng *rand.Rand, kind format.Kind, size int, edge []int64, trial int) any {
	switch kind {
	case format.Signed, format.Unsigned:
		i := edge[rng.IntN(len(edge))]
		switch rng.IntN(5) {
		case 0:
			return int(i)
		case 1:
			return uint64(i)
		case 2:
			return int32(i)
		}
		return i
	case format.Float:
		switch rng.IntN(4) {
		case 0:
			return float32(rng.NormFloat64())
		case 1:
			return math.Inf(1)
		}
		return rng.NormFloat64() * math.Pow(10, float64(rng.IntN(80)))
	case format.Bool:
		if rng.IntN(5) == 0 {
			return trial
		}
		return rng.IntN(2) == 0
	case format.Char:
		if rng.IntN(5) == 0 {
			return "x"
		}
		return []byte{byte(rng.IntN(256))}
	}
	b := make([]byte, rng.IntN(2*size+1))
	for i := range b {
		b[i] = byte(rng.IntN(256))
	}
	if rng.IntN(5) == 0 {
		return string(b)
	}
	return b
}

// Records of more values than packFast's table holds go in chunks: the
// bytes are the general path's, at every chunk boundary.
func TestPackFastLargeRecords(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, fs := range []string{"<300h", ">130i2s130?", "<63b64H65q3c70b", "=257B", "<200f57d"} {
		s := MustCompile(fs)
		if s.numValues <= dynPackMax {
			t.Fatalf("%s: %d values, not more than dynPackMax", fs, s.numValues)
		}
		for trial := range 50 {
			vals := make([]any, 0, s.numValues)
			for fi := range s.plan.NumFields() {
				c := s.coderOf(fi)
				if c == nil {
					continue
				}
				for range c.count {
					var v any
					switch kind := s.plan.Field(c.field).Kind; kind {
					case format.Signed:
						v = int64(int8(rng.Uint64()))
					case format.Unsigned:
						v = uint64(uint8(rng.Uint64()))
					case format.Float:
						v = float64(float32(rng.NormFloat64()))
					case format.Bool:
						v = rng.IntN(2) == 0
					default:
						v = []byte{byte(rng.Uint64())}
					}
					vals = append(vals, v)
				}
			}
			want := make([]byte, s.Size())
			for vi, fi := 0, 0; fi < s.plan.NumFields(); fi++ {
				c := s.coderOf(fi)
				if c == nil {
					continue
				}
				for j := range c.count {
					if code := c.pack(want[c.off+j*c.size:], vals[vi]); code != errNone {
						t.Fatalf("%s: general path: %v", fs, s.valueError("pack", vi, c, code))
					}
					vi++
				}
			}
			fast := make([]byte, s.Size())
			if !s.packFast(fast, vals) {
				t.Fatalf("%s: packFast declined values of the types it takes", fs)
			}
			if !bytes.Equal(fast, want) {
				t.Fatalf("%s: packFast gives % x, the general path % x", fs, fast, want)
			}
			// A value of another type anywhere sends the record to the
			// general path.
			bad := slices.Clone(vals)
			bad[(trial*37)%len(bad)] = "x"
			if s.packFast(make([]byte, s.Size()), bad) {
				t.Fatalf("%s: packFast took a string value", fs)
			}
		}
	}
}
