package pack_test

import (
	"testing"

	"github.com/pystruct/pystruct/internal/testvec"
)

// The live tests compare pystruct with the CPython 3.13 that runs on this
// machine. The results of native formats depend on C's sizes, alignment
// and byte order, and those of big counts on the width of sizes, so a
// test built for another platform than CPython's (GOARCH=386 with a
// 64-bit python3, say) compares only the formats whose results do not
// depend on the difference, as TestInterop does.

// pythonPlatform returns the platform of the CPython 3.13 the live tests
// run, and logs it when it is not pystruct's.
func pythonPlatform(t *testing.T) testvec.Platform { return testvec.PythonPlatform(t) }

// logLeftOut logs how many of total formats or cases a live test left out
// because their results differ between CPython's platform and pystruct's.
func logLeftOut(t *testing.T, left, total int, what string) {
	t.Helper()
	if left > 0 {
		t.Logf("%d of %d %s left out: their results depend on the platform", left, total, what)
	}
}
