package main

import (
	"bufio"
	"runtime/debug"
	"strconv"
)

// readBuildInfo is debug.ReadBuildInfo; tests replace it.
var readBuildInfo = debug.ReadBuildInfo

// version returns pystruct's version: the version of its module as the Go
// command recorded it in the binary (v1.2.3 for go install ...@v1.2.3, a
// pseudo-version for a commit), or "(devel)" when the binary carries none,
// as when it was built from a work tree without version control
// information.
func version() string {
	if info, ok := readBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}

// printVersion writes "pystruct VERSION".
func printVersion(stdout *bufio.Writer) error {
	stdout.WriteString("pystruct " + version() + "\n")
	return nil
}

// unknownCommand is the usage error for a command pystruct does not have,
// with the nearest command it has when one is close enough to be a typing
// mistake.
func unknownCommand(name string) error {
	if near := suggest(name); near != "" {
		return usagef(nil, "unknown command %s; did you mean %s?", strconv.Quote(name), strconv.Quote(near))
	}
	return usagef(nil, "unknown command %s", strconv.Quote(name))
}

// suggest returns the command closest to name, if one is close: at most
// one edit (an insertion, deletion, substitution, or transposition of two
// neighbouring letters) away for names up to 4 letters, two for longer
// ones. On a tie the first command in the list wins. Long names are not
// compared: no command is near them.
func suggest(name string) string {
	names := []string{"help"}
	for _, c := range commands {
		names = append(names, c.name)
	}
	names = append(names, "gen", "--help", "--version")
	if len(name) > 16 {
		return ""
	}
	limit := 1
	if len(name) > 4 {
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, n := range names {
		if d := editDistance(name, n); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance returns the optimal string alignment distance between a
// and b, byte by byte: the fewest insertions, deletions, substitutions and
// transpositions of adjacent bytes that turn a into b, no substring being
// edited twice.
func editDistance(a, b string) int {
	// Three rows of the table: i-2, i-1 and i.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
