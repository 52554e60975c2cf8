// Package pyrepr formats Go values the way Python's repr prints them, so
// that output can be pasted back into Python and compared with what
// CPython 3.13 prints.
//
// The Append functions are the primitives: each appends to a caller's
// buffer (dst may be nil) and returns the extended buffer, allocating only
// when dst lacks room. The functions without the Append prefix return a
// new string. All functions are safe for concurrent use.
//
// # Value mapping
//
// The values that the pack package unpacks map to Python values as follows:
//
//	Go value                    Python repr           examples
//	int64, int, int8..int32     int                   -5  1000000000000
//	uint64, uint, uint8..32     int                   18446744073709551615
//	bool                        bool                  True  False
//	float64, float32            float                 1.75  -0.0  1e+16  inf  nan
//	complex128, complex64       complex               (1+2j)  2j  (-0-0j)  (nan+infj)
//	[]byte                      bytes                 b'zhang'  b"'"  b'\x00'
//	[]any                       tuple                 ()  (5,)  (1, b'zhang', 1.75)
//	nil                         None                  None
//
// Named types are formatted by their underlying kind. A float32 is
// widened to float64 exactly, as Python does when a 'f' field is
// unpacked. A value of any other type is written as <unsupported T>,
// where T is its Go type; the functions never fail and never panic, for
// any value (recursive tuples included, see below).
//
// # Floats
//
// A float is written as Python's float.__repr__ writes it (the 'r' format
// of PyOS_double_to_string): the shortest decimal string that reads back
// as the same float64, rounded correctly. With the digits d1 d2 ... dn and
// the decimal exponent x such that the value is 0.d1d2...dn × 10^x:
//
//   - if -4 < x <= 16 the number is written in positional notation, with
//     a decimal point and at least one digit after it: 0.0001, 1.75,
//     123456789012345.0, 1000000000000000.0 (1e15);
//   - otherwise it is written in scientific notation: the first digit, the
//     other digits (if any) after a decimal point, 'e', a sign, and an
//     exponent of at least two digits: 1e+16, 1.5e+16, 1e-05, 5e-324;
//   - zero is 0.0 or -0.0, the infinities are inf and -inf, and every NaN
//     is nan, whatever its sign and payload.
//
// # Bytes
//
// A byte string is written as Python's bytes.__repr__ writes it: b, a
// quote, the bytes, the same quote. The quote is ' unless the bytes
// contain ' and no ", in which case it is ". Inside, \ and the chosen quote
// are preceded by a backslash; tab, newline and carriage return are \t, \n
// and \r; other bytes below 0x20 and bytes from 0x7f up are \xhh with two
// lowercase hex digits; every other byte stands for itself.
//
// # Tuples
//
// A tuple is written as its items' reprs separated by ", " inside
// parentheses; a tuple of one item has a trailing comma, (5,), and the
// empty tuple is (). A tuple that contains itself (a []any holding itself,
// or a []any holding one that holds it) is written as (...) where it
// recurs, as Python writes a recursive tuple, so s := []any{nil, 1};
// s[0] = s gives ((...), 1). Two []any are the same tuple when they start
// at the same element and have the same length. Nesting of any depth is
// written without recursion in Go, so no value exhausts the stack.
//
// # Differences from CPython
//
// None for the values that Python has. Go has no Python str, so strings
// are not formatted (a Go string is an unsupported value); struct never
// produces one.
package pyrepr
