//go:build !wasm

package cabi

import "math/bits"

// void*, size_t and ssize_t have the size of a Go uintptr.
const pointerSize = bits.UintSize / 8
