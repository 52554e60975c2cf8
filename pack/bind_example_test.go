package pack_test

import (
	"errors"
	"fmt"

	"github.com/pystruct/pystruct/pack"
)

// Person is the notes' record: Python's struct.pack('<i5sf', 1, b'zhang',
// 1.75), as a Go type.
type Person struct {
	ID     int32
	Name   [5]byte // or string, or []byte
	Height float32
}

func ExampleStruct_Marshal() {
	s := pack.MustCompile("<i5sf")
	p := Person{ID: 1, Name: [5]byte{'z', 'h', 'a', 'n', 'g'}, Height: 1.75}
	b, err := s.Marshal(&p)
	fmt.Printf("%x %v\n", b, err)

	// MarshalAppend reuses a buffer: with room in it, it allocates nothing.
	buf := make([]byte, 0, 64)
	buf, err = s.MarshalAppend(buf[:0], &p)
	fmt.Printf("%x %v\n", buf, err)

	// Values out of range fail as they do in Python.
	_, err = pack.MustCompile("<h5sf").Marshal(&struct {
		ID     int
		Name   string
		Height float64
	}{ID: 40000})
	fmt.Println(err, errors.Is(err, pack.ErrRange))
	// Output:
	// 010000007a68616e670000e03f <nil>
	// 010000007a68616e670000e03f <nil>
	// marshal "<h5sf": item 0: 'h' format requires -32768 <= number <= 32767 true
}

func ExampleStruct_Unmarshal() {
	s := pack.MustCompile("<i5sf")
	var p Person
	err := s.Unmarshal([]byte("\x01\x00\x00\x00zhang\x00\x00\xe0\x3f"), &p)
	fmt.Printf("%d %s %v %v\n", p.ID, p.Name[:], p.Height, err)

	// A pointer to a slice takes every record of the buffer.
	var people []Person
	err = s.Unmarshal([]byte("\x01\x00\x00\x00zhang\x00\x00\xe0\x3f\x02\x00\x00\x00li\x00\x00\x00\x00\x00\xc0\x3f"), &people)
	fmt.Printf("%d %q %v\n", len(people), people[1].Name[:], err)

	// A type that does not fit the format is reported on first use.
	var bad struct {
		ID   int32
		Name [4]byte
	}
	fmt.Println(s.Unmarshal(make([]byte, 13), &bad))
	// Output:
	// 1 zhang 1.75 <nil>
	// 2 "li\x00\x00\x00" <nil>
	// unmarshal "<i5sf": item 1: cannot bind field Name ([4]uint8) of struct { ID int32; Name [4]uint8 } to '5s': want [5]byte, []byte or string
}
