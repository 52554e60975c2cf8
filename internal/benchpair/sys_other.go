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

// cpuTime returns the wall-clock time, for want of the process's CPU
// time: the GC charge then counts the machine's load too.
func cpuTime() time.Duration { return time.Duration(time.Now().UnixNano()) }

// preemptions returns -1: not known here.
func preemptions() int64 { return -1 }
