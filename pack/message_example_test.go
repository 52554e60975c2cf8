package pack_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/pystruct/pystruct/pack"
)

// Decode reads the record at the front of a longer buffer and says how
// many bytes it took; the rest of the buffer is the caller's. A format of
// one value decodes into a pointer to a scalar.
func ExampleStruct_Decode() {
	type Header struct {
		Magic   [4]byte
		Version uint16
		Flags   uint16
	}
	// Python: struct.pack('<4sHH', b'PYST', 3, 1) + b'...rest'
	buf := []byte("PYST\x03\x00\x01\x00...rest")
	var h Header
	n, err := pack.MustCompile("<4sHH").Decode(buf, &h)
	fmt.Println(n, err, string(h.Magic[:]), h.Version, h.Flags, string(buf[n:]))

	var length uint32
	n, err = pack.MustCompile("!I").Decode([]byte{0, 0, 1, 0, 0xff}, &length)
	fmt.Println(n, err, length)

	// A short buffer is an error with CPython's unpack_from message.
	_, err = pack.MustCompile("<4sHH").Decode(buf[:5], &h)
	fmt.Println(errors.Is(err, pack.ErrBuffer), err)
	// Output:
	// 8 <nil> PYST 3 1 ...rest
	// 4 <nil> 256
	// true decode "<4sHH": unpack_from requires a buffer of at least 8 bytes for unpacking 8 bytes at offset 0 (actual buffer size is 5)
}

// Encode writes one record into the front of a buffer the caller owns,
// and never touches the bytes after it.
func ExampleStruct_Encode() {
	type Point struct{ X, Y int16 }
	buf := []byte("????????")
	n, err := pack.MustCompile(">hh").Encode(buf, Point{1, -2})
	fmt.Printf("%d %v %q\n", n, err, buf)

	n, err = pack.MustCompile(">hh").Encode(buf[:3], Point{1, -2})
	fmt.Println(n, err)
	// Output:
	// 4 <nil> "\x00\x01\xff\xfe????"
	// 0 encode ">hh": pack_into requires a buffer of at least 4 bytes for packing 4 bytes at offset 0 (actual buffer size is 3)
}

// Records ranges over every record of a buffer as a Go type, as Python's
// iter_unpack does; a buffer that is not a whole number of records is one
// error, before any record.
func ExampleRecords() {
	type Sample struct {
		Seq   uint16
		Value float32
	}
	s := pack.MustCompile("<Hf")
	// Python: b''.join(struct.pack('<Hf', i, i / 2) for i in range(3))
	var buf []byte
	for i := range 3 {
		buf, _ = s.MarshalAppend(buf, &Sample{uint16(i), float32(i) / 2})
	}
	for v, err := range pack.Records[Sample](s, buf) {
		fmt.Println(v, err)
	}
	for _, err := range pack.Records[Sample](s, buf[:7]) {
		fmt.Println(err)
	}
	// Output:
	// {0 0} <nil>
	// {1 0.5} <nil>
	// {2 1} <nil>
	// records "<Hf": iterative unpacking requires a buffer of a multiple of 6 bytes
}

// The trim option of a pack tag drops the NUL bytes that pad a C-style
// name in an 's' item; packing pads it again.
func ExampleStruct_Decode_trim() {
	type User struct {
		ID   uint32
		Name string `pack:"8s,trim"`
	}
	s := pack.MustCompile("<I8s")
	b, _ := s.Pack(7, []byte("zhang")) // Python: struct.pack('<I8s', 7, b'zhang')
	var u User
	_, err := s.Decode(b, &u)
	fmt.Printf("%q %v\n", u.Name, err)
	out, _ := s.Marshal(&u)
	fmt.Println(bytes.Equal(out, b))
	// Output:
	// "zhang" <nil>
	// true
}

// A length-prefixed request and its response over a connection: each
// message is a frame whose payload is a fixed header followed by a
// variable body. The Python side of the same server is
//
//	def recv_frame(sock):
//	    (n,) = struct.unpack('!I', recv_exactly(sock, 4))
//	    return recv_exactly(sock, n)
//
//	payload = recv_frame(conn)
//	op, req_id = struct.unpack_from('!HI', payload)
//	body = payload[struct.calcsize('!HI'):]
//	reply = struct.pack('!IB', req_id, 0) + body.upper()
//	conn.sendall(struct.pack('!I', len(reply)) + reply)
func Example_requestResponse() {
	type Request struct {
		Op uint16
		ID uint32
	}
	type Response struct {
		ID     uint32
		Status uint8
	}
	reqHeader, respHeader := pack.MustCompile("!HI"), pack.MustCompile("!IB")
	client, server := net.Pipe()

	// The server: one request, one response.
	done := make(chan error, 1)
	go func() {
		defer server.Close()
		fr, _ := pack.NewFrameReader(server, "!I", 1<<20)
		fw, _ := pack.NewFrameWriter(server, "!I")
		payload, err := fr.ReadFrame()
		if err != nil {
			done <- err
			return
		}
		var req Request
		n, err := reqHeader.Decode(payload, &req)
		if err != nil {
			done <- err
			return
		}
		body := bytes.ToUpper(payload[n:])
		reply, _ := respHeader.MarshalAppend(nil, &Response{req.ID, 0})
		done <- fw.WriteFrame(append(reply, body...))
	}()

	// The client.
	fw, _ := pack.NewFrameWriter(client, "!I")
	fr, _ := pack.NewFrameReader(client, "!I", 1<<20)
	msg, _ := reqHeader.MarshalAppend(nil, &Request{Op: 1, ID: 42})
	if err := fw.WriteFrame(append(msg, "hello"...)); err != nil {
		fmt.Println(err)
		return
	}
	payload, err := fr.ReadFrame()
	if err != nil {
		fmt.Println(err)
		return
	}
	var resp Response
	n, err := respHeader.Decode(payload, &resp)
	fmt.Println(resp.ID, resp.Status, string(payload[n:]), err, <-done)
	client.Close()
	// Output:
	// 42 0 HELLO <nil> <nil>
}

// A file of a header that says how many records follow, read with two
// Decoders on one reader: a Decoder never reads past the record it
// returns, so the second one starts where the first stopped. The Python
// side writes it with
//
//	f.write(struct.pack('<4sI', b'RECS', len(rows)))
//	for row in rows:
//	    f.write(struct.pack('<Ihd', *row))
func Example_headerAndRecords() {
	type Header struct {
		Magic [4]byte
		Count uint32
	}
	type Row struct {
		ID    uint32
		Delta int16
		Value float64
	}
	headerFmt, rowFmt := pack.MustCompile("<4sI"), pack.MustCompile("<Ihd")

	// The file's bytes, as the Python above writes them.
	var file bytes.Buffer
	rows := []Row{{1, -1, 0.5}, {2, 7, 1.25}, {3, 0, -3}}
	enc := pack.NewEncoder(&file, headerFmt)
	_ = enc.Encode(&Header{[4]byte{'R', 'E', 'C', 'S'}, uint32(len(rows))})
	_ = pack.NewEncoder(&file, rowFmt).Encode(rows)

	r := bytes.NewReader(file.Bytes())
	var h Header
	if err := pack.NewDecoder(r, headerFmt).Decode(&h); err != nil || string(h.Magic[:]) != "RECS" {
		fmt.Println("not a records file:", err)
		return
	}
	dec := pack.NewDecoder(r, rowFmt)
	for i := uint32(0); i < h.Count; i++ {
		var row Row
		if err := dec.Decode(&row); err != nil {
			// io.ErrUnexpectedEOF: the file holds fewer records than
			// its header says.
			fmt.Println("record", i, err)
			return
		}
		fmt.Printf("%+v\n", row)
	}
	if _, err := dec.Unpack(); err != io.EOF {
		fmt.Println("bytes after the last record:", err)
	}
	// Output:
	// {ID:1 Delta:-1 Value:0.5}
	// {ID:2 Delta:7 Value:1.25}
	// {ID:3 Delta:0 Value:-3}
}

// A fixed header whose last field is the length of a variable tail (a
// name): Decode the header, then take the tail from the rest of the
// buffer, checking that it is all there. Python packs it as
//
//	struct.pack('<HB', user_id, len(name)) + name
func Example_variableName() {
	type Header struct {
		UserID  uint16
		NameLen uint8
	}
	header := pack.MustCompile("<HB")
	parse := func(msg []byte) (uint16, string, error) {
		var h Header
		n, err := header.Decode(msg, &h)
		if err != nil {
			return 0, "", err
		}
		tail := msg[n:]
		if len(tail) < int(h.NameLen) {
			return 0, "", fmt.Errorf("name of %d bytes, %d given", h.NameLen, len(tail))
		}
		return h.UserID, string(tail[:h.NameLen]), nil
	}
	fmt.Println(parse([]byte("\x07\x00\x05zhang")))
	fmt.Println(parse([]byte("\x07\x00\x09zhang")))
	fmt.Println(parse([]byte("\x07")))
	// Output:
	// 7 zhang <nil>
	// 0  name of 9 bytes, 5 given
	// 0  decode "<HB": unpack_from requires a buffer of at least 3 bytes for unpacking 3 bytes at offset 0 (actual buffer size is 1)
}

// Frames as Python's sock.sendall(struct.pack('!I', len(p)) + p) sends
// them: io.EOF between frames, and a hostile length is refused without
// allocating for it.
func ExampleNewFrameReader() {
	// Python: b''.join(struct.pack('!I', len(p)) + p for p in [b'hi', b'', b'there'])
	stream := []byte("\x00\x00\x00\x02hi\x00\x00\x00\x00\x00\x00\x00\x05there")
	fr, _ := pack.NewFrameReader(bytes.NewReader(stream), "!I", 1024)
	for {
		p, err := fr.ReadFrame()
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Printf("%q\n", p)
	}

	fr, _ = pack.NewFrameReader(bytes.NewReader([]byte("\x40\x00\x00\x00abc")), "!I", 1024)
	_, err := fr.ReadFrame()
	fmt.Println(errors.Is(err, pack.ErrFrame), err)
	// Output:
	// "hi"
	// ""
	// "there"
	// EOF
	// true frame "!I": length 1073741824 exceeds the limit of 1024 bytes
}

// A FrameWriter writes each frame in one Write. A prefix that counts its
// own bytes, as some protocols do, is an option.
func ExampleNewFrameWriter() {
	var buf bytes.Buffer
	fw, _ := pack.NewFrameWriter(&buf, "<H")
	_ = fw.WriteFrame([]byte("abc"))
	fmt.Printf("%q\n", buf.Bytes())

	buf.Reset()
	fw, _ = pack.NewFrameWriter(&buf, "<H", pack.LengthIncludesPrefix())
	_ = fw.WriteFrame([]byte("abc"))
	fmt.Printf("%q\n", buf.Bytes())

	err := fw.WriteFrame(make([]byte, 70000))
	fmt.Println(err)
	// Output:
	// "\x03\x00abc"
	// "\x05\x00abc"
	// pack "<H": item 0: 'H' format requires 0 <= number <= 65535
}

// flakyWriter accepts limit bytes in all, then fails every Write until
// limit is raised, as a connection whose write deadline passed does.
type flakyWriter struct {
	buf   bytes.Buffer
	limit int
}

func (w *flakyWriter) Write(p []byte) (int, error) {
	n := min(len(p), max(w.limit-w.buf.Len(), 0))
	w.buf.Write(p[:n])
	if n < len(p) {
		return n, errors.New("write deadline passed")
	}
	return n, nil
}

// An Encode of a slice whose Write fails part-way says how many whole
// records reached the writer, so the caller can resume after them without
// writing any twice, and whether a record was torn, which breaks the
// stream for good.
func ExampleEncodeError() {
	type Sample struct {
		Seq   uint16
		Value int16
	}
	s := pack.MustCompile("<Hh")
	samples := []Sample{{1, -1}, {2, -2}, {3, -3}, {4, -4}}

	w := &flakyWriter{limit: 8} // room for two records of 4 bytes
	enc := pack.NewEncoder(w, s)
	err := enc.Encode(samples)
	var ee *pack.EncodeError
	if errors.As(err, &ee) && !ee.Torn {
		fmt.Println(err)
		w.limit = 100
		err = enc.Encode(samples[ee.Written:]) // the rest, once each
	}
	fmt.Println(err, w.buf.Len())

	w = &flakyWriter{limit: 6} // a record and a half
	enc = pack.NewEncoder(w, s)
	err = enc.Encode(samples)
	errors.As(err, &ee)
	fmt.Println(ee.Written, ee.Torn, err)
	w.limit = 100
	fmt.Println(enc.Encode(samples[ee.Written:])) // the stream is broken
	// Output:
	// pack: Encode wrote 2 whole records: write deadline passed
	// <nil> 16
	// 1 true pack: Encode wrote 1 whole record and part of the next: write deadline passed
	// write deadline passed
}
