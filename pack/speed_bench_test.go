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

// BenchmarkIter times IterUnpack and IterUnpackValues per record of
// '<IIhhd', as the harness's iteration cases do.
func BenchmarkIter(b *testing.B) {
	s := pack.MustCompile("<IIhhd")
	buf := make([]byte, 0, 1000*s.Size())
	for i := range 1000 {
		buf, _ = s.Append(buf, i, i*7, i%300-150, -(i % 100), float64(i)*0.5)
	}
	var sink []any
	b.Run("fresh", func(b *testing.B) {
		for b.Loop() {
			seq, _ := s.IterUnpack(buf)
			for v := range seq {
				sink = v
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/record")
	})
	b.Run("reuse", func(b *testing.B) {
		for b.Loop() {
			seq, _ := s.IterUnpackValues(buf)
			for v := range seq {
				sink = v
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/record")
	})
	_ = sink
}
