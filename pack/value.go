package pack

import (
	"math"
	"math/big"
	"reflect"
)

// intClass says how a Go value stands as a Python int.
type intClass uint8

const (
	notInt   intClass = iota // no integer protocol: not an int
	isInt64                  // fits int64 (in i)
	isUint64                 // fits uint64 but not int64 (in u)
	isHuge                   // an int beyond 64 bits (a *big.Int)
)

// toInt classifies v as a Python int: every Go integer kind, named or not,
// bool, and *big.Int.
func toInt(v any) (i int64, u uint64, c intClass) {
	switch x := v.(type) {
	case int:
		return int64(x), 0, isInt64
	case int64:
		return x, 0, isInt64
	case int32:
		return int64(x), 0, isInt64
	case int16:
		return int64(x), 0, isInt64
	case int8:
		return int64(x), 0, isInt64
	case uint:
		return uintClass(uint64(x))
	case uint64:
		return uintClass(x)
	case uint32:
		return int64(x), 0, isInt64
	case uint16:
		return int64(x), 0, isInt64
	case uint8:
		return int64(x), 0, isInt64
	case uintptr:
		return uintClass(uint64(x))
	case bool:
		if x {
			return 1, 0, isInt64
		}
		return 0, 0, isInt64
	case *big.Int:
		if x == nil {
			return 0, 0, notInt
		}
		if x.IsInt64() {
			return x.Int64(), 0, isInt64
		}
		if x.IsUint64() {
			return 0, x.Uint64(), isUint64
		}
		return 0, 0, isHuge
	case nil, float64, float32, string, []byte:
		return 0, 0, notInt
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), 0, isInt64
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintClass(rv.Uint())
	case reflect.Bool:
		return toInt(rv.Bool())
	}
	return 0, 0, notInt
}

func uintClass(u uint64) (int64, uint64, intClass) {
	if u <= math.MaxInt64 {
		return int64(u), 0, isInt64
	}
	return 0, u, isUint64
}

// toFloat converts v as Python's float protocol does: floats as they are,
// ints rounded to the nearest double. isInt reports an int argument, whose
// overflow CPython reports differently; ok is false when v has no float
// protocol or is an int too large for a double.
func toFloat(v any) (f float64, isInt, ok bool) {
	switch x := v.(type) {
	case float64:
		return x, false, true
	case float32:
		return float64(x), false, true
	case *big.Int:
		if x == nil {
			return 0, false, false
		}
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, true, !math.IsInf(f, 0)
	}
	switch i, u, c := toInt(v); c {
	case isInt64:
		return float64(i), true, true
	case isUint64:
		return float64(u), true, true
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Float32 || rv.Kind() == reflect.Float64 {
		return rv.Float(), false, true
	}
	return 0, false, false
}

// toComplex converts v as Python's complex protocol does for the complex
// codes: complex values as they are, every real value toFloat accepts as a
// complex with a zero imaginary part. ok is false otherwise, an int too
// large for a double included (CPython reports both as "required argument
// is not a complex").
func toComplex(v any) (re, im float64, ok bool) {
	switch x := v.(type) {
	case complex128:
		return real(x), imag(x), true
	case complex64:
		return float64(real(x)), float64(imag(x)), true
	}
	if f, _, ok := toFloat(v); ok {
		return f, 0, true
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Complex64 || rv.Kind() == reflect.Complex128 {
		c := rv.Complex()
		return real(c), imag(c), true
	}
	return 0, 0, false
}

// toBytes returns the bytes of v if it is a byte slice or a string (named
// types included).
func toBytes(v any) (b []byte, s string, isString, ok bool) {
	switch x := v.(type) {
	case []byte:
		return x, "", false, true
	case string:
		return nil, x, true, true
	case nil:
		return nil, "", false, false
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.Kind() == reflect.String:
		return nil, rv.String(), true, true
	case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8:
		return rv.Bytes(), "", false, true
	}
	return nil, "", false, false
}

// truth returns Python's truth value of v: false for nil, false, zero
// numbers, and empty strings, slices, arrays and maps; true otherwise.
func truth(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case nil:
		return false
	case int:
		return x != 0
	case int64:
		return x != 0
	case uint64:
		return x != 0
	case float64:
		return x != 0
	case []byte:
		return len(x) != 0
	case string:
		return len(x) != 0
	case *big.Int:
		return x != nil && x.Sign() != 0
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return rv.Uint() != 0
	case reflect.Float32, reflect.Float64:
		return rv.Float() != 0
	case reflect.Complex64, reflect.Complex128:
		return rv.Complex() != 0
	case reflect.String, reflect.Slice, reflect.Array, reflect.Map, reflect.Chan:
		return rv.Len() != 0
	case reflect.Pointer, reflect.Interface, reflect.Func, reflect.UnsafePointer:
		return !rv.IsNil()
	}
	return true
}
