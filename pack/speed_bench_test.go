package pack_test

import (
	"testing"

	"github.com/pystruct/pystruct/pack"
)

// Benchmarks of the dynamic path's reusing variants, for profiles; the
// speed table comes from scripts/bench.sh.
func BenchmarkUnpackValues(b *testing.B) {
	for _, r := range benchRecords() {
		b.Run(r.name, func(b *testing.B) {
			s := pack.MustCompile(r.fs)
			rec, _ := s.Pack(r.values...)
			var v pack.Values
			for b.Loop() {
				s.UnpackValues(&v, rec)
			}
		})
	}
}

func BenchmarkAppend(b *testing.B) {
	for _, r := range benchRecords() {
		b.Run(r.name, func(b *testing.B) {
			s := pack.MustCompile(r.fs)
			dst := make([]byte, 0, 64)
			for b.Loop() {
				dst, _ = s.Append(dst[:0], r.values...)
			}
		})
	}
}
