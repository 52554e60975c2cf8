package main

import "testing"

var editDistanceTests = []struct {
	a, b string
	want int
}{
	{"", "", 0},
	{"", "abc", 3},
	{"abc", "", 3},
	{"pack", "pack", 0},
	{"pakc", "pack", 1}, // transposition
	{"pac", "pack", 1},  // insertion
	{"packs", "pack", 1},
	{"pick", "pack", 1},
	{"ca", "abc", 3}, // optimal string alignment: no edit of a transposed pair
	{"unpak", "unpack", 1},
	{"lyaout", "layout", 1},
	{"kitten", "sitting", 3},
	{"dump", "pack", 4},
}

func TestEditDistance(t *testing.T) {
	for _, tt := range editDistanceTests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := editDistance(tt.b, tt.a); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

// A name a typing mistake away from a command gets it as a suggestion; a
// name far from all of them gets none.
var suggestTests = []struct {
	name, want string
}{
	{"lyaout", "layout"},
	{"layuot", "layout"},
	{"dmp", "dump"},
	{"dumb", "dump"},
	{"iterr", "iter"},
	{"itr", "iter"},
	{"calcsise", "calcsize"},
	{"unpakc", "unpack"},
	{"upnack", "unpack"},
	{"gne", "gen"},
	{"--hepl", "--help"},
	{"-version", "--version"},
	{"version", "--version"},
	{"xyz", ""},
	{"frob", ""},
	{"", ""},
	{"p", ""},
	{"d", ""},
	{"packunpackiterlayoutdump", ""},
	{"\xff\xfe", ""},
}

func TestSuggest(t *testing.T) {
	for _, tt := range suggestTests {
		if got := suggest(tt.name); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
