// Package records holds the types whose generated code the golden files
// of pystruct gen record.
package records

// Person is the record "<i5sf".
type Person struct {
	ID    int32
	Name  string `pack:"5s,trim"`
	Score float32
}

// Sample is the record "<IIhhqd?5sxH", declared by its tags and natural
// codes (gen -order '<').
type Sample struct {
	Seq, Flags uint32
	X, Y       int16
	Stamp      int64
	Value      float64
	Valid      bool
	Tag        [5]byte
	_          [1]byte `pack:"x"`
	Check      uint16
}

// Celsius is a named float type.
type Celsius float64

// Reading has conversions, arrays, a Pascal string, a half float, a nested
// struct and a Python name.
type Reading struct {
	Station uint64     `pack:"I"`
	Temps   [3]Celsius `pack:"3f"`
	Level   float32    `pack:"e,name=level"`
	Label   []byte     `pack:"8p"`
	Pos     struct {
		Lat, Lon int `pack:"i"`
	}
	Note string `pack:"-"`
	Ok   bool
}

// IQ is a block of complex radio samples, "<IZf4Zd": a sequence number,
// a complex64 and four complex128, declared by natural codes (gen -order
// '<'), which spell complex codes as CPython 3.15 does.
type IQ struct {
	Seq     uint32
	Gain    complex64
	Samples [4]complex128
}

// Packet is the native record "@ci?dl", C's struct { char kind; int
// count; _Bool ok; double value; long size; }, whose layout differs
// between platforms: one file of code for each layout.
type Packet struct {
	Kind  byte
	Count int32
	OK    bool
	Value float64
	Size  int64
}
