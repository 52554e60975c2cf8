package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The examples of the README's section "The command-line tool" are true:
// in its fenced code blocks, each "$ ..." line is run by the small shell of
// TestHelpExamples, in order and in one temporary directory, and must print
// the lines that follow it up to the next "$ " line or the end of the
// block. Lines that run the measurement scripts (scripts/...) record
// timings and are not run; any other program is an error. The section must
// show every command.
func TestReadmeExamples(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(text), "\n## The command-line tool\n")
	if !ok {
		t.Fatal(`README.md has no section "## The command-line tool"`)
	}
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	t.Chdir(t.TempDir())
	type example struct {
		cmdline, want string
	}
	var examples []example
	inBlock := false
	for _, l := range strings.Split(section, "\n") {
		switch {
		case strings.HasPrefix(l, "```"):
			if inBlock && len(examples) > 0 {
				examples = append(examples, example{}) // ends the output of the last one
			}
			inBlock = !inBlock
		case !inBlock:
		case strings.HasPrefix(l, "$ "):
			examples = append(examples, example{cmdline: strings.TrimPrefix(l, "$ ")})
		case len(examples) > 0:
			examples[len(examples)-1].want += l + "\n"
		}
	}
	shown := map[string]bool{}
	ran := 0
	for _, ex := range examples {
		if ex.cmdline == "" {
			continue
		}
		if strings.HasPrefix(ex.cmdline, "scripts/") {
			t.Logf("not run: the timings of $ %s", ex.cmdline)
			continue
		}
		words := shellWords(t, ex.cmdline)
		runsOn := true
		for _, list := range splitOn(words, ";") {
			for _, stage := range splitOn(list, "|") {
				switch name := stage[0].s; name {
				case "echo", "printf":
				case "pystruct":
					var args []string
					for _, w := range stage[1:] {
						if w.op {
							break
						}
						args = append(args, w.s)
					}
					if len(args) > 0 {
						shown[args[0]] = true
					}
					runsOn = runsOn && holdsOn(transcriptPlatform, args)
				default:
					t.Fatalf("README example $ %s runs %s, which the test cannot run", ex.cmdline, name)
				}
			}
		}
		if !runsOn {
			t.Logf("not run: $ %s holds on %+v, not on this platform", ex.cmdline, transcriptPlatform)
			continue
		}
		if got := shell(t, ex.cmdline); got != ex.want {
			t.Errorf("README example $ %s printed\n%s\nthe README says\n%s", ex.cmdline, got, ex.want)
		}
		ran++
	}
	for _, name := range []string{"calcsize", "pack", "unpack", "iter", "layout", "dump", "--version"} {
		if !shown[name] {
			t.Errorf("the README's tool section has no example of pystruct %s", name)
		}
	}
	t.Logf("ran %d README examples", ran)
}
