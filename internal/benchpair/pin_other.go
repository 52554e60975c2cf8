//go:build !linux

package main

import (
	"errors"
	"runtime"
)

func pinTo(cpu int) error {
	return errors.New("pinning to a CPU is not supported on " + runtime.GOOS)
}

func currentCPU() int { return -1 }
