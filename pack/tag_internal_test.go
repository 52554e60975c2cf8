package pack

import (
	"reflect"
	"testing"
)

func TestParseTag(t *testing.T) {
	for _, tt := range []struct {
		tag  string
		want fieldTag
		err  string
	}{
		{"", fieldTag{}, ""},
		{"-", fieldTag{skip: true}, ""},
		{"H", fieldTag{code: "H", c: 'H', count: 1}, ""},
		{"5s", fieldTag{code: "5s", c: 's', count: 5, hasCount: true}, ""},
		{"3x", fieldTag{code: "3x", c: 'x', count: 3, hasCount: true}, ""},
		{"0i", fieldTag{code: "0i", c: 'i', count: 0, hasCount: true}, ""},
		{"3i", fieldTag{code: "3i", c: 'i', count: 3, hasCount: true}, ""},
		{"Zd", fieldTag{code: "Zd", c: 'D', count: 1}, ""},
		{"2Zf", fieldTag{code: "2Zf", c: 'F', count: 2, hasCount: true}, ""},
		{"D", fieldTag{code: "D", c: 'D', count: 1}, ""},
		{",trim", fieldTag{trim: true}, ""},
		{"5s,trim,name=user_name", fieldTag{code: "5s", c: 's', count: 5, hasCount: true, trim: true, name: "user_name"}, ""},
		{"i,name=_x1", fieldTag{code: "i", c: 'i', count: 1, name: "_x1"}, ""},

		{"ii", fieldTag{}, `field F has a bad pack tag "ii": "ii" is not one format code with an optional count`},
		{"Z", fieldTag{}, `field F has a bad pack tag "Z": "Z" is not one format code with an optional count`},
		{"Zx", fieldTag{}, `field F has a bad pack tag "Zx": "Zx" is not one format code with an optional count`},
		{"Zdd", fieldTag{}, `field F has a bad pack tag "Zdd": "Zdd" is not one format code with an optional count`},
		{"5", fieldTag{}, `field F has a bad pack tag "5": "5" is not one format code with an optional count`},
		{"k", fieldTag{}, `field F has a bad pack tag "k": "k" is not one format code with an optional count`},
		{" i", fieldTag{}, `field F has a bad pack tag " i": " i" is not one format code with an optional count`},
		{"i ", fieldTag{}, `field F has a bad pack tag "i ": "i " is not one format code with an optional count`},
		{"<i", fieldTag{}, `field F has a bad pack tag "<i": "<i" is not one format code with an optional count`},
		{"n", fieldTag{code: "n", c: 'n', count: 1}, ""},
		{"3P", fieldTag{code: "3P", c: 'P', count: 3, hasCount: true}, ""},
		{"99999999999999999999i", fieldTag{}, `field F has a bad pack tag "99999999999999999999i": "99999999999999999999i" is not one format code with an optional count`},
		{"-,trim", fieldTag{}, `field F has a bad pack tag "-,trim": "-" is not one format code with an optional count`},
		{",", fieldTag{}, `field F has a bad pack tag ",": empty option`},
		{"h,", fieldTag{}, `field F has a bad pack tag "h,": empty option`},
		{"h,,trim", fieldTag{}, `field F has a bad pack tag "h,,trim": empty option`},
		{"s,trim,trim", fieldTag{}, `field F has a bad pack tag "s,trim,trim": option "trim" given twice`},
		{"h,name=a,name=b", fieldTag{}, `field F has a bad pack tag "h,name=a,name=b": option "name" given twice`},
		{"h,omitempty", fieldTag{}, `field F has a bad pack tag "h,omitempty": unknown option "omitempty" (known: trim, name=IDENT)`},
		{"h,trim=yes", fieldTag{}, `field F has a bad pack tag "h,trim=yes": unknown option "trim=yes" (known: trim, name=IDENT)`},
		{"h,name", fieldTag{}, `field F has a bad pack tag "h,name": unknown option "name" (known: trim, name=IDENT)`},
		{"h,name=", fieldTag{}, `field F has a bad pack tag "h,name=": name "" is not a Python identifier`},
		{"h,name=1a", fieldTag{}, `field F has a bad pack tag "h,name=1a": name "1a" is not a Python identifier`},
		{"h,name=class", fieldTag{}, `field F has a bad pack tag "h,name=class": name "class" is not a Python identifier`},
		{"h,name=a-b", fieldTag{}, `field F has a bad pack tag "h,name=a-b": name "a-b" is not a Python identifier`},
	} {
		f := reflect.StructField{Name: "F", Type: reflect.TypeFor[int](), Tag: reflect.StructTag(`pack:"` + tt.tag + `"`)}
		got, err := parseTag(f)
		switch {
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("parseTag(%q) = %+v, %v; want error %s", tt.tag, got, err, tt.err)
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("parseTag(%q) = %+v, %v; want %+v", tt.tag, got, err, tt.want)
		}
	}
	// No tag at all is the zero tag.
	if got, err := parseTag(reflect.StructField{Name: "F", Tag: `json:"f"`}); err != nil || got != (fieldTag{}) {
		t.Errorf("parseTag(no pack tag) = %+v, %v", got, err)
	}
}
