package main

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
)

// A genCase is a random format and a Go struct type built to fit it.
type genCase struct {
	name   string // the type's name
	format string
	decl   string // the type's declaration
}

// Named types the random structs use, to exercise conversions.
const genNamedTypes = `
type NInt32 int32
type NUint8 uint8
type NF64 float64
type NF32 float32
type NStr string
type NBytes []byte
type NBool bool
type NC64 complex64
type NArr0 [0]byte
type NArr1 [1]byte
type NArr2 [2]byte
type NArr3 [3]byte
type NArr4 [4]byte
type NArr5 [5]byte
type NArr6 [6]byte
`

// buildGenCase builds case k from the random source r: a format of every
// code, byte order, counts and pads, and a struct type that fits it.
func buildGenCase(r *rand.Rand, k int) genCase {
	name := "T" + strconv.Itoa(k)
	// Native formats ('@' or no prefix) half the time: their code is
	// written for every platform's layout, and built for this one.
	order := []string{"<", ">", "!", "=", "@", "@", "", ""}[r.Intn(8)]
	native := order == "@" || order == ""
	var items []string
	var fields []string
	fi := 0
	field := func(typ, tag string) {
		s := "F" + strconv.Itoa(fi) + " " + typ
		if tag != "" {
			s += " `pack:\"" + tag + "\"`"
		}
		fields = append(fields, s)
		fi++
	}
	pick := func(opts ...string) string { return opts[r.Intn(len(opts))] }
	nitems := 1 + r.Intn(6)
	padFields := r.Intn(2) == 0 // every pad item has a field, or none has
	for range nitems {
		codes := "bBhHiIlLqQefd?cspxFD"
		if native {
			codes += "nNP"
		}
		code := codes[r.Intn(len(codes))]
		count := 1
		explicit := false
		switch code {
		case 's', 'p':
			count, explicit = r.Intn(7), true
		case 'x':
			count, explicit = 1+r.Intn(3), r.Intn(2) == 0
		default:
			if r.Intn(10) >= 7 {
				count, explicit = r.Intn(4), true
			}
		}
		item := string(code)
		if (code == 'F' || code == 'D') && r.Intn(2) == 0 {
			item = "Z" + strings.ToLower(item) // CPython 3.15's spelling
		}
		tagCode := item
		if explicit || count != 1 {
			item = strconv.Itoa(count) + item
		}
		items = append(items, item)
		switch code {
		case 'x':
			if padFields {
				fields = append(fields, "_ ["+strconv.Itoa(count)+"]byte `pack:\""+item+"\"`")
			}
			continue
		case 's':
			typ := pick("[N]byte", "string", "[]byte", "NStr", "NBytes", "[N]NUint8", "[]NUint8")
			tag := ""
			switch {
			case !strings.HasPrefix(typ, "[N]") && r.Intn(3) == 0:
				tag = ",trim"
			case r.Intn(3) == 0:
				tag = item
			}
			typ = strings.Replace(typ, "[N]", "["+strconv.Itoa(count)+"]", 1)
			if typ == "["+strconv.Itoa(count)+"]byte" && r.Intn(2) == 0 {
				typ = "NArr" + strconv.Itoa(count) // a named array of bytes
			}
			field(typ, tag)
			continue
		case 'p':
			field(pick("string", "[]byte", "NStr", "[]NUint8"), "")
			continue
		}
		var elem string
		switch code {
		case 'e', 'f', 'd':
			elem = pick("float32", "float64", "NF64", "NF32")
		case 'F', 'D':
			elem = pick("complex64", "complex128", "NC64")
		case '?':
			elem = pick("bool", "NBool")
		case 'c':
			elem = pick("byte", "NUint8")
		default:
			elem = pick("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "int", "uint", "uintptr", "NInt32", "NUint8")
		}
		if count > 1 && r.Intn(2) == 0 {
			if elem == "byte" && r.Intn(2) == 0 {
				field("NArr"+strconv.Itoa(count), "") // a named array of bytes
				continue
			}
			field("["+strconv.Itoa(count)+"]"+elem, "")
			continue
		}
		for range count {
			tag := ""
			if r.Intn(4) == 0 && !strings.ContainsRune("nNP", rune(code)) { // tags take standard codes only
				tag = tagCode
			}
			field(elem, tag)
		}
	}
	// Fields binding skips, and sometimes a nested struct.
	if r.Intn(3) == 0 {
		at := r.Intn(len(fields) + 1)
		fields = append(fields[:at], append([]string{pick("Skip int `pack:\"-\"`", "hidden int", "Skip2 complex128 `pack:\"-\"`")}, fields[at:]...)...)
	}
	if len(fields) > 1 && r.Intn(4) == 0 {
		j := 1 + r.Intn(len(fields)-1)
		inner := "In struct {\n\t\t" + strings.Join(fields[:j], "\n\t\t") + "\n\t}"
		fields = append([]string{inner}, fields[j:]...)
	}
	sep := ""
	if r.Intn(5) == 0 {
		sep = " "
	}
	decl := "type " + name + " struct {\n\t" + strings.Join(fields, "\n\t") + "\n}\n"
	return genCase{name: name, format: order + strings.Join(items, sep), decl: decl}
}

// genHarness is the program that checks the generated code against the
// typed path, type by type.
const genHarness = `package main

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"os"
	"reflect"
	"slices"

	"github.com/pystruct/pystruct/pack"
)

type record interface {
	MarshalRecord(dst []byte) ([]byte, error)
	UnmarshalRecord(b []byte) error
}

var failures int

func fail(name, fs, what string, args ...any) {
	failures++
	if failures <= 20 {
		fmt.Printf("FAIL %s %q: %s\n", name, fs, fmt.Sprintf(what, args...))
	}
}

var ints = []uint64{0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
	0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff}

var floats = []uint64{0, 0x8000000000000000, 0x3ff8000000000000, 0x7ff8000000000000, 0xfff8000000000001,
	0x7ff0000000000001, 0x7ff4000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0x7e37e43c8800759c,
	0x47efffffe0000000, 0x47effffff0000000, 0x47f0000000000000, 0x40effc0000000000, 0x40f0000000000000,
	0x40effe0000000000, 0x0000000000000001, 0x3e70000000000000, 0x36a0000000000000}

var floats32 = []uint32{0, 0x80000000, 0x3fc00000, 0x7fc00000, 0xffc00001, 0x7f800001, 0x7fa00000, 0x7f800000,
	0xff800000, 0x7f7fffff, 0x477ff000, 0x477fe000, 0x00000001, 0x38800000}

func fill(r *rand.Rand, v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(r, v.Field(i))
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(r, v.Index(i))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		u := ints[r.Intn(len(ints))]
		if r.Intn(4) == 0 {
			u = r.Uint64()
		}
		if r.Intn(2) == 0 {
			u = -u
		}
		if r.Intn(3) == 0 {
			u--
		}
		v.SetInt(int64(u))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := ints[r.Intn(len(ints))]
		if r.Intn(4) == 0 {
			u = r.Uint64()
		}
		if r.Intn(3) == 0 {
			u--
		}
		v.SetUint(u)
	case reflect.Float64:
		u := floats[r.Intn(len(floats))]
		if r.Intn(4) == 0 {
			u = r.Uint64()
		}
		if r.Intn(2) == 0 {
			u ^= 1 << 63
		}
		*(*uint64)(v.Addr().UnsafePointer()) = u
	case reflect.Float32:
		u := floats32[r.Intn(len(floats32))]
		if r.Intn(4) == 0 {
			u = r.Uint32()
		}
		if r.Intn(2) == 0 {
			u ^= 1 << 31
		}
		*(*uint32)(v.Addr().UnsafePointer()) = u
	case reflect.Complex64:
		p := (*[2]float32)(v.Addr().UnsafePointer())
		fill(r, reflect.ValueOf(&p[0]).Elem())
		fill(r, reflect.ValueOf(&p[1]).Elem())
	case reflect.Complex128:
		p := (*[2]float64)(v.Addr().UnsafePointer())
		fill(r, reflect.ValueOf(&p[0]).Elem())
		fill(r, reflect.ValueOf(&p[1]).Elem())
	case reflect.Bool:
		v.SetBool(r.Intn(2) == 0)
	case reflect.String, reflect.Slice:
		b := make([]byte, r.Intn(9))
		for i := range b {
			if r.Intn(3) > 0 {
				b[i] = byte(r.Intn(256))
			}
		}
		if v.Kind() == reflect.String {
			v.SetString(string(b))
		} else if r.Intn(5) > 0 {
			v.SetBytes(b)
		} else {
			v.SetZero()
		}
	}
}

// same compares two values bit for bit (floats by their bits).
func same(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() && !same(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := range a.Len() {
			if !same(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Float64:
		return *(*uint64)(a.Addr().UnsafePointer()) == *(*uint64)(b.Addr().UnsafePointer())
	case reflect.Float32:
		return *(*uint32)(a.Addr().UnsafePointer()) == *(*uint32)(b.Addr().UnsafePointer())
	case reflect.Slice:
		return a.IsNil() == b.IsNil() && string(a.Bytes()) == string(b.Bytes())
	case reflect.Complex64:
		return *(*uint64)(a.Addr().UnsafePointer()) == *(*uint64)(b.Addr().UnsafePointer())
	case reflect.Complex128:
		return *(*[2]uint64)(a.Addr().UnsafePointer()) == *(*[2]uint64)(b.Addr().UnsafePointer())
	}
	return a.Interface() == b.Interface()
}

func sameErr(a, b error) bool {
	if (a == nil) != (b == nil) {
		return false
	}
	if a == nil {
		return true
	}
	for _, c := range []error{pack.ErrRange, pack.ErrType, pack.ErrCount, pack.ErrBuffer} {
		if errors.Is(a, c) != errors.Is(b, c) {
			return false
		}
	}
	return a.Error() == b.Error()
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func check[T any, PT interface {
	*T
	record
}](name string, ref *pack.Struct, r *rand.Rand, rounds int) {
	fs := ref.Format()
	s := pack.MustCompile(fs) // uses the generated code
	if err := s.Check(reflect.TypeFor[T]()); err != nil {
		fail(name, fs, "Check: %v", err)
		return
	}
	size := ref.Size()
	for range rounds {
		var v T
		fill(r, reflect.ValueOf(&v).Elem())
		prefix := []byte{0xaa, 0xbb}[:r.Intn(3)]
		want, werr := ref.MarshalAppend(slices.Clip(prefix), &v)
		got, gerr := s.MarshalAppend(slices.Clip(prefix), &v)
		if !sameErr(werr, gerr) || string(want) != string(got) {
			fail(name, fs, "MarshalAppend: %x %v, typed path %x %v", got, gerr, want, werr)
		}
		got, gerr = PT(&v).MarshalRecord(slices.Clip(prefix))
		if !sameErr(werr, gerr) || string(want) != string(got) {
			fail(name, fs, "MarshalRecord: %x %v, typed path %x %v", got, gerr, want, werr)
		}

		var buf []byte
		switch r.Intn(4) {
		case 0:
			if werr == nil {
				buf = want[len(prefix):]
				break
			}
			fallthrough
		case 1, 2:
			buf = make([]byte, size)
			for i := range buf {
				buf[i] = byte(r.Intn(256))
				if r.Intn(4) == 0 {
					buf[i] = []byte{0, 0xff, 0x7f, 0x80}[r.Intn(4)]
				}
			}
		default:
			buf = make([]byte, r.Intn(size+2))
		}
		a, b, c := v, v, v
		werr = ref.Unmarshal(buf, &b)
		gerr = s.Unmarshal(buf, &a)
		if !sameErr(werr, gerr) || !same(reflect.ValueOf(&a).Elem(), reflect.ValueOf(&b).Elem()) {
			fail(name, fs, "Unmarshal(%x): %+v %v, typed path %+v %v", buf, a, gerr, b, werr)
		}
		gerr = PT(&c).UnmarshalRecord(buf)
		if !sameErr(werr, gerr) || !same(reflect.ValueOf(&c).Elem(), reflect.ValueOf(&b).Elem()) {
			fail(name, fs, "UnmarshalRecord(%x): %+v %v, typed path %+v %v", buf, c, gerr, b, werr)
		}
		if size > 0 && len(buf) == size {
			many := slices.Concat(buf, want[len(prefix):], buf)
			if len(many)%size != 0 {
				many = slices.Concat(buf, buf)
			}
			var sa, sb []T
			werr = ref.Unmarshal(many, &sb)
			gerr = s.Unmarshal(many, &sa)
			if !sameErr(werr, gerr) || len(sa) != len(sb) {
				fail(name, fs, "bulk Unmarshal: %d %v, typed path %d %v", len(sa), gerr, len(sb), werr)
			}
			for i := range min(len(sa), len(sb)) {
				if !same(reflect.ValueOf(&sa[i]).Elem(), reflect.ValueOf(&sb[i]).Elem()) {
					fail(name, fs, "bulk Unmarshal record %d: %+v, typed path %+v", i, sa[i], sb[i])
				}
			}
		}
	}
}

func main() {
	r := rand.New(rand.NewSource(SEED))
	rounds := ROUNDS
CHECKS
	fmt.Printf("checked %d types, %d failures\n", NTYPES, failures)
	if failures > 0 {
		os.Exit(1)
	}
	_ = math.Pi
}
`

// TestGeneratedCodeAgreesWithTypedPath generates code for random formats
// and fitting struct types into one program, builds it and runs it: on
// random values (NaNs, infinities and out-of-range integers among them)
// and random records, the generated functions, the typed path with them
// registered, and the typed path's own operations must give the same
// bytes, values and errors.
func TestGeneratedCodeAgreesWithTypedPath(t *testing.T) {
	if testing.Short() {
		t.Log("-short: fewer types")
	}
	ntypes := 60
	if testing.Short() {
		ntypes = 15
	}
	params := gopter.DefaultGenParameters()
	seed := params.Rng.Int63()
	if s := os.Getenv("PYSTRUCT_GEN_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseInt(s, 10, 64); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("seed %d (set PYSTRUCT_GEN_SEED to repeat)", seed)
	// The cases are drawn with gopter from the seed.
	seeds := gen.SliceOfN(ntypes, gen.Int64()).WithShrinker(nil)
	params.Rng.Seed(seed)
	res := seeds(params)
	caseSeeds, ok := res.Retrieve()
	if !ok {
		t.Fatal("gopter gave no seeds")
	}
	dir := t.TempDir()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	writeFile := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	writeFile("go.mod", "module gentest\n\ngo 1.26\n\nrequire github.com/pystruct/pystruct v0.0.0\n\nreplace github.com/pystruct/pystruct => "+root+"\n")
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile("go.sum", string(sum))
	var decls strings.Builder
	decls.WriteString("package main\n" + genNamedTypes)
	var cases []genCase
	for k, cs := range caseSeeds.([]int64) {
		c := buildGenCase(rand.New(rand.NewSource(cs)), k)
		cases = append(cases, c)
		decls.WriteString("\n// " + c.format + "\n" + c.decl)
	}
	writeFile("types.go", decls.String())
	writeFile("main.go", "package main\n\nfunc main() {}\n")
	pkg, err := loadPackage(dir)
	if err != nil {
		t.Fatal(err)
	}
	var checks strings.Builder
	for _, c := range cases {
		res, err := generate(pkg, genRequest{typeName: c.name, format: c.format})
		if err != nil {
			t.Fatalf("gen -type %s -format %q:\n%s\n%v", c.name, c.format, c.decl, err)
		}
		main := strings.ToLower(c.name) + "_pystruct.go"
		writeFile(main, string(res.goSrc))
		for _, l := range res.layouts {
			writeFile(filepath.Base(layoutFile(main, l.name)), string(l.src))
		}
		fmt.Fprintf(&checks, "\tcheck[%s](%q, pystruct%s.Struct(), r, rounds)\n", c.name, c.name, c.name)
	}
	harness := strings.NewReplacer("SEED", strconv.FormatInt(seed, 10), "ROUNDS", "300", "CHECKS", checks.String(),
		"NTYPES", strconv.Itoa(len(cases))).Replace(genHarness)
	writeFile("main.go", harness)

	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local",
		"GOARCH="+runtime.GOARCH)
	// The generated code is vet-clean, and agrees with the typed path.
	vet := exec.Command("go", "vet", ".")
	vet.Dir, vet.Env = dir, env
	if out, err := vet.CombinedOutput(); err != nil {
		t.Fatalf("go vet of the generated code: %v\n%s", err, out)
	}
	// The code of native formats is written for every platform: it is
	// vet-clean on platforms of other layouts too (32-bit with 4-byte
	// alignment of 8-byte types; Windows' 4-byte long; big-endian).
	for _, target := range []string{"linux/386", "windows/amd64", "linux/s390x"} {
		if target == runtime.GOOS+"/"+runtime.GOARCH {
			continue
		}
		goos, goarch, _ := strings.Cut(target, "/")
		vet := exec.Command("go", "vet", ".")
		vet.Dir = dir
		vet.Env = append(env[:len(env):len(env)], "GOOS="+goos, "GOARCH="+goarch)
		if out, err := vet.CombinedOutput(); err != nil {
			t.Fatalf("GOOS=%s GOARCH=%s go vet of the generated code: %v\n%s", goos, goarch, err, out)
		}
	}
	cmd := exec.Command("go", "run", ".")
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run of the generated program: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	if want := fmt.Sprintf("checked %d types, 0 failures\n", len(cases)); !strings.HasSuffix(string(out), want) {
		t.Fatalf("got %q, want it to end %q", out, want)
	}
}
