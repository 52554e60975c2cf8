//go:build windows

package cabi

// C long is 32 bits on Windows, whatever the pointer size (LLP64).
const longSize = 4
