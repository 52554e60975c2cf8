package cabi

import (
	"go/build/constraint"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

func TestSizesMatchGo(t *testing.T) {
	want := int(unsafe.Sizeof(uintptr(0)))
	if runtime.GOARCH == "wasm" {
		want = 4 // C on WebAssembly is wasm32; Go's uintptr has 8 bytes
	}
	if PointerSize != want {
		t.Errorf("PointerSize = %d, want %d", PointerSize, want)
	}
	if runtime.GOOS == "windows" && LongSize != 4 {
		t.Errorf("LongSize on windows = %d, want 4", LongSize)
	}
	if runtime.GOOS != "windows" && LongSize != PointerSize {
		t.Errorf("LongSize = %d, want the pointer size %d", LongSize, PointerSize)
	}
	// Go lays out struct{byte; int64} like C, except on 32-bit arm and
	// mips and on windows/386, where Go aligns uint64 to 4 and the C ABIs
	// (ARM EABI, MIPS O32, Microsoft's) align long long and double to 8:
	// records follow C there.
	var s struct {
		c byte
		x uint64
	}
	want = int(unsafe.Offsetof(s.x))
	switch {
	case runtime.GOARCH == "arm", runtime.GOARCH == "mips", runtime.GOARCH == "mipsle",
		runtime.GOARCH == "386" && runtime.GOOS == "windows":
		want = 8
	}
	if LongLongAlign != want {
		t.Errorf("LongLongAlign = %d, want %d (Go aligns uint64 to %d)", LongLongAlign, want, unsafe.Offsetof(s.x))
	}
}

func TestByteOrder(t *testing.T) {
	x := uint16(1)
	little := *(*byte)(unsafe.Pointer(&x)) == 1
	if BigEndian == little {
		t.Errorf("BigEndian = %v on a platform whose first byte of 1 is %v", BigEndian, little)
	}
}

// The platforms of `go tool dist list` (go1.26).
var distList = []string{"aix/ppc64", "android/386", "android/amd64", "android/arm", "android/arm64", "darwin/amd64",
	"darwin/arm64", "dragonfly/amd64", "freebsd/386", "freebsd/amd64", "freebsd/arm", "freebsd/arm64", "freebsd/riscv64",
	"illumos/amd64", "ios/amd64", "ios/arm64", "js/wasm", "linux/386", "linux/amd64", "linux/arm", "linux/arm64",
	"linux/loong64", "linux/mips", "linux/mips64", "linux/mips64le", "linux/mipsle", "linux/ppc64", "linux/ppc64le",
	"linux/riscv64", "linux/s390x", "netbsd/386", "netbsd/amd64", "netbsd/arm", "netbsd/arm64", "openbsd/386",
	"openbsd/amd64", "openbsd/arm", "openbsd/arm64", "openbsd/ppc64", "openbsd/riscv64", "plan9/386", "plan9/amd64",
	"plan9/arm", "solaris/amd64", "wasip1/wasm", "windows/386", "windows/amd64", "windows/arm64"}

// abiFor returns the classes of ABIs whose constraint the platform
// satisfies.
func abiFor(t *testing.T, goos, goarch string) []ABI {
	t.Helper()
	var out []ABI
	for _, a := range ABIs {
		x, err := constraint.Parse("//go:build " + a.Constraint)
		if err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
		if x.Eval(func(tag string) bool { return tag == goos || tag == goarch }) {
			out = append(out, a)
		}
	}
	return out
}

// The expected class of every platform, from the rules the constants
// follow: the pointer is the word (wasm's C is wasm32, 4 bytes), long is 4
// bytes on Windows, 8-byte types align to 4 on 386 outside Windows.
func TestABIsCoverEveryPlatformOnce(t *testing.T) {
	words64 := map[string]bool{"amd64": true, "arm64": true, "loong64": true, "mips64": true, "mips64le": true,
		"ppc64": true, "ppc64le": true, "riscv64": true, "s390x": true}
	big := map[string]bool{"mips": true, "mips64": true, "ppc64": true, "s390x": true}
	for _, p := range distList {
		goos, goarch, _ := strings.Cut(p, "/")
		got := abiFor(t, goos, goarch)
		if len(got) != 1 {
			t.Errorf("%s satisfies %d classes' constraints, want 1", p, len(got))
			continue
		}
		a := got[0]
		ptr := 4
		if words64[goarch] {
			ptr = 8
		}
		long := ptr
		if goos == "windows" {
			long = 4
		}
		align := 8
		if goarch == "386" && goos != "windows" {
			align = 4
		}
		if a.PointerSize != ptr || a.LongSize != long || a.Int64Align != align || a.BigEndian != big[goarch] {
			t.Errorf("%s is in class %+v, want pointer %d, long %d, 8-byte alignment %d, big-endian %v", p, a, ptr, long, align, big[goarch])
		}
	}
	seen := map[string]bool{}
	for _, a := range ABIs {
		if seen[a.Name] || a.Name == "" || strings.ContainsAny(a.Name, "_.") {
			t.Errorf("bad or repeated class name %q", a.Name)
		}
		seen[a.Name] = true
		if slices.Contains(distList, "linux/"+a.Name) || slices.ContainsFunc(distList, func(p string) bool { return strings.HasPrefix(p, a.Name+"/") }) {
			t.Errorf("class name %q is a GOOS or GOARCH", a.Name)
		}
	}
}

// The class of the platform the test runs on is the one its constants
// describe.
func TestHostABI(t *testing.T) {
	got := abiFor(t, runtime.GOOS, runtime.GOARCH)
	if len(got) != 1 {
		t.Fatalf("%s/%s satisfies %d classes' constraints, want 1", runtime.GOOS, runtime.GOARCH, len(got))
	}
	if h := Host(); h != got[0] {
		t.Errorf("Host() = %+v, want %+v", h, got[0])
	}
	h := Host()
	for c, want := range map[byte][2]int{'l': {LongSize, LongAlign}, 'q': {LongLongSize, LongLongAlign}, 'd': {DoubleSize, DoubleAlign},
		'n': {SizeTSize, SizeTAlign}, 'P': {PointerSize, PointerAlign}, 'i': {IntSize, IntAlign}, 'h': {ShortSize, ShortAlign}} {
		if size, align, ok := h.Native(c); !ok || size != want[0] || align != want[1] {
			t.Errorf("Host().Native(%q) = %d, %d, %v; the constants say %d, %d", c, size, align, ok, want[0], want[1])
		}
	}
	if _, _, ok := h.Native('z'); ok {
		t.Error("Native('z') is ok")
	}
}
