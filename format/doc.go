// Package format parses Python struct format strings, such as "<i5sf", into
// plans: the byte-order mode, the fields with their offsets and sizes, and
// the total size. It knows syntax and layout only; package pack executes
// plans against Go values.
//
// A [Plan] is what CPython builds when it compiles a struct.Struct, and
// [Parse] accepts exactly the format strings that CPython 3.13 accepts,
// rejecting the others with CPython's messages.
//
// # Grammar
//
//	format := [prefix] item*
//	prefix := '@' | '=' | '<' | '>' | '!'
//	item   := whitespace | [count] code
//	count  := digit+
//
// The prefix is recognised only as the very first character; anywhere else
// a prefix character is a bad code. ASCII whitespace (space, \t, \n, \v,
// \f, \r) between items is ignored, but a count and its code must touch:
// "3 i" is an error. A count of zero is legal for every code.
//
// # Byte order, size and alignment
//
//	prefix  byte order  sizes     alignment
//	@       native      native    native (the default)
//	=       native      standard  none
//	<       little      standard  none
//	>       big         standard  none
//	!       big         standard  none
//
// In native mode each item is aligned to its C type's alignment within the
// record, even when its count is zero (so "@llh0l" is padded to a multiple
// of 8 bytes); there is never padding before the first item or after the
// last. Native sizes and alignments are those of the platform the program
// runs on, chosen at build time: C long is 8 bytes on 64-bit Unix and 4 on
// Windows and 32-bit platforms.
//
// # Format codes
//
//	code  C type              standard size  kind
//	x     pad byte            1              Pad
//	c     char                1              Char
//	b     signed char         1              Signed
//	B     unsigned char       1              Unsigned
//	?     _Bool               1              Bool
//	h     short               2              Signed
//	H     unsigned short      2              Unsigned
//	i     int                 4              Signed
//	I     unsigned int        4              Unsigned
//	l     long                4              Signed
//	L     unsigned long       4              Unsigned
//	q     long long           8              Signed
//	Q     unsigned long long  8              Unsigned
//	n     ssize_t             native only    Signed
//	N     size_t              native only    Unsigned
//	e     IEEE binary16       2              Float
//	f     float               4              Float
//	d     double              8              Float
//	s     char[]              count          String
//	p     char[] (Pascal)     count          Pascal
//	P     void *              native only    Unsigned
//	F     float complex       8              Complex  (CPython 3.14)
//	D     double complex      16             Complex  (CPython 3.14)
//	Zf    float complex       8              Complex  (CPython 3.15)
//	Zd    double complex      16             Complex  (CPython 3.15)
//
// The complex codes hold two parts, real then imaginary, each a binary32
// ('F', 'Zf') or binary64 ('D', 'Zd'); natively they are sized as two floats
// or doubles and aligned as one. "Zf" and "Zd" are the same items as "F" and
// "D" in CPython 3.15's spelling (3.15 soft-deprecates the one-letter
// codes); a [Field] keeps the spelling in Z, and [Field.Name] returns it. A
// 'Z' that is not followed at once by 'f' or 'd' ("Z", "Zx", "Z f") is a bad
// char, and a count repeats the whole code: "3Zd" is three values.
//
// For most codes a count repeats the code: "3h" is "hhh", three values. For
// 's' and 'p' the count is the length in bytes of a single value, and for
// 'x' it is the number of pad bytes. A plan keeps counts compact:
// "1000000i" is one field.
//
// # Errors
//
// Parse reports the first problem it finds scanning left to right, as a
// *[SyntaxError] whose message is CPython's: "bad char in struct format"
// (an unknown code, a misplaced prefix, whitespace after a count, or a
// native-only code in a standard mode), "repeat count given without format
// specifier", "total struct size too long" (a count or size beyond the
// platform's largest int) and "embedded null character".
//
// # Differences from CPython
//
// pystruct parses the language of CPython 3.15: CPython 3.13 rejects 'F'
// and 'D' and both 3.13 and 3.14 reject 'Zf' and 'Zd' as bad chars.
//
// A format containing a byte outside ASCII is rejected with "non-ASCII
// character in struct format", the wording CPython adopts in 3.15; CPython
// 3.13 raises a UnicodeEncodeError for such a str.
package format
