package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/livepy"
	"github.com/pystruct/pystruct/pack"
	"github.com/pystruct/pystruct/pyrepr"
)

var (
	liveSeed  = flag.Uint64("seed", 0, "seed for the random cases of TestRandomAgreesWithCPython (0: from the clock)")
	liveCount = flag.Int("live.n", 3000, "number of random cases in TestRandomAgreesWithCPython")
)

// python returns a command that runs CPython 3.13 with args; see
// package livepy for how it is found (the test fails without it).
func python(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	return livepy.Command(t, args...)
}

// A refCase is one run of the reference pystruct in
// testdata/pystruct_ref.py, and refResult what it did.
type refCase struct {
	Args  []string `json:"args"`
	Stdin string   `json:"stdin"` // hex
}

type refResult struct {
	Stdout string `json:"stdout"` // hex
	Exit   int    `json:"exit"`
	Error  string `json:"error"`
	Kind   string `json:"kind"` // "python", "os", "usage", "help" or ""
}

// runRef runs the cases through the reference pystruct.
func runRef(t *testing.T, cases []refCase) []refResult {
	t.Helper()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := python(t, filepath.Join("testdata", "pystruct_ref.py"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pystruct_ref.py: %v\n%s", err, stderr.Bytes())
	}
	var res []refResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != len(cases) {
		t.Fatalf("pystruct_ref.py returned %d results for %d cases", len(res), len(cases))
	}
	return res
}

// wrongSizeHint is what unpack adds after CPython's message for a buffer
// of the wrong size.
var wrongSizeHint = regexp.MustCompile(`; got (more than )?[0-9]+ bytes; --offset 0 reads the first record, iter reads them all\n$`)

// agree reports how pystruct's run differs from the reference's, or "".
// Exit statuses must match; stdout must match exactly; an error that
// Python raised must end pystruct's one line on stderr.
func agree(ref refResult, stdout, stderr []byte, exit int, compareStdout bool) string {
	var why []string
	if exit != ref.Exit {
		why = append(why, fmt.Sprintf("exit status %d, CPython's %d (%s: %s)", exit, ref.Exit, ref.Kind, ref.Error))
	}
	if want, _ := hex.DecodeString(ref.Stdout); compareStdout && !bytes.Equal(stdout, want) {
		why = append(why, fmt.Sprintf("stdout %q, CPython's %q", stdout, want))
	}
	if ref.Kind == "python" && exit == 1 {
		line := string(stderr)
		if strings.HasPrefix(ref.Error, "unpack requires a buffer of ") {
			// unpack adds a hint after CPython's message.
			line = wrongSizeHint.ReplaceAllString(line, "\n")
		}
		if !strings.HasPrefix(line, "pystruct: ") || !strings.HasSuffix(line, ": "+ref.Error+"\n") || strings.Count(line, "\n") != 1 {
			why = append(why, fmt.Sprintf("stderr %q, want one line ending in CPython's %q", stderr, ref.Error))
		}
	}
	return strings.Join(why, "; ")
}

// runWithFileStdin runs pystruct with stdin a regular file holding
// input, as when it is redirected from a file.
func runWithFileStdin(t *testing.T, dir string, args []string, input []byte) (stdout, stderr []byte, exit int) {
	t.Helper()
	path := filepath.Join(dir, "stdin")
	if err := os.WriteFile(path, input, 0o666); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out, errOut bytes.Buffer
	exit = run(args, f, &out, &errOut)
	return out.Bytes(), errOut.Bytes(), exit
}

// The recorded transcripts agree with CPython: the reference pystruct,
// built on CPython's struct, gives the same exit status and output, and
// the same error text at the end of the stderr line.
func TestTranscriptsAgreeWithCPython(t *testing.T) {
	python(t) // fail before reading anything if there is no CPython 3.13
	type entry struct {
		tr            *transcript
		work          string
		args          []string
		compareStdout bool
	}
	var entries []entry
	var cases []refCase
	for _, path := range transcriptPaths(t) {
		tr, err := readTranscript(path)
		if err != nil {
			t.Fatal(err)
		}
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
		stdin := tr.stdin.data
		if tr.stdinArg != "" {
			if stdin, err = os.ReadFile(filepath.Join(work, tr.stdinArg)); err != nil {
				t.Fatal(err)
			}
		}
		// iter from a pipe prints the whole records before a length
		// error, where Python prints nothing (see runIter).
		fromPipe := len(tr.args) > 0 && tr.args[0] == "iter" && tr.stdinArg == "" && !strings.Contains(strings.Join(tr.args, " "), "$WORK")
		entries = append(entries, entry{tr, work, args, !fromPipe || tr.exit == 0})
		cases = append(cases, refCase{args, hex.EncodeToString(stdin)})
	}
	res := runRef(t, cases)
	for i, e := range entries {
		if strings.Contains(e.tr.comment, "DELIBERATE DIFFERENCE") {
			continue
		}
		if res[i].Kind == "help" {
			if e.tr.exit != 0 || len(e.tr.stdout) == 0 {
				t.Errorf("%s: a help request should print help and exit 0", e.tr.path)
			}
			continue
		}
		stderr := bytes.ReplaceAll(e.tr.stderr, []byte("$WORK"), []byte(e.work))
		if why := agree(res[i], e.tr.stdout, stderr, e.tr.exit, e.compareStdout); why != "" {
			t.Errorf("%s: pystruct %q: %s", e.tr.path, e.tr.args, why)
		}
	}
}

// Random formats, values and buffers give the same results from pystruct
// as from CPython.
func TestRandomAgreesWithCPython(t *testing.T) {
	python(t) // fail before generating anything if there is no CPython 3.13
	seed := *liveSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("random cases from -seed=%d", seed)
	g := &caseGen{rand.New(rand.NewPCG(seed, seed))}
	pyPlatform := pythonPlatform(t)
	cases := make([]refCase, *liveCount)
	stdins := make([][]byte, len(cases))
	leftOut := 0
	for i := range cases {
		// A command whose results depend on the platform is compared only
		// if CPython's is pystruct's.
		for {
			cases[i].Args, stdins[i] = g.command()
			if holdsOn(pyPlatform, cases[i].Args) {
				break
			}
			leftOut++
		}
		cases[i].Stdin = hex.EncodeToString(stdins[i])
	}
	logLeftOut(t, leftOut, pyPlatform)
	res := runRef(t, cases)
	dir := t.TempDir()
	failures := 0
	outcomes := make(map[string]int)
	defer func() { t.Logf("outcomes (command/exit status: cases): %v", outcomes) }()
	for i, c := range cases {
		stdout, stderr, exit := runWithFileStdin(t, dir, c.Args, stdins[i])
		outcomes[c.Args[0]+"/"+strconv.Itoa(exit)]++
		if why := agree(res[i], stdout, stderr, exit, true); why != "" {
			t.Errorf("pystruct %q with stdin %x: %s", c.Args, stdins[i], why)
			if failures++; failures == 20 {
				t.Fatal("too many failures")
			}
		}
	}
}

// Random literals have the values CPython gives them: bytes literals
// packed with room to spare, integers as 'q' or an error, floats as 'd'.
func TestLiteralsAgreeWithCPython(t *testing.T) {
	python(t)
	seed := *liveSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("random literals from -seed=%d", seed)
	g := &caseGen{rand.New(rand.NewPCG(seed, seed))}
	var cases []refCase
	for range *liveCount {
		var args []string
		switch g.r.IntN(3) {
		case 0:
			args = []string{"pack", "--hex", "--", "<300s", g.bytesLiteral()}
		case 1:
			args = []string{"pack", "--hex", "--", "<q", g.intLiteral(g.r.IntN(70))}
		default:
			args = []string{"pack", "--hex", "--", "<d", g.floatLiteral(math.Inf(1))}
		}
		cases = append(cases, refCase{Args: args})
	}
	res := runRef(t, cases)
	failures := 0
	for i, c := range cases {
		var stdout, stderr bytes.Buffer
		exit := run(c.Args, bytes.NewReader(nil), &stdout, &stderr)
		if why := agree(res[i], stdout.Bytes(), stderr.Bytes(), exit, true); why != "" {
			t.Errorf("pystruct %q: %s", c.Args, why)
			if failures++; failures == 20 {
				t.Fatal("too many failures")
			}
		}
	}
}

// caseGen makes random pystruct command lines.
type caseGen struct{ r *rand.Rand }

func (g *caseGen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

func (g *caseGen) chance(p float64) bool { return g.r.Float64() < p }

// format returns a random format string: valid most of the time, with
// repeat counts small enough to keep records short.
func (g *caseGen) format() string {
	var b strings.Builder
	prefix := g.pick("", "@", "=", "<", ">", "!")
	b.WriteString(prefix)
	codes := "xcbB?hHiIlLqQefdsp"
	if prefix == "" || prefix == "@" {
		codes += "nNP"
	}
	for range g.r.IntN(6) {
		if g.chance(0.1) {
			b.WriteString(g.pick(" ", "\t", "\n"))
		}
		switch {
		case g.chance(0.6):
		case g.chance(0.8):
			b.WriteString(strconv.Itoa(g.r.IntN(5)))
		default:
			b.WriteString(strconv.Itoa(g.r.IntN(20)))
		}
		b.WriteByte(codes[g.r.IntN(len(codes))])
	}
	if g.chance(0.03) {
		b.WriteString(g.pick("Z", "12", "<", "nP", "3 h", "\x00"))
	}
	return b.String()
}

// valueCodes returns the code of each value of fs, in order, and the
// format's mode.
func valueCodes(fs string) (codes []byte, order format.Order) {
	p, err := format.Parse(fs)
	if err != nil {
		return []byte("ibd"), format.Little
	}
	for _, f := range p.Fields() {
		for range f.NumValues() {
			codes = append(codes, f.Code)
		}
	}
	return codes, p.Order()
}

func (g *caseGen) intLiteral(bits int) string {
	n := g.r.Uint64() >> (64 - min(max(bits, 1), 64))
	s := ""
	switch g.r.IntN(6) {
	case 0:
		s = "0x" + strconv.FormatUint(n, 16)
	case 1:
		s = "0o" + strconv.FormatUint(n, 8)
	case 2:
		s = "0b" + strconv.FormatUint(n, 2)
	case 3:
		s = strconv.FormatUint(n, 10)
		if len(s) > 1 {
			i := 1 + g.r.IntN(len(s)-1)
			s = s[:i] + "_" + s[i:]
		}
	default:
		s = strconv.FormatUint(n, 10)
	}
	if bits > 64 && g.chance(0.5) {
		s += strings.Repeat("0", g.r.IntN(4)+1) // beyond 64 bits
		if s[0] == '0' && len(s) > 1 && s[1] >= '0' && s[1] <= '9' {
			s = "1" + s
		}
	}
	if g.chance(0.4) {
		s = "-" + s
	}
	return s
}

func (g *caseGen) floatLiteral(limit float64) string {
	for {
		var f float64
		switch g.r.IntN(5) {
		case 0:
			f = math.Float64frombits(g.r.Uint64())
		case 1:
			f = (g.r.Float64() - 0.5) * math.Pow10(g.r.IntN(20)-10)
		case 2:
			f = float64(g.r.IntN(200000)-100000) / 8
		case 3:
			s := g.pick("inf", "-inf", "nan", "-nan", "Infinity", "-0.0", "1e-3", ".5", "5.", "1_0.2_5", "1e400", "6.5e4", "65504.0", "65520.0", "3.4028235677973366e38")
			if v, _ := parseValue(s); math.Abs(v.(float64)) < limit || math.IsInf(v.(float64), 0) || math.IsNaN(v.(float64)) {
				return s
			}
			continue
		default:
			f = float64(math.Float32frombits(g.r.Uint32()))
		}
		if math.Abs(f) < limit || math.IsNaN(f) {
			return pyrepr.Float(f)
		}
	}
}

func (g *caseGen) bytesLiteral() string {
	var b strings.Builder
	prefix := g.pick("b", "b", "b", "B", "rb", "bR", "Br")
	q := g.pick("'", `"`, `'''`)
	b.WriteString(prefix + q)
	for range g.r.IntN(8) {
		switch g.r.IntN(10) {
		case 0, 1, 2:
			b.WriteString(g.pick("a", "zhang", " ", "x y", "0", "~"))
		case 3:
			b.WriteString(g.pick(`\\`, `\'`, `\"`, `\a`, `\b`, `\f`, `\n`, `\r`, `\t`, `\v`))
		case 4:
			fmt.Fprintf(&b, `\x%02x`, g.r.IntN(256))
		case 5:
			fmt.Fprintf(&b, `\%o`, g.r.IntN(01000))
		case 6:
			b.WriteString(g.pick(`\q`, `\N`, `\u1234`, `\U0001f600`, `\8`, `\ `))
		case 7:
			if q == "'" {
				b.WriteString(`"`)
			} else {
				b.WriteString(`'`)
			}
		case 8:
			b.WriteString("\\\n")
		default:
			if g.chance(0.2) {
				b.WriteString(g.pick(`\x4`, "é", `\x`)) // invalid
			}
		}
	}
	b.WriteString(q)
	return b.String()
}

func (g *caseGen) value(code byte, order format.Order) string {
	if g.chance(0.05) {
		return g.pick("True", "False", "None", "'str'", "''", "1j", "zhang", "0x", "012", "-", "b'", "1.5")
	}
	switch code {
	case 'b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'n', 'N', 'P':
		if g.chance(0.7) { // mostly in range
			return g.intLiteral(8*format.ItemSize(order, code) - 1)
		}
		return g.intLiteral(g.r.IntN(70))
	case 'e', 'f', 'd':
		limit := math.Inf(1)
		if code == 'f' && order == format.Native {
			limit = 3e38 // CPython 3.13.0 packs an overflow as inf here; pystruct raises
		}
		if g.chance(0.2) {
			return g.intLiteral(g.r.IntN(100))
		}
		return g.floatLiteral(limit)
	case 'c':
		return g.pick("b'a'", "b'\\x00'", "x", "b''", "ab", "b'\\n'")
	case 's', 'p':
		if g.chance(0.3) {
			return g.pick("zhang", "hello-world", "x", "héllo")
		}
		return g.bytesLiteral()
	}
	return g.pick("True", "False", "None", "0", "1", "b''", "b'x'", "0.0", "nan")
}

// hexText writes data as hex with random whitespace between bytes.
func (g *caseGen) hexText(data []byte) []byte {
	var b bytes.Buffer
	for _, c := range data {
		if g.chance(0.2) {
			b.WriteString(g.pick(" ", "\n", "\t"))
		}
		fmt.Fprintf(&b, "%02x", c)
	}
	if g.chance(0.05) {
		b.WriteString(g.pick("g", "1", "0 1"))
	}
	return b.Bytes()
}

func (g *caseGen) randBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return b
}

// command returns a random command line and its stdin.
func (g *caseGen) command() ([]string, []byte) {
	fs := g.format()
	size, err := format.Parse(fs)
	n := 0
	if err == nil {
		n = size.Size()
	}
	switch g.r.IntN(10) {
	case 8, 9:
		return g.packLines(fs)
	case 0:
		return []string{"calcsize", fs}, nil
	case 1, 2, 3:
		args := []string{"pack", "--hex", "--", fs}
		codes, order := valueCodes(fs)
		for _, c := range codes {
			args = append(args, g.value(c, order))
		}
		if g.chance(0.05) {
			args = args[:len(args)-min(1, len(codes))]
		}
		return args, nil
	case 4, 5:
		args := []string{"unpack"}
		data := g.randBytes(n)
		if g.chance(0.3) {
			off := g.r.IntN(2*n+8) - n - 4
			data = g.randBytes(n + g.r.IntN(8))
			args = append(args, "--offset", strconv.Itoa(off))
		} else if g.chance(0.1) {
			data = g.randBytes(max(0, n+g.pick2(-1, 1)))
		}
		args = append(args, g.outputOptions(fs)...)
		if g.chance(0.2) {
			args = append(args, "--hex")
			return append(args, "--", fs), g.hexText(data)
		}
		return append(args, "--", fs), data
	default:
		args := []string{"iter"}
		data := g.randBytes(n * g.r.IntN(5))
		if g.chance(0.15) {
			data = append(data, g.randBytes(1+g.r.IntN(max(n, 1)))...)
		}
		if g.chance(0.3) {
			off := g.r.IntN(3*n+8) - 2*n - 4
			data = append(g.randBytes(max(off, 0)), data...)
			args = append(args, "--offset", strconv.Itoa(off))
		}
		if g.chance(0.3) {
			args = append(args, "--count", strconv.Itoa(g.r.IntN(5)))
		}
		args = append(args, g.outputOptions(fs)...)
		if g.chance(0.2) {
			args = append(args, "--hex")
			return append(args, "--", fs), g.hexText(data)
		}
		return append(args, "--", fs), data
	}
}

func (g *caseGen) pick2(a, b int) int {
	if g.chance(0.5) {
		return a
	}
	return b
}

// outputOptions returns random output options of unpack and iter for
// records of fs: --json or --csv or neither, --bytes with either, and
// --names, of the right length most of the time.
func (g *caseGen) outputOptions(fs string) []string {
	var args []string
	switch g.r.IntN(3) {
	case 0:
		args = append(args, "--json")
	case 1:
		args = append(args, "--csv")
	}
	if len(args) > 0 && g.chance(0.5) {
		args = append(args, "--bytes", g.pick("latin1", "hex", "base64"))
	}
	if g.chance(0.4) {
		codes, _ := valueCodes(fs)
		n := len(codes)
		if g.chance(0.1) {
			n = g.r.IntN(4)
		}
		names := make([]string, n)
		for i := range names {
			names[i] = g.pick("id", "name", "x", "it's", `a "b"`, "a,b", "höhe", "z") + strconv.Itoa(i)
		}
		args = append(args, "--names", strings.Join(names, ","))
	}
	return args
}

// packLines returns a pack command that reads records from stdin, and
// lines for it: Python tuples of random literals, JSON arrays of the
// values of random records, now and then a broken line or a blank one.
func (g *caseGen) packLines(fs string) ([]string, []byte) {
	args := []string{"pack"}
	if g.chance(0.5) {
		args = append(args, "--hex")
	}
	mode := "latin1"
	if g.chance(0.3) {
		mode = g.pick("latin1", "hex", "base64")
		args = append(args, "--bytes", mode)
	}
	args = append(args, "--", fs)
	codes, order := valueCodes(fs)
	s, err := pack.Compile(fs)
	var lines bytes.Buffer
	for range g.r.IntN(5) {
		switch {
		case g.chance(0.05):
			lines.WriteString(g.pick("", "  ", "x", "(", "[1,", "(1)", "[]", "()", "{}", "[1] [2]"))
		case g.chance(0.5) || err != nil || s.Size() == 0:
			vals := make([]string, len(codes))
			for i, c := range codes {
				for vals[i] = g.value(c, order); strings.ContainsAny(vals[i], "\n\r"); {
					vals[i] = g.value(c, order)
				}
			}
			if g.chance(0.05) && len(vals) > 0 {
				vals = vals[1:]
			}
			lines.WriteString("(" + strings.Join(vals, ", "))
			if len(vals) == 1 || g.chance(0.2) {
				lines.WriteString(",")
			}
			lines.WriteString(")")
		default:
			vals, _ := s.Unpack(g.randBytes(s.Size()))
			w := &recordWriter{json: true, bytes: mode}
			lines.Write(bytes.TrimSuffix(w.record(nil, vals), []byte("\n")))
		}
		lines.WriteString(g.pick("\n", "\n", "\n", "\r\n", " \n"))
	}
	return args, lines.Bytes()
}

// csvCheck is run by CPython: for each case it reads pystruct's CSV with
// the csv module and its --names JSON with the json module, and compares
// every field with what struct.iter_unpack gives for the same bytes.
const csvCheck = `
import base64, csv, io, json, math, struct, sys

def same_float(text, v):
    f = float(text)
    return (math.isnan(f) and math.isnan(v)) or (f == v and math.copysign(1, f) == math.copysign(1, v))

def decode(text, mode):
    if mode == "hex":
        return bytes.fromhex(text)
    if mode == "base64":
        return base64.b64decode(text, validate=True)
    return text.encode("latin-1")

def check_field(got, v, mode, is_json):
    if isinstance(v, bytes):
        return decode(got, mode) == v
    if isinstance(v, bool):
        return got is v if is_json else got == str(v)
    if isinstance(v, int):
        return (type(got) is int and got == v) if is_json else int(got) == v
    if isinstance(v, float):
        if is_json and isinstance(got, str):
            return got in ("inf", "-inf", "nan") and same_float(got, v)
        if is_json and type(got) is not float:
            return False
        return same_float(got, v)
    return False

problems = []
for c in json.load(sys.stdin):
    fmt, mode, names = c["format"], c["bytes"], c["names"]
    want = list(struct.iter_unpack(fmt, bytes.fromhex(c["data"])))
    rows = list(csv.reader(io.StringIO(bytes.fromhex(c["csv"]).decode("utf-8"), newline="")))
    if rows[:1] != [names]:
        problems.append("%s: CSV header %r, want %r" % (fmt, rows[:1], names))
        continue
    if len(rows) - 1 != len(want):
        problems.append("%s: %d CSV rows, want %d" % (fmt, len(rows) - 1, len(want)))
        continue
    for row, t in zip(rows[1:], want):
        if len(row) != len(t) or not all(check_field(g, v, mode, False) for g, v in zip(row, t)):
            problems.append("%s --bytes %s: CSV row %r for %r" % (fmt, mode, row, t))
    objs = [json.loads(l) for l in bytes.fromhex(c["json"]).decode("ascii").splitlines()]
    if len(objs) != len(want):
        problems.append("%s: %d JSON lines, want %d" % (fmt, len(objs), len(want)))
        continue
    for o, t in zip(objs, want):
        if list(o) != names or not all(check_field(o[k], v, mode, True) for k, v in zip(names, t)):
            problems.append("%s --bytes %s: JSON object %r for %r" % (fmt, mode, o, t))
json.dump(problems, sys.stdout)
`

// Python's csv module reads pystruct's --csv output back, header and
// rows, into the values struct.iter_unpack gives for the same bytes, for
// random formats and records and each --bytes form; and Python's json
// module reads its --names --json lines into objects with the names, in
// order, and the same values.
func TestCSVAndNamesReadByCPython(t *testing.T) {
	python(t)
	seed := *liveSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("random cases from -seed=%d", seed)
	g := &caseGen{rand.New(rand.NewPCG(seed, seed^0xc5f))}
	pyPlatform := pythonPlatform(t)
	type csvCase struct {
		Format string   `json:"format"`
		Bytes  string   `json:"bytes"`
		Names  []string `json:"names"`
		Data   string   `json:"data"`
		CSV    string   `json:"csv"`
		JSON   string   `json:"json"`
	}
	var cases []csvCase
	for len(cases) < *liveCount/3 {
		fs := g.format()
		s, err := pack.Compile(fs)
		if err != nil || s.NumValues() == 0 || s.Size() == 0 || s.Size() > 4096 || !holdsOn(pyPlatform, []string{"iter", fs}) {
			continue
		}
		names := make([]string, s.NumValues())
		for i := range names {
			names[i] = g.pick("id", "name", "x", "it's", `a "b"`, "höhe", " z ") + strconv.Itoa(i)
		}
		c := csvCase{Format: fs, Bytes: g.pick("latin1", "hex", "base64"), Names: names}
		for i := range names {
			c.Names[i] = strings.Trim(names[i], " ")
		}
		data := g.randBytes(s.Size() * g.r.IntN(4))
		c.Data = hex.EncodeToString(data)
		for _, form := range []string{"--csv", "--json"} {
			args := []string{"iter", form, "--bytes", c.Bytes, "--names", strings.Join(names, ","), "--", fs}
			var stdout, stderr bytes.Buffer
			if exit := run(args, bytes.NewReader(data), &stdout, &stderr); exit != 0 {
				t.Fatalf("pystruct %q of %x: exit %d, %s", args, data, exit, stderr.Bytes())
			}
			if form == "--csv" {
				c.CSV = hex.EncodeToString(stdout.Bytes())
			} else {
				c.JSON = hex.EncodeToString(stdout.Bytes())
			}
		}
		cases = append(cases, c)
	}
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := python(t, "-c", csvCheck)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.Bytes())
	}
	var problems []string
	if err := json.Unmarshal(out, &problems); err != nil {
		t.Fatal(err)
	}
	for i, p := range problems {
		if i == 20 {
			t.Fatalf("and %d more", len(problems)-i)
		}
		t.Error(p)
	}
	t.Logf("%d formats checked by Python's csv and json modules", len(cases))
}
