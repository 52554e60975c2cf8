package main

import (
	"testing"

	"github.com/pystruct/pystruct/internal/testvec"
)

// Some results depend on the platform: native formats on C's sizes,
// alignment and byte order, huge counts on the width of sizes. The tests
// compare such results only where they were recorded on, or are compared
// with, the platform the test runs on.

// transcriptPlatform is the platform the transcripts in
// testdata/transcripts were recorded on: 64-bit little-endian Unix.
var transcriptPlatform = testvec.Platform{Long: 8, Pointer: 8, Align8: 8, IntBits: 64}

// formatOf returns the format argument of a pystruct command line, if it
// has one.
func formatOf(args []string) (string, bool) {
	if len(args) == 0 {
		return "", false
	}
	for _, cmd := range commands {
		if cmd.name == args[0] {
			_, pos, err := parseOptions(cmd, args[1:])
			if err != nil || len(pos) == 0 {
				return "", false
			}
			return pos[0], true
		}
	}
	return "", false
}

// holdsOn reports whether the results of the command line args on
// platform p hold on the platform the test runs on.
func holdsOn(p testvec.Platform, args []string) bool {
	fs, ok := formatOf(args)
	return !ok || p.Holds(fs)
}

// pythonPlatform returns the platform CPython 3.13 runs on, and logs it
// when it is not pystruct's.
func pythonPlatform(t *testing.T) testvec.Platform { return testvec.PythonPlatform(t) }

func TestFormatOf(t *testing.T) {
	for _, tt := range []struct {
		args []string
		fs   string
		ok   bool
	}{
		{[]string{"calcsize", "@l"}, "@l", true},
		{[]string{"pack", "--hex", "<h", "1"}, "<h", true},
		{[]string{"unpack", "--offset", "3", "--json", "=q"}, "=q", true},
		{[]string{"iter", "--", "-x"}, "-x", true},
		{[]string{"--help"}, "", false},
		{[]string{"pack", "--help"}, "", false},
		{[]string{"calcsize"}, "", false},
	} {
		fs, ok := formatOf(tt.args)
		if fs != tt.fs || ok != tt.ok {
			t.Errorf("formatOf(%q) = %q, %v, want %q, %v", tt.args, fs, ok, tt.fs, tt.ok)
		}
	}
}
