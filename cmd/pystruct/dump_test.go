package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pystruct/pystruct/pack"
)

// sgr matches the terminal escapes dump colours with.
var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// dumpColourArgs dump a record with every kind of line: values, an x
// item, alignment padding, a long item and a partial record. The format's
// native layout is the same on every platform: 'h' and 'i' have the same
// size and alignment everywhere, so 'i' is at offset 16 after 3 pad bytes.
var dumpColourArgs = []string{"dump", "@hx10si", "-"}

var dumpColourInput = []byte("\x01\x00-zhangzhang\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00\x00\xff")

// runTerminal runs pystruct with stdout taken for a terminal or not.
func runTerminal(t *testing.T, terminal bool, args []string, stdin []byte) (stdout, stderr string, exit int) {
	t.Helper()
	old := isTerminal
	t.Cleanup(func() { isTerminal = old })
	isTerminal = func(io.Writer) bool { return terminal }
	var out, errOut bytes.Buffer
	exit = run(args, bytes.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), exit
}

// dump colours its output for a terminal unless NO_COLOR is set and not
// empty; the coloured text is the plain text with escapes added; nothing
// else is coloured.
func TestDumpColour(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	plain, plainErr, plainExit := runTerminal(t, false, dumpColourArgs, dumpColourInput)
	if plainExit != 1 || !strings.Contains(plain, "partial") || !strings.Contains(plain, "align") || !strings.Contains(plainErr, "unpack_from requires") {
		t.Fatalf("pystruct %q: exit %d, stdout %q, stderr %q: want records, a partial one and an error", dumpColourArgs, plainExit, plain, plainErr)
	}
	if sgr.MatchString(plain) || strings.Contains(plain, "\x1b") {
		t.Errorf("pystruct %q not to a terminal wrote escapes: %q", dumpColourArgs, plain)
	}
	coloured, colouredErr, exit := runTerminal(t, true, dumpColourArgs, dumpColourInput)
	if exit != plainExit || colouredErr != plainErr {
		t.Errorf("to a terminal: exit %d, stderr %q; want %d, %q as without colour", exit, colouredErr, plainExit, plainErr)
	}
	for _, esc := range []string{sgrBold, sgrRed, sgrCyan, sgrYellow, sgrFaint, sgrReset} {
		if !strings.Contains(coloured, esc) {
			t.Errorf("to a terminal: no %q in %q", esc, coloured)
		}
	}
	if diff := cmp.Diff(plain, sgr.ReplaceAllString(coloured, "")); diff != "" {
		t.Errorf("to a terminal, without its escapes, the output differs (-plain +coloured):\n%s", diff)
	}
	for _, line := range strings.Split(coloured, "\n") {
		if escs := sgr.FindAllString(line, -1); len(escs) > 0 && escs[len(escs)-1] != sgrReset {
			t.Errorf("to a terminal: line %q does not end its colours with a reset", line)
		}
	}

	for _, v := range []string{"1", "0", "false", " "} {
		t.Setenv("NO_COLOR", v)
		if got, _, _ := runTerminal(t, true, dumpColourArgs, dumpColourInput); got != plain {
			t.Errorf("NO_COLOR=%q, to a terminal: stdout %q, want %q without colour", v, got, plain)
		}
	}
	// Other commands do not colour.
	t.Setenv("NO_COLOR", "")
	for _, args := range [][]string{{"layout", "hq"}, {"iter", "<h", "-"}, {"unpack", "<h"}} {
		if got, _, _ := runTerminal(t, true, args, []byte{1, 2}); strings.Contains(got, "\x1b") {
			t.Errorf("pystruct %q to a terminal wrote escapes: %q", args, got)
		}
	}
}

// Pipes, regular files and /dev/null are not terminals; writers that are
// not files are not either.
func TestIsTerminalNot(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for name, out := range map[string]io.Writer{"pipe": w, "pipe's read end": r, "regular file": f, "buffer": new(bytes.Buffer)} {
		if isTerminal(out) {
			t.Errorf("isTerminal(%s) = true", name)
		}
	}
	if runtime.GOOS == "linux" {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer null.Close()
		if isTerminal(null) {
			t.Errorf("isTerminal(%s) = true", os.DevNull)
		}
	}
}

// Into a pipe, dump does not colour.
func TestDumpIntoPipe(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(r)
		got <- b
	}()
	var errOut bytes.Buffer
	exit := run(dumpColourArgs, bytes.NewReader(dumpColourInput), w, &errOut)
	w.Close()
	out := <-got
	if exit != 1 || !bytes.Contains(out, []byte("record 0 at offset 0\n")) || bytes.Contains(out, []byte("\x1b")) {
		t.Errorf("pystruct %q into a pipe: exit %d, stdout %q; want the records without escapes", dumpColourArgs, exit, out)
	}
}

// dump reads no further than the records it prints: with --count it
// stops, even on endless input, and a skipped header is discarded as it
// is read.
func TestDumpStopsReading(t *testing.T) {
	for _, tt := range []struct {
		args []string
		max  int64 // the most bytes dump may read
	}{
		{[]string{"dump", "--count", "3", "<q"}, 24 + ioBufSize},
		{[]string{"dump", "--count", "1", "--offset", "100000000", "<q"}, 100000008 + ioBufSize},
		{[]string{"dump", "--count", "0", "<q"}, 0},
	} {
		in := &zeros{}
		var out, errOut bytes.Buffer
		exit := run(tt.args, in, &out, &errOut)
		if exit != 0 || in.read > tt.max {
			t.Errorf("pystruct %q on endless input: exit %d, stderr %q, read %d bytes; want 0 and at most %d", tt.args, exit, errOut.String(), in.read, tt.max)
		}
	}
}

// A format of huge records costs memory for the bytes that come, not for
// the size the format gives them.
func TestDumpHugeRecordMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var out, errOut bytes.Buffer
	exit := run([]string{"dump", "<1000000000s"}, bytes.NewReader(make([]byte, 100)), &out, &errOut)
	runtime.ReadMemStats(&after)
	if exit != 1 || !strings.Contains(out.String(), "partial, 100 of 1000000000 bytes") {
		t.Errorf("dump of 100 bytes as a record of 1e9: exit %d, stdout %q, stderr %q", exit, out.String(), errOut.String())
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("dump of 100 bytes as a record of 1e9 allocated %d bytes", got)
	}
}

// dump's error for a record cut short is unpack_from's, as pack makes it
// for a buffer in memory.
func TestUnpackFromError(t *testing.T) {
	for _, fs := range []string{"<h", "@hx5sq", "<100s", "3Zd"} {
		s := pack.MustCompile(fs)
		for _, length := range []int{0, 1, s.Size() - 1, s.Size() + 3, 2*s.Size() + 1} {
			for _, off := range []int{0, 1, s.Size(), length, length + 1, 1000} {
				if length < 0 || length-off >= s.Size() {
					continue
				}
				_, want := s.UnpackFrom(make([]byte, length), off)
				got := unpackFromError(s, int64(off), int64(length))
				if want == nil || got.Error() != want.Error() || !errors.Is(got, pack.ErrBuffer) {
					t.Errorf("unpackFromError(%q, %d, %d) = %v, want UnpackFrom's %v (a pack.ErrBuffer)", fs, off, length, got, want)
				}
			}
		}
	}
}
