// Command pystruct packs and unpacks binary records described by Python
// struct format strings, from the shell, with the results of CPython
// 3.13's struct module: the same bytes, the values printed as Python's
// repr prints them, and the same error messages.
//
// Usage:
//
//	pystruct calcsize FMT
//	pystruct pack   [--hex] FMT VALUE...
//	pystruct unpack [--hex] [--offset N] [--json] FMT [FILE]
//	pystruct iter   [--hex] [--json] FMT [FILE]
//	pystruct gen -type T [-format FMT | -order C] [-o FILE] [-python FILE.py] [DIR]
//
// gen writes Go code that packs and unpacks the struct type T of the
// package in DIR (default ".") as records of FMT, registered with pack so
// that the typed path uses it, and with -python a Python module for the
// same record. For a native format ('@' or no prefix) it writes the code
// of each layout among the platforms Go supports into a file of its own,
// with a //go:build line naming its platforms. 'pystruct gen --help' and
// the README's "Generated code" describe it. It is meant for go:generate:
//
//	//go:generate go run github.com/pystruct/pystruct/cmd/pystruct gen -type Person -format "<i5sf"
//
// calcsize prints struct.calcsize(FMT). pack writes the bytes of
// struct.pack(FMT, VALUE...), or with --hex their lowercase hex and a
// newline. unpack reads one record from FILE or stdin and prints
// struct.unpack(FMT, data) as Python prints the tuple; with --offset N it
// prints struct.unpack_from(FMT, data, N). iter prints every record, one a
// line, as `for t in struct.iter_unpack(FMT, data): print(t)` does. With
// --hex, unpack and iter read hex text (as bytes.fromhex reads it); with
// --json they print a JSON array a record instead of a tuple.
//
// Options may stand anywhere among the arguments up to "--", which ends
// them, and have a single-dash form too (-hex). 'pystruct --help' and
// 'pystruct COMMAND --help' describe everything, each with examples (a
// test runs them).
//
// # Values
//
// Each VALUE of pack is a Python literal: an int in any base with
// underscores and a sign (any size: struct checks the range), a float
// (also inf, -inf, nan and Infinity in any case, as float() reads them),
// True, False, None, a bytes literal with every escape Python's bytes
// literals have (adjacent literals concatenate, raw and triple-quoted ones
// work), a str literal, or a complex as Python writes one: 1+2j, -2.5j,
// (1-0j), (nan+infj). A complex is read as Python's complex() reads a
// string, so each repr reads back as the value it shows ("-2j" is
// complex(0, -2), where the Python expression -2j has a real part of
// -0.0); a call such as complex(1, 2) is a usage error that says to write
// 1+2j. Struct rejects str values, and complex values for any code but the
// complex ones (F, D, Zf, Zd), with CPython's messages. An argument that
// does not start like a literal is a plain word and stands for its UTF-8
// bytes; one that starts like a literal but is not a valid one is a usage
// error that names the argument and gives Python's reason.
//
// # Output
//
// Tuples, floats and bytes print as CPython's repr prints them (package
// pyrepr). JSON output is, line for line, what Python's json.dumps prints
// for the list of a record's values once bytes are decoded as Latin-1 and
// infinities and NaNs are replaced by the strings "inf", "-inf" and "nan"
// and each complex by the list [real, imag] of its parts:
// integers exact at any size, floats as repr writes them, bytes as ASCII
// strings with one character per byte (\u00XX escapes beyond ASCII), which
// s.encode('latin-1') turns back into the bytes.
//
// # Streaming
//
// iter reads one record at a time through a buffered reader and writes
// through a buffered writer, so it uses the same few megabytes of memory
// for any input size. Python's iter_unpack checks that its buffer holds a
// whole number of records before it yields anything. pystruct does the
// same when the input is a regular file, named or redirected to stdin (for
// --hex it reads the text once to count the bytes). From a pipe the length
// is known only at the end: pystruct prints the whole records it read and
// then fails with the same error.
//
// # Exit status
//
// 0 on success. 1 if struct raises an error, or the input cannot be read:
// stderr gets one line, "pystruct: " and the message, which ends with
// CPython's text (for --hex input, bytes.fromhex's). 2 for a usage error:
// stderr gets the reason and a usage line.
//
// # Differences from CPython
//
//   - Those of the pack package: a finite float too large for native 'f'
//     is an error (CPython 3.13.0 packs it as inf; later releases raise
//     too), and non-ASCII format strings give CPython 3.15's message.
//   - In a str literal, the name in a \N{...} escape is not looked up, so
//     an unknown name is not an error; struct rejects the str anyway.
//   - iter from a pipe prints the records before a length error (see
//     Streaming).
package main
