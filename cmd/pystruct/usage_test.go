package main

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Usage errors exit with status 2, print nothing on stdout, and print the
// reason and a usage line on stderr.
var usageTests = []struct {
	args []string
	want string // in the first line of stderr
}{
	{nil, "no command"},
	{[]string{"frob"}, `unknown command "frob"`},
	{[]string{"calcsize"}, "calcsize: missing FMT"},
	{[]string{"calcsize", "h", "h"}, "calcsize: too many arguments"},
	{[]string{"calcsize", "--hex", "h"}, "calcsize: unknown option --hex"},
	{[]string{"pack"}, "pack: missing FMT"},
	{[]string{"pack", "--json", "h", "1"}, "pack: unknown option --json"},
	{[]string{"pack", "--hex=yes", "h", "1"}, "pack: option --hex takes no value"},
	{[]string{"pack", "h", "0x"}, "pack: VALUE 1 (0x): invalid hexadecimal literal"},
	{[]string{"pack", "hh", "1", "b'x"}, "pack: VALUE 2 (b'x): unterminated bytes literal"},
	{[]string{"pack", "h", "--5"}, "pack: unknown option --5"},
	{[]string{"pack", "s", "b'\x01"}, `pack: VALUE 1 ("b'\x01"): unterminated bytes literal`},
	{[]string{"unpack", "--offset"}, "unpack: option --offset needs a value"},
	{[]string{"unpack", "--offset", "x", "h"}, "unpack: --offset x: not an integer"},
	{[]string{"unpack", "--offset", "b'1'", "h"}, "unpack: --offset b'1': not an integer"},
	{[]string{"unpack", "h", "f", "g"}, "unpack: too many arguments"},
	{[]string{"iter", "--frobnicate", "h"}, "iter: unknown option --frobnicate"},
	{[]string{"iter", "-x", "h"}, "iter: unknown option -x"},
	{[]string{"pack", "h", "-x"}, "pack: unknown option -x"},
	{[]string{"unpack", "-offset=1", "-q", "h"}, "unpack: unknown option -q"},
	{[]string{"calcsize", "-json", "h"}, "calcsize: unknown option -json"},
	{[]string{"pack", "--offset", "1", "h", "1"}, "pack: unknown option --offset"},
	{[]string{"pack", "--csv", "h", "1"}, "pack: unknown option --csv"},
	{[]string{"iter", "--count"}, "iter: option --count needs a value"},
	{[]string{"iter", "--count", "-1", "h"}, "iter: --count -1: a count is 0 or more"},
	{[]string{"iter", "--count", "1.5", "h"}, "iter: --count 1.5: not an integer"},
	{[]string{"iter", "--offset", "x", "h"}, "iter: --offset x: not an integer"},
	{[]string{"iter", "--json", "--csv", "h"}, "iter: --json and --csv exclude each other"},
	{[]string{"unpack", "--bytes", "hex", "h"}, "unpack: --bytes chooses how --json and --csv write bytes"},
	{[]string{"iter", "--json", "--bytes", "utf8", "h"}, "iter: --bytes utf8: want latin1, hex or base64"},
	{[]string{"iter", "--names", "a,b", "h"}, "iter: --names gives 2 names, but a record has 1 value"},
	{[]string{"unpack", "--names", "a", "<i5sf"}, "unpack: --names gives 1 name, but a record has 3 values"},
	{[]string{"iter", "--names", "a,,c", "3h"}, "iter: --names a,,c: name 2 is empty"},
	{[]string{"iter", "--names", "a,b,a", "3h"}, "iter: --names a,b,a: a is there twice"},
	{[]string{"iter", "--names", "a,\tb", "2h"}, `iter: --names "a,\tb": name 2 has a character that is not printable`},
	{[]string{"iter", "--names", "a,\xff", "2h"}, `iter: --names "a,\xff": name 2 is not UTF-8 text`},
	{[]string{"iter"}, "iter: missing FMT"},
	{[]string{"lyaout", "h"}, `unknown command "lyaout"; did you mean "layout"?`},
	{[]string{"dupm"}, `unknown command "dupm"; did you mean "dump"?`},
	{[]string{"unpak", "h"}, `unknown command "unpak"; did you mean "unpack"?`},
	{[]string{"Pack"}, `unknown command "Pack"; did you mean "pack"?`},
	{[]string{"calcsiz"}, `unknown command "calcsiz"; did you mean "calcsize"?`},
	{[]string{"hlep"}, `unknown command "hlep"; did you mean "help"?`},
	{[]string{"--verison"}, `unknown command "--verison"; did you mean "--version"?`},
	{[]string{"layout"}, "layout: missing FMT"},
	{[]string{"layout", "h", "h"}, "layout: too many arguments"},
	{[]string{"layout", "--hex", "h"}, "layout: unknown option --hex"},
	{[]string{"layout", "--json=1", "h"}, "layout: option --json takes no value"},
	{[]string{"dump"}, "dump: missing FMT"},
	{[]string{"dump", "h", "f", "g"}, "dump: too many arguments"},
	{[]string{"dump", "--json", "h"}, "dump: unknown option --json"},
	{[]string{"dump", "--count"}, "dump: option --count needs a value"},
	{[]string{"dump", "--offset", "-1", "h"}, "dump: --offset -1: must be 0 or more"},
	{[]string{"dump", "--count", "-5", "h"}, "dump: --count -5: a count is 0 or more"},
	{[]string{"dump", "--count=1.5", "h"}, "dump: --count 1.5: not an integer"},
	{[]string{"dump", "--offset", "x", "h"}, "dump: --offset x: not an integer"},
	{[]string{"dump", "--offset", "1" + strings.Repeat("0", 19), "h"}, "dump: --offset 10000000000000000000: too large"},
	{[]string{"dump", "--offset", "-1" + strings.Repeat("0", 19), "h"}, "dump: --offset -10000000000000000000: must be 0 or more"},
}

func TestUsageErrors(t *testing.T) {
	for _, tt := range usageTests {
		var stdout, stderr bytes.Buffer
		exit := run(tt.args, strings.NewReader(""), &stdout, &stderr)
		first, rest, _ := strings.Cut(stderr.String(), "\n")
		if exit != 2 || stdout.Len() != 0 || first != "pystruct: "+tt.want && !strings.HasPrefix(first, "pystruct: "+tt.want) ||
			!strings.HasPrefix(rest, "usage: pystruct ") {
			t.Errorf("pystruct %q: exit %d, stdout %q, stderr %q; want exit 2, no output, %q and a usage line",
				tt.args, exit, stdout.String(), stderr.String(), "pystruct: "+tt.want)
		}
	}
}

// Every command has --help, with an example, on stdout with status 0.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"calcsize", "--help"}, {"pack", "-h"}, {"unpack", "--help"}, {"help", "iter"}, {"iter", "h", "--help"}, {"layout", "--help"}, {"help", "dump"}, {"dump", "-h", "h"}} {
		var stdout, stderr bytes.Buffer
		exit := run(args, strings.NewReader(""), &stdout, &stderr)
		if exit != 0 || stderr.Len() != 0 || !strings.Contains(stdout.String(), "usage:") || !strings.Contains(stdout.String(), "Example:\n  $ ") {
			t.Errorf("pystruct %q: exit %d, stderr %q, stdout %q; want 0 and help with an example", args, exit, stderr.String(), stdout.String())
		}
	}
}

// The examples in the help texts are true: each "$ ..." line is run by a
// small shell that knows pystruct, echo, printf, pipes, ';' and the
// redirections <, > and >>, in a temporary directory, and must print the
// lines that follow it.
func TestHelpExamples(t *testing.T) {
	t.Chdir(t.TempDir())
	texts := []string{mainHelp}
	for _, cmd := range commands {
		texts = append(texts, cmd.help)
	}
	for _, text := range texts {
		checked := 0
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			cmdline, ok := strings.CutPrefix(l, "  $ ")
			if !ok {
				continue
			}
			var want strings.Builder
			for _, o := range lines[i+1:] {
				if !strings.HasPrefix(o, "  ") || strings.HasPrefix(o, "  $") {
					break
				}
				want.WriteString(strings.TrimPrefix(o, "  ") + "\n")
			}
			if got := shell(t, cmdline); got != want.String() {
				t.Errorf("help example $ %s printed %q, the help says %q", cmdline, got, want.String())
			}
			checked++
		}
		if checked == 0 {
			t.Errorf("no example in the help text %.40q...", text)
		}
	}
}

// shell runs a command line of the help texts and returns what it wrote
// to stdout and stderr.
func shell(t *testing.T, cmdline string) string {
	t.Helper()
	var out bytes.Buffer
	for _, list := range splitOn(shellWords(t, cmdline), ";") {
		var input []byte
		stages := splitOn(list, "|")
		for si, stage := range stages {
			var args []string
			var redirect func([]byte)
			for i := 0; i < len(stage); i++ {
				switch w := stage[i]; {
				case w.op && (w.s == ">" || w.s == ">>"):
					name, appendTo := stage[i+1].s, w.s == ">>"
					redirect = func(b []byte) {
						if appendTo {
							old, _ := os.ReadFile(name)
							b = append(old, b...)
						}
						if err := os.WriteFile(name, b, 0o666); err != nil {
							t.Fatal(err)
						}
					}
					i++
				case w.op && w.s == "<":
					var err error
					if input, err = os.ReadFile(stage[i+1].s); err != nil {
						t.Fatal(err)
					}
					i++
				default:
					args = append(args, w.s)
				}
			}
			var stdout, stderr bytes.Buffer
			switch args[0] {
			case "echo":
				stdout.WriteString(strings.Join(args[1:], " ") + "\n")
			case "printf":
				stdout.WriteString(printfOctal(args[1]))
			case "pystruct":
				run(args[1:], bytes.NewReader(input), &stdout, &stderr)
			default:
				t.Fatalf("help example %q runs %s", cmdline, args[0])
			}
			input = stdout.Bytes()
			if redirect != nil {
				redirect(input)
				input = nil
			}
			if si == len(stages)-1 {
				// pystruct writes its output before its error line.
				out.Write(input)
			}
			out.Write(stderr.Bytes())
		}
	}
	return out.String()
}

// printfOctal expands the \NNN (octal) and \xHH (hex) escapes of a
// printf format.
func printfOctal(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			v, _ := strconv.ParseUint(s[i+2:i+4], 16, 8)
			b.WriteByte(byte(v))
			i += 3
			continue
		}
		if s[i] == '\\' && i+3 < len(s) {
			v, _ := strconv.ParseUint(s[i+1:i+4], 8, 8)
			b.WriteByte(byte(v))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// A word of a command line; op marks an unquoted shell operator.
type word struct {
	s  string
	op bool
}

func splitOn(words []word, op string) [][]word {
	var parts [][]word
	start := 0
	for i, w := range words {
		if w.op && w.s == op {
			parts = append(parts, words[start:i])
			start = i + 1
		}
	}
	return append(parts, words[start:])
}

// shellWords splits a command line into words, with '...' and "..."
// quoting as in a POSIX shell (backslash escapes only \ and " inside
// double quotes) and the operators | ; < > >> as words of their own.
func shellWords(t *testing.T, s string) []word {
	t.Helper()
	var words []word
	var w strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, word{s: w.String()})
			w.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ':
			flush()
		case '|', ';', '<', '>':
			flush()
			op := string(c)
			if c == '>' && i+1 < len(s) && s[i+1] == '>' {
				op, i = ">>", i+1
			}
			words = append(words, word{op, true})
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				t.Fatalf("unbalanced quote in %q", s)
			}
			w.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				w.WriteByte(s[i])
			}
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return words
}
