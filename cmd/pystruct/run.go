package main

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pystruct/pystruct/pack"
)

// A command is one of pystruct's subcommands.
type command struct {
	name    string
	usage   string   // the synopsis, without "usage: "
	help    string   // the text --help prints after the synopsis
	options []string // the options it takes, without dashes
	minArgs int      // the fewest positional arguments
	maxArgs int      // the most positional arguments, -1 for no limit
	run     func(cmd *command, opts *options, args []string, stdin io.Reader, stdout *bufio.Writer) error
}

var commands = []*command{
	{"calcsize", "pystruct calcsize FMT", calcsizeHelp, nil, 1, 1, runCalcsize},
	{"pack", "pystruct pack [--hex] [--bytes MODE] FMT [VALUE...]", packHelp, []string{"hex", "bytes"}, 1, -1, runPack},
	{"unpack", "pystruct unpack [--hex] [--offset N] [--json|--csv] [--names A,B,...] [--bytes MODE] FMT [FILE]", unpackHelp,
		[]string{"hex", "offset", "json", "csv", "names", "bytes"}, 1, 2, runUnpack},
	{"iter", "pystruct iter [--hex] [--offset N] [--count N] [--json|--csv] [--names A,B,...] [--bytes MODE] FMT [FILE]", iterHelp,
		[]string{"hex", "offset", "count", "json", "csv", "names", "bytes"}, 1, 2, runIter},
	{"layout", "pystruct layout [--json] FMT", layoutHelp, []string{"json"}, 1, 1, runLayout},
	{"dump", "pystruct dump [--offset N] [--count N] FMT [FILE]", dumpHelp, []string{"offset", "count"}, 1, 2, runDump},
}

// takesValue says which options take a value (--name VALUE or
// --name=VALUE); the others are switches.
var takesValue = map[string]bool{"offset": true, "count": true, "names": true, "bytes": true}

// The options of the commands, as given on the command line.
type options struct {
	hex      bool
	json     bool
	csv      bool
	offset   string // the text of --offset's value
	hasOff   bool   // whether --offset was given
	count    string // the text of --count's value
	hasCount bool   // whether --count was given
	names    string // the text of --names's value
	hasNames bool   // whether --names was given
	bytes    string // --bytes: "latin1" (also when absent), "hex" or "base64"
	hasBytes bool   // whether --bytes was given
	colour   bool   // whether stdout takes colour (see wantColour)
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct {
	cmd *command // nil for the command itself
	msg string
}

func (e *usageError) Error() string { return e.msg }

func usagef(cmd *command, format string, args ...any) error {
	return &usageError{cmd, fmt.Sprintf(format, args...)}
}

// helpRequest asks for the help of a command (nil for pystruct's own).
type helpRequest struct{ cmd *command }

func (h *helpRequest) Error() string { return "help requested" }

// run runs pystruct with the command-line arguments args (without the
// program name) and returns the exit status: 0 for success, 1 for an error
// from struct or in reading the input, 2 for a usage error.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out := bufio.NewWriterSize(stdout, 64<<10)
	err := dispatch(args, stdin, out, wantColour(stdout))
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	var usage *usageError
	var help *helpRequest
	switch {
	case err == nil:
		return 0
	case errors.As(err, &help):
		if help.cmd == nil {
			io.WriteString(stdout, mainHelp)
		} else {
			fmt.Fprintf(stdout, "usage: %s\n\n%s", help.cmd.usage, help.cmd.help)
		}
		return 0
	case errors.As(err, &usage):
		if usage.cmd == nil {
			fmt.Fprintf(stderr, "pystruct: %s\nusage: pystruct {calcsize|pack|unpack|iter|layout|dump|gen} ...; run 'pystruct --help' for more\n", usage.msg)
		} else {
			fmt.Fprintf(stderr, "pystruct: %s: %s\nusage: %s (see 'pystruct %s --help')\n", usage.cmd.name, usage.msg, usage.cmd.usage, usage.cmd.name)
		}
		return 2
	}
	fmt.Fprintf(stderr, "pystruct: %s\n", oneLine(err.Error()))
	return 1
}

// oneLine keeps an error on the one stderr line the tool promises: a line
// break that reaches a message from the command line (a file named "a\nb")
// is written as Python writes it in a string literal, \n or \r.
func oneLine(msg string) string {
	if !strings.ContainsAny(msg, "\n\r") {
		return msg
	}
	return strings.NewReplacer("\n", `\n`, "\r", `\r`).Replace(msg)
}

func dispatch(args []string, stdin io.Reader, stdout *bufio.Writer, colour bool) error {
	if len(args) == 0 {
		return usagef(nil, "no command")
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		return &helpRequest{}
	case "-version", "--version":
		return printVersion(stdout)
	case "help":
		if len(args) == 1 {
			return &helpRequest{}
		}
		name, args = args[1], []string{args[1], "--help"}
	}
	if name == "gen" {
		return runGen(args[1:], stdout)
	}
	for _, cmd := range commands {
		if cmd.name == name {
			opts, pos, err := parseOptions(cmd, args[1:])
			if err != nil {
				return err
			}
			opts.colour = colour
			return cmd.run(cmd, opts, pos, stdin, stdout)
		}
	}
	return unknownCommand(name)
}

// parseOptions separates a command's options from its positional
// arguments. Options may come anywhere before "--", in the forms --name
// and -name, and for options with a value --name=VALUE or --name VALUE
// (the VALUE may start with a dash: --offset -2). An argument that starts
// with a dash is an option, and a usage error if the command has no such
// option, except "-" (stdin) and negative numbers: a dash followed by a
// digit, by a point and a digit, or by inf or nan in any case (-5, -.5,
// -1e3, -inf, -nan, -2j).
func parseOptions(cmd *command, args []string) (*options, []string, error) {
	opts := &options{}
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !isOption(a) {
			pos = append(pos, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if name == "h" || name == "help" {
			return nil, nil, &helpRequest{cmd}
		}
		known := false
		for _, o := range cmd.options {
			known = known || o == name
		}
		if !known {
			return nil, nil, usagef(cmd, "unknown option %s (put -- before arguments that start with -)", quoteArg(a))
		}
		if !takesValue[name] {
			if hasValue {
				return nil, nil, usagef(cmd, "option --%s takes no value", name)
			}
			switch name {
			case "hex":
				opts.hex = true
			case "json":
				opts.json = true
			case "csv":
				opts.csv = true
			}
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return nil, nil, usagef(cmd, "option --%s needs a value", name)
			}
			i++
			value = args[i]
		}
		switch name {
		case "offset":
			opts.offset, opts.hasOff = value, true
		case "count":
			opts.count, opts.hasCount = value, true
		case "names":
			opts.names, opts.hasNames = value, true
		case "bytes":
			if value != "latin1" && value != "hex" && value != "base64" {
				return nil, nil, usagef(cmd, "--bytes %s: want latin1, hex or base64", quoteArg(value))
			}
			opts.bytes, opts.hasBytes = value, true
		}
	}
	switch {
	case len(pos) < cmd.minArgs:
		return nil, nil, usagef(cmd, "missing FMT")
	case cmd.maxArgs >= 0 && len(pos) > cmd.maxArgs:
		return nil, nil, usagef(cmd, "too many arguments (%d, at most %d)", len(pos), cmd.maxArgs)
	case opts.json && opts.csv:
		return nil, nil, usagef(cmd, "--json and --csv exclude each other")
	case opts.hasBytes && cmd.name != "pack" && !opts.json && !opts.csv:
		return nil, nil, usagef(cmd, "--bytes chooses how --json and --csv write bytes; give one of them")
	}
	return opts, pos, nil
}

// isOption reports whether a command-line argument is an option: it
// starts with a dash, and is not "-" or a negative number.
func isOption(a string) bool {
	if len(a) < 2 || a[0] != '-' {
		return false
	}
	if a[1] == '-' {
		return true
	}
	rest := a[1:]
	if isDigit(rest[0]) || rest[0] == '.' && len(rest) > 1 && isDigit(rest[1]) {
		return false
	}
	l := strings.ToLower(rest)
	return !strings.HasPrefix(l, "inf") && !strings.HasPrefix(l, "nan")
}

func runCalcsize(_ *command, _ *options, args []string, _ io.Reader, stdout *bufio.Writer) error {
	n, err := pack.Calcsize(args[0])
	if err != nil {
		return err
	}
	stdout.Write(strconv.AppendInt(stdout.AvailableBuffer(), int64(n), 10))
	return stdout.WriteByte('\n')
}

func runPack(cmd *command, opts *options, args []string, stdin io.Reader, stdout *bufio.Writer) error {
	if opts.hasBytes && len(args) > 1 {
		return usagef(cmd, "--bytes is for JSON records read from stdin, not for VALUE arguments")
	}
	if len(args) == 1 {
		s, err := pack.Compile(args[0])
		if err != nil {
			return err
		}
		if s.NumValues() > 0 {
			return packLines(s, opts, stdin, stdout)
		}
	}
	vals := make([]any, len(args)-1)
	for i, a := range args[1:] {
		v, err := parseValue(a)
		if err != nil {
			return usagef(cmd, "VALUE %d (%s): %v", i+1, quoteArg(a), err)
		}
		vals[i] = v
	}
	s, err := pack.Compile(args[0])
	if err != nil {
		return err
	}
	rec, err := s.Pack(vals...)
	if err != nil {
		return err
	}
	if opts.hex {
		stdout.WriteString(hex.EncodeToString(rec))
		return stdout.WriteByte('\n')
	}
	_, err = stdout.Write(rec)
	return err
}

// quoteArg shows a command-line argument in an error message: as it is
// if it is printable, Go-quoted otherwise, and cut short if it is long.
func quoteArg(a string) string {
	if len(a) > 60 {
		a = a[:57] + "..."
	}
	for _, r := range a {
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			return strconv.Quote(a)
		}
	}
	return a
}

// parseOffset reads the value of --offset: a Python int literal, which
// must fit a C ssize_t as in unpack_from.
func parseOffset(cmd *command, text string) (int, error) {
	v, err := parseValue(text)
	if err == nil {
		switch x := v.(type) {
		case int64:
			if int64(int(x)) == x {
				return int(x), nil
			}
			return 0, errors.New("--offset: Python int too large to convert to C ssize_t")
		case uint64, *big.Int:
			return 0, errors.New("--offset: Python int too large to convert to C ssize_t")
		}
		err = errors.New("not an integer")
	}
	return 0, usagef(cmd, "--offset %s: %v", quoteArg(text), err)
}

// openInput opens FILE, or returns stdin when there is no FILE or it is
// "-". The caller calls done when it has finished reading.
func openInput(args []string, stdin io.Reader) (in io.Reader, done func(), err error) {
	if len(args) < 2 || args[1] == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(args[1])
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

func runUnpack(cmd *command, opts *options, args []string, stdin io.Reader, stdout *bufio.Writer) error {
	off := 0
	if opts.hasOff {
		var err error
		if off, err = parseOffset(cmd, opts.offset); err != nil {
			return err
		}
	}
	s, err := pack.Compile(args[0])
	if err != nil {
		return err
	}
	w, err := newRecordWriter(cmd, opts, s.NumValues())
	if err != nil {
		return err
	}
	in, done, err := openInput(args, stdin)
	if err != nil {
		return err
	}
	defer done()
	var r io.Reader = in
	if opts.hex {
		r = newHexReader(in)
	}
	vals, err := unpackInput(s, in, r, opts.hex, opts.hasOff, off)
	if err != nil {
		return err
	}
	line := w.header(stdout.AvailableBuffer())
	_, err = stdout.Write(w.record(line, vals))
	return err
}

// maxCount is how many bytes past the record unpack counts, without
// keeping them, to say how many it got; input longer than that is too
// large for unpack.
const maxCount = 1 << 24

// maxInput is the most input unpack and iter keep in memory at once: a
// record, or the bytes a negative --offset keeps from the end. Input that
// would need more is an error ("input too large"), never the runtime's
// out-of-memory death. A variable, so that tests can lower it.
var maxInput = 256 << 20

// tooLarge is the error for input that needs more than maxInput bytes of
// memory.
func tooLarge(what string) error {
	return fmt.Errorf("input too large: %s is more than the %d MiB pystruct keeps in memory", what, maxInput>>20)
}

// readAtMost reads r up to n bytes, growing its buffer only as data
// arrives; more than maxInput is tooLarge.
func readAtMost(r io.Reader, n int64, what string) ([]byte, error) {
	if n <= int64(maxInput) {
		return io.ReadAll(io.LimitReader(r, n))
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(maxInput)+1))
	if err == nil && len(data) > maxInput {
		err = tooLarge(what)
	}
	return data, err
}

// unpackInput unpacks the one record of r, reading only what it needs:
// without an offset, the record and then a count of what follows it (up
// to maxCount); with an offset N >= 0, N bytes skipped and then Size()
// bytes; with a negative offset -K, the input while keeping only its last
// K bytes.
func unpackInput(s *pack.Struct, in, r io.Reader, hexIn, hasOff bool, off int) ([]any, error) {
	size := s.Size()
	record := "a record of " + strconv.Itoa(size) + " bytes"
	if !hasOff {
		data, err := readAtMost(r, int64(size)+1, record)
		if err != nil {
			return nil, err
		}
		if len(data) <= size {
			vals, err := s.Unpack(data)
			if err != nil && len(data) < size {
				return nil, wrongSize(err, strconv.Itoa(len(data)))
			}
			return vals, err
		}
		// Too many bytes: count the rest, for the hint.
		n, err := io.Copy(io.Discard, io.LimitReader(r, maxCount))
		if err != nil {
			return nil, err
		}
		_, uerr := s.Unpack(data)
		if n == maxCount {
			var one [1]byte
			if k, _ := io.ReadFull(r, one[:]); k > 0 {
				return nil, wrongSize(uerr, "more than "+strconv.FormatInt(int64(len(data))+maxCount, 10))
			}
		}
		return nil, wrongSize(uerr, strconv.FormatInt(int64(len(data))+n, 10))
	}
	if off >= 0 {
		skipped, err := skip(in, r, int64(off), hexIn)
		if err != nil {
			return nil, err
		}
		data, err := readAtMost(r, int64(size), record)
		if err != nil {
			return nil, err
		}
		if hexIn {
			// fromhex rejects the whole text: check what follows, as far
			// as unpack counts, without keeping it.
			if _, err := io.Copy(io.Discard, io.LimitReader(r, maxCount)); err != nil {
				return nil, err
			}
		}
		if skipped < int64(off) || len(data) < size {
			return nil, unpackFromError(s, int64(off), skipped+int64(len(data)))
		}
		return s.Unpack(data)
	}
	if off+size > 0 {
		if hexIn {
			// fromhex's error comes first.
			if _, err := io.Copy(io.Discard, io.LimitReader(r, maxCount)); err != nil {
				return nil, err
			}
		}
		return s.UnpackFrom(nil, off) // the error does not depend on the data
	}
	// Keep the last k = -off bytes: the record is their first Size().
	tail, err := readTail(r, tailLen(off))
	if err != nil {
		return nil, err
	}
	if len(tail) == tailLen(off) {
		return s.UnpackFrom(tail, -len(tail))
	}
	return s.UnpackFrom(tail, off)
}

// unpackFromError is the error struct.unpack_from(FMT, data, off) gives
// for an offset off >= 0 and a buffer data of n bytes that does not hold
// the record there, built without the buffer (tests check that the two
// agree): unpack --offset and dump read their input as a stream.
func unpackFromError(s *pack.Struct, off, n int64) error {
	size := s.Size()
	return &pack.Error{Op: "unpack_from", Format: s.Format(), Item: -1, Err: pack.ErrBuffer,
		Msg: "unpack_from requires a buffer of at least " + strconv.FormatUint(uint64(size)+uint64(off), 10) +
			" bytes for unpacking " + strconv.Itoa(size) + " bytes at offset " + strconv.FormatInt(off, 10) +
			" (actual buffer size is " + strconv.FormatInt(n, 10) + ")"}
}

// tailLen is how many bytes a negative offset keeps from the end: -off,
// or math.MaxInt for the one offset whose negation overflows.
func tailLen(off int) int {
	if off == math.MinInt {
		return math.MaxInt
	}
	return -off
}

// readTail reads r to its end and returns its last k bytes (all of them
// if there are fewer). It keeps at most k bytes, never more than r holds
// or than maxInput: a ring of k bytes once that many have come. A regular
// file is not read at all before its last k bytes: readTail seeks there.
func readTail(r io.Reader, k int) ([]byte, error) {
	limit := k // the most bytes kept
	if k > maxInput {
		limit = maxInput + 1 // one byte past maxInput is an error
	}
	var ring []byte // len(ring) grows to limit; then pos is the oldest byte
	if f, ok := r.(*os.File); ok {
		if left, ok := seekTail(f, k); ok {
			if k > maxInput && left > int64(maxInput) {
				return nil, tooLarge("keeping the last " + strconv.Itoa(k) + " bytes")
			}
			ring = make([]byte, 0, min(int64(limit), left))
		}
	}
	pos := 0
	chunk := make([]byte, 32<<10)
	for {
		n, err := r.Read(chunk)
		for p := chunk[:n]; len(p) > 0; {
			if len(ring) < limit {
				if len(ring) == cap(ring) {
					grown := make([]byte, len(ring), min(limit, max(2*cap(ring), len(chunk))))
					copy(grown, ring)
					ring = grown
				}
				m := min(len(p), cap(ring)-len(ring))
				ring = append(ring, p[:m]...)
				p = p[m:]
				continue
			}
			if k > maxInput {
				return nil, tooLarge("keeping the last " + strconv.Itoa(k) + " bytes")
			}
			m := copy(ring[pos:], p)
			pos = (pos + m) % limit
			p = p[m:]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(ring) > maxInput {
		return nil, tooLarge("keeping the last " + strconv.Itoa(k) + " bytes")
	}
	// Rotate the ring in place so that its oldest byte comes first.
	slices.Reverse(ring[:pos])
	slices.Reverse(ring[pos:])
	slices.Reverse(ring)
	return ring, nil
}

// seekTail moves f, if it is a regular file, to its last k bytes when it
// holds more than that from where it stands, and reports how many bytes
// are left to read there; ok is false, and f as it was, where f is no
// regular file or cannot seek.
func seekTail(f *os.File, k int) (left int64, ok bool) {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return 0, false
	}
	cur, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, false
	}
	left = st.Size() - cur
	if left > int64(k) {
		if _, err := f.Seek(st.Size()-int64(k), io.SeekStart); err != nil {
			return 0, false
		}
		left = int64(k)
	}
	return max(left, 0), true
}

// wrongSize adds to unpack's error how many bytes it got and what reads
// records out of more bytes.
func wrongSize(err error, got string) error {
	return fmt.Errorf("%w; got %s bytes; --offset 0 reads the first record, iter reads them all", err, got)
}
