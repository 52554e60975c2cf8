//go:build !linux

package main

import (
	"errors"
	"runtime"
	"time"
)

func pinTo(cpu int) error {
	return errors.New("pinning to a CPU is not supported on " + runtime.GOOS)
}

func currentCPU() int { return -1 }

// cpuTime returns 0: the GC charge then takes the runtime's figures as
// they are.
func cpuTime() time.Duration { return 0 }
