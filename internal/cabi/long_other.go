//go:build !windows

package cabi

// C long has the pointer's size on Unix-like systems (LP64 and ILP32).
const longSize = PointerSize
