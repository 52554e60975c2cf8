package pack

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"
	"unsafe"
)

// One Values serving several Structs in turn, records of every size
// (fixed block types, two allocations, per-value and per-op decoding),
// gives what Unpack gives each time.
func TestValuesAcrossStructs(t *testing.T) {
	formats := []string{"<i5sf", "<IIhhqd?5sxH", "@ci?d", "<IIhhd", ">20q3s0p4p", "<3c2?e", "<300h", "=257B",
		"<20b65s5s5s5s5s", "!17I", "<2s0s?", "x", "", ">hHiIqQfd"}
	rng := rand.New(rand.NewPCG(5, 6))
	var v Values
	for trial := range 400 {
		s := MustCompile(formats[rng.IntN(len(formats))])
		rec := make([]byte, s.Size())
		for i := range rec {
			rec[i] = byte(rng.Uint64())
		}
		want, err := s.Unpack(rec)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.UnpackValues(&v, rec)
		if err != nil {
			t.Fatal(err)
		}
		if !sameValues(got, want) {
			t.Fatalf("trial %d, %s: UnpackValues = %v, Unpack = %v", trial, s, got, want)
		}
		if len(got) > 0 && trial%3 == 0 {
			got[rng.IntN(len(got))] = trial
		}
	}
}

// The values of a fresh Unpack point into one block whose data area the
// collector does not scan: the byte strings, bools and numbers must stay
// intact while only they are kept, through collections and reuse of the
// freed memory. So must IterUnpack's, whose blocks are allocated a few
// records at a time: it keeps two records' values of every three, so
// that some allocations are kept by one of their blocks only.
func TestUnpackBlockSurvivesCollection(t *testing.T) {
	for _, way := range []string{"Unpack", "IterUnpack"} {
		for _, fs := range []string{"<IIhhqd?5sxH", "<3c2?", "<20b65s5s5s5s5s", "<300h4s?", "<IIhhd", "<b?"} {
			s := MustCompile(fs)
			const n = 2000
			type kept struct {
				b   []byte // a []byte taken out of its interface
				any any    // an interface value kept alone
				rec []byte
			}
			all := make([]byte, 0, n*s.Size())
			for i := range n {
				for j := range s.Size() {
					all = append(all, byte(i*7+j*13+1))
				}
			}
			keep := make([]kept, n)
			// Collections run while the blocks are made and filled.
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				for {
					select {
					case <-stop:
						return
					default:
						runtime.GC()
					}
				}
			}()
			take := func(i int, vals []any) {
				k := kept{rec: all[i*s.Size() : (i+1)*s.Size()]}
				if way == "IterUnpack" && i%3 == 1 {
					keep[i] = k
					return
				}
				for j := len(vals) - 1; j >= 0; j-- {
					if b, ok := vals[j].([]byte); ok && k.b == nil {
						k.b = b
					} else if k.any == nil {
						k.any = vals[j]
					}
				}
				keep[i] = k
			}
			if way == "Unpack" {
				for i := range keep {
					vals, err := s.Unpack(all[i*s.Size() : (i+1)*s.Size()])
					if err != nil {
						t.Fatal(err)
					}
					take(i, vals)
				}
			} else {
				seq, err := s.IterUnpack(all)
				if err != nil {
					t.Fatal(err)
				}
				i := 0
				for vals := range seq {
					take(i, vals)
					i++
				}
			}
			close(stop)
			<-done
			for range 3 {
				runtime.GC()
				// Churn: allocate and drop memory of the blocks' sizes.
				var junk [][]byte
				for i := range 20000 {
					junk = append(junk, bytes.Repeat([]byte{0xEE}, 16+i%400))
				}
				runtime.KeepAlive(junk)
			}
			for i, k := range keep {
				if way == "IterUnpack" && i%3 == 1 {
					continue
				}
				vals, _ := s.Unpack(k.rec)
				var wantB []byte
				var wantAny any
				for j := len(vals) - 1; j >= 0; j-- {
					if b, ok := vals[j].([]byte); ok && wantB == nil {
						wantB = b
					} else if wantAny == nil {
						wantAny = vals[j]
					}
				}
				if !bytes.Equal(k.b, wantB) || !sameValues([]any{k.any}, []any{wantAny}) {
					t.Fatalf("%s %s: record %d: kept %v and %v after collections, want %v and %v", way, fs, i, k.b, k.any, wantB, wantAny)
				}
			}
		}
	}
}

// Byte strings come back with their capacity ending with them, so that
// appending to one copies it rather than writing over what follows.
func TestUnpackBytesCapacity(t *testing.T) {
	s := MustCompile("<2s3c4p?")
	rec := []byte("ab" + "xyz" + "\x02cd\x00" + "\x01")
	for _, way := range []string{"Unpack", "UnpackValues"} {
		var vals []any
		if way == "Unpack" {
			vals, _ = s.Unpack(rec)
		} else {
			vals, _ = s.UnpackValues(new(Values), rec)
		}
		want := []any{[]byte("ab"), []byte("x"), []byte("y"), []byte("z"), []byte("cd"), true}
		if !reflect.DeepEqual(vals, want) {
			t.Fatalf("%s = %q, want %q", way, vals, want)
		}
		for i, v := range vals[:5] {
			b := v.([]byte)
			if cap(b) != len(b) {
				t.Errorf("%s: value %d has capacity %d, length %d", way, i, cap(b), len(b))
			}
			_ = append(b, 'Q')
		}
		if !reflect.DeepEqual(vals, want) {
			t.Errorf("%s: after appending to each byte string, values = %q", way, vals)
		}
	}
}

// The layout's tables hold one entry per op (a coder, or a run of
// coders), and per value only for small records: a format of a million
// values does not make a table of a million entries.
func TestDynLayoutBounded(t *testing.T) {
	s := MustCompile("<1000000h")
	l := s.dynLayoutOf()
	if len(l.ops) != 1 || l.vops != nil || l.packs != nil {
		t.Errorf("<1000000h: %d ops, %d per-value ops, %d packs", len(l.ops), len(l.vops), len(l.packs))
	}
	if size := unsafe.Sizeof(dynOp{}); size > 128 {
		t.Errorf("a dynOp is %d bytes", size)
	}
	s = MustCompile(fmt.Sprintf("<%dh", dynPackMax))
	if l := s.dynLayoutOf(); len(l.vops) == 0 || len(l.packs) != dynPackMax {
		t.Errorf("<%dh: %d per-value ops, %d packs", dynPackMax, len(l.vops), len(l.packs))
	}
}

// Every block type holds its values and data as its class says.
func TestDynClasses(t *testing.T) {
	for v := range dynClasses {
		prev := 0
		for i := range dynClasses[v] {
			c := &dynClasses[v][i]
			if c.v != v+1 || c.offD != uintptr(v+1)*efaceSize || c.words <= prev {
				t.Errorf("dynClasses[%d][%d] = {v %d, words %d, offD %d}", v, i, c.v, c.words, c.offD)
			}
			prev = c.words
			p := c.alloc()
			if p == nil {
				t.Fatalf("dynClasses[%d][%d].alloc() = nil", v, i)
			}
		}
	}
	// The records of the speed table get a block of their size class:
	// interface values and []byte headers have half the size where
	// pointers have 32 bits, and so do the blocks.
	for fs, want := range map[string][2]int{
		"<i5sf":        {96, 72},   // 3 values; 2 words, a header and 5 bytes
		"<IIhhqd?5sxH": {240, 152}, // 9 values; 7 words, a header and 6 bytes
		"@ci?d":        {112, 64},  // 4 values; 2 words, a header and 2 bytes
		"<IIhhd":       {128, 88},  // 5 values; 5 words
	} {
		s := MustCompile(fs)
		l := s.dynLayoutOf()
		if l.class == nil || len(l.vops) == 0 {
			t.Errorf("%s: block type %v, %d per-value ops", fs, l.class, len(l.vops))
			continue
		}
		w := want[0]
		if unsafe.Sizeof(uintptr(0)) == 4 {
			w = want[1]
		}
		if size := int(l.class.offD) + 8*l.class.words; size != w {
			t.Errorf("%s: a block of %d bytes, want %d", fs, size, w)
		}
		if size := int(efaceSize)*l.class.v + 8*l.class.words; size != w {
			t.Errorf("%s: a block of %d values and %d words is %d bytes, want %d", fs, l.class.v, l.class.words, size, w)
		}
	}
}

// sameValues reports whether a and b hold the same values, floats
// compared by their bits.
func sameValues(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, xok := a[i].(float64)
		y, yok := b[i].(float64)
		if xok && yok {
			if math.Float64bits(x) != math.Float64bits(y) {
				return false
			}
		} else if !reflect.DeepEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}

// A Values that held the values of a format without a block (complex
// values) and then serves a format with one: its storage is remade to
// fit.
func TestValuesAfterCoderPath(t *testing.T) {
	var v Values
	buf := bytes.Repeat([]byte{0x3f}, 128)
	for _, fs := range []string{"<i", "<2D", "ii", "<3F", "<IIhhqd?5sxH", "", "<5D?", "<q"} {
		s := MustCompile(fs)
		rec := buf[:s.Size()]
		want, _ := s.Unpack(rec)
		got, err := s.UnpackValues(&v, rec)
		if err != nil || !sameValues(got, want) {
			t.Fatalf("%s: UnpackValues = %v, %v; Unpack = %v", fs, got, err, want)
		}
	}
}

// A write into any one place of a reused Values' slice, whatever the
// number of values (the check of the slice is unrolled in groups), is
// noticed: the next record's values are Unpack's, in UnpackValues and in
// IterUnpackValues alike.
func TestValuesNoticeEveryWrite(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for n := 1; n <= 27; n++ {
		fs := "<" + fmt.Sprint(n) + "h"
		s := MustCompile(fs)
		recs := make([]byte, 3*n*s.Size())
		for i := range recs {
			recs[i] = byte(rng.Uint64())
		}
		for at := range n {
			// Three writes: another value of the slice (same type, another
			// place), a value of the same type from elsewhere, and nil.
			writes := []func(vals []any){
				func(vals []any) { vals[at] = vals[(at+1)%n] },
				func(vals []any) { vals[at] = int64(rng.Uint64()) },
				func(vals []any) { vals[at] = nil },
			}
			for w, write := range writes {
				var v Values
				for r := range 3 {
					rec := recs[r*s.Size() : (r+1)*s.Size()]
					got, err := s.UnpackValues(&v, rec)
					if err != nil {
						t.Fatal(err)
					}
					want, _ := s.Unpack(rec)
					if !sameValues(got, want) {
						t.Fatalf("%s, write %d at %d, record %d: UnpackValues = %v, Unpack = %v", fs, w, at, r, got, want)
					}
					write(got)
				}
				seq, err := s.IterUnpackValues(recs[:3*s.Size()])
				if err != nil {
					t.Fatal(err)
				}
				r := 0
				for got := range seq {
					want, _ := s.Unpack(recs[r*s.Size() : (r+1)*s.Size()])
					if !sameValues(got, want) {
						t.Fatalf("%s, write %d at %d, record %d: IterUnpackValues gave %v, Unpack %v", fs, w, at, r, got, want)
					}
					write(got)
					r++
				}
			}
		}
	}
}

// IterUnpack allocates the blocks of a few consecutive records at once:
// every record's values are Unpack's, whether the iteration runs to the
// end or stops early, each slice's capacity ends with it (appending to
// one copies it, leaving the next record's values alone), and the values
// kept from every record stay as they were while later records are
// unpacked.
func TestIterUnpackBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, fs := range iterFormats {
		s := MustCompile(fs)
		l := s.dynLayoutOf()
		if l.class == nil {
			t.Fatalf("%s has no block type", fs)
		}
		batch := max(1, iterBatchBytes/int(l.class.size))
		for records := range 2*batch + 3 {
			buf := make([]byte, records*s.Size())
			for i := range buf {
				buf[i] = byte(rng.Uint64())
			}
			want := make([][]any, records)
			for i := range want {
				want[i], _ = s.Unpack(buf[i*s.Size() : (i+1)*s.Size()])
			}
			for stop := range records + 1 {
				seq, err := s.IterUnpack(buf)
				if err != nil {
					t.Fatal(err)
				}
				var got [][]any
				for vals := range seq {
					if len(got) == stop {
						break
					}
					if cap(vals) != len(vals) {
						t.Fatalf("%s, record %d: a slice of %d values with capacity %d", fs, len(got), len(vals), cap(vals))
					}
					if i := len(got); !sameValues(vals, want[i]) {
						t.Fatalf("%s, %d records, record %d: IterUnpack gave %v, Unpack %v", fs, records, i, vals, want[i])
					}
					_ = append(vals, "appended")
					got = append(got, vals)
				}
				if len(got) != stop {
					t.Fatalf("%s, %d records: %d yielded before stopping at %d", fs, records, len(got), stop)
				}
				for i := range got {
					if !sameValues(got[i], want[i]) {
						t.Fatalf("%s, %d records: record %d is %v after the iteration, Unpack gives %v", fs, records, i, got[i], want[i])
					}
				}
			}
		}
		// One allocation per batch, and a few for the iteration.
		buf := make([]byte, 1000*s.Size())
		seq, _ := s.IterUnpack(buf)
		n := testing.AllocsPerRun(10, func() {
			for range seq {
			}
		})
		if most := (1000+batch-1)/batch + 4; n > float64(most) {
			t.Errorf("%s: IterUnpack over 1000 records, %d blocks per allocation: %v allocations, want at most %d", fs, batch, n, most)
		}
	}
}

// iterFormats have every kind of op of the iterations' batches: numbers
// of each size and byte order, pairs, half floats, bools, chars, short,
// long, empty and Pascal strings, pads.
var iterFormats = []string{"<b", "<IIhhd", "<IIhhqd?5sxH", "<3c2?", ">16H", "<i5sf", "@ci?d", "<9s?",
	">hHiIqQ?e", "<p5p0s0p20s", "@bxhxxi", ">fd3e", "<2q2Q2d2h2H2i2I", "<4p17sc"}

// IterUnpackValues decodes records a batch at a time into a stage and
// copies each into its Values: every record, on either side of a batch's
// end, has Unpack's values, its byte strings included; values copied out
// of the slice point into the Values, as its doc says, so they read the
// next record's values (byte strings too: they do not point into the
// stage); and stopping anywhere stops it.
func TestIterUnpackValuesBatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, fs := range append(iterFormats, "<h", "<30q") {
		s := MustCompile(fs)
		l := s.dynLayoutOf()
		if l.vops == nil || l.words > iterRowsWords {
			t.Fatalf("%s: not decoded in batches", fs)
		}
		batch := iterRowsWords / l.words
		for _, records := range []int{0, 1, 2, batch - 1, batch, batch + 1, 2*batch + 3} {
			if records < 0 {
				continue
			}
			buf := make([]byte, records*s.Size())
			for i := range buf {
				buf[i] = byte(rng.Uint64())
			}
			for _, stop := range []int{records, records / 2, 1} {
				seq, err := s.IterUnpackValues(buf)
				if err != nil {
					t.Fatal(err)
				}
				i := 0
				var kept []any // the last record's values, copied out: they point into the Values
				at := make([]*byte, s.numValues)
				for vals := range seq {
					if i == stop {
						break
					}
					want, _ := s.Unpack(buf[i*s.Size() : (i+1)*s.Size()])
					if !sameValues(vals, want) {
						t.Fatalf("%s, %d records (batch %d), record %d: IterUnpackValues gave %v, Unpack %v", fs, records, batch, i, vals, want)
					}
					if kept != nil && !sameValues(kept, want) {
						t.Fatalf("%s, %d records (batch %d), record %d: values kept from the record before read %v, want this record's %v", fs, records, batch, i, kept, want)
					}
					for j, v := range vals {
						// A byte string's bytes are in the Values' data area,
						// at the same place for every record.
						if b, ok := v.([]byte); ok && len(b) > 0 {
							if p := unsafe.SliceData(b); at[j] != nil && at[j] != p {
								t.Fatalf("%s, record %d: value %d's bytes at %p, the record before's at %p", fs, i, j, p, at[j])
							}
							at[j] = unsafe.SliceData(b)
						}
					}
					kept = append(kept[:0], vals...)
					i++
				}
				if want := min(stop, records); i != want {
					t.Fatalf("%s, %d records: %d yielded, want %d", fs, records, i, want)
				}
			}
		}
	}
}

// The iterations decode only a few records ahead of the loop body, as
// their docs say: a write into buf past the current batch is seen when
// the iteration reaches that record.
func TestIterationsReadBoundedAhead(t *testing.T) {
	s := MustCompile("<IIhhd")
	size := s.Size()
	l := s.dynLayoutOf()
	ahead := map[string]int{ // records decoded together, at most
		"IterUnpack":       max(1, iterBatchBytes/int(l.class.size)),
		"IterUnpackValues": iterRowsWords / l.words,
	}
	for way, batch := range ahead {
		n := 2*batch + 2
		buf := make([]byte, n*size)
		target := batch + 1 // in the second batch
		iterate := s.IterUnpack
		if way == "IterUnpackValues" {
			iterate = s.IterUnpackValues
		}
		seq, err := iterate(buf)
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		for vals := range seq {
			if k == 0 {
				buf[target*size] = 42 // the first I of the target record
			}
			if k == target && vals[0] != uint64(42) {
				t.Errorf("%s: record %d (a batch of %d ahead) is %v after the loop body wrote 42 into it", way, k, batch, vals)
			}
			k++
		}
		if k != n {
			t.Errorf("%s: %d records, want %d", way, k, n)
		}
	}
}

// decodeValues switches on code&31 with every value a case: the codes of
// small records' ops end at 31.
func TestDecodeCodesFitTheSwitch(t *testing.T) {
	if dcEnd+5 != 31 {
		t.Errorf("dcEnd is %d: decodeValues' last case (dcEnd+5) should be 31", dcEnd)
	}
}
