package pack_test

import (
	"errors"
	"fmt"

	"github.com/pystruct/pystruct/pack"
)

// The record from the notes pystruct grew from: Python's
// struct.pack('i5sf', 1, b'zhang', 1.75). In native mode the float is
// aligned to 4 bytes, so the record has 3 pad bytes after the string.
func Example_notes() {
	b, err := pack.Pack("i5sf", 1, []byte("zhang"), 1.75)
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", b)
	vals, err := pack.Unpack("i5sf", b)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d %q %v\n", vals[0], vals[1], vals[2])
	// Output:
	// 01 00 00 00 7a 68 61 6e 67 00 00 00 00 00 e0 3f
	// 1 "zhang" 1.75
}

func ExamplePack() {
	b, err := pack.Pack("<i5sf", 1, []byte("zhang"), 1.75)
	fmt.Printf("% x %v\n", b, err)
	// Output:
	// 01 00 00 00 7a 68 61 6e 67 00 00 e0 3f <nil>
}

func ExamplePack_error() {
	_, err := pack.Pack(">h", 99999)
	fmt.Println(err)
	fmt.Println(errors.Is(err, pack.ErrRange))
	// Output:
	// pack ">h": item 0: 'h' format requires -32768 <= number <= 32767
	// true
}

func ExampleUnpack() {
	vals, err := pack.Unpack("<i5sf", []byte("\x01\x00\x00\x00zhang\x00\x00\xe0\x3f"))
	fmt.Printf("%#v %v\n", vals, err)
	// Output:
	// []interface {}{1, []uint8{0x7a, 0x68, 0x61, 0x6e, 0x67}, 1.75} <nil>
}

func ExampleCalcsize() {
	// Native mode ('@', the default) aligns each item as C would; a
	// count of 0 aligns the end of the record.
	for _, fs := range []string{"<i5sf", "@bi", "@ib", "@ib0i"} {
		n, _ := pack.Calcsize(fs)
		fmt.Println(fs, n)
	}
	// Output:
	// <i5sf 13
	// @bi 8
	// @ib 5
	// @ib0i 8
}

func ExamplePackInto() {
	buf := make([]byte, 8)
	// A negative offset counts from the end of the buffer.
	err := pack.PackInto(">HH", buf, -4, 0xcafe, 0xf00d)
	fmt.Printf("% x %v\n", buf, err)
	err = pack.PackInto(">HH", buf, 6, 1, 2)
	fmt.Println(err)
	// Output:
	// 00 00 00 00 ca fe f0 0d <nil>
	// pack_into ">HH": pack_into requires a buffer of at least 10 bytes for packing 4 bytes at offset 6 (actual buffer size is 8)
}

func ExampleUnpackFrom() {
	vals, err := pack.UnpackFrom("<h", []byte{1, 2, 3}, -2)
	fmt.Println(vals, err)
	// Output:
	// [770] <nil>
}

func ExampleIterUnpack() {
	seq, err := pack.IterUnpack(">IB", []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	if err != nil {
		panic(err)
	}
	for rec := range seq {
		fmt.Println(rec)
	}
	// Output:
	// [16909060 5]
	// [101124105 10]
}

func ExampleStruct() {
	s := pack.MustCompile("!i5sf")
	fmt.Println(s, s.Size(), s.NumValues())
	var buf []byte
	for i, name := range []string{"zhang", "li"} {
		var err error
		buf, err = s.Append(buf, i, name, 1.5+float64(i))
		if err != nil {
			panic(err)
		}
	}
	seq, _ := s.IterUnpack(buf)
	for rec := range seq {
		fmt.Printf("%d %q %v\n", rec[0], rec[1], rec[2])
	}
	// Output:
	// Struct("!i5sf") 13 3
	// 0 "zhang" 1.5
	// 1 "li\x00\x00\x00" 2.5
}
