//go:build !386 || windows

package cabi

// Elsewhere 8-byte integers and doubles are naturally aligned.
const int64Align = 8
