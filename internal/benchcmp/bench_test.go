package benchcmp

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/go-restruct/restruct"
	"github.com/lunixbochs/struc"

	"github.com/pystruct/pystruct/pack"
)

// The records, as each peer needs them spelled: pad bytes are fields,
// since none of the peers has C alignment. The same Go types serve
// encoding/binary, struc (with the byte order in its options) and
// restruct (with the byte order as an argument).

// person is "<i5sf".
type person struct {
	ID     int32
	Name   [5]byte
	Height float32
}

// wide is "<IIhhqd?5sxH"; X is the pad byte.
type wide struct {
	A, B uint32
	C, D int16
	E    int64
	F    float64
	G    bool
	H    [5]byte
	X    byte
	I    uint16
}

// native is "@ci?d" on a platform where Go and C align alike; P1 and P2
// are the padding.
type native struct {
	C  byte
	P1 [3]byte
	I  int32
	B  bool
	P2 [7]byte
	D  float64
}

// The typed path binds the plain types, without pad fields.
type (
	personTyped struct {
		ID     int32
		Name   [5]byte
		Height float32
	}
	wideTyped struct {
		A, B uint32
		C, D int16
		E    int64
		F    float64
		G    bool
		H    [5]byte
		I    uint16
	}
	nativeTyped struct {
		C byte
		I int32
		B bool
		D float64
	}
)

type record struct {
	name  string
	fs    string
	order binary.ByteOrder
	v     any // pointer to the peers' value
	typed any // pointer to pystruct's typed value
}

func records() []record {
	return []record{
		{"person", "<i5sf", binary.LittleEndian,
			&person{ID: 1, Name: [5]byte{'z', 'h', 'a', 'n', 'g'}, Height: 1.75},
			&personTyped{ID: 1, Name: [5]byte{'z', 'h', 'a', 'n', 'g'}, Height: 1.75}},
		{"wide", "<IIhhqd?5sxH", binary.LittleEndian,
			&wide{A: 1, B: 2, C: -3, D: 4, E: -5, F: 6.5, G: true, H: [5]byte{'h', 'e', 'l', 'l', 'o'}, I: 9},
			&wideTyped{A: 1, B: 2, C: -3, D: 4, E: -5, F: 6.5, G: true, H: [5]byte{'h', 'e', 'l', 'l', 'o'}, I: 9}},
		{"native", "@ci?d", binary.NativeEndian,
			&native{C: 'x', I: -7, B: true, D: 2.5},
			&nativeTyped{C: 'x', I: -7, B: true, D: 2.5}},
	}
}

// TestSameBytes checks that every peer packs each record to the bytes
// pystruct packs, and unpacks them back.
func TestSameBytes(t *testing.T) {
	for _, r := range records() {
		want, err := pack.MustCompile(r.fs).Marshal(r.typed)
		if err != nil {
			t.Fatalf("%s: Marshal: %v", r.name, err)
		}
		got, err := binary.Append(nil, r.order, r.v)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: binary.Append = %x, %v, want %x", r.name, got, err, want)
		}
		var buf bytes.Buffer
		if err := struc.PackWithOptions(&buf, r.v, &struc.Options{Order: r.order}); err != nil || !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: struc.Pack = %x, %v, want %x", r.name, buf.Bytes(), err, want)
		}
		got, err = restruct.Pack(r.order, r.v)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: restruct.Pack = %x, %v, want %x", r.name, got, err, want)
		}
	}
}

// BenchmarkPeers packs and unpacks each record through each peer.
// Names are BenchmarkPeers/<record>/<way>/<pack|unpack>.
func BenchmarkPeers(b *testing.B) {
	for _, r := range records() {
		s := pack.MustCompile(r.fs)
		rec, err := s.Marshal(r.typed)
		if err != nil {
			b.Fatal(err)
		}
		run := func(way, op string, f func(b *testing.B) error) {
			b.Run(r.name+"/"+way+"/"+op, func(b *testing.B) {
				b.SetBytes(int64(len(rec)))
				b.ReportAllocs()
				if err := f(b); err != nil {
					b.Fatal(err)
				}
			})
		}
		run("typed", "pack", func(b *testing.B) (err error) {
			buf := make([]byte, 0, 64)
			for b.Loop() {
				buf, err = s.MarshalAppend(buf[:0], r.typed)
			}
			return err
		})
		run("typed", "unpack", func(b *testing.B) (err error) {
			for b.Loop() {
				err = s.Unmarshal(rec, r.typed)
			}
			return err
		})
		run("binary", "pack", func(b *testing.B) (err error) {
			buf := make([]byte, 0, 64)
			for b.Loop() {
				buf, err = binary.Append(buf[:0], r.order, r.v)
			}
			return err
		})
		run("binary", "unpack", func(b *testing.B) (err error) {
			for b.Loop() {
				_, err = binary.Decode(rec, r.order, r.v)
			}
			return err
		})
		opts := &struc.Options{Order: r.order}
		run("struc", "pack", func(b *testing.B) (err error) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				err = struc.PackWithOptions(&buf, r.v, opts)
			}
			return err
		})
		run("struc", "unpack", func(b *testing.B) (err error) {
			rd := bytes.NewReader(rec)
			for b.Loop() {
				rd.Reset(rec)
				err = struc.UnpackWithOptions(rd, r.v, opts)
			}
			return err
		})
		run("restruct", "pack", func(b *testing.B) (err error) {
			for b.Loop() {
				_, err = restruct.Pack(r.order, r.v)
			}
			return err
		})
		run("restruct", "unpack", func(b *testing.B) (err error) {
			for b.Loop() {
				err = restruct.Unpack(rec, r.order, r.v)
			}
			return err
		})
	}
}
