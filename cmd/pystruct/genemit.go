package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"go/types"
	"reflect"
	"sort"
	"strconv"
	"strings"

	pformat "github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/pack"
)

// genRequest is what pystruct gen was asked for: a type, and a format or
// a byte order to derive one from.
type genRequest struct {
	typeName string
	format   string
	order    byte // non-zero: derive the format with pack.FormatOf
}

// genResult is the generated Go source, the Python module and the format
// they implement.
type genResult struct {
	goSrc, pySrc []byte
	format       string
	// layouts holds, for a native format whose layout differs between
	// platforms, a file for each layout, built on its platforms only.
	layouts []genLayoutFile
}

// A genLayoutFile is the code for one layout of a native format: it goes
// into FILE with "_" + name inserted before ".go".
type genLayoutFile struct {
	name string
	src  []byte
}

// A gslot is one Go field a format value binds to, as pack's binding
// flattens the struct: a leaf after nested structs and arrays of structs.
type gslot struct {
	path   string     // pack's name for it: "Hdr.Len", "Pts[1].X"
	expr   string     // the Go expression in the generated methods: "v.Hdr.Len"
	t      types.Type // its type
	mirror reflect.Type
	pyName string // the attribute of the Python class
	pad    bool   // the field stands for a pad item (an x code in its tag)
	trim   bool   // the trim option: an 's' value loses its trailing NULs
}

// A gval is one item of the format bound to Go: a scalar in one field, a
// whole array of scalars, or a byte string.
type gval struct {
	f     pformat.Field
	fi    int // the index of f in the plan
	j     int // the element of f, for scalars bound one field each
	slot  *gslot
	array bool // the slot is an array holding all f.Count values
}

// generator holds the state of one generation.
type generator struct {
	pkg     *types.Package
	named   map[string]string // mirror type string -> Go name, for struct types
	hidden  map[string]string // mirror field name -> the unexported or blank Go name
	imports map[string]string // package path -> name, for types the code names
	uses    map[string]bool   // packages the generated code uses
	order   string            // "binary.LittleEndian" or the like
	codec   string            // the registration variable
	bulk    bool              // writing the slice decoder: its failures return the record's index
}

// generate binds the type req names in pkg to the format and writes the
// code.
func generate(pkg *types.Package, req genRequest) (*genResult, error) {
	obj := pkg.Scope().Lookup(req.typeName)
	tn, ok := obj.(*types.TypeName)
	if !ok {
		return nil, fmt.Errorf("gen: no type %s in package %s", req.typeName, pkg.Name())
	}
	st, ok := tn.Type().Underlying().(*types.Struct)
	if !ok {
		return nil, fmt.Errorf("gen: %s.%s is not a struct type", pkg.Name(), req.typeName)
	}
	if tp, ok := tn.Type().(*types.Named); ok && tp.TypeParams().Len() > 0 {
		return nil, fmt.Errorf("gen: %s.%s is generic: give an instantiated type", pkg.Name(), req.typeName)
	}
	g := &generator{pkg: pkg, named: map[string]string{}, hidden: map[string]string{}, imports: map[string]string{}, uses: map[string]bool{}, codec: "pystruct" + req.typeName}
	mirror, err := g.mirror(tn.Type())
	if err != nil {
		return nil, err
	}
	slots, err := g.flatten(st, "", "v.", nil)
	if err != nil {
		return nil, err
	}

	fs := req.format
	if req.order != 0 {
		fs, err = pack.FormatOf(mirror, req.order)
		if err != nil {
			return nil, errors.New("gen: " + g.fixNames(err.Error(), slots))
		}
	}
	s, err := pack.Compile(fs)
	if err != nil {
		return nil, fmt.Errorf("gen: %v", err)
	}
	plan := s.Plan()
	switch plan.Order() {
	case pformat.Native:
		// Per layout, in emitNative.
	case pformat.Little:
		g.order = "binary.LittleEndian"
	case pformat.Host:
		g.order = "binary.NativeEndian"
	default:
		g.order = "binary.BigEndian"
	}
	if err := s.Check(mirror); err != nil {
		return nil, errors.New("gen: " + g.fixNames(err.Error(), slots))
	}
	vals, err := assign(plan, slots)
	if err != nil {
		return nil, err
	}
	res := &genResult{format: fs}
	if plan.Order() == pformat.Native {
		res.goSrc, res.layouts, err = g.emitNative(req.typeName, plan, vals)
	} else {
		res.goSrc, err = g.emitGo(req.typeName, plan, vals)
	}
	if err != nil {
		return nil, err
	}
	if res.pySrc, err = emitPython(req.typeName, plan, vals, slots); err != nil {
		return nil, err
	}
	return res, nil
}

// fixNames rewrites a message about the mirror type in terms of the Go
// types: the mirror's struct types become their names, and each slot's
// type is written as Go's reflect writes it.
func (g *generator) fixNames(msg string, slots []*gslot) string {
	keys := make([]string, 0, len(g.named))
	for k := range g.named {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		msg = strings.ReplaceAll(msg, k, g.named[k])
	}
	for k, v := range g.hidden {
		msg = strings.ReplaceAll(msg, k, v)
	}
	for _, sl := range slots {
		old := "field " + sl.path + " (" + sl.mirror.String() + ")"
		msg = strings.ReplaceAll(msg, old, "field "+sl.path+" ("+reflectName(sl.t)+")")
	}
	return msg
}

// reflectName writes t as reflect.Type.String does.
func reflectName(t types.Type) string {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() == nil {
			return obj.Name()
		}
		return obj.Pkg().Name() + "." + obj.Name()
	case *types.Basic:
		return types.Typ[t.Kind()].Name()
	case *types.Array:
		return "[" + strconv.FormatInt(t.Len(), 10) + "]" + reflectName(t.Elem())
	case *types.Slice:
		return "[]" + reflectName(t.Elem())
	case *types.Pointer:
		return "*" + reflectName(t.Elem())
	case *types.Map:
		return "map[" + reflectName(t.Key()) + "]" + reflectName(t.Elem())
	}
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

// mirror builds a reflect.Type that binds to formats as t does: the same
// kinds, lengths, field names and tags. Named types lose their names,
// which fixNames puts back in messages.
func (g *generator) mirror(t types.Type) (rt reflect.Type, err error) {
	defer func() {
		if r := recover(); r != nil {
			rt, err = nil, fmt.Errorf("gen: cannot describe %s: %v", reflectName(t), r)
		}
	}()
	return g.mirrorType(t)
}

var basicMirrors = map[types.BasicKind]reflect.Type{
	types.Bool: reflect.TypeFor[bool](), types.String: reflect.TypeFor[string](),
	types.Int: reflect.TypeFor[int](), types.Int8: reflect.TypeFor[int8](), types.Int16: reflect.TypeFor[int16](),
	types.Int32: reflect.TypeFor[int32](), types.Int64: reflect.TypeFor[int64](),
	types.Uint: reflect.TypeFor[uint](), types.Uint8: reflect.TypeFor[uint8](), types.Uint16: reflect.TypeFor[uint16](),
	types.Uint32: reflect.TypeFor[uint32](), types.Uint64: reflect.TypeFor[uint64](), types.Uintptr: reflect.TypeFor[uintptr](),
	types.Float32: reflect.TypeFor[float32](), types.Float64: reflect.TypeFor[float64](),
	types.Complex64: reflect.TypeFor[complex64](), types.Complex128: reflect.TypeFor[complex128](),
}

func (g *generator) mirrorType(t types.Type) (reflect.Type, error) {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		m, err := g.mirrorType(t.Underlying())
		if err != nil {
			return nil, err
		}
		if m.Kind() == reflect.Struct {
			g.named[m.String()] = reflectName(t)
		}
		return m, nil
	case *types.Basic:
		if m, ok := basicMirrors[t.Kind()]; ok {
			return m, nil
		}
	case *types.Array:
		e, err := g.mirrorType(t.Elem())
		if err != nil {
			return nil, err
		}
		return reflect.ArrayOf(int(t.Len()), e), nil
	case *types.Slice:
		e, err := g.mirrorType(t.Elem())
		if err != nil {
			return nil, err
		}
		return reflect.SliceOf(e), nil
	case *types.Struct:
		var fields []reflect.StructField
		for i := range t.NumFields() {
			f := t.Field(i)
			tag := reflect.StructTag(t.Tag(i))
			code, hasCode := tagCode(tag)
			name := f.Name()
			if !f.Exported() {
				_, isStruct := f.Type().Underlying().(*types.Struct)
				if !(f.Embedded() && isStruct) && !hasCode && !strings.Contains(tag.Get("pack"), ",") {
					continue // binding skips it
				}
				// reflect.StructOf takes exported names only: a stand-in,
				// which fixNames turns back.
				name = "PystructHidden" + strconv.Itoa(len(g.hidden)) + "Z"
				g.hidden[name] = f.Name()
			}
			_ = code
			ft, err := g.mirrorType(f.Type())
			if err != nil {
				return nil, err
			}
			fields = append(fields, reflect.StructField{Name: name, Type: ft, Tag: tag})
		}
		return reflect.StructOf(fields), nil
	}
	// Types no format binds to: a stand-in of the same kind of failure.
	return reflect.TypeFor[*struct{}](), nil
}

// flatten lists the fields of st that take format values, as pack's
// binding does.
func (g *generator) flatten(st *types.Struct, path, expr string, out []*gslot) ([]*gslot, error) {
	for i := range st.NumFields() {
		f := st.Field(i)
		tag := reflect.StructTag(st.Tag(i))
		if v, _ := tag.Lookup("pack"); v == "-" {
			continue
		}
		if code, _ := tagCode(tag); strings.HasSuffix(code, "x") {
			m, err := g.mirror(f.Type())
			if err != nil {
				return nil, err
			}
			out = append(out, &gslot{path: path + f.Name(), t: f.Type(), mirror: m, pad: true})
			continue
		}
		_, isStruct := f.Type().Underlying().(*types.Struct)
		if !f.Exported() && !(f.Embedded() && isStruct) {
			continue
		}
		var err error
		out, err = g.flattenType(f.Type(), path+f.Name(), expr+f.Name(), tag, out)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// tagCode returns the CODE of a field's pack tag, and whether it has one.
func tagCode(tag reflect.StructTag) (string, bool) {
	v, _ := tag.Lookup("pack")
	if v == "-" {
		return "", false
	}
	code, _, _ := strings.Cut(v, ",")
	return code, code != ""
}

// tagHas reports whether a field's pack tag has the option opt.
func tagHas(tag reflect.StructTag, opt string) bool {
	v, _ := tag.Lookup("pack")
	opts := strings.Split(v, ",")
	for _, o := range opts[min(1, len(opts)):] {
		if o == opt {
			return true
		}
	}
	return false
}

func (g *generator) flattenType(t types.Type, path, expr string, tag reflect.StructTag, out []*gslot) ([]*gslot, error) {
	switch u := t.Underlying().(type) {
	case *types.Struct:
		return g.flatten(u, path+".", expr+".", out)
	case *types.Array:
		switch u.Elem().Underlying().(type) {
		case *types.Struct, *types.Array:
			for i := range u.Len() {
				is := "[" + strconv.FormatInt(i, 10) + "]"
				var err error
				if out, err = g.flattenType(u.Elem(), path+is, expr+is, "", out); err != nil {
					return nil, err
				}
			}
			return out, nil
		}
	}
	m, err := g.mirror(t)
	if err != nil {
		return nil, err
	}
	pyName := pyNameOf(tag)
	if pyName == "" {
		pyName = strings.NewReplacer(".", "_", "[", "_", "]", "").Replace(path)
	}
	return append(out, &gslot{path: path, expr: expr, t: t, mirror: m, pyName: pyName, trim: tagHas(tag, "trim")}), nil
}

// pyNameOf returns the name= option of a pack tag, or "".
func pyNameOf(tag reflect.StructTag) string {
	v, _ := tag.Lookup("pack")
	opts := strings.Split(v, ",")
	for _, o := range opts[min(1, len(opts)):] {
		if name, ok := strings.CutPrefix(o, "name="); ok {
			return name
		}
	}
	return ""
}

// assign binds the format's values to the slots as pack's binding does.
// pack.Struct.Check has accepted the type, so every value finds its slot.
func assign(plan *pformat.Plan, slots []*gslot) ([]gval, error) {
	var vals []gval
	si := 0
	next := func() (*gslot, error) {
		if si == len(slots) {
			return nil, errors.New("gen: internal error: the binding ran out of fields")
		}
		si++
		return slots[si-1], nil
	}
	for fi, f := range plan.Fields() {
		if f.NumValues() == 0 {
			if f.Kind == pformat.Pad && si < len(slots) && slots[si].pad {
				si++
			}
			continue
		}
		sl, err := next()
		if err != nil {
			return nil, err
		}
		_, isArray := sl.t.Underlying().(*types.Array)
		switch {
		case f.Kind == pformat.String || f.Kind == pformat.Pascal:
			vals = append(vals, gval{f: f, fi: fi, slot: sl})
		case isArray:
			vals = append(vals, gval{f: f, fi: fi, slot: sl, array: true})
		default:
			vals = append(vals, gval{f: f, fi: fi, slot: sl})
			for j := 1; j < f.Count; j++ {
				if sl, err = next(); err != nil {
					return nil, err
				}
				vals = append(vals, gval{f: f, fi: fi, j: j, slot: sl})
			}
		}
	}
	if si != len(slots) {
		return nil, errors.New("gen: internal error: fields left over")
	}
	return vals, nil
}

// goType writes t as the generated file names it, noting imports.
func (g *generator) goType(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == g.pkg {
			return ""
		}
		g.imports[p.Path()] = p.Name()
		return p.Name()
	})
}

// conv returns x converted to the basic type named to, unless t is that
// type already.
func (g *generator) conv(x string, t types.Type, to string) string {
	if b, ok := types.Unalias(t).(*types.Basic); ok && types.Typ[b.Kind()].Name() == to {
		return x
	}
	return to + "(" + x + ")"
}

// cast returns x converted to t, unless x has type t (plain says it has
// the basic type named plain).
func (g *generator) cast(x string, t types.Type, plain string) string {
	if b, ok := types.Unalias(t).(*types.Basic); ok && types.Typ[b.Kind()].Name() == plain {
		return x
	}
	return g.goType(t) + "(" + x + ")"
}

// intRange describes a Go integer type: signedness and range. Types whose
// size depends on the platform give their widest range (wide) or their
// narrowest (narrow).
type intRange struct {
	signed bool
	lo     int64
	hi     uint64
}

func goIntRange(b *types.Basic, wide bool) intRange {
	bits := map[types.BasicKind]int{types.Int8: 8, types.Int16: 16, types.Int32: 32, types.Int64: 64,
		types.Uint8: 8, types.Uint16: 16, types.Uint32: 32, types.Uint64: 64}[b.Kind()]
	if bits == 0 { // int, uint, uintptr
		bits = 32
		if wide {
			bits = 64
		}
	}
	signed := b.Info()&types.IsUnsigned == 0
	return rangeOf(signed, bits)
}

func rangeOf(signed bool, bits int) intRange {
	if signed {
		return intRange{true, -1 << (bits - 1), 1<<(bits-1) - 1}
	}
	return intRange{false, 0, 1<<bits - 1}
}

func codeRange(f pformat.Field) intRange {
	return rangeOf(f.Kind == pformat.Signed, 8*f.Size)
}

// isPlainByte reports whether t is byte (uint8) itself, not a type
// defined on it.
func isPlainByte(t types.Type) bool {
	b, ok := types.Unalias(t).(*types.Basic)
	return ok && b.Kind() == types.Uint8
}

func basicOf(t types.Type) *types.Basic {
	b, _ := t.Underlying().(*types.Basic)
	return b
}

// put returns the statement that stores val, an unsigned value of f's
// size, at record offset ro.
func (g *generator) put(size int, ro, val string) string {
	switch size {
	case 1:
		return "r[" + ro + "] = byte(" + val + ")\n"
	}
	g.uses["encoding/binary"] = true
	bits := strconv.Itoa(8 * size)
	return g.order + ".PutUint" + bits + "(r[" + ro + ":], uint" + bits + "(" + val + "))\n"
}

// get returns the expression that loads f's size of bytes at offset ro.
func (g *generator) get(size int, ro string) string {
	if size == 1 {
		return "b[" + ro + "]"
	}
	g.uses["encoding/binary"] = true
	return g.order + ".Uint" + strconv.Itoa(8*size) + "(b[" + ro + ":])"
}

func (g *generator) failM() string {
	return "return dst[:n], " + g.codec + ".MarshalError(v)\n"
}

func (g *generator) failU() string {
	if g.bulk {
		return "return k, " + g.codec + ".UnmarshalError(v, b)\n"
	}
	return "return " + g.codec + ".UnmarshalError(v, b)\n"
}

// encScalar returns the code that packs the Go value x of type t as one
// item of f at record offset ro.
func (g *generator) encScalar(f pformat.Field, t types.Type, x, ro string) string {
	b := basicOf(t)
	switch f.Kind {
	case pformat.Signed, pformat.Unsigned:
		gr, cr := goIntRange(b, true), codeRange(f)
		if f.Code == 'P' {
			// 'P' packs from the most negative signed value of its size,
			// in two's complement, as CPython's PyLong_AsVoidPtr does.
			cr.lo = -1 << (8*f.Size - 1)
		}
		var conds []string
		xv := "uint64(" + x + ")"
		if gr.signed {
			xv = "int64(" + x + ")"
			if gr.lo < cr.lo {
				conds = append(conds, "x < "+strconv.FormatInt(cr.lo, 10))
			}
		}
		if gr.hi > cr.hi {
			conds = append(conds, "x > "+strconv.FormatUint(cr.hi, 10))
		}
		if len(conds) == 0 {
			return g.put(f.Size, ro, x)
		}
		return "if x := " + xv + "; " + strings.Join(conds, " || ") + " {\n" + g.failM() + "}\n" + g.put(f.Size, ro, x)
	case pformat.Bool:
		return "if " + x + " {\nr[" + ro + "] = 1\n} else {\nr[" + ro + "] = 0\n}\n"
	case pformat.Char:
		return "r[" + ro + "] = " + g.conv(x, t, "uint8") + "\n"
	case pformat.Complex:
		// The parts, real then imaginary, each packed as a float of
		// half the item's size packs a float of the part's Go type.
		part, pt := complexPart(f, b)
		return g.encScalar(part, pt, "real("+x+")", ro) + g.encScalar(part, pt, "imag("+x+")", addOffset(ro, part.Size))
	}
	is32 := b.Kind() == types.Float32
	switch f.Size {
	case 8:
		g.uses["math"] = true
		return g.put(8, ro, "math.Float64bits("+g.conv(x, t, "float64")+")")
	case 4:
		if is32 {
			g.uses["math"] = true
			g.uses["pack"] = true
			return g.put(4, ro, "pack.Quiet32(math.Float32bits("+g.conv(x, t, "float32")+"))")
		}
		g.uses["pack"] = true
		return "if bits, ok := pack.Float32Bits(" + g.conv(x, t, "float64") + "); ok {\n" + g.put(4, ro, "bits") + "} else {\n" + g.failM() + "}\n"
	}
	g.uses["pack"] = true
	return "if bits, ok := pack.HalfBits(" + g.conv(x, t, "float64") + "); ok {\n" + g.put(2, ro, "bits") + "} else {\n" + g.failM() + "}\n"
}

// addOffset returns the offset expression ro plus n, folded when ro is a
// number.
func addOffset(ro string, n int) string {
	if k, err := strconv.Atoi(ro); err == nil {
		return strconv.Itoa(k + n)
	}
	return ro + "+" + strconv.Itoa(n)
}

// complexPart returns the float item each part of the complex item f is
// packed as, and the Go float type of a part of the complex type b.
func complexPart(f pformat.Field, b *types.Basic) (pformat.Field, *types.Basic) {
	part := f
	part.Kind, part.Size, part.Count = pformat.Float, f.Size/2, 1
	if b.Kind() == types.Complex64 {
		return part, types.Typ[types.Float32]
	}
	return part, types.Typ[types.Float64]
}

// decScalar returns the code that unpacks one item of f at record offset
// ro into the Go variable x of type t.
func (g *generator) decScalar(f pformat.Field, t types.Type, x, ro string) string {
	b := basicOf(t)
	switch f.Kind {
	case pformat.Signed, pformat.Unsigned:
		raw := g.get(f.Size, ro)
		gr, cr := goIntRange(b, false), codeRange(f)
		gt := g.goType(t)
		fits := cr.lo >= gr.lo && cr.hi <= gr.hi
		var val string
		if cr.signed {
			val = "int64(int" + strconv.Itoa(8*f.Size) + "(" + raw + "))"
			if f.Size == 8 {
				val = "int64(" + raw + ")"
			}
			if fits {
				return x + " = " + gt + "(int" + strconv.Itoa(8*f.Size) + "(" + raw + "))\n"
			}
		} else {
			val = "uint64(" + raw + ")"
			if f.Size == 8 {
				val = raw
			}
			if fits {
				return x + " = " + gt + "(" + raw + ")\n"
			}
		}
		var cond string
		switch {
		case cr.signed && gr.signed:
			cond = "int64(" + gt + "(x)) != x"
		case cr.signed:
			cond = "x < 0"
			if cr.hi > gr.hi {
				cond += " || uint64(" + gt + "(x)) != uint64(x)"
			}
		case gr.signed:
			cond = gt + "(x) < 0 || uint64(" + gt + "(x)) != x"
		default:
			cond = "uint64(" + gt + "(x)) != x"
		}
		return "if x := " + val + "; " + cond + " {\n" + g.failU() + "} else {\n" + x + " = " + gt + "(x)\n}\n"
	case pformat.Bool:
		return x + " = " + g.cast(g.get(1, ro)+" != 0", t, "bool") + "\n"
	case pformat.Char:
		return x + " = " + g.cast(g.get(1, ro), t, "uint8") + "\n"
	case pformat.Complex:
		part, pt := complexPart(f, b)
		cplx := "complex64"
		if pt.Kind() == types.Float64 {
			cplx = "complex128"
		}
		return "{\nvar re, im " + pt.Name() + "\n" + g.decScalar(part, pt, "re", ro) + g.decScalar(part, pt, "im", addOffset(ro, part.Size)) +
			x + " = " + g.cast("complex(re, im)", t, cplx) + "\n}\n"
	}
	is32 := b.Kind() == types.Float32
	switch f.Size {
	case 8:
		g.uses["math"] = true
		if !is32 {
			return x + " = " + g.cast("math.Float64frombits("+g.get(8, ro)+")", t, "float64") + "\n"
		}
		return "if x := math.Float64frombits(" + g.get(8, ro) + "); float64(float32(x)) == x || math.IsNaN(x) {\n" +
			x + " = " + g.cast("float32(x)", t, "float32") + "\n} else {\n" + g.failU() + "}\n"
	case 4:
		if is32 {
			g.uses["math"] = true
			// Quiet32 written out, with a store on each side: a branch
			// the NaN case never takes, rather than a conditional move.
			return "if u := " + g.get(4, ro) + "; u&0x7fffffff > 0x7f800000 { // a NaN, made quiet as CPython makes it\n" +
				x + " = " + g.cast("math.Float32frombits(u|0x400000)", t, "float32") + "\n} else {\n" +
				x + " = " + g.cast("math.Float32frombits(u)", t, "float32") + "\n}\n"
		}
		g.uses["pack"] = true
		return x + " = " + g.cast("pack.Float32ToFloat64("+g.get(4, ro)+")", t, "float64") + "\n"
	}
	g.uses["pack"] = true
	if is32 {
		return x + " = " + g.cast("float32(pack.HalfToFloat64("+g.get(2, ro)+"))", t, "float32") + "\n"
	}
	return x + " = " + g.cast("pack.HalfToFloat64("+g.get(2, ro)+")", t, "float64") + "\n"
}

// encVal and decVal return the code for one bound value.
func (g *generator) encVal(v gval) string {
	f, sl := v.f, v.slot
	off := f.Offset + v.j*f.Size
	o := strconv.Itoa(off)
	switch f.Kind {
	case pformat.String, pformat.Pascal:
		n := f.Count
		if n == 0 {
			return ""
		}
		end := strconv.Itoa(off + n)
		if a, ok := sl.t.Underlying().(*types.Array); ok {
			if isPlainByte(a.Elem()) {
				// An array of n bytes (the binding's rule), stored whole:
				// a copy would first compare the two places.
				return "*(*[" + strconv.Itoa(n) + "]byte)(r[" + o + ":" + end + "]) = " + sl.expr + "\n"
			}
			return "for i := range " + sl.expr + " {\nr[" + o + "+i] = byte(" + sl.expr + "[i])\n}\n"
		}
		if sla, ok := sl.t.Underlying().(*types.Slice); ok && !isPlainByte(sla.Elem()) {
			// A slice of a type defined on byte: no copy from it.
			first, room := o, strconv.Itoa(n)
			if f.Kind == pformat.Pascal {
				first, room = strconv.Itoa(off+1), strconv.Itoa(n-1)
			}
			code := "{\nk := min(len(" + sl.expr + "), " + room + ")\nfor i, c := range " + sl.expr + "[:k] {\nr[" + first + "+i] = byte(c)\n}\n"
			if f.Kind == pformat.Pascal {
				code += "r[" + o + "] = byte(min(k, 255))\n"
			}
			return code + "clear(r[" + first + "+k:" + end + "])\n}\n"
		}
		if f.Kind == pformat.String {
			return "clear(r[" + o + "+copy(r[" + o + ":" + end + "], " + sl.expr + "):" + end + "])\n"
		}
		o1 := strconv.Itoa(off + 1)
		return "{\nk := copy(r[" + o1 + ":" + end + "], " + sl.expr + ")\nr[" + o + "] = byte(min(k, 255))\nclear(r[" + o1 + "+k:" + end + "])\n}\n"
	}
	if !v.array {
		return g.encScalar(f, sl.t, sl.expr, o)
	}
	elem := sl.t.Underlying().(*types.Array).Elem()
	if isPlainByte(elem) && (f.Code == 'B' || f.Code == 'c') {
		return "*(*[" + strconv.Itoa(f.Count) + "]byte)(r[" + o + ":" + strconv.Itoa(off+f.Count) + "]) = " + sl.expr + "\n"
	}
	if f.Count <= 4 {
		var s string
		for j := range f.Count {
			s += g.encScalar(f, elem, sl.expr+"["+strconv.Itoa(j)+"]", strconv.Itoa(off+j*f.Size))
		}
		return s
	}
	return "for i := range " + sl.expr + " {\n" + g.encScalar(f, elem, sl.expr+"[i]", o+"+i*"+strconv.Itoa(f.Size)) + "}\n"
}

func (g *generator) decVal(v gval) string {
	f, sl := v.f, v.slot
	off := f.Offset + v.j*f.Size
	o := strconv.Itoa(off)
	switch f.Kind {
	case pformat.String, pformat.Pascal:
		n := f.Count
		end := strconv.Itoa(off + n)
		switch u := sl.t.Underlying().(type) {
		case *types.Array:
			if n == 0 {
				return ""
			}
			if !isPlainByte(u.Elem()) {
				return "for i := range " + sl.expr + " {\n" + sl.expr + "[i] = " + g.goType(u.Elem()) + "(b[" + o + "+i])\n}\n"
			}
			// An array of n bytes (the binding's rule), loaded whole.
			return sl.expr + " = " + g.goType(sl.t) + "(b[" + o + ":" + end + "])\n"
		case *types.Basic: // a string
			if n == 0 {
				return sl.expr + " = \"\"\n"
			}
			if f.Kind == pformat.String {
				if sl.trim {
					return "{\ne := " + end + "\nfor e > " + o + " && b[e-1] == 0 {\ne--\n}\n" + sl.expr + " = " + g.goType(sl.t) + "(b[" + o + ":e])\n}\n"
				}
				return sl.expr + " = " + g.goType(sl.t) + "(b[" + o + ":" + end + "])\n"
			}
			o1 := strconv.Itoa(off + 1)
			return "{\nk := min(int(b[" + o + "]), " + strconv.Itoa(n-1) + ")\n" + sl.expr + " = " + g.goType(sl.t) + "(b[" + o1 + ":" + o1 + "+k])\n}\n"
		default: // a []byte
			tn := g.goType(sl.t)
			wrap := func(s string) string {
				if tn == "[]byte" || tn == "[]uint8" {
					return s
				}
				return tn + "(" + s + ")"
			}
			if sla, ok := u.(*types.Slice); ok && !isPlainByte(sla.Elem()) {
				// A slice of a type defined on byte: no conversion from
				// []byte.
				et := g.goType(sla.Elem())
				wrap = func(s string) string {
					s = strings.TrimPrefix(strings.TrimSuffix(s, "...)"), "append([]byte{}, ")
					if s == "[]byte{}" {
						return tn + "{}"
					}
					return "func(src []byte) " + tn + " {\ndst := make(" + tn + ", len(src))\nfor i, c := range src {\ndst[i] = " + et + "(c)\n}\nreturn dst\n}(" + s + ")"
				}
			}
			if n == 0 {
				return sl.expr + " = " + wrap("[]byte{}") + "\n"
			}
			if f.Kind == pformat.String {
				if sl.trim {
					return "{\ne := " + end + "\nfor e > " + o + " && b[e-1] == 0 {\ne--\n}\n" + sl.expr + " = " + wrap("append([]byte{}, b["+o+":e]...)") + "\n}\n"
				}
				return sl.expr + " = " + wrap("append([]byte{}, b["+o+":"+end+"]...)") + "\n"
			}
			o1 := strconv.Itoa(off + 1)
			return "{\nk := min(int(b[" + o + "]), " + strconv.Itoa(n-1) + ")\n" + sl.expr + " = " + wrap("append([]byte{}, b["+o1+":"+o1+"+k]...)") + "\n}\n"
		}
	}
	if !v.array {
		return g.decScalar(f, sl.t, sl.expr, o)
	}
	elem := sl.t.Underlying().(*types.Array).Elem()
	if isPlainByte(elem) && (f.Code == 'B' || f.Code == 'c') {
		return sl.expr + " = " + g.goType(sl.t) + "(b[" + o + ":" + strconv.Itoa(off+f.Count) + "])\n"
	}
	if f.Count <= 4 {
		var s string
		for j := range f.Count {
			s += g.decScalar(f, elem, sl.expr+"["+strconv.Itoa(j)+"]", strconv.Itoa(off+j*f.Size))
		}
		return s
	}
	return "for i := range " + sl.expr + " {\n" + g.decScalar(f, elem, sl.expr+"[i]", o+"+i*"+strconv.Itoa(f.Size)) + "}\n"
}

// emitGo writes the Go file of a format in standard mode.
func (g *generator) emitGo(typeName string, plan *pformat.Plan, vals []gval) ([]byte, error) {
	qfs := strconv.Quote(plan.Format())
	body := g.shared(typeName, qfs, plan.Size(), "") + g.methods(typeName, qfs, plan.Size(), vals)
	return g.file("", body)
}

// shared writes the declarations common to every layout: the codec
// variable, the errors made once, and the init function that registers
// the generated functions (and, with layout, checks the layout constants
// of that name).
func (g *generator) shared(typeName, qfs string, size int, layout string) string {
	g.uses["pack"] = true
	c := g.codec
	body := &strings.Builder{}
	bp := func(format string, args ...any) { fmt.Fprintf(body, format, args...) }
	bp("// %s registers the generated functions of %s with pack for the\n// format %s.\nvar %s *pack.Codec[%s]\n\n", c, typeName, qfs, c, typeName)
	bp("// The typed path's errors for a nil *%s and for a buffer that is not\n// one record, made once so that UnmarshalRecord calls nothing. They are\n// shared: do not modify them.\nvar %sErrNil, %sErrLen error\n\n", typeName, c, c)
	bp("func init() {\n%s = pack.Register(%s, (*%s).MarshalRecord, (*%s).UnmarshalRecord)\n", c, qfs, typeName, typeName)
	if layout != "" {
		bp("%s.CheckLayout(%sOrder, %sSize, %sOffsets[:]...)\n", c, layout, layout, layout)
	}
	if size > 0 {
		bp("%s.RegisterSlice(%sUnmarshalSlice)\n", c, c)
	}
	lenBuf := "nil"
	if size == 0 {
		lenBuf = "[]byte{0}"
	}
	bp("%sErrNil = %s.UnmarshalError(nil, nil)\n%sErrLen = %s.UnmarshalError(new(%s), %s)\n}\n\n", c, c, c, c, typeName, lenBuf)
	return body.String()
}

// methods writes MarshalRecord, UnmarshalRecord and the slice decoder for
// the values vals of a record of size bytes.
func (g *generator) methods(typeName, qfs string, size int, vals []gval) string {
	var enc, dec strings.Builder

	// Record bytes no value writes: pad bytes and items of no length.
	written := make([][2]int, 0, len(vals))
	for _, v := range vals {
		enc.WriteString(g.encVal(v))
		dec.WriteString(g.decVal(v))
		start := v.f.Offset + v.j*v.f.Size
		n := v.f.Size
		if v.array {
			n = v.f.Count * v.f.Size
		}
		if v.f.Kind == pformat.String || v.f.Kind == pformat.Pascal {
			n = v.f.Count
		}
		written = append(written, [2]int{start, start + n})
	}
	pos := 0
	for _, w := range append(written, [2]int{size, size}) {
		switch {
		case w[0] == pos+1:
			enc.WriteString("r[" + strconv.Itoa(pos) + "] = 0\n")
		case w[0] > pos:
			enc.WriteString("clear(r[" + strconv.Itoa(pos) + ":" + strconv.Itoa(w[0]) + "])\n")
		}
		pos = max(pos, w[1])
	}
	var bulkDec strings.Builder
	if size > 0 {
		g.bulk = true
		for _, v := range vals {
			bulkDec.WriteString(g.decVal(v))
		}
		g.bulk = false
	}

	c := g.codec
	body := &strings.Builder{}
	bp := func(format string, args ...any) { fmt.Fprintf(body, format, args...) }
	bp("// MarshalRecord appends v to dst as one record of the format %s,\n// as pack's MarshalAppend does, with the same bytes and errors. On error\n// it returns dst with its original length.\n", qfs)
	bp("func (v *%s) MarshalRecord(dst []byte) ([]byte, error) {\n", typeName)
	bp("n := len(dst)\nif v == nil {\n%s}\n", g.failM())
	if size > pack.MaxAlloc {
		bp("if cap(dst)-n < %d {\n%s}\n", size, g.failM())
	}
	if size > 0 {
		g.uses["slices"] = true
		bp("dst = slices.Grow(dst, %d)[:n+%d]\nr := dst[n:]\n_ = r[%d]\n%s", size, size, size-1, enc.String())
	}
	bp("return dst, nil\n}\n\n")
	bp("// UnmarshalRecord sets v from b, which must hold exactly one record of\n// the format %s, as pack's Unmarshal does, with the same values and\n// errors.\n", qfs)
	bp("func (v *%s) UnmarshalRecord(b []byte) error {\n", typeName)
	bp("if v == nil {\nreturn %sErrNil\n}\nif len(b) != %d {\nreturn %sErrLen\n}\n", c, size, c)
	if size > 0 {
		bp("_ = b[%d]\n", size-1)
	}
	bp("%sreturn nil\n}\n", dec.String())
	if size > 0 {
		bp("\n// %sUnmarshalSlice sets out[k] from the k'th record of all, which holds\n// len(out) records, as UnmarshalRecord does, for pack's Unmarshal of a\n// *[]%s. It returns the number of records set, and the error of the record\n// at fault.\n", c, typeName)
		bp("func %sUnmarshalSlice(out []%s, all []byte) (int, error) {\n", c, typeName)
		bp("if len(all)%%%d != 0 || len(all)/%d != len(out) {\nreturn 0, %s.UnmarshalError(new(%s), nil)\n}\n", size, size, c, typeName)
		decl := "v, b := &out[k], "
		if bulkDec.Len() == 0 { // a record of pads only: nothing to set
			decl = "b := "
		}
		bp("for k := range out {\n%sall[k*%d:k*%d+%d:k*%d+%d]\n_ = b[%d]\n%s}\nreturn len(out), nil\n}\n", decl, size, size, size, size, size, size-1, bulkDec.String())
	}
	return body.String()
}

// file writes a Go file: the header, the build constraint if any, the
// package clause, the imports the body uses (noted in g.uses and
// g.imports, which it then clears), and the body.
func (g *generator) file(constraint, body string) ([]byte, error) {
	var src bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&src, format, args...) }
	p("// Code generated by pystruct gen; DO NOT EDIT.\n\n")
	if constraint != "" {
		p("//go:build %s\n\n", constraint)
	}
	p("package %s\n\nimport (\n", g.pkg.Name())
	for _, imp := range []string{"encoding/binary", "math", "slices"} {
		if g.uses[imp] {
			p("%q\n", imp)
		}
	}
	if g.uses["pack"] {
		p("\n\"github.com/pystruct/pystruct/pack\"\n")
	}
	paths := make([]string, 0, len(g.imports))
	for path := range g.imports {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		p("%s %q\n", g.imports[path], path)
	}
	p(")\n\n")
	src.WriteString(body)
	g.uses, g.imports = map[string]bool{}, map[string]string{}
	out, err := format.Source(src.Bytes())
	if err != nil {
		return nil, fmt.Errorf("gen: internal error: generated code does not parse: %v\n%s", err, src.Bytes())
	}
	return out, nil
}
