//go:build 386 && !windows

package cabi

// The i386 System V ABI aligns long long and double members to 4 bytes.
const int64Align = 4
