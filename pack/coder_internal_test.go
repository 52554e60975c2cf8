package pack

import (
	"reflect"
	"testing"

	"github.com/pystruct/pystruct/format"
)

// newCoder, which copies a template, and the general loops' fieldOps give
// the coder that makeCoder works out, for every field of every mode.
func TestNewCoderMatchesMakeCoder(t *testing.T) {
	fn := func(f any) uintptr { return reflect.ValueOf(f).Pointer() }
	same := func(got, want coder) bool {
		return got.off == want.off && got.count == want.count && got.size == want.size &&
			got.code == want.code && got.op == want.op && got.field == want.field &&
			got.min == want.min && got.max == want.max &&
			(got.put == nil) == (want.put == nil) && (got.get == nil) == (want.get == nil) &&
			(got.put == nil || fn(got.put) == fn(want.put)) && (got.get == nil || fn(got.get) == fn(want.get))
	}
	checked := 0
	for _, fs := range []string{
		"@xcbB?hHiIlLqQnNefdspPFD0i3s0p2h5x", "=xcbB?hHiIlLqQefdspFDZfZd", "<xcbB?hHiIlLqQefdsp2F3D0Zd",
		">xcbB?hHiIlLqQefdsp7s1p", "!xcbB?hHiIlLqQefdspFD4q0Q",
	} {
		p := format.MustParse(fs)
		ops := MustCompile(fs).fieldOps()
		oi := 0
		for i := range p.NumFields() {
			f := p.Field(i)
			got, gotOK := newCoder(p.Order(), f, i)
			want, wantOK := makeCoder(p.Order(), f, i)
			if gotOK != wantOK || !same(got, want) {
				t.Errorf("%q field %d (%+v): newCoder gives %+v, %v; makeCoder %+v, %v", fs, i, f, got, gotOK, want, wantOK)
			}
			if wantOK {
				var c coder
				if oi < len(ops) {
					ops[oi].load(&c, i)
				}
				if oi >= len(ops) || !same(c, want) {
					t.Errorf("%q field %d (%+v): the general loops load %+v; makeCoder gives %+v", fs, i, f, c, want)
				}
				oi++
			}
			checked++
		}
		if oi != len(ops) {
			t.Errorf("%q: %d fieldOps for %d fields that hold values", fs, len(ops), oi)
		}
	}
	if checked < 100 {
		t.Errorf("checked only %d fields", checked)
	}
}
