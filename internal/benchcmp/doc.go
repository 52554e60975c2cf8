// Package benchcmp benchmarks the records of pystruct's comparison
// (issue 4) through the Go peers that describe layouts with Go struct
// types: encoding/binary, github.com/lunixbochs/struc and
// github.com/go-restruct/restruct, next to pystruct's typed path.
//
// It is a module of its own so that the peers stay out of pystruct's
// go.mod. scripts/bench.sh runs these benchmarks with pystruct's own
// (pack/bench_test.go) and CPython's, and prints the table.
package benchcmp
