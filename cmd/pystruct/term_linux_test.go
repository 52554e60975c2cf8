package main

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// openPTY opens a pseudo-terminal and returns its two ends.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open /dev/ptmx: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	var unlock int32
	var n uint32
	ioctl := func(req uintptr, arg unsafe.Pointer) {
		t.Helper()
		rc, err := master.SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		var errno syscall.Errno
		rc.Control(func(fd uintptr) { _, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(arg)) })
		if errno != 0 {
			t.Fatalf("ioctl %#x on /dev/ptmx: %v", req, errno)
		}
	}
	ioctl(syscall.TIOCSPTLCK, unsafe.Pointer(&unlock))
	ioctl(syscall.TIOCGPTN, unsafe.Pointer(&n))
	slave, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open the pseudo-terminal's other end: %v", err)
	}
	t.Cleanup(func() { slave.Close() })
	return master, slave
}

// A real terminal is one, and dump colours what it writes to it.
func TestDumpIntoTerminal(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	master, slave := openPTY(t)
	if !isTerminal(slave) {
		t.Fatal("isTerminal(a pseudo-terminal) = false")
	}
	got := make(chan []byte, 1)
	go func() {
		var b bytes.Buffer
		buf := make([]byte, 4096)
		for !bytes.Contains(b.Bytes(), []byte("partial")) {
			n, err := master.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		got <- b.Bytes()
	}()
	var errOut bytes.Buffer
	exit := run(dumpColourArgs, bytes.NewReader(dumpColourInput), slave, &errOut)
	select {
	case out := <-got:
		if exit != 1 || !bytes.Contains(out, []byte(sgrCyan)) || !bytes.Contains(out, []byte(sgrReset)) {
			t.Errorf("pystruct %q into a terminal: exit %d, output %q; want colours", dumpColourArgs, exit, out)
		}
	case <-time.After(time.Minute):
		master.Close()
		t.Fatal("nothing read from the terminal in a minute")
	}
}
