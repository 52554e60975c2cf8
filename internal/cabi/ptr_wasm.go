//go:build wasm

package cabi

// Go's wasm port has 8-byte uintptrs, but C on WebAssembly is wasm32
// (ILP32: 4-byte void*, size_t, ssize_t and long, 8-aligned long long and
// double), the ABI of a CPython built for WASI or Emscripten, which is
// what native mode describes.
const pointerSize = 4
