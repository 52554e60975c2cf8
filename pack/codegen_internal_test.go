package pack

import (
	"testing"
)

// Quiet32 is written apart from quiet32, for generated code: the two agree
// on every bit pattern whose top 10 bits and low 2 bits vary, which covers
// every class of binary32 value (zeros, subnormals, normals, infinities,
// signalling and quiet NaNs of both signs).
func TestQuiet32AgreesWithTypedPath(t *testing.T) {
	for hi := uint32(0); hi < 1<<12; hi++ {
		for lo := uint32(0); lo < 4; lo++ {
			for _, mid := range []uint32{0, 1 << 10, 0x3ff << 10} {
				bits := hi<<20 | mid | lo
				if got, want := Quiet32(bits), quiet32(bits); got != want {
					t.Fatalf("Quiet32(%#08x) = %#08x, typed path %#08x", bits, got, want)
				}
			}
		}
	}
}
