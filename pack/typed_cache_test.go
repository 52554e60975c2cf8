package pack_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/pystruct/pystruct/pack"
)

// One Struct bound to several Go types at once, and Go types that need
// conversions: the typed path's cache and fast loops.

type (
	personAlt1 benchPerson
	personAlt2 benchPerson
	personAlt3 benchPerson
	personAlt4 benchPerson
	personAlt5 benchPerson
	personAlt6 benchPerson
)

// personConv holds "<i5sf" in converted types.
type personConv struct {
	ID     int
	Name   [5]byte
	Height float64
}

// wideConv holds "<IIhhqd?5sxH" in converted types, narrowing some.
type wideConv struct {
	A int
	B uint64
	C int
	D int8
	E int32
	F float32
	G bool
	H [5]byte
	I int
}

// nativeConv holds "@ci?d" in converted types.
type nativeConv struct {
	C byte
	I int64
	B bool
	D float32
}

func TestTypedConvertedAllocs(t *testing.T) {
	for _, c := range []struct {
		fs string
		v  any
	}{
		{"<i5sf", &personConv{1, [5]byte{'z', 'h', 'a', 'n', 'g'}, 1.75}},
		{"<IIhhqd?5sxH", &wideConv{1, 2, -3, 4, -5, 6.5, true, [5]byte{'h', 'e', 'l', 'l', 'o'}, 9}},
		{"@ci?d", &nativeConv{'x', -7, true, 2.5}},
	} {
		s := pack.MustCompile(c.fs)
		rec, err := s.Marshal(c.v)
		if err != nil {
			t.Fatalf("%q: Marshal: %v", c.fs, err)
		}
		buf := make([]byte, 0, 64)
		m := testing.AllocsPerRun(100, func() { buf, err = s.MarshalAppend(buf[:0], c.v) })
		u := testing.AllocsPerRun(100, func() { err = s.Unmarshal(rec, c.v) })
		if err != nil || m != 0 || u != 0 {
			t.Errorf("%q with %T: MarshalAppend %v, Unmarshal %v allocations (err %v), want 0", c.fs, c.v, m, u, err)
		}
	}
}

func TestTypedAlternatingAllocs(t *testing.T) {
	// Four Go types used in turn on one Struct all stay on the fast path.
	s := pack.MustCompile("<i5sf")
	vs := []any{&personAlt1{ID: 1}, &personAlt2{ID: 2}, &personAlt3{ID: 3}, &personAlt4{ID: 4}}
	rec, _ := s.Pack(1, []byte("zhang"), 1.75)
	buf := make([]byte, 0, 64)
	var err error
	n := testing.AllocsPerRun(100, func() {
		for _, v := range vs {
			if e := s.Unmarshal(rec, v); e != nil {
				err = e
			}
			if buf, err = s.MarshalAppend(buf[:0], v); err != nil {
				return
			}
		}
	})
	if err != nil || n != 0 {
		t.Errorf("four types in turn: %v allocations (err %v), want 0", n, err)
	}
}

func TestTypedManyTypesConcurrently(t *testing.T) {
	// Goroutines use one Struct with six struct types, more than the hot
	// entries hold, plus slices, converted types and scalars; every
	// result is checked. Run with -race.
	s := pack.MustCompile("<i5sf")
	name := [5]byte{'z', 'h', 'a', 'n', 'g'}
	check := func(id int32, height float32) func(v any) error {
		return func(v any) error {
			var got benchPerson
			switch p := v.(type) {
			case *personAlt1:
				got = benchPerson(*p)
			case *personAlt2:
				got = benchPerson(*p)
			case *personAlt3:
				got = benchPerson(*p)
			case *personAlt4:
				got = benchPerson(*p)
			case *personAlt5:
				got = benchPerson(*p)
			case *personAlt6:
				got = benchPerson(*p)
			case *personConv:
				got = benchPerson{int32(p.ID), p.Name, float32(p.Height)}
			}
			if want := (benchPerson{id, name, height}); got != want {
				return fmt.Errorf("%T: got %+v, want %+v", v, got, want)
			}
			return nil
		}
	}
	news := []func() any{
		func() any { return new(personAlt1) }, func() any { return new(personAlt2) },
		func() any { return new(personAlt3) }, func() any { return new(personAlt4) },
		func() any { return new(personAlt5) }, func() any { return new(personAlt6) },
		func() any { return new(personConv) },
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 0, 64)
			for i := range 2000 {
				id, height := int32(g*100000+i), float32(i)/4
				rec, err := s.Pack(int(id), name[:], height)
				if err != nil {
					errs <- err
					return
				}
				v := news[(g+i)%len(news)]()
				if err := s.Unmarshal(rec, v); err != nil {
					errs <- err
					return
				}
				if err := check(id, height)(v); err != nil {
					errs <- err
					return
				}
				if buf, err = s.MarshalAppend(buf[:0], v); err != nil || string(buf) != string(rec) {
					errs <- fmt.Errorf("%T: MarshalAppend gave % x, %v; want % x", v, buf, err, rec)
					return
				}
				if i%50 == 0 {
					var out []personAlt3
					if err := s.Unmarshal(append(rec, rec...), &out); err != nil || len(out) != 2 || out[1].ID != id {
						errs <- fmt.Errorf("bulk: %+v, %v", out, err)
						return
					}
					var x int64
					if err := s.Unmarshal(rec, &x); err == nil {
						errs <- fmt.Errorf("Unmarshal into *int64 of a 3-value format did not fail")
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
