package format_test

import (
	"errors"
	"fmt"

	"github.com/pystruct/pystruct/format"
)

func ExampleParse() {
	p, err := format.Parse("<i5sf")
	if err != nil {
		panic(err)
	}
	fmt.Println("size:", p.Size(), "values:", p.NumValues())
	for _, f := range p.Fields() {
		fmt.Printf("%c count=%d offset=%d size=%d\n", f.Code, f.Count, f.Offset, f.Size)
	}
	// Output:
	// size: 13 values: 3
	// i count=1 offset=0 size=4
	// s count=5 offset=4 size=5
	// f count=1 offset=9 size=4
}

func ExampleParse_error() {
	_, err := format.Parse("<i5z")
	fmt.Println(err)
	fmt.Println(errors.Is(err, format.ErrSyntax))
	if se, ok := errors.AsType[*format.SyntaxError](err); ok {
		fmt.Println(se.Offset, se.Msg)
	}
	// Output:
	// format "<i5z" at offset 3: bad char in struct format
	// true
	// 3 bad char in struct format
}

func ExamplePlan_String() {
	p := format.MustParse("> 2h 3s  0l")
	fmt.Println(p.String())
	// Output:
	// >2h3s0l
}

func ExamplePlan_Size() {
	// Native mode aligns each item but adds no trailing padding; a
	// zero-count item pads the end to its alignment.
	fmt.Println(format.MustParse("=ci").Size(), format.MustParse("@ci").Size())
	// Output:
	// 5 8
}
