//go:build linux

package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"
	"unsafe"
)

// pinTo restricts every thread of the process to the given CPU. Threads
// and processes started later (the CPython coprocess) inherit it.
func pinTo(cpu int) error {
	var mask [16]uint64 // 1024 CPUs
	if cpu < 0 || cpu >= 64*len(mask) {
		return fmt.Errorf("no CPU %d", cpu)
	}
	mask[cpu/64] = 1 << (cpu % 64)
	done := map[int]bool{}
	// A thread started while the others are being pinned may have
	// inherited the old mask: go round until no new thread turns up.
	for {
		ents, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return err
		}
		fresh := 0
		for _, e := range ents {
			tid, err := strconv.Atoi(e.Name())
			if err != nil || done[tid] {
				continue
			}
			_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, uintptr(tid), unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask)))
			if errno != 0 && errno != syscall.ESRCH {
				return fmt.Errorf("pinning thread %d to CPU %d: %v", tid, cpu, errno)
			}
			done[tid] = true
			fresh++
		}
		if fresh == 0 {
			return nil
		}
	}
}

// currentCPU returns the CPU the calling thread runs on, or -1.
func currentCPU() int {
	var nr uintptr
	switch runtime.GOARCH {
	case "amd64":
		nr = 309
	case "arm64":
		nr = 168
	case "386":
		nr = 318
	default:
		return -1
	}
	var c uint32
	if _, _, errno := syscall.RawSyscall(nr, uintptr(unsafe.Pointer(&c)), 0, 0); errno != 0 {
		return -1
	}
	return int(c)
}

// cpuTime returns the CPU time the process has used, all its threads,
// user and system, to the nanosecond: CLOCK_PROCESS_CPUTIME_ID, which
// does not count the time other processes had the CPU.
func cpuTime() time.Duration {
	var ts syscall.Timespec
	const clockProcessCPUTimeID = 2
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

// preemptions returns how many times the process's threads have been
// switched out involuntarily (other work took their CPU), or -1.
func preemptions() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return int64(ru.Nivcsw)
}
