package testvec

import (
	"encoding/json"
	"testing"

	"github.com/pystruct/pystruct/internal/livepy"
)

// PythonPlatform returns the platform of the CPython 3.13 that live tests
// run (see package livepy; the test fails without it), and logs it when it
// is not pystruct's own (Host): a 64-bit python3 beside 32-bit tests, say.
// Live tests then compare only the formats whose results hold on both
// (Platform.Holds).
func PythonPlatform(t testing.TB) Platform {
	t.Helper()
	out, err := livepy.Command(t, "-I", "-c", `import json, struct, sys
print(json.dumps({"BigEndian": sys.byteorder == "big", "Long": struct.calcsize("l"),
    "Pointer": struct.calcsize("P"), "Align8": struct.calcsize("cq") - 8,
    "IntBits": sys.maxsize.bit_length() + 1}))`).Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	var p Platform
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("python's platform %q: %v", out, err)
	}
	if p.Long == 0 || p.Pointer == 0 || p.Align8 == 0 || p.IntBits == 0 {
		t.Fatalf("python's platform %q: a size is missing", out)
	}
	if p != Host {
		t.Logf("CPython's platform %+v is not pystruct's %+v: formats whose results depend on the difference are left out", p, Host)
	}
	return p
}
