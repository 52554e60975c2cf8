package main

const mainHelp = `pystruct packs and unpacks binary records described by Python struct
format strings, with the results of CPython 3.13's struct module: the same
bytes, the same values printed as Python prints them, the same errors.

usage:
  pystruct calcsize FMT                                    struct.calcsize
  pystruct pack   [--hex] FMT VALUE...                     struct.pack
  pystruct pack   [--hex] [--bytes MODE] FMT < LINES       struct.pack of each line
  pystruct unpack [--hex] [--offset N] [--json|--csv] [--names A,B,...]
                  [--bytes MODE] FMT [FILE]                struct.unpack, unpack_from
  pystruct iter   [--hex] [--offset N] [--count N] [--json|--csv]
                  [--names A,B,...] [--bytes MODE] FMT [FILE]
                                                           struct.iter_unpack
  pystruct layout [--json] FMT                             offset, size and padding of each item
  pystruct dump   [--offset N] [--count N] FMT [FILE]      annotated hexdump of the records
  pystruct gen -type T [-format FMT | -order C] [-o FILE] [-python FILE.py] [DIR]
                                                           Go code for a record type

Run 'pystruct COMMAND --help' for a command's options, the syntax of
values, and the JSON output. 'pystruct --version' prints the version.

FMT is a struct format string such as '<i5sf' (see Python's struct
documentation). Options go before FMT or anywhere among the arguments up
to '--', which ends them; an option a command does not have, such as -x
or --frobnicate, is a usage error. Negative numbers are values, not
options: -5, -.5, -1e3, -inf, -nan. Input comes from FILE, or from stdin
when FILE is absent or '-'. Input that would need more than 256 MiB of
memory (one huge record, or a huge tail kept by a negative --offset) is
an error, exit status 1.

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
bytes to stdout. Without VALUEs, for a format that takes any, read records
from stdin, one a line, and write them one after the other (see Records
from stdin below).

  --hex          write each record as lowercase hex and a newline instead
  --bytes MODE   how the JSON lines on stdin write bytes: latin1 (the
                 default), hex or base64, as iter --json --bytes MODE
                 writes them

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
if a value starts with a dash and is not a number.

Records from stdin: each line is either a Python tuple as iter prints it,
(1, b'zhang', 1.75), or (1,) for a record of one value, whose items are
literals as above (plain words are not allowed in a line); or a JSON array
as iter --json prints it, [1, "zhang", 1.75], read by the place of each
item in the record: numbers are ints (exact at any size) or floats; in a
float's place the strings "inf", "-inf" and "nan" are floats; in a complex
place [real, imag] is a complex; in a bytes place a string is the bytes
of its Latin-1 encoding, one byte per character U+0000-U+00FF (with
--bytes hex or base64, its hex or base64); true, false and null are True,
False and None; anything else goes to struct, which rejects it with
CPython's message. JSON is strict (RFC 8259): no NaN or Infinity tokens.
Blank lines are skipped; lines may end in CRLF.

pack streams: it holds one line and one record at a time, so
'pystruct iter F x | pystruct pack F' reproduces x byte for byte at any
size, from tuples or JSON lines (pad bytes, bools and NaNs come back as
pack writes them: zero, 0 or 1, Python's one NaN). A line longer than
1 MiB plus 8 bytes per byte of the record and 32 per value is an error.
The first line that cannot be read or packed stops pack with exit status
1 and one line on stderr, "stdin line N: " and the reason (CPython's
message for a struct error); the records before it have been written.

Example:
  $ pystruct pack --hex '<i5sf' 1 "b'zhang'" 1.75
  010000007a68616e670000e03f
  $ pystruct pack --hex '>h?3s' -2 True 'b"a\x00"'
  fffe01610000
  $ echo "(1, b'zhang', 1.75)" | pystruct pack --hex '<i5sf'
  010000007a68616e670000e03f
  $ echo '[1, "zhang", 1.75]' | pystruct pack --hex '<i5sf'
  010000007a68616e670000e03f
  $ pystruct pack '<hh' 1 2 > two; pystruct pack '<hh' 3 -4 >> two
  $ pystruct iter --json '<hh' two | pystruct pack --hex '<hh'
  01000200
  0300fcff
  $ echo '(70000,)' | pystruct pack --hex '<h'
  pystruct: stdin line 1: pack "<h": item 0: 'h' format requires -32768 <= number <= 32767
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
  --csv        print one CSV row instead (see 'pystruct iter --help')
  --names A,B,...
               name the values: with --json print a JSON object, with
               --csv a header row of the names first, and alone Python's
               dict of the names and values (see 'pystruct iter --help')
  --bytes MODE how --json and --csv write bytes: latin1 (the default), hex
               or base64 (see 'pystruct iter --help')

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
  $ pystruct pack '<i5sf' 1 zhang 1.75 | pystruct unpack --names id,name,height '<i5sf'
  {'id': 1, 'name': b'zhang', 'height': 1.75}
  $ pystruct pack '<i5sf' 1 zhang 1.75 | pystruct unpack --csv --names id,name,height '<i5sf'
  id,name,height
  1,zhang,1.75
`

const iterHelp = `Print every record of FILE or stdin, one a line:
for t in struct.iter_unpack(FMT, data): print(t)

  --hex          the input is hex text, read as bytes.fromhex reads it
  --offset N     start at byte N: a header of N bytes is skipped. The
                 records are those of data[N:], as Python slices: a
                 negative N keeps the last -N bytes of the input (iter reads
                 to the end, keeping only those), and an N past the end
                 leaves no records. N is a Python int that fits a C ssize_t.
  --count C      print at most C records (C >= 0) and stop reading after
                 them: the records are those of data[N:][:C*size] (N the
                 --offset), so only they need to be whole, and what follows
                 them is not read (except that --hex text in a regular file
                 is read once first, to check it and count its bytes)
  --json         print one JSON array a line (see 'pystruct unpack --help')
  --csv          print one CSV row a line
  --names A,B,...
                 name the values, one name each, separated by commas (spaces
                 around a name are dropped; names are printable, non-empty
                 and different). With --json each line is a JSON object,
                 {"A": ..., "B": ...}, in the record's order; with --csv the
                 names are a header row; alone, each line is Python's dict
                 of the names and values, {'A': ..., 'B': ...}. A list of
                 the wrong length is a usage error that says how many values
                 a record has.
  --bytes MODE   how --json and --csv write bytes: latin1 (the default:
                 one character per byte, U+0000-U+00FF, which
                 s.encode('latin-1') turns back into the bytes), hex
                 (lowercase, two digits a byte, bytes.fromhex reads it) or
                 base64 (RFC 4648, standard alphabet, with padding;
                 base64.b64decode reads it)

CSV output is what Python's csv.writer writes with lineterminator='\n':
ints in decimal, floats as repr writes them (1.75, inf, nan), True and
False, complex values as repr writes them ((1+2j)), bytes in the --bytes
form (latin1: the characters written as UTF-8, so byte 0xff is 'ÿ'), with
RFC 4180 quoting: a field with a comma, a double quote, CR or LF is
quoted and its double quotes doubled, and a row of one empty field is "".
Rows end in LF, not CRLF; Python's csv module and most tools read both.

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
  $ pystruct iter --offset 4 --names x,y '<hh' recs
  {'x': 3, 'y': -4}
  $ pystruct iter --count 1 --json --names x,y '<hh' recs
  {"x": 1, "y": 2}
  $ pystruct iter --offset -4 --csv --names x,y '<hh' recs
  x,y
  3,-4
  $ pystruct pack '<h3s' 1 "b'a,\xff'" | pystruct iter --json --bytes hex '<h3s'
  [1, "612cff"]
  $ pystruct pack '<h3s' 1 "b'a,\xff'" | pystruct iter --csv --bytes base64 '<h3s'
  1,YSz/
`
