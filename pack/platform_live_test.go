package pack_test

import (
	"encoding/json"
	"testing"

	"github.com/pystruct/pystruct/internal/livepy"
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
func pythonPlatform(t *testing.T) testvec.Platform {
	t.Helper()
	out, err := livepy.Command(t, "-I", "-c", `import json, struct, sys
print(json.dumps({"BigEndian": sys.byteorder == "big", "Long": struct.calcsize("l"),
    "Pointer": struct.calcsize("P"), "Align8": struct.calcsize("cq") - 8,
    "IntBits": sys.maxsize.bit_length() + 1}))`).Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	var p testvec.Platform
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("python's platform %q: %v", out, err)
	}
	if p.Long == 0 || p.Pointer == 0 || p.Align8 == 0 || p.IntBits == 0 {
		t.Fatalf("python's platform %q: a size is missing", out)
	}
	if p != testvec.Host {
		t.Logf("CPython's platform %+v is not pystruct's %+v: formats whose results depend on the difference are left out", p, testvec.Host)
	}
	return p
}

// logLeftOut logs how many of total formats or cases a live test left out
// because their results differ between CPython's platform and pystruct's.
func logLeftOut(t *testing.T, left, total int, what string) {
	t.Helper()
	if left > 0 {
		t.Logf("%d of %d %s left out: their results depend on the platform", left, total, what)
	}
}
