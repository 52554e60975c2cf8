// Package half converts between float64 and IEEE 754 binary16
// ("half precision") bit patterns, following the semantics of CPython
// 3.13's struct module for the 'e' format code (PyFloat_Pack2 and
// PyFloat_Unpack2).
//
// Packing rounds directly from float64 to binary16 with round-to-nearest,
// ties-to-even, including in the subnormal range. It never goes through
// float32, because rounding twice (64→32→16) can give a different result
// from rounding once.
//
// NaN payloads are not preserved in either direction. CPython 3.13 packs
// every NaN as the quiet NaN 0x7e00 (keeping only the sign bit) and unpacks
// every binary16 NaN as the default quiet float64 NaN (again keeping only the
// sign). Payload preservation was only added in CPython 3.14; this package
// reproduces the 3.13 behaviour so that byte output matches that version.
package half

import "math"

// Layout constants for binary16 and float64.
const (
	signMask16 = 0x8000 // binary16 sign bit
	expMask16  = 0x7c00 // binary16 exponent field (all ones = inf/NaN)
	fracMask16 = 0x03ff // binary16 fraction field
	quietNaN16 = 0x7e00 // binary16 quiet NaN produced for every NaN input

	fracBits64 = 52                      // float64 fraction width
	fracMask64 = 1<<fracBits64 - 1       // float64 fraction field
	expMask64  = 0x7ff                   // float64 exponent field, after shifting
	bias64     = 1023                    // float64 exponent bias
	quietNaN64 = 0x7ff8000000000000      // default quiet float64 NaN (positive)
	fracShift  = fracBits64 - 10         // fraction bits dropped for a normal binary16
	minNormExp = -14                     // unbiased exponent of the smallest normal binary16
	maxExp     = 15                      // unbiased exponent of the largest finite binary16
	minExp     = minNormExp - 10 - 1     // below this exponent, values round to zero
	hiddenBit  = uint64(1) << fracBits64 // implicit leading bit of a normal float64
)

// FromFloat64 rounds f to binary16 and returns its bits. ok is false when the
// rounded magnitude overflows binary16 (CPython raises OverflowError "float
// too large to pack with e format"); bits is then 0.
//
// Rounding is round-to-nearest, ties-to-even, applied once to the exact
// float64 value. Signed zeros and infinities are kept; every NaN becomes
// 0x7e00 with the NaN's sign bit.
func FromFloat64(f float64) (bits uint16, ok bool) {
	b := math.Float64bits(f)
	sign := uint16(b>>48) & signMask16
	biased := int(b>>fracBits64) & expMask64
	frac := b & fracMask64

	switch {
	case biased == expMask64: // infinity or NaN
		if frac != 0 {
			return sign | quietNaN16, true
		}
		return sign | expMask16, true
	case biased == 0:
		// Zero or a float64 subnormal (< 2**-1022): both round to zero.
		return sign, true
	}

	e := biased - bias64 // value is 1.frac * 2**e
	if e > maxExp {
		// |f| >= 2**16, beyond the largest finite binary16 even after rounding.
		return 0, false
	}
	if e < minExp {
		// |f| < 2**-25, less than half the smallest subnormal: rounds to zero.
		return sign, true
	}

	// The binary16 result, viewed as an integer count of units in its last
	// place, is sig >> shift rounded. For normal results the unit is
	// 2**(e-10); for subnormal results it is fixed at 2**-24, so more bits
	// are dropped. shift ranges from 42 to 53, so it fits in a uint64.
	sig := hiddenBit | frac
	shift := uint(fracShift)
	if e < minNormExp {
		shift += uint(minNormExp - e)
	}
	q := sig >> shift
	rem := sig & (uint64(1)<<shift - 1)
	halfway := uint64(1) << (shift - 1)
	if rem > halfway || (rem == halfway && q&1 == 1) {
		q++
	}

	var mag uint64
	if e < minNormExp {
		// Subnormal: q counts units of 2**-24. q == 1<<10 (after rounding
		// up) is exactly the smallest normal, 0x0400, so no special case.
		mag = q
	} else {
		// Normal: q holds the implicit bit at position 10, which adds one to
		// the exponent field, hence e+14 rather than e+15. A carry out of
		// rounding (q == 1<<11) correctly bumps the exponent.
		mag = uint64(e-minNormExp)<<10 + q
	}
	if mag >= expMask16 {
		return 0, false
	}
	return sign | uint16(mag), true
}

// ToFloat64 returns the float64 value of the binary16 bits. Every finite
// value and infinity converts exactly; every NaN becomes the default quiet
// float64 NaN (0x7ff8000000000000) with the sign bit of the input.
func ToFloat64(bits uint16) float64 {
	sign := uint64(bits&signMask16) << 48
	exp := int(bits&expMask16) >> 10
	frac := uint64(bits & fracMask16)

	switch exp {
	case 0x1f: // infinity or NaN
		if frac != 0 {
			return math.Float64frombits(sign | quietNaN64)
		}
		return math.Float64frombits(sign | uint64(expMask64)<<fracBits64)
	case 0: // zero or subnormal: frac * 2**-24, exact in float64
		mag := math.Float64bits(float64(frac) * 0x1p-24)
		return math.Float64frombits(sign | mag)
	}
	biased := uint64(exp - 15 + bias64)
	return math.Float64frombits(sign | biased<<fracBits64 | frac<<fracShift)
}
