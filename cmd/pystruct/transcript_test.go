package main

import (
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the outputs in testdata/transcripts from the current behaviour")

// A transcript is one run of pystruct: the arguments and input, and the
// output and exit status. Its file is a series of sections, each a line
// "-- NAME --" followed by its content, after optional comment lines
// starting with '#':
//
//	-- args --          one argument a line, each a Go string literal
//	                    ("..." or `...`); $WORK stands for a temporary
//	                    directory holding the files below
//	-- file NAME --     a file to create in $WORK
//	-- stdin --         the input (absent: empty)
//	-- stdin.file --    instead: the name of a file in $WORK to use as
//	                    stdin, which makes stdin a regular file
//	-- stdout --        what pystruct writes (compared exactly)
//	-- stderr --
//	-- exit --          the exit status
//
// Any content section may be written as NAME.hex instead (stdin.hex,
// stdout.hex, file.hex NAME): lowercase hex, whitespace ignored. -update
// writes stdout and stderr as text when they are UTF-8 text ending in a
// newline, as hex otherwise.
type transcript struct {
	path     string
	comment  string
	args     []string
	files    []section // the file sections, in order
	stdin    section
	stdinArg string // the stdin.file content, trimmed
	stdout   []byte
	stderr   []byte
	exit     int
}

type section struct {
	name string // the file name, for file sections
	data []byte
}

func readTranscript(path string) (*transcript, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	tr := &transcript{path: path, exit: -1}
	lines := strings.SplitAfter(string(text), "\n")
	i := 0
	for ; i < len(lines) && !strings.HasPrefix(lines[i], "-- "); i++ {
		tr.comment += lines[i]
	}
	for i < len(lines) {
		lineNo := i + 1
		header := strings.TrimSuffix(lines[i], "\n")
		if !strings.HasPrefix(header, "-- ") || !strings.HasSuffix(header, " --") {
			return nil, fmt.Errorf("%s:%d: want a section header, have %q", path, lineNo, header)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(header, "-- "), " --")
		var content strings.Builder
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "-- "); i++ {
			content.WriteString(lines[i])
		}
		kind, arg, _ := strings.Cut(name, " ")
		data := []byte(content.String())
		if base, ok := strings.CutSuffix(kind, ".hex"); ok {
			kind = base
			if data, err = hex.DecodeString(strings.Join(strings.Fields(string(data)), "")); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, lineNo, err)
			}
		}
		switch kind {
		case "args":
			for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
				if l == "" {
					continue
				}
				a, err := strconv.Unquote(l)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: argument %s is not a Go string literal", path, lineNo, l)
				}
				tr.args = append(tr.args, a)
			}
		case "file":
			tr.files = append(tr.files, section{arg, data})
		case "stdin":
			tr.stdin = section{data: data}
		case "stdin.file":
			tr.stdinArg = strings.TrimSpace(string(data))
		case "stdout":
			tr.stdout = data
		case "stderr":
			tr.stderr = data
		case "exit":
			if tr.exit, err = strconv.Atoi(strings.TrimSpace(string(data))); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, lineNo, err)
			}
		default:
			return nil, fmt.Errorf("%s:%d: unknown section %q", path, lineNo, name)
		}
	}
	if len(tr.args) == 0 && !strings.Contains(string(text), "-- args --") {
		return nil, fmt.Errorf("%s: no args section", path)
	}
	return tr, nil
}

// isText reports whether b can be written as a text section.
func isText(b []byte) bool {
	return len(b) == 0 || utf8.Valid(b) && b[len(b)-1] == '\n' && !bytes.ContainsRune(b, '\r') &&
		!bytes.HasPrefix(b, []byte("-- ")) && !bytes.Contains(b, []byte("\n-- "))
}

func writeSection(b *bytes.Buffer, name string, data []byte) {
	if isText(data) {
		fmt.Fprintf(b, "-- %s --\n%s", name, data)
		return
	}
	kind, arg, hasArg := strings.Cut(name, " ")
	if hasArg {
		arg = " " + arg
	}
	fmt.Fprintf(b, "-- %s.hex%s --\n", kind, arg)
	h := hex.EncodeToString(data)
	for len(h) > 64 {
		b.WriteString(h[:64] + "\n")
		h = h[64:]
	}
	b.WriteString(h + "\n")
}

func (tr *transcript) format() []byte {
	var b bytes.Buffer
	b.WriteString(tr.comment)
	b.WriteString("-- args --\n")
	for _, a := range tr.args {
		if !strconv.CanBackquote(a) || strconv.Quote(a) == `"`+a+`"` {
			b.WriteString(strconv.Quote(a) + "\n")
		} else {
			b.WriteString("`" + a + "`\n")
		}
	}
	for _, f := range tr.files {
		writeSection(&b, "file "+f.name, f.data)
	}
	if tr.stdinArg != "" {
		fmt.Fprintf(&b, "-- stdin.file --\n%s\n", tr.stdinArg)
	} else if len(tr.stdin.data) > 0 {
		writeSection(&b, "stdin", tr.stdin.data)
	}
	writeSection(&b, "stdout", tr.stdout)
	writeSection(&b, "stderr", tr.stderr)
	fmt.Fprintf(&b, "-- exit --\n%d\n", tr.exit)
	return b.Bytes()
}

// runTranscript runs pystruct on the transcript's arguments and input
// and returns what it wrote and its exit status, with the work directory
// written as $WORK.
func runTranscript(t *testing.T, tr *transcript) (stdout, stderr []byte, exit int) {
	t.Helper()
	work := t.TempDir()
	for _, f := range tr.files {
		if err := os.WriteFile(filepath.Join(work, f.name), f.data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	args := make([]string, len(tr.args))
	for i, a := range tr.args {
		args[i] = strings.ReplaceAll(a, "$WORK", work)
	}
	var stdin io.Reader = bytes.NewReader(tr.stdin.data)
	if tr.stdinArg != "" {
		f, err := os.Open(filepath.Join(work, tr.stdinArg))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		stdin = f
	}
	var out, errOut bytes.Buffer
	exit = run(args, stdin, &out, &errOut)
	return out.Bytes(), bytes.ReplaceAll(errOut.Bytes(), []byte(work), []byte("$WORK")), exit
}

func transcriptPaths(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "transcripts", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no transcripts in testdata/transcripts")
	}
	return paths
}

// TestTranscripts runs every transcript in testdata/transcripts and
// compares pystruct's output and exit status with the recorded ones.
// With -update it records the current ones instead.
func TestTranscripts(t *testing.T) {
	for _, path := range transcriptPaths(t) {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			tr, err := readTranscript(path)
			if err != nil {
				t.Fatal(err)
			}
			if !holdsOn(transcriptPlatform, tr.args) && !*update {
				t.Skipf("%s was recorded on %+v, not this platform", path, transcriptPlatform)
			}
			stdout, stderr, exit := runTranscript(t, tr)
			if *update {
				tr.stdout, tr.stderr, tr.exit = stdout, stderr, exit
				if err := os.WriteFile(path, tr.format(), 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			if diff := cmp.Diff(string(tr.stdout), string(stdout)); diff != "" {
				t.Errorf("%s: pystruct %q: stdout (-want +got):\n%s", path, tr.args, diff)
			}
			if diff := cmp.Diff(string(tr.stderr), string(stderr)); diff != "" {
				t.Errorf("%s: pystruct %q: stderr (-want +got):\n%s", path, tr.args, diff)
			}
			if exit != tr.exit {
				t.Errorf("%s: pystruct %q: exit status %d, want %d", path, tr.args, exit, tr.exit)
			}
		})
	}
}
