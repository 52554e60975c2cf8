//go:build race

package main

// raceEnabled reports whether the race detector is on; it makes each
// record several times slower to stream.
const raceEnabled = true
