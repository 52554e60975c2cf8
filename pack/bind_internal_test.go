package pack

import (
	"reflect"
	"testing"
	"unsafe"
)

// TestTypeWord checks that typeWord finds the type word of an interface
// value from its reflect.Type: the fast paths of MarshalAppend and
// Unmarshal compare the two.
func TestTypeWord(t *testing.T) {
	type local struct{ A int32 }
	for _, v := range []any{1, "s", &local{}, local{}, []local{}, new([]byte)} {
		if got, want := typeWord(reflect.TypeOf(v)), (*eface)(unsafe.Pointer(&v)).typ; got != want {
			t.Errorf("typeWord(%T) = %p, want %p", v, got, want)
		}
	}
}
