package main

// The records of the table as Go types, with code written for them by
// pystruct gen (the *_pystruct.go files, checked in;
// cmd/pystruct's TestBenchRecordsGenerated fails when they differ from
// what the generator writes now), and the same records written by hand
// (hand_records.go), the baseline the generated code is measured against.

//go:generate go run github.com/pystruct/pystruct/cmd/pystruct gen -type GenPerson -format "<i5sf" -o genperson_pystruct.go
//go:generate go run github.com/pystruct/pystruct/cmd/pystruct gen -type GenWide -format "<IIhhqd?5sxH" -o genwide_pystruct.go
//go:generate go run github.com/pystruct/pystruct/cmd/pystruct gen -type GenNative -format "@ci?d" -o gennative_pystruct.go
//go:generate go run github.com/pystruct/pystruct/cmd/pystruct gen -type GenIter -format "<IIhhd" -o geniter_pystruct.go

// GenPerson is the record "<i5sf".
type GenPerson struct {
	ID    int32
	Name  [5]byte
	Score float32
}

// GenWide is the record "<IIhhqd?5sxH".
type GenWide struct {
	Seq, Flags uint32
	X, Y       int16
	Stamp      int64
	Value      float64
	Valid      bool
	Tag        [5]byte
	Check      uint16
}

// GenNative is the native record "@ci?d": generated code for every
// layout, one file each (gennative_pystruct_*.go).
type GenNative struct {
	C byte
	I int32
	B bool
	D float64
}

// GenIter is the record "<IIhhd" of the iteration buffer.
type GenIter struct {
	A, B uint32
	C, D int16
	E    float64
}
