package main

const mainHelp = `pystruct packs and unpacks binary records described by Python struct
format strings, with the results of CPython 3.13's struct module: the same
bytes, the same values printed as Python prints them, the same errors.

usage:
  pystruct calcsize FMT                                    struct.calcsize
  pystruct pack   [--hex] FMT VALUE...                     struct.pack
  pystruct unpack [--hex] [--offset N] [--json] FMT [FILE] struct.unpack, unpack_from
  pystruct iter   [--hex] [--json] FMT [FILE]              struct.iter_unpack
  pystruct layout [--json] FMT                             offset, size and padding of each item
  pystruct dump   [--offset N] [--count N] FMT [FILE]      annotated hexdump of the records
  pystruct gen -type T [-format FMT | -order C] [-o FILE] [-python FILE.py] [DIR]
                                                           Go code for a record type

Run 'pystruct COMMAND --help' for a command's options, the syntax of
values, and the JSON output. 'pystruct --version' prints the version.

FMT is a struct format string such as '<i5sf' (see Python's struct
documentation). Options go before FMT or anywhere among the arguments up
to '--', which ends them. Input comes from FILE, or from stdin when FILE
is absent or '-'.

Exit status: 0 on success; 1 if struct raises an error or the input cannot
be read, with one line on stderr, "pystruct: " and the message, which ends
with CPython's own text; 2 for a usage error.

Example:
  $ pystruct calcsize '<i5sf'
  13
  $ pystruct pack --hex '<i5sf' 1 "b'zhang'" 1.75
  010000007a68616e670000e03f
  $ pystruct pack '<i5sf' 1 zhang 1.75 | pystruct unpack '<i5sf'
  (1, b'zhang', 1.75)
  $ pystruct pack '<h' 70000
  pystruct: pack "<h": item 0: 'h' format requires -32768 <= number <= 32767
`

const calcsizeHelp = `Print the size in bytes of the records FMT describes: struct.calcsize(FMT).
Native mode ('@' or no prefix) uses this machine's C sizes and alignment.

Example:
  $ pystruct calcsize '<i5sf'
  13
  $ pystruct calcsize 'i5sf'
  16
`

const packHelp = `Pack the values into one record, struct.pack(FMT, VALUE...), and write its
bytes to stdout.

  --hex   write the record as lowercase hex and a newline instead

Each VALUE is a Python literal:
  int      -5  0x1F  0o17  0b101  1_000  (any size: struct checks the range)
  float    1.75  -1e-3  .5  5.  inf  -inf  nan  (also Infinity, any case)
  bool     True  False
  None     None
  bytes    b'zhang'  b"\x00\n"  rb'\d'  b'''...'''  with every escape of
           Python's bytes literals: \\ \' \" \a \b \f \n \r \t \v \xhh
           \ooo and backslash-newline; an unknown escape such as \q stays
           as written, backslash and all, as in Python
  str      'text'  "text"  (struct rejects str as Python does)
  complex  1+2j  -2.5j  (1-0j)  (nan+infj)  as repr writes a complex, read
           as complex() reads it ("-2j" is complex(0, -2)); for the complex
           codes F D Zf Zd, which also take any real value. A call such as
           complex(1, 2) is not a literal: write 1+2j
Anything that does not start like one of these is a plain word and stands
for its UTF-8 bytes: zhang is b'zhang'. An argument that starts like a
literal but is not one (0x, 1e, 012, b'abc) is a usage error. Quote
values for the shell: "b'zhang'", 'b"\x00"'. Put -- before the arguments
if a value starts with --.

Example:
  $ pystruct pack --hex '<i5sf' 1 "b'zhang'" 1.75
  010000007a68616e670000e03f
  $ pystruct pack --hex '>h?3s' -2 True 'b"a\x00"'
  fffe01610000
`

const unpackHelp = `Read one record from FILE or stdin and print its values as Python prints
the tuple: print(struct.unpack(FMT, data)). Floats print as Python's repr
(1.75, 1.7000000476837158, 1e+16, -0.0, inf, nan), complex values as its
repr of a complex ((1+2j), 2j, (-0-0j), (nan+infj)) and bytes with Python's
quotes and escapes (b'zhang', b"it's", b'\x00\'"\\').

  --hex        the input is hex text, read as bytes.fromhex reads it
               (whitespace between bytes allowed)
  --offset N   print the record at offset N instead, as
               struct.unpack_from(FMT, data, N) does: a negative N counts
               from the end, and bytes after the record are ignored.
               Without --offset the input must be exactly one record.
  --json       print one JSON array instead of the tuple

JSON output: integers are numbers, exact at any size; floats are numbers as
repr writes them, or the strings "inf", "-inf" and "nan"; a complex is the
array [real, imag] of its parts, each written as a float; bools are true
and false; bytes are strings with one character per byte, U+0000 to
U+00FF (the bytes read as Latin-1), escaped as Python's json.dumps escapes
them: bytes outside ' '..'~' are \u00XX (or \b \f \n \r \t), so the output
is ASCII. It is lossless: in Python, s.encode('latin-1') gives the bytes
back. Each line is what json.dumps prints for the list of the values with
bytes decoded as Latin-1, complex values as [real, imag] lists and inf
and nan as strings.

Example:
  $ printf '\001\000\000\000zhang\000\000\340\077' | pystruct unpack '<i5sf'
  (1, b'zhang', 1.75)
  $ echo '01000000 7a68616e67 0000e03f' | pystruct unpack --hex --json '<i5sf'
  [1, "zhang", 1.75]
  $ echo 0102ff | pystruct unpack --hex --offset -2 '<H'
  (65282,)
`

const iterHelp = `Print every record of FILE or stdin, one a line:
for t in struct.iter_unpack(FMT, data): print(t)

  --hex    the input is hex text, read as bytes.fromhex reads it
  --json   print one JSON array a line (see 'pystruct unpack --help')

iter streams: it reads one record at a time, so memory use stays the same
for any input size. The input must hold a whole number of records, or iter
fails with CPython's error. Python checks that before printing anything,
and so does pystruct when the input is a regular file (given as FILE or
redirected to stdin); from a pipe, whose length is known only at its end,
it prints the whole records it read and then fails.

Example:
  $ pystruct pack '<hh' 1 2 > recs; pystruct pack '<hh' 3 -4 >> recs
  $ pystruct iter '<hh' recs
  (1, 2)
  (3, -4)
  $ pystruct iter --json '<hh' < recs
  [1, 2]
  [3, -4]
`
