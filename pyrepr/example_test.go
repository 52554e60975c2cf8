package pyrepr_test

import (
	"fmt"
	"math"

	"github.com/pystruct/pystruct/pack"
	"github.com/pystruct/pystruct/pyrepr"
)

func ExampleTuple() {
	vals, err := pack.Unpack("<i5sf", []byte{1, 0, 0, 0, 'z', 'h', 'a', 'n', 'g', 0, 0, 0xe0, 0x3f})
	if err != nil {
		panic(err)
	}
	fmt.Println(pyrepr.Tuple(vals))
	fmt.Println(pyrepr.Tuple([]any{int64(5)}))
	fmt.Println(pyrepr.Tuple(nil))
	// Output:
	// (1, b'zhang', 1.75)
	// (5,)
	// ()
}

func ExampleFloat() {
	for _, f := range []float64{1.75, float64(float32(1.7)), 1e15, 1e16, 0.0001, 0.00001, math.Copysign(0, -1), math.Inf(-1), math.NaN()} {
		fmt.Println(pyrepr.Float(f))
	}
	// Output:
	// 1.75
	// 1.7000000476837158
	// 1000000000000000.0
	// 1e+16
	// 0.0001
	// 1e-05
	// -0.0
	// -inf
	// nan
}

func ExampleBytes() {
	fmt.Println(pyrepr.Bytes([]byte("zhang")))
	fmt.Println(pyrepr.Bytes([]byte("it's")))
	fmt.Println(pyrepr.Bytes([]byte("\x00'\"\\")))
	fmt.Println(pyrepr.Bytes([]byte("\t\n\xff")))
	// Output:
	// b'zhang'
	// b"it's"
	// b'\x00\'"\\'
	// b'\t\n\xff'
}

func ExampleAppendTuple() {
	buf := []byte("record: ")
	buf = pyrepr.AppendTuple(buf, []any{uint64(7), true, []byte("ok")})
	buf = append(buf, '\n')
	fmt.Print(string(buf))
	// Output:
	// record: (7, True, b'ok')
}
