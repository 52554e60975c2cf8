package cabi

// An ABI is what native mode depends on, for a class of platforms: the
// sizes that differ between the C ABIs of the platforms Go supports, the
// alignment of 8-byte integers and doubles, and the byte order. Every
// other native size and alignment is the same everywhere (short 2, int 4,
// float 4, bool 1).
//
// The constants of this package describe the platform the program is
// built for; ABIs describes every platform at once, for code written on
// one platform and built on another (pystruct gen).
type ABI struct {
	// Name names the class, in lower case; none is a GOOS or GOARCH, so
	// that it may end a Go file's name.
	Name string
	// Constraint is the //go:build expression that selects the class's
	// platforms.
	Constraint string

	PointerSize int // void*, size_t, ssize_t
	LongSize    int // long, unsigned long
	Int64Align  int // alignment of long long and double in a struct
	BigEndian   bool
}

// ABIs lists the classes of platforms by their C ABI as this package
// sees it, most common first. Each GOOS/GOARCH pair of `go tool dist list`
// satisfies exactly one Constraint, and the constants of this package
// built for that pair agree with its class.
var ABIs = []ABI{
	{"lp64le", "(amd64 || arm64 || loong64 || mips64le || ppc64le || riscv64) && !windows", 8, 8, 8, false},
	{"llp64", "(amd64 || arm64) && windows", 8, 4, 8, false},
	{"lp64be", "mips64 || ppc64 || s390x", 8, 8, 8, true},
	{"ilp32", "arm || mipsle || wasm || (386 && windows)", 4, 4, 8, false},
	{"i386", "386 && !windows", 4, 4, 4, false},
	{"ilp32be", "mips", 4, 4, 8, true},
}

// Host returns the ABI of the platform the program is built for, from
// the constants of this package. Its Name and Constraint are those of the
// entry of ABIs it matches, or empty if none does.
func Host() ABI {
	h := ABI{PointerSize: PointerSize, LongSize: LongSize, Int64Align: LongLongAlign, BigEndian: BigEndian}
	for _, a := range ABIs {
		if a.PointerSize == h.PointerSize && a.LongSize == h.LongSize && a.Int64Align == h.Int64Align && a.BigEndian == h.BigEndian {
			return a
		}
	}
	return h
}

// Native returns the size and alignment in native mode of one item of the
// format code c ('F' and 'D' for the complex codes, however spelled), as
// the platforms of the class lay it out: align is 0 for codes that are
// never aligned. ok is false if c is not a native format code.
func (a ABI) Native(c byte) (size, align int, ok bool) {
	switch c {
	case 'x', 'c', 'b', 'B', 's', 'p':
		return 1, 0, true
	case '?':
		return BoolSize, BoolAlign, true
	case 'h', 'H', 'e':
		return ShortSize, ShortAlign, true
	case 'i', 'I':
		return IntSize, IntAlign, true
	case 'f':
		return FloatSize, FloatAlign, true
	case 'F':
		return 2 * FloatSize, FloatAlign, true
	case 'l', 'L':
		return a.LongSize, a.LongSize, true
	case 'q', 'Q', 'd':
		return 8, a.Int64Align, true
	case 'D':
		return 16, a.Int64Align, true
	case 'n', 'N', 'P':
		return a.PointerSize, a.PointerSize, true
	}
	return 0, 0, false
}
