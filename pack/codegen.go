package pack

import (
	"fmt"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"unsafe"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/cabi"
	"github.com/pystruct/pystruct/internal/half"
)

// This file is the surface that code written by `pystruct gen` uses: the
// registration of generated marshalling functions, and the few conversions
// whose results must be bit for bit those of the typed path. Programs do
// not normally call these functions themselves.

// genKey identifies a registration: a struct type and an exact format
// string.
type genKey struct {
	t      reflect.Type
	format string
}

// genCodec is a registered pair of generated functions, with the pointer
// to the struct taken as an unsafe.Pointer.
type genCodec struct {
	marshal   func(p unsafe.Pointer, dst []byte) ([]byte, error)
	unmarshal func(p unsafe.Pointer, b []byte) error
	// unmarshalSlice, if not nil, unpacks n records into the array of n
	// structs at p (see Codec.RegisterSlice).
	unmarshalSlice func(p unsafe.Pointer, n int, b []byte) (int, error)
}

var genRegistry sync.Map // genKey -> *genCodec

// hide returns p with its provenance hidden from escape analysis. The
// typed path passes the caller's value to registered functions through it,
// so that a value passed to MarshalAppend or Unmarshal stays where the
// caller put it: the functions Register takes are documented not to keep
// the pointer past the call, and generated code does not. The caller's own
// reference keeps the value alive meanwhile.
func hide(p unsafe.Pointer) unsafe.Pointer {
	bits := *(*uintptr)(unsafe.Pointer(&p))
	return *(*unsafe.Pointer)(unsafe.Pointer(&bits))
}

// lookupGen returns the generated functions registered for t with the
// format fs, or nil.
func lookupGen(t reflect.Type, fs string) *genCodec {
	if x, ok := genRegistry.Load(genKey{t, fs}); ok {
		return x.(*genCodec)
	}
	return nil
}

// A Codec is the registration of generated code for the struct type T with
// one format string, made by [Register]. Generated code calls its methods
// to build errors; they are exactly the errors of the typed path.
type Codec[T any] struct {
	s   *Struct // compiled from the format, never using generated code
	key genKey
}

// Register is for code written by `pystruct gen`. It records marshal and
// unmarshal as the way to pack and unpack a *T with the format string fs,
// so that from then on every Struct compiled from exactly fs (the same
// string, byte for byte) uses them for T wherever the typed path meets T:
// [Struct.MarshalAppend], [Struct.Marshal], [Struct.Unmarshal] (of one
// record and of a slice of records), [Encoder], [Decoder] and the
// functions built on them. Bindings a Struct made before the call keep
// the typed path's own operations.
//
// marshal and unmarshal must not keep v, or any pointer into it, after
// they return (the typed path passes them values that may live on the
// caller's stack). marshal must behave as MarshalAppend does for one record: append the
// record to dst, or return dst with its original length and the typed
// path's error. unmarshal must behave as Unmarshal does for exactly one
// record. Generated code calls Register from an init function.
//
// Register panics if fs does not compile, if T is not a struct type, or if
// T does not fit fs: generated code that no longer fits its type is a
// programming error, like a bad pattern given to regexp.MustCompile. It
// is safe for concurrent use; registering T with fs again replaces the
// functions, for Structs that bind T afterwards.
func Register[T any](fs string, marshal func(v *T, dst []byte) ([]byte, error), unmarshal func(v *T, b []byte) error) *Codec[T] {
	s, err := Compile(fs)
	if err != nil {
		panic("pack.Register: " + err.Error())
	}
	s.noGen = true
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		panic("pack.Register: " + t.String() + " is not a struct type")
	}
	if err := s.Check(t); err != nil {
		panic("pack.Register: " + err.Error())
	}
	if marshal == nil || unmarshal == nil {
		panic("pack.Register: nil function for " + t.String())
	}
	key := genKey{t, fs}
	// A func(*T, ...) is called exactly as the same func(unsafe.Pointer,
	// ...) is: taking the functions as such saves a call per record.
	genRegistry.Store(key, &genCodec{
		marshal:   *(*func(unsafe.Pointer, []byte) ([]byte, error))(unsafe.Pointer(&marshal)),
		unmarshal: *(*func(unsafe.Pointer, []byte) error)(unsafe.Pointer(&unmarshal)),
	})
	return &Codec[T]{s: s, key: key}
}

// RegisterSlice is for code written by `pystruct gen`. It adds to the
// codec's registration a function that unpacks many records at once, which
// [Struct.Unmarshal] into a *[]T then calls once for the whole buffer
// instead of calling the registered unmarshal function once per record.
//
// unmarshalSlice is called with out of length n > 0 and b of exactly n
// records. It must set out[k] from record k as the registered unmarshal
// function does, in order, and return n and nil, or, at the first record
// that fails, the index k of that record and the typed path's error for
// it (the error [Codec.UnmarshalError] returns for out[k] and record k):
// Unmarshal then keeps the records before k and prefixes the message
// with the record's index, and may modify the error. It must not keep out
// or b after it returns. Like Register, RegisterSlice is meant for init
// functions, and Structs that bound T before the call do not use it.
func (c *Codec[T]) RegisterSlice(unmarshalSlice func(out []T, b []byte) (int, error)) {
	if unmarshalSlice == nil {
		panic("pack.Codec.RegisterSlice: nil function for " + c.key.t.String())
	}
	x, ok := genRegistry.Load(c.key)
	if !ok {
		panic("pack.Codec.RegisterSlice: " + c.key.t.String() + " is not registered")
	}
	g := *x.(*genCodec)
	g.unmarshalSlice = func(p unsafe.Pointer, n int, b []byte) (int, error) {
		return unmarshalSlice(unsafe.Slice((*T)(p), n), b)
	}
	genRegistry.Store(c.key, &g)
}

// CheckLayout is for code written by `pystruct gen` for a native ('@')
// format, whose layout depends on the platform: the generator writes one
// file per layout, each built only on its platforms, and the code checks
// at init that pack lays the format out on this platform as the file
// assumes. order is '<' or '>' for code written for that byte order, or
// '@' for code that reads and writes no value of more than one byte;
// size is the record's size and offsets the offset of each item of the
// format, pads included, in order.
//
// CheckLayout panics if the layout is not this platform's: the
// generated code would pack wrong bytes, which is a programming error
// (code generated by another version of pystruct), like a type that no
// longer fits its format in [Register].
func (c *Codec[T]) CheckLayout(order byte, size int, offsets ...int) {
	p := c.s.Plan()
	ok := p.Size() == size && len(offsets) == p.NumFields()
	for i := 0; ok && i < len(offsets); i++ {
		ok = p.Field(i).Offset == offsets[i]
	}
	switch order {
	case '<':
		ok = ok && !cabi.BigEndian
	case '>':
		ok = ok && cabi.BigEndian
	case '@':
	default:
		ok = false
	}
	if !ok {
		got := []byte{'<'}
		if cabi.BigEndian {
			got[0] = '>'
		}
		got = append(got, " size "+itoa(p.Size())+", offsets"...)
		for i := range p.NumFields() {
			got = append(got, ' ')
			got = strconv.AppendInt(got, int64(p.Field(i).Offset), 10)
		}
		want := append([]byte{order}, " size "+itoa(size)+", offsets"...)
		for _, o := range offsets {
			want = append(want, ' ')
			want = strconv.AppendInt(want, int64(o), 10)
		}
		panic("pack.CheckLayout: the code generated for " + reflect.TypeFor[T]().String() + " with the format " + strconvQuote(c.s.Format()) +
			" assumes the layout " + string(want) + ", but on " + runtime.GOOS + "/" + runtime.GOARCH + " it is " + string(got) +
			": regenerate it with this version of pystruct gen")
	}
}

// Struct returns the Struct compiled from the codec's format. It packs and
// unpacks with the typed path's own operations, never with the generated
// functions.
func (c *Codec[T]) Struct() *Struct { return c.s }

// MarshalError returns the error the typed path gives when marshalling v,
// for generated code that has found v does not pack. If the typed path
// packs v after all, the generated code is out of step with pack, and
// MarshalError says so in an error of category [ErrType].
func (c *Codec[T]) MarshalError(v *T) error {
	if _, err := c.s.MarshalAppend(nil, v); err != nil {
		return err
	}
	return &Error{"marshal", c.s.Format(), -1, ErrType, "generated code for " + reflect.TypeFor[T]().String() + " is out of step with pack: regenerate it"}
}

// UnmarshalError unpacks b into v with the typed path, as
// [Struct.Unmarshal] does, and returns its error: generated code calls it
// when b is not one record or a value does not fit its field, so that v
// and the error are exactly those of the typed path. If the typed path
// succeeds, the generated code is out of step with pack, and the error
// says so with category [ErrType].
func (c *Codec[T]) UnmarshalError(v *T, b []byte) error {
	if err := c.s.Unmarshal(b, v); err != nil {
		return err
	}
	return &Error{"unmarshal", c.s.Format(), -1, ErrType, "generated code for " + reflect.TypeFor[T]().String() + " is out of step with pack: regenerate it"}
}

// Check reports whether values of a Go type bind to the format, as
// [Struct.MarshalAppend] and [Struct.Unmarshal] would bind them, without
// packing anything. v is a reflect.Type, or a value whose type is checked:
// a struct, a pointer to one, or a slice of structs or a pointer to one.
// The error is the one marshalling a value of that type would give (with
// Op "check"): it names the Go field and the format item. Check is meant
// for init functions and tests.
func (s *Struct) Check(v any) error {
	s = s.orEmpty()
	t, ok := v.(reflect.Type)
	if !ok {
		t = reflect.TypeOf(v)
	}
	if t != nil {
		switch {
		case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Slice:
			t = t.Elem().Elem()
		case t.Kind() == reflect.Pointer, t.Kind() == reflect.Slice:
			t = t.Elem()
		}
	}
	if t == nil || t.Kind() != reflect.Struct {
		return s.argError("check", "cannot check "+typeName(t)+": want a struct type")
	}
	m := s.typed.tables()
	x, ok := m.structs.Load(t)
	if !ok {
		x, _ = m.structs.LoadOrStore(t, s.bind(t))
	}
	if b := x.(*binding); b.err != nil {
		return s.bindErr("check", b)
	}
	return nil
}

// FormatOf returns the format string that describes struct type t as a
// record in byte order order ('@', '=', '<', '>' or '!'): the order, then
// one item for each Go field the typed path would bind, in order. Each
// field takes its natural code: int8 b, uint8 B, int16 h, uint16 H, int32
// i, uint32 I, int64 q, uint64 Q, float32 f, float64 d, bool ?, [N]byte
// Ns, complex64 Zf, complex128 Zd (CPython 3.15's spelling of F and D;
// tag the field `pack:"F"` or `pack:"D"` for a format that CPython 3.14
// reads too); an array of N of these takes N of the code ("3i"). A field whose
// pack tag has a code takes that code (`pack:"5s"` on a string, `pack:"3x"`
// on a blank field for pad bytes). Fields tagged `pack:"-"` and unexported
// fields are skipped, and nested structs and arrays of structs are
// flattened, as binding does. A field of any other type (int, string,
// []byte, ...) without a code in its tag has no natural code, and FormatOf
// fails with an error of category [ErrType] naming it. The format it
// returns binds t: FormatOf checks it as [Struct.Check] does and returns
// that error if not.
func FormatOf(t reflect.Type, order byte) (string, error) {
	switch format.Order(order) {
	case format.Native, format.Host, format.Little, format.Big, format.Network:
	default:
		return "", &Error{"format", "", -1, ErrType, fmt.Sprintf("bad byte order %q: want one of @ = < > !", rune(order))}
	}
	if t == nil || t.Kind() != reflect.Struct {
		return "", &Error{"format", string(order), -1, ErrType, "cannot describe " + typeName(t) + ": want a struct type"}
	}
	slots, berr := flatten(t, 0, "", nil)
	if berr != nil {
		return "", &Error{"format", string(order), berr.item, berr.err, berr.msg}
	}
	out := []byte{order}
	for _, sl := range slots {
		if sl.tag.code != "" {
			out = append(out, sl.tag.code...)
			continue
		}
		code, count, ok := naturalCode(sl.t)
		if !ok {
			return "", &Error{"format", string(order), -1, ErrType, "field " + sl.name + " (" + sl.t.String() + ") of " + t.String() +
				" has no natural format code: give it one in a pack tag"}
		}
		if count != 1 {
			out = append(out, itoa(count)...)
		}
		out = append(out, code...)
	}
	fs := string(out)
	s, err := Compile(fs)
	if err != nil {
		return "", err
	}
	if err := s.Check(t); err != nil {
		return "", err
	}
	return fs, nil
}

// naturalCode returns the natural format code of a Go field type and its
// repeat count.
func naturalCode(t reflect.Type) (code string, count int, ok bool) {
	if t.Kind() == reflect.Array {
		if t.Elem().Kind() == reflect.Uint8 {
			return "s", t.Len(), true
		}
		c, _, ok := naturalCode(t.Elem())
		if !ok || t.Elem().Kind() == reflect.Array {
			return "", 0, false
		}
		return c, t.Len(), true
	}
	switch t.Kind() {
	case reflect.Complex64:
		return "Zf", 1, true
	case reflect.Complex128:
		return "Zd", 1, true
	case reflect.Int8:
		return "b", 1, true
	case reflect.Uint8:
		return "B", 1, true
	case reflect.Int16:
		return "h", 1, true
	case reflect.Uint16:
		return "H", 1, true
	case reflect.Int32:
		return "i", 1, true
	case reflect.Uint32:
		return "I", 1, true
	case reflect.Int64:
		return "q", 1, true
	case reflect.Uint64:
		return "Q", 1, true
	case reflect.Float32:
		return "f", 1, true
	case reflect.Float64:
		return "d", 1, true
	case reflect.Bool:
		return "?", 1, true
	}
	return "", 0, false
}

// Conversions for generated code, each exactly the typed path's.

// Quiet32 returns the bits of a binary32 value with a signalling NaN made
// quiet, as CPython packs and unpacks every NaN; other values are
// unchanged.
func Quiet32(bits uint32) uint32 {
	// As quiet32, in fewer instructions: setting the quiet bit of a NaN
	// that has it changes nothing.
	if bits&0x7fffffff > 0x7f800000 {
		bits |= 0x400000
	}
	return bits
}

// Float32Bits returns the binary32 bits of f rounded to float32, as 'f'
// packs it: a NaN keeps its sign and the top of its payload and comes out
// quiet. ok is false if f is finite but too large for a float32, which
// CPython reports as "float too large to pack with f format".
func Float32Bits(f float64) (bits uint32, ok bool) { return float32Bits(f) }

// Float32ToFloat64 returns the binary32 value with the given bits as a
// float64, as 'f' unpacks it: a NaN keeps its sign and payload and comes
// out quiet.
func Float32ToFloat64(bits uint32) float64 { return float32ToFloat64(bits) }

// HalfBits returns the binary16 bits of f rounded to half precision, as
// 'e' packs it. ok is false if f is finite but too large, which CPython
// reports as "float too large to pack with e format".
func HalfBits(f float64) (bits uint16, ok bool) { return half.FromFloat64(f) }

// HalfToFloat64 returns the binary16 value with the given bits as a
// float64, as 'e' unpacks it.
func HalfToFloat64(bits uint16) float64 { return half.ToFloat64(bits) }
