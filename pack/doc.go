// Package pack packs Go values into binary records and unpacks them, exactly
// as Python's struct module does: the same bytes, the same values and the
// same error messages as CPython 3.13, for every format string.
//
// # Quick start
//
//	b, err := pack.Pack("<i5sf", 1, []byte("zhang"), 1.75)
//	// b = 01 00 00 00 7a 68 61 6e 67 00 00 e0 3f
//	vals, err := pack.Unpack("<i5sf", b)
//	// vals = []any{int64(1), []byte("zhang"), float64(1.75)}
//
// The package-level functions are named after Python's and take the
// format string each time; they keep up to 256 compiled formats in a
// concurrency-safe cache, so calling them in a loop does not parse the
// format again. [Compile] gives a [Struct], Python's struct.Struct, to hold
// on to. Format strings are described in package
// [github.com/pystruct/pystruct/format].
//
// # Values
//
//	codes              Unpack returns  Pack accepts
//	b h i l q n        int64           every Go integer kind (named types too), bool, *big.Int
//	B H I L Q N P      uint64          the same
//	?                  bool            anything, by Python truthiness
//	e f d              float64         float32, float64, every integer kind, bool, *big.Int
//	s p c              []byte          []byte, string (named types too)
//	F D Zf Zd          complex128      complex64, complex128, and every value 'd' accepts (imaginary part 0)
//
// A value of any other type gets the error CPython gives for an object of
// no matching protocol, such as "required argument is not an integer".
// Truthiness for '?' follows Python: nil, false, zero numbers and empty
// strings, slices, arrays and maps are false; everything else is true.
//
// 's' packs its value truncated or zero-padded to the count; 'p' stores
// at most count-1 bytes after a length byte capped at 255; 'c' takes a
// value of exactly one byte. Unpacked byte strings are copies that never
// alias the input buffer (the values of one record share one backing
// array).
//
// Integers must fit the C type of their code in the format's mode: native
// 'l' is 8 bytes on 64-bit Unix, standard 'l' is 4. 'P' accepts from the
// most negative signed value of its size to the largest unsigned one.
// Floats round to nearest, ties to even; 'e' and 'f' fail for finite values
// too large for them. NaNs follow CPython 3.13: 'f' keeps the sign and the
// top 22 payload bits and sets the quiet bit, 'e' packs every NaN as the
// quiet NaN with its sign, and 'd' copies all 64 bits. CPython 3.14
// changed the 'e' and 'f' NaN rules (gh-130317: payloads and the
// signalling bit survive); pystruct keeps 3.13's rule for 'e', 'f' and the
// parts of complex codes alike, and the vectors that prove it come from
// 3.13.
//
// The complex codes (F and D from CPython 3.14, Zf and Zd from 3.15) pack
// a value as two parts, real then imaginary, each exactly as 'f' (for 'F'
// and 'Zf') or 'd' (for 'D' and 'Zd') packs a float: the same rounding,
// NaN rule and "float too large to pack with f format" error. A value of
// no complex or real type is "required argument is not a complex", an int
// too large for a double included.
//
// # Typed records
//
// [Struct.Marshal], [Struct.MarshalAppend] and [Struct.Unmarshal] move
// records to and from Go structs without boxing a value:
//
//	type Person struct {
//		ID     int32
//		Name   [5]byte // or string, or []byte
//		Height float32
//	}
//	s := pack.MustCompile("<i5sf")
//	b, err := s.MarshalAppend(buf[:0], &p)
//	err = s.Unmarshal(b, &p)
//
// The exported fields of the struct, in order, take the format's values in
// order; a field tagged `pack:"-"` is skipped and nested structs flatten.
// An integer code takes a field of any integer kind, 'e', 'f' and 'd' take
// float32 or float64, the complex codes take complex64 or complex128 (a
// complex64 holds a 'D' or 'Zd' value only when both parts fit exactly,
// else ErrRange, as float32 for 'd'), '?' takes bool, 'c' takes byte, 's' takes [N]byte
// (N equal to the count), []byte or string, and 'p' takes []byte or
// string. A 'p' value carries its length, which a [N]byte field has
// nowhere to keep (b'ab' and b'ab\x00' would decode alike), so binding
// 'p' to an array is an ErrType error; with []byte and string fields,
// Unmarshal then Marshal gives back every record Python's struct.pack
// makes. A repeat count binds one array field ("3i" and [3]int32) or as
// many scalar fields. Packing checks ranges with CPython's messages;
// unpacking a value that does not fit its field is an ErrRange error,
// never a silent truncation. A type
// that does not fit the format is reported, naming the Go field and the
// format item, on every use. Unmarshal into a pointer to a slice of structs
// decodes every record of a buffer holding a whole number of them.
//
// The binding of each Go type is worked out once per Struct and cached.
// After that, MarshalAppend into a buffer with room and Unmarshal into a
// struct without string or []byte fields allocate nothing. A Struct keeps
// the bindings of the last four argument types it met at hand, so a
// program that uses one Struct with up to four Go types in turn finds each
// without a map lookup; more types cost a lookup, never more memory than
// one binding per type. In a little-endian record (or a native one on a
// little-endian machine), a single field that converts (an int for 'i',
// an int8 for 'h', a float64 for 'f', a float32 for 'd', either for 'e')
// is packed and unpacked inline with its range check, as a field of the
// exact type is; arrays of them and big-endian records take a general
// loop. Either way a value that fails a check gets the same error.
//
// # Streams and sockets
//
// An [Encoder] writes records to an io.Writer and a [Decoder] reads them
// from an io.Reader, one whole record per call:
//
//	enc := pack.NewEncoder(conn, s)
//	err := enc.Pack(1, "zhang", 1.75) // or enc.Encode(&person)
//
//	dec := pack.NewDecoder(conn, s)
//	vals, err := dec.Unpack() // or dec.Decode(&person)
//	for p, err := range pack.DecodeAll[Person](dec) { ... }
//
// Records of a fixed size need no framing: a stream is records back to
// back, which is what Python's sock.sendall(struct.pack(...)) sends and
// struct.iter_unpack reads. A Decoder reads exactly [Struct.Size] bytes per
// record, looping over short reads, and never reads ahead. Unpack and
// Decode return io.EOF when the stream ends between records and
// io.ErrUnexpectedEOF when it ends inside one, and never return part of a
// record; if a read fails inside a record for another reason, such as a
// read deadline, the bytes read so far are kept and the next call finishes
// the record. An Encoder does not buffer: each record is one Write, so
// there is nothing to flush (wrap the writer in a bufio.Writer to batch
// records, and Flush it). A value that fails to pack writes nothing.
// Encode, Decode and DecodeAll allocate nothing per record.
//
// Since any Size bytes decode to some values, a stream of fixed-size
// records cannot be malformed except at its end. A server must check the
// values it receives (a magic number or version field in the record
// helps), and guard against peers that stall with read and write
// deadlines on the connection.
//
// A server needs no event loop. Go's network poller uses epoll on Linux
// (kqueue on BSD and macOS), so a goroutine per connection blocking in
// Read is multiplexed by the runtime the way a poll/epoll server
// multiplexes its clients by hand. The Unix-socket example is a whole
// server, with idle timeouts and error reporting, that Python clients
// talk to in the package's tests; it rides out temporary Accept errors
// (out of file descriptors, say) with a backoff, as net/http does.
//
// # Messages
//
// Protocols frame their records. [Struct.Decode] and [Struct.Encode] read
// and write one record at the front of a longer buffer and return its
// size, as Go's binary.Decode and binary.Encode do and as Python's
// unpack_from and pack_into do at offset 0; the bytes after it are the
// caller's (a variable tail, the next record). [Records] ranges over every
// record of a buffer as a Go type, as Python's iter_unpack does. A format
// of one value binds a pointer to a scalar as well as a struct ("!I" and
// *uint32), in Decode, Encode, Unmarshal, Marshal and the streams.
//
// A [FrameReader] reads the frames Python's
// sock.sendall(struct.pack('!I', len(p)) + p) sends, one whole payload
// per [FrameReader.ReadFrame], and a [FrameWriter] writes them, prefix and
// payload in one Write. The prefix is any one integer code with its byte
// order; [LengthIncludesPrefix] is for lengths that count the prefix. A
// reader has a limit: a longer (or negative) length is a [*FrameError],
// matching [ErrFrame], that leaves the reader refusing further frames,
// and nothing is allocated at a prefix's word: the payload's buffer grows
// as its bytes arrive. A fixed header followed by a variable tail is
// Decode on the payload and a slice of the rest; a header followed by a
// count of records is two Decoders on one reader, since a Decoder never
// reads past its record. The package's Examples show each pattern.
//
// An [Encoder] writing a slice of records that fails part-way returns an
// [*EncodeError] that says how many whole records reached the writer and
// whether one was torn, so that a caller can resume without duplicating
// records, or know that the stream is broken.
//
// # Struct tags
//
// A field's `pack` struct tag controls its binding:
//
//	pack:"-"            the field is skipped
//	pack:"5s"           the field binds the format item 5s, which binding checks
//	pack:"3x"           on a blank field (_ [3]byte): it stands for that pad item
//	pack:",trim"        an 's' item unpacked into a string or []byte loses its trailing NUL bytes
//	pack:"8s,trim"      both
//	pack:"H,name=flags" the field's name on the Python side (pystruct gen -python)
//
// The code part is a repeat count and one format code, as the format
// writes it ("H", "5s", "2Zd"); "Zd" and "D" name the same code. Binding
// fails, naming the field, when a tag's code or count differs from the
// item the field meets, so a tagged type documents its format and is
// checked against it. [FormatOf] builds the format from the tags and the
// fields' natural codes. trim applies only to an 's' item bound to a
// string or []byte field; packing pads such a value with NULs as always.
// An unknown option, a repeated one or a code that is not one item is an
// error naming the field and quoting the tag.
//
// # Buffers and offsets
//
// [Struct.Append] is the primitive: it appends one record to dst and
// returns the extended slice. [Struct.PackInto] and [Struct.UnpackFrom]
// take an offset into a buffer the caller owns; a negative offset counts
// from the end, as in Python. [Struct.Unpack] wants a buffer of exactly
// [Struct.Size] bytes, and [Struct.IterUnpack] one holding a whole number
// of records.
//
// # Errors
//
// Every error's message ends with the text CPython 3.13 gives for the same
// call, such as "'h' format requires -32768 <= number <= 32767" or "unpack
// requires a buffer of 13 bytes". Errors in the format string are
// *format.SyntaxError and match format.ErrSyntax. The others are *[Error],
// which names the operation, the format and the value at fault, and
// matches one of [ErrRange], [ErrType], [ErrCount] or [ErrBuffer] with
// errors.Is. OverflowError from 'e' and 'f' is ErrRange.
//
// No input panics. The promise covers every format string, buffer, offset
// and value given to the package's functions and methods (a Pack value or
// a Marshal or Unmarshal argument of any Go type, nil and nil pointers
// included), every byte a [Decoder] or [FrameReader] reads, every payload
// given to a [FrameWriter], and the zero values: the zero [Struct], a nil
// *Struct and New(nil) are the empty format "" (Python's Struct("")), and
// so is a nil *Struct given to [NewEncoder] or [NewDecoder]; the zero or
// nil [Encoder], [Decoder], [FrameReader] and [FrameWriter], and those made
// with a nil io.Writer or io.Reader, return an error from every call that
// says to use NewEncoder, NewDecoder, NewFrameReader or NewFrameWriter. It does not cover [MustCompile],
// which panics on a bad format by design, panics raised by the caller's
// own io.Reader or io.Writer, which pass through, or values changed by
// another goroutine while they are packed or unmarshalled into (a data
// race).
//
// Append and Pack refuse to allocate a record larger than [MaxAlloc]
// bytes, with an ErrBuffer error, where CPython would try and fail with
// MemoryError.
//
// # Generated code
//
// `pystruct gen -type T -format FMT` (or -order C, to derive the format
// with [FormatOf] from T's fields and pack tags) writes straight-line Go
// for one struct type: (*T).MarshalRecord and (*T).UnmarshalRecord, which
// pack and unpack one record with exactly the bytes, values and errors of
// [Struct.MarshalAppend] and [Struct.Unmarshal], and an init function that
// hands both to [Register]. From then on every Struct compiled from the
// same format string uses them for T: MarshalAppend, Marshal, Unmarshal
// of one record or of a slice, [Encoder] and [Decoder]. The generated code
// calls [Codec.MarshalError] and [Codec.UnmarshalError] to build its
// errors, and [Quiet32], [Float32Bits], [Float32ToFloat64], [HalfBits] and
// [HalfToFloat64] for the float conversions whose bits must be the typed
// path's; [Codec.RegisterSlice] registers its decoder of many records.
// For a native format ('@' or no prefix), whose sizes, alignment and
// byte order depend on the platform, the generator writes one file of
// code for each layout among the platforms Go supports, each built only
// where it applies, and the code checks its layout with
// [Codec.CheckLayout] at init. [Struct.Check] tells whether a type fits a
// format without packing anything.
//
// # Differences from CPython
//
// pystruct follows CPython 3.13 except where CPython has a defect:
//
//   - A zero-length Pascal string ('0p') writes nothing. CPython 3.13
//     writes a stray 0x00 byte one past the item, which [Struct.PackInto]
//     would leave in the caller's buffer.
//   - Native-mode 'f' raises the overflow error as standard 'f' does.
//     CPython 3.13.0 silently packs infinity there; later CPython releases
//     raise too.
//   - Go strings are accepted where Python wants bytes ('s', 'p', 'c'), and
//     packed as their bytes.
//   - A format with a non-ASCII byte is rejected with "non-ASCII character
//     in struct format", the wording CPython adopts in 3.15.
//   - The format language is 3.15's: 'F' and 'D' (3.14) and 'Zf' and 'Zd'
//     (3.15) are complex codes, which 3.13 rejects as bad chars.
//   - A complex part too large for 'F' or 'Zf' raises the overflow error in
//     every mode. CPython 3.14 and 3.15 check only the big-endian modes and
//     silently pack infinity in native mode and, on little-endian hosts, in
//     '<' and '=' (gh-156865, open).
package pack
