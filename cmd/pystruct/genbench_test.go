package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestBenchRecordsGenerated runs the //go:generate directives of the
// benchmark harness's records (internal/benchpair/gen_records.go) and
// checks that the generated files checked in beside them are what the
// generator writes now, so that the speed table never measures stale
// code. Run `go generate ./internal/benchpair` to bring them up to date.
func TestBenchRecordsGenerated(t *testing.T) {
	dir := filepath.Join("..", "..", "internal", "benchpair")
	src, err := os.ReadFile(filepath.Join(dir, "gen_records.go"))
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "//go:generate go run github.com/pystruct/pystruct/cmd/pystruct gen "
	n := 0
	for _, line := range strings.Split(string(src), "\n") {
		if !strings.HasPrefix(line, "//go:generate") {
			continue
		}
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok {
			t.Errorf("directive %q does not run pystruct gen", line)
			continue
		}
		args, err := splitDirective(rest)
		if err != nil {
			t.Fatalf("directive %q: %v", line, err)
		}
		outs := 0
		for i, a := range args {
			if a == "-o" && i+1 < len(args) {
				outs++
			}
		}
		if outs != 1 {
			t.Fatalf("directive %q: want one -o FILE", line)
		}
		tmp := t.TempDir()
		for i := range args {
			if args[i] == "-o" {
				args[i+1] = filepath.Join(tmp, args[i+1])
			}
		}
		if code, stderr := runGenCmd(t, append(args, dir)...); code != 0 {
			t.Fatalf("%s: exit %d: %s", line, code, stderr)
		}
		// Every file the directive writes (more than one for a native
		// format) must be checked in, byte for byte.
		written, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		if len(written) == 0 {
			t.Fatalf("%s wrote nothing", line)
		}
		for _, e := range written {
			got, err := os.ReadFile(filepath.Join(tmp, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Errorf("%s writes %s, which is not checked in: run go generate ./internal/benchpair", line, e.Name())
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("internal/benchpair/%s is not what %q writes now: run go generate ./internal/benchpair", e.Name(), line)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no generated files checked")
	}
}

// splitDirective splits a go:generate line's arguments as go generate does:
// at spaces, with double-quoted Go strings taken whole.
func splitDirective(s string) ([]string, error) {
	var args []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, err
			}
			a, _ := strconv.Unquote(q)
			args = append(args, a)
			s = s[len(q):]
			continue
		}
		a, rest, _ := strings.Cut(s, " ")
		args = append(args, a)
		s = rest
	}
	return args, nil
}
