package main

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"

	"github.com/pystruct/pystruct/pack"
)

// Hand-written code for the records of the table: what a careful
// programmer writes with encoding/binary, straight-line, for one known
// layout. Appending grows dst as needed and writes every byte of the
// record (pads too: dst may be reused); decoding checks the length first.
// It does none of CPython's extra work (NaNs made quiet, messages): the
// generated code is measured against the plainest correct code.

var errHandLength = errors.New("wrong record length")

var handLE = binary.LittleEndian

func (v *GenPerson) handAppend(dst []byte) []byte {
	dst = slices.Grow(dst, 13)
	n := len(dst)
	dst = dst[:n+13]
	b := dst[n:]
	handLE.PutUint32(b[0:], uint32(v.ID))
	copy(b[4:9], v.Name[:])
	handLE.PutUint32(b[9:], math.Float32bits(v.Score))
	return dst
}

func (v *GenPerson) handDecode(b []byte) error {
	if len(b) != 13 {
		return errHandLength
	}
	v.ID = int32(handLE.Uint32(b[0:]))
	copy(v.Name[:], b[4:9])
	v.Score = math.Float32frombits(handLE.Uint32(b[9:]))
	return nil
}

func (v *GenWide) handAppend(dst []byte) []byte {
	dst = slices.Grow(dst, 37)
	n := len(dst)
	dst = dst[:n+37]
	b := dst[n:]
	handLE.PutUint32(b[0:], v.Seq)
	handLE.PutUint32(b[4:], v.Flags)
	handLE.PutUint16(b[8:], uint16(v.X))
	handLE.PutUint16(b[10:], uint16(v.Y))
	handLE.PutUint64(b[12:], uint64(v.Stamp))
	handLE.PutUint64(b[20:], math.Float64bits(v.Value))
	b[28] = 0
	if v.Valid {
		b[28] = 1
	}
	copy(b[29:34], v.Tag[:])
	b[34] = 0
	handLE.PutUint16(b[35:], v.Check)
	return dst
}

func (v *GenWide) handDecode(b []byte) error {
	if len(b) != 37 {
		return errHandLength
	}
	v.Seq = handLE.Uint32(b[0:])
	v.Flags = handLE.Uint32(b[4:])
	v.X = int16(handLE.Uint16(b[8:]))
	v.Y = int16(handLE.Uint16(b[10:]))
	v.Stamp = int64(handLE.Uint64(b[12:]))
	v.Value = math.Float64frombits(handLE.Uint64(b[20:]))
	v.Valid = b[28] != 0
	copy(v.Tag[:], b[29:34])
	v.Check = handLE.Uint16(b[35:])
	return nil
}

// The native record '@ci?d' as 64-bit little-endian platforms outside
// Windows lay it out (lp64le: 1 + 3 pad + 4 + 1 + 7 pad + 8 bytes); the
// cases use this code only there (handNativeLayout).

const handNativeSize = 24

func handNativeLayout() bool {
	s := pack.MustCompile("@ci?d")
	p := s.Plan()
	b, _ := pack.MustCompile("=H").Pack(1)
	return s.Size() == handNativeSize && p.Field(1).Offset == 4 && p.Field(2).Offset == 8 && p.Field(3).Offset == 16 && b[0] == 1
}

func (v *GenNative) handAppend(dst []byte) []byte {
	dst = slices.Grow(dst, 24)
	n := len(dst)
	dst = dst[:n+24]
	b := dst[n:]
	b[0] = v.C
	b[1], b[2], b[3] = 0, 0, 0
	handLE.PutUint32(b[4:], uint32(v.I))
	b[8] = 0
	if v.B {
		b[8] = 1
	}
	clear(b[9:16])
	handLE.PutUint64(b[16:], math.Float64bits(v.D))
	return dst
}

func (v *GenNative) handDecode(b []byte) error {
	if len(b) != 24 {
		return errHandLength
	}
	v.C = b[0]
	v.I = int32(handLE.Uint32(b[4:]))
	v.B = b[8] != 0
	v.D = math.Float64frombits(handLE.Uint64(b[16:]))
	return nil
}

// handDecodeIter decodes the '<IIhhd' records of buf into out, reusing its
// array, as a hand loop does: v := &out[i]; v.A = ...
func handDecodeIter(out []GenIter, buf []byte) ([]GenIter, error) {
	if len(buf)%20 != 0 {
		return out[:0], errHandLength
	}
	n := len(buf) / 20
	out = slices.Grow(out[:0], n)[:n]
	for i := range out {
		b := buf[i*20 : i*20+20]
		v := &out[i]
		v.A = handLE.Uint32(b[0:])
		v.B = handLE.Uint32(b[4:])
		v.C = int16(handLE.Uint16(b[8:]))
		v.D = int16(handLE.Uint16(b[10:]))
		v.E = math.Float64frombits(handLE.Uint64(b[12:]))
	}
	return out, nil
}
