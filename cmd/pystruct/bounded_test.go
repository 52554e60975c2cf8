package main

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pystruct/pystruct/pack"
)

// zeros is an endless input of one repeated byte, counting what is read.
type zeros struct {
	c    byte
	read int64
}

func (r *zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.c
	}
	r.read += int64(len(p))
	return len(p), nil
}

// Input that would need more memory than pystruct keeps is a clean error
// with exit status 1, found after reading little more than the limit (here
// lowered to 1 MiB): huge records, and negative offsets that keep huge
// tails, from endless input. The records' sizes are over the limit but
// within a 32-bit int, so that their formats are valid on every platform;
// the most negative offset is the platform's.
func TestInputTooLarge(t *testing.T) {
	old := maxInput
	maxInput = 1 << 20
	defer func() { maxInput = old }()
	minOffset := strconv.Itoa(math.MinInt)
	for _, tt := range []struct {
		args []string
		c    byte
	}{
		{[]string{"unpack", "<2000000000s"}, 0},
		{[]string{"unpack", "--hex", "<2000000000s"}, '0'},
		{[]string{"unpack", "--offset", "10", "<2000000000s"}, 0},
		{[]string{"unpack", "<1000000000s1000000000s147483647s"}, 0},
		{[]string{"unpack", "--offset", "-2000000000", "<h"}, 0},
		{[]string{"unpack", "--offset", minOffset, "<h"}, 0},
		{[]string{"iter", "<2000000000s"}, 0},
		{[]string{"iter", "--hex", "--count", "1", "<2000000000s"}, 'f'},
		{[]string{"iter", "--offset", "-2000000000", "<h"}, 0},
		{[]string{"iter", "--offset", minOffset, "--json", "<h"}, 0},
	} {
		src := &zeros{c: tt.c}
		var stdout, stderr bytes.Buffer
		exit := run(tt.args, src, &stdout, &stderr)
		want := "pystruct: input too large: "
		if exit != 1 || stdout.Len() != 0 || !strings.HasPrefix(stderr.String(), want) || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("pystruct %q of endless input: exit %d, stdout %q, stderr %q; want 1 and %q...", tt.args, exit, stdout.Bytes(), stderr.String(), want)
		}
		if limit := int64(4 * maxInput); src.read > limit {
			t.Errorf("pystruct %q read %d bytes, want at most %d", tt.args, src.read, limit)
		}
	}
}

// The largest negative offset (of the platform's int) is an error from
// unpack_from, not a crash, however long the input.
func TestUnpackMostNegativeOffset(t *testing.T) {
	data := make([]byte, 100_000)
	s := pack.MustCompile("<h")
	_, want := s.UnpackFrom(data, math.MinInt)
	var stdout, stderr bytes.Buffer
	exit := run([]string{"unpack", "--offset", strconv.Itoa(math.MinInt), "<h"}, bytes.NewReader(data), &stdout, &stderr)
	if exit != 1 || stderr.String() != "pystruct: "+want.Error()+"\n" {
		t.Errorf("unpack --offset %d of %d bytes: exit %d, stderr %q; want 1 and %q", math.MinInt, len(data), exit, stderr.String(), want)
	}
}

// unpack --offset N skips N bytes without keeping them, and the error for
// input too short for the record there is the one UnpackFrom gives for
// the same bytes in memory.
func TestUnpackFromErrorMatches(t *testing.T) {
	for _, tt := range []struct {
		fs     string
		off, n int
	}{
		{"<h", 0, 0}, {"<h", 0, 1}, {"<h", 3, 4}, {"<h", 5, 2}, {"<5s", 1, 5}, {"", 3, 1}, {"<q", 1 << 26, 1<<26 + 7},
	} {
		s := pack.MustCompile(tt.fs)
		data := make([]byte, tt.n)
		_, want := s.UnpackFrom(data, tt.off)
		got := unpackFromError(s, int64(tt.off), int64(tt.n))
		if want == nil || got.Error() != want.Error() || !errors.Is(got, pack.ErrBuffer) {
			t.Errorf("unpackFromError(%q, %d, %d) = %v, UnpackFrom gives %v", tt.fs, tt.off, tt.n, got, want)
		}
		var stdout, stderr bytes.Buffer
		exit := run([]string{"unpack", "--offset", strconv.Itoa(tt.off), tt.fs}, io.LimitReader(&zeros{}, int64(tt.n)), &stdout, &stderr)
		if exit != 1 || stderr.String() != "pystruct: "+want.Error()+"\n" {
			t.Errorf("unpack --offset %d %q of %d bytes: exit %d, stderr %q; want %q", tt.off, tt.fs, tt.n, exit, stderr.String(), want)
		}
	}
}

// iter --count stops reading after its records: from endless input it
// prints them and ends, having read little more than one buffer.
func TestIterCountStopsReading(t *testing.T) {
	for _, args := range [][]string{
		{"iter", "--count", "3", "<h"},
		{"iter", "--offset", "5", "--count", "2", "--json", "<h"},
		{"iter", "--hex", "--count", "1", "<i"},
	} {
		src := &zeros{c: '0'}
		var stdout, stderr bytes.Buffer
		exit := run(args, src, &stdout, &stderr)
		want := map[string]string{"<h": "(12336,)\n", "<i": "(0,)\n"}[args[len(args)-1]]
		if args[len(args)-2] == "--json" {
			want = "[12336]\n"
		}
		n, _ := strconv.Atoi(args[slices.Index(args, "--count")+1])
		if exit != 0 || stdout.String() != strings.Repeat(want, n) || stderr.Len() != 0 {
			t.Errorf("pystruct %q of endless input: exit %d, stdout %q, stderr %q; want 0 and %q", args, exit, stdout.String(), stderr.String(), strings.Repeat(want, n))
		}
		if src.read > 1<<20 {
			t.Errorf("pystruct %q read %d bytes of endless input", args, src.read)
		}
	}
}

// A negative offset into a regular file reads only the file's tail: a
// sparse file far larger than pystruct keeps in memory gives its last
// record at once, from a file name and as standard input, and a tail
// too large to keep is refused without reading the file.
func TestNegativeOffsetSeeksInFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(4*maxInput) + 6
	if err := f.Truncate(size - 6); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{1, 0, 2, 0, 3, 0}, size-6); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, tt := range []struct {
		args   []string
		stdout string
		exit   int
	}{
		{[]string{"unpack", "--offset", "-2", "<h"}, "(3,)\n", 0},
		{[]string{"iter", "--offset", "-6", "<h"}, "(1,)\n(2,)\n(3,)\n", 0},
		{[]string{"iter", "--offset", "-4", "--count", "1", "<h"}, "(2,)\n", 0},
		{[]string{"unpack", "--offset", strconv.Itoa(-2 * maxInput), "<h"}, "", 1},
	} {
		for _, asStdin := range []bool{false, true} {
			in, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			args := append(slices.Clone(tt.args), path)
			var stdin io.Reader = bytes.NewReader(nil)
			if asStdin {
				args, stdin = tt.args, in
			}
			var stdout, stderr bytes.Buffer
			exit := run(args, stdin, &stdout, &stderr)
			pos, _ := in.Seek(0, io.SeekCurrent)
			in.Close()
			if exit != tt.exit || stdout.String() != tt.stdout {
				t.Errorf("pystruct %q (stdin %v): exit %d, stdout %q, stderr %q; want %d and %q", args, asStdin, exit, stdout.String(), stderr.String(), tt.exit, tt.stdout)
			}
			if tt.exit == 1 && !strings.HasPrefix(stderr.String(), "pystruct: input too large: ") {
				t.Errorf("pystruct %q (stdin %v): stderr %q, want input too large", args, asStdin, stderr.String())
			}
			if asStdin && tt.exit == 0 && pos != size {
				t.Errorf("pystruct %q from a file as stdin stopped at %d of %d bytes", args, pos, size)
			}
			// Refused at the start of the tail, before reading a byte.
			if asStdin && tt.exit == 1 && pos != size-int64(2*maxInput) {
				t.Errorf("pystruct %q from a file as stdin stopped at %d, want %d: it read before refusing", args, pos, size-int64(2*maxInput))
			}
		}
	}
}
