// Command pystruct packs and unpacks binary records described by Python
// struct format strings, from the shell, with the results of CPython
// 3.13's struct module: the same bytes, the values printed as Python's
// repr prints them, and the same error messages.
//
// Usage:
//
//	pystruct calcsize FMT
//	pystruct pack   [--hex] FMT VALUE...
//	pystruct pack   [--hex] [--bytes MODE] FMT < LINES
//	pystruct unpack [--hex] [--offset N] [--json|--csv] [--names A,B,...] [--bytes MODE] FMT [FILE]
//	pystruct iter   [--hex] [--offset N] [--count N] [--json|--csv] [--names A,B,...] [--bytes MODE] FMT [FILE]
//	pystruct layout [--json] FMT
//	pystruct dump   [--offset N] [--count N] FMT [FILE]
//	pystruct --version
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
// layout and dump are described under Layout and Dump below. --version
// prints "pystruct " and the version of the module the binary was built
// from, as the Go command recorded it (v1.2.0 for go install
// ...@v1.2.0, a pseudo-version for a commit), or "(devel)" when the binary
// carries none, as when it is built in a work tree; debug.ReadBuildInfo
// supplies it. A command pystruct does not have is a usage error, which
// names the nearest command ("did you mean "layout"?") when one is at
// most one edit away (two for names longer than four letters), counting
// an insertion, a deletion, a substitution or the swap of two neighbouring
// letters as one edit.
//
// Options may stand anywhere among the arguments up to "--", which ends
// them, and have a single-dash form too (-hex). An argument that starts
// with a dash is an option, and a usage error if the command has no such
// option (-x, --frobnicate), unless it is "-" (stdin) or a negative number:
// a dash followed by a digit, by a point and a digit, or by inf or nan in
// any case (-5, -.5, -1e3, -inf, -nan, -2j). Options with a value take it
// as --name=VALUE or as the next argument, which may start with a dash
// (--offset -2). 'pystruct --help' and 'pystruct COMMAND --help' describe
// everything, each with examples (a test runs them).
//
// # Records, names and columns
//
// iter --offset N prints the records of data[N:], as Python slices: a
// header of N bytes is skipped (a regular file is seeked past it); a
// negative N keeps the last -N bytes of the input, which iter reads to the
// end keeping only those; an N past the end leaves no records. N is a
// Python int that fits a C ssize_t, as unpack's --offset. iter --count C
// prints at most C records and stops reading after them: the records are
// those of data[N:][:C*size], and only they must be whole.
//
// unpack and iter --names A,B,... name the values (commas separate the
// names; spaces around each are dropped; each is printable, non-empty and
// unique; a list of the wrong length is a usage error that says how many
// values a record has). With --json each record is a JSON object of the
// names and values, in order, as json.dumps writes a dict; with --csv the
// names are a header row; alone, each record is printed as Python's repr
// of the dict of the names and values, {'id': 1, 'name': b'zhang'}.
//
// --csv prints one CSV row a record, as Python's csv.writer writes the
// values with lineterminator='\n': ints, floats as repr (inf, nan), True
// and False, complex values as repr, and bytes as --json writes them; a
// field with a comma, a double quote, CR or LF is quoted with its quotes
// doubled (RFC 4180), and a row of one empty field is "". Rows end in LF.
//
// --bytes chooses how --json and --csv write bytes: latin1 (the default;
// one character per byte, written as \u00XX in JSON and as UTF-8 in
// CSV), hex (lowercase) or base64 (RFC 4648, standard alphabet, padded).
//
// # Records from stdin
//
// pack without VALUEs, for a format that takes at least one value, reads
// records from stdin, one a line, and writes them one after the other (with
// --hex, a line of hex each). A line is a Python tuple as iter prints it,
// (1, b'zhang', 1.75) or (1,), its items literals as VALUEs are (plain
// words excepted), or a JSON array as iter --json prints it, read by the
// place of each item: "inf", "-inf" and "nan" are floats in a float's
// place, [real, imag] a complex in a complex place, and strings the bytes
// of their Latin-1 encoding in a bytes place (or hex or base64 with pack
// --bytes). Blank lines are skipped. pack holds one line and one record,
// so 'pystruct iter F x | pystruct pack F' reproduces x at any size when x
// is as pack writes records (zero pad bytes, bools 0 or 1, Python's NaN).
// A line longer than 1 MiB plus 8 bytes per byte of the record and 32 per
// value, or one that cannot be read or packed, stops pack with exit status
// 1 and "stdin line N: " and the reason on stderr; the records before it
// have been written.
//
// # Bounded input
//
// Every command reads its input as a stream or up to what it needs: unpack
// reads the record (and counts up to 16 MiB past it, for its hint), skips
// an --offset's bytes without keeping them, and for a negative offset keeps
// only the tail; iter and dump hold one record; pack one line. Input that would
// need more than 256 MiB of memory at once (a huge record, or a negative
// offset's huge tail) is an error, "input too large", exit status 1.
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
// # Layout
//
// layout prints one line per item of FMT: its offset in the record, its
// size in bytes, its code with its count as the format writes it ("3h",
// "5s", "Zf"), and the pad bytes native alignment inserts before it, marked
// "<- alignment"; then "total N bytes", struct.calcsize(FMT), and for a
// native format (prefix '@' or none) that it is native and how many pad
// bytes it has. An item is a code with its count, not a value: "3h" is one
// item of size 6. Pad bytes written as x are an item of their own, with pad
// 0. An item with a count of zero has size 0 and is still aligned in native
// mode, so a trailing "0l" shows the padding it adds. Whitespace is not an
// item.
//
// With --json, layout prints one JSON object per item, one a line, with
// the keys, in this order:
//
//	offset  the offset of the item's first byte, after its alignment padding
//	size    the bytes it occupies: count times the code's size; for s, p and x the count
//	code    the code as written: one character, or "Zf" or "Zd"
//	count   the repeat count as written, 1 when omitted; for s and p the
//	        length of the string, for x the number of pad bytes
//	pad     the alignment pad bytes just before the item (0 outside native mode)
//
// and nothing else: the total size is the last item's offset plus its size
// (0 for a format without items, which prints nothing). A test computes
// every item's offset, size and padding from struct.calcsize of the
// prefixes of the format alone and compares.
//
// # Dump
//
// dump prints an annotated hexdump of the records of FILE or stdin,
// starting at byte N of --offset (default 0): the records at N, N+size,
// N+2*size and so on, at most the --count of them. Each record starts with
// the line "record I at offset K" (I counting from 0 at N), followed by a
// line per value: its offset in the input (decimal), up to 8 of its bytes
// in hex (a longer item goes on over further lines of 8), its code (with
// the count for s, p and x) and its value as repr prints it, the value
// struct.unpack_from(FMT, data, K) gives. Pad bytes show "pad" as their
// value: x items under their code, the padding native alignment inserts
// under "align". A "0s" or "0p" item shows its value, the empty bytes,
// beside no bytes; other items with a count of zero show nothing.
//
// dump reads one record at a time, skips N bytes by seeking a regular file
// or by reading and discarding other input, and stops reading once it has
// printed --count records, so its memory does not depend on the size of the
// input, and a huge record costs only the bytes that arrive. If the input
// ends inside a record, dump prints that partial record's bytes under
// "record I at offset K: partial, L of SIZE bytes" and fails with the
// error struct.unpack_from(FMT, data, K) gives; an N past the end of the
// input fails with the same error at N. An N at the end prints nothing, as
// does empty input. N and the count are Python int literals, 0 or more; a
// format of size 0 is iter_unpack's error.
//
// dump colours its output when stdout is a terminal (the terminal ioctl
// succeeds on it; elsewhere, it is a character device) and the environment
// variable NO_COLOR is unset or empty (https://no-color.org): offsets in
// cyan, codes in yellow, pad bytes faint, record lines bold and a partial
// record's in red. It never colours into a pipe or a file.
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
//   - iter --count stops reading after its records: --hex text after them
//     in a pipe is not checked, where Python's bytes.fromhex checks the
//     whole text (a regular file is checked first, as Python does).
package main
