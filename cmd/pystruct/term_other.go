//go:build !linux && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd

package main

import (
	"io/fs"
	"os"
)

// isTerminalFile reports whether f is a terminal. Where pystruct has no
// terminal ioctl to ask, a character device counts as one.
func isTerminalFile(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&fs.ModeCharDevice != 0
}
