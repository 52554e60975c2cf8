package pack_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pystruct/pystruct/internal/livepy"
	"github.com/pystruct/pystruct/pack"
)

// messageErrorsPy prints, for each JSON case on stdin, the message of the
// struct.error CPython raises for unpack_from(fmt, bytes(n)),
// pack_into(fmt, bytearray(n), 0, *values) of a zero record's values, or
// iter_unpack(fmt, bytes(n)), or "ok" if there is none.
const messageErrorsPy = `
import json, struct, sys
for line in sys.stdin:
    c = json.loads(line)
    fmt, n = c["fmt"], c["n"]
    try:
        if c["op"] == "unpack_from":
            struct.unpack_from(fmt, bytes(n))
        elif c["op"] == "pack_into":
            vals = struct.unpack(fmt, bytes(struct.calcsize(fmt)))
            struct.pack_into(fmt, bytearray(n), 0, *vals)
        else:
            list(struct.iter_unpack(fmt, bytes(n)))
        print("ok")
    except struct.error as e:
        print(e)
`

// A messageCase is one call whose error message CPython gives too.
type messageCase struct {
	Op  string `json:"op"`
	Fmt string `json:"fmt"`
	N   int    `json:"n"`
	err error  // pystruct's error for the call
}

// recordsFirstError returns the first error Records[T] yields over n
// zero bytes, or nil.
func recordsFirstError[T any](s *pack.Struct, n int) error {
	for _, err := range pack.Records[T](s, make([]byte, n)) {
		if err != nil {
			return err
		}
	}
	return nil
}

// Decode and Encode of a buffer shorter than the record, and Records of
// one that is not a whole number of records or of a format of size zero,
// fail with the message CPython 3.13 gives for unpack_from and pack_into at
// offset 0 and for iter_unpack, on random formats and types, checked
// against a live interpreter.
func TestMessageErrorsMatchCPython(t *testing.T) {
	seed := *gopterSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0))
	var cases []messageCase
	py := pythonPlatform(t)
	left, made := 0, 0
	for len(cases) < 400 {
		m := newMsgModel(r)
		s := pack.MustCompile(m.fs)
		if s.Size() == 0 || strings.ContainsAny(m.fs, "FDZ") {
			continue // no short buffer, or complex codes, which 3.13 lacks
		}
		if made++; !py.Holds(m.fs) {
			left++
			continue
		}
		n := r.IntN(s.Size())
		_, derr := s.Decode(make([]byte, n), reflect.New(m.target).Interface())
		_, eerr := s.Encode(make([]byte, n), reflect.New(m.target).Interface())
		cases = append(cases, messageCase{"unpack_from", m.fs, n, derr}, messageCase{"pack_into", m.fs, n, eerr})
	}
	records := []struct {
		fs    string
		first func(*pack.Struct, int) error
	}{
		{"<hhf", recordsFirstError[recPoint]},
		{">H", recordsFirstError[uint16]},
		{"@bq", recordsFirstError[struct {
			A int8
			B int64
		}]},
		{"5s", recordsFirstError[string]},
		{"=3p", recordsFirstError[[]byte]},
		{"<2x?", recordsFirstError[bool]},
		{"3x", recordsFirstError[struct{}]},
		{"", recordsFirstError[struct{}]},
		{"0s", recordsFirstError[string]},
		{"@0i", recordsFirstError[struct{}]},
	}
	logLeftOut(t, left, made, "random formats")
	left = 0
	for _, rc := range records {
		if !py.Holds(rc.fs) {
			left++
			continue
		}
		s := pack.MustCompile(rc.fs)
		for n := range 2*s.Size() + 3 {
			if s.Size() > 0 && n%s.Size() == 0 {
				continue // whole records: no error
			}
			cases = append(cases, messageCase{"iter_unpack", rc.fs, n, rc.first(s, n)})
		}
	}
	logLeftOut(t, left, len(records), "iter_unpack formats")

	var in strings.Builder
	for _, c := range cases {
		b, _ := json.Marshal(c)
		in.Write(append(b, '\n'))
	}
	cmd := livepy.Command(t, "-I", "-c", messageErrorsPy)
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("python: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("python: %v", err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	ops := map[string]string{"unpack_from": "decode", "pack_into": "encode", "iter_unpack": "records"}
	calls := map[string]string{"unpack_from": "Decode", "pack_into": "Encode", "iter_unpack": "Records"}
	i := 0
	for ; sc.Scan(); i++ {
		if i >= len(cases) {
			t.Fatalf("python printed more lines than there are cases: %q", sc.Text())
		}
		c, want := cases[i], sc.Text()
		var e *pack.Error
		switch {
		case want == "ok":
			t.Errorf("%s(%q, %d bytes): CPython's %s raised nothing, pystruct gave %v", calls[c.Op], c.Fmt, c.N, c.Op, c.err)
		case !errors.As(c.err, &e) || e.Op != ops[c.Op] || e.Msg != want || !errors.Is(c.err, pack.ErrBuffer):
			t.Errorf("%s(%q, %d bytes) = %v; want an ErrBuffer with Op %q and CPython's message %q", calls[c.Op], c.Fmt, c.N, c.err, ops[c.Op], want)
		}
	}
	if i != len(cases) {
		t.Fatalf("python answered %d of %d cases", i, len(cases))
	}
	if t.Failed() {
		t.Logf("replay with: go test ./pack -run '^TestMessageErrorsMatchCPython$' -gopter.seed=%d", seed)
	}
}
