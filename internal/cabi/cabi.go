// Package cabi describes the C ABI of the platform the program runs on, as
// Python's struct module sees it in native ('@') mode: the sizes and
// alignments of the C types behind each format code, and the byte order.
//
// The facts come from the Go toolchain's build constraints, never from
// guesses at run time: C long is 4 bytes on Windows (LLP64) and the pointer
// size elsewhere (LP64 and ILP32), 64-bit integers and doubles are aligned
// to 4 bytes inside structs on 32-bit x86 outside Windows, and on wasm,
// where Go's pointers have 8 bytes, C's are wasm32's 4.
package cabi

import "encoding/binary"

// PointerSize is the size in bytes of void*, size_t and ssize_t: Go's
// uintptr size, but 4 on wasm (see ptr_wasm.go).
const PointerSize = pointerSize

// Sizes of the C types used by native mode.
const (
	ShortSize    = 2
	IntSize      = 4
	LongSize     = longSize
	LongLongSize = 8
	SizeTSize    = PointerSize
	BoolSize     = 1
	FloatSize    = 4
	DoubleSize   = 8
)

// Alignments of the C types used by native mode, as the offset of the
// member in struct { char c; T x; }.
const (
	ShortAlign    = 2
	IntAlign      = 4
	LongAlign     = LongSize
	LongLongAlign = int64Align
	SizeTAlign    = PointerSize
	PointerAlign  = PointerSize
	BoolAlign     = 1
	FloatAlign    = 4
	DoubleAlign   = int64Align
)

// BigEndian reports whether the platform stores multi-byte values most
// significant byte first.
var BigEndian = binary.NativeEndian.Uint16([]byte{0, 1}) == 1
