package main

import (
	"fmt"
	"go/build/constraint"
	"math"
	"strconv"
	"strings"

	pformat "github.com/pystruct/pystruct/format"
	"github.com/pystruct/pystruct/internal/cabi"
)

// Native formats ('@') take their sizes, alignment and byte order from
// the platform's C ABI. internal/cabi sorts the platforms Go supports into
// a few classes by what native mode depends on (pointer size, long size,
// alignment of 8-byte types, byte order); pystruct gen lays the format out
// for each class, and writes one file of code for each distinct layout,
// with a //go:build line selecting the platforms of the classes that share
// it. FILE itself holds what every layout shares (the registration), and
// its init checks, through pack.Codec.CheckLayout, that pack lays the
// format out on the platform as the file built there assumes. A format
// laid out alike everywhere (bytes only, say) gets one file and no build
// constraint.

// A nativeLayout is the layout of a native format on one or more classes
// of platforms.
type nativeLayout struct {
	abis   []cabi.ABI
	fields []pformat.Field
	size   int
	order  byte // '<' or '>', or '@' if no value has more than one byte
}

// layOut lays out the fields of plan, parsed for this platform, as the
// platforms of class abi do, following CPython's rule: each item is
// aligned to its code's alignment unless it starts the record, and the
// record has no trailing padding.
func layOut(plan *pformat.Plan, abi cabi.ABI) (*nativeLayout, error) {
	l := &nativeLayout{abis: []cabi.ABI{abi}, order: '@'}
	size := 0
	for _, f := range plan.Fields() {
		item, align, ok := abi.Native(f.Code)
		if !ok {
			return nil, fmt.Errorf("gen: internal error: no native layout of %q on %s platforms", f.Code, abi.Name)
		}
		if align > 0 && size > 0 {
			size += (align - 1) - (size-1)%align
		}
		f.Offset = size
		if f.Kind == pformat.String || f.Kind == pformat.Pascal {
			f.Size = f.Count
			size += f.Count
		} else {
			f.Size = item
			if f.Count > (math.MaxInt32-size)/item {
				return nil, fmt.Errorf("gen: format %q is too large for %s platforms", plan.Format(), abi.Name)
			}
			size += f.Count * item
			if f.Count > 0 && item > 1 && f.Kind != pformat.Pad {
				l.order = '<'
				if abi.BigEndian {
					l.order = '>'
				}
			}
		}
		if size > math.MaxInt32 {
			return nil, fmt.Errorf("gen: format %q is too large for %s platforms", plan.Format(), abi.Name)
		}
		l.fields = append(l.fields, f)
	}
	l.size = size
	return l, nil
}

// key identifies the code a layout needs.
func (l *nativeLayout) key() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%c %d", l.order, l.size)
	for _, f := range l.fields {
		fmt.Fprintf(&b, " %d/%d", f.Offset, f.Size)
	}
	return b.String()
}

// constraint returns the //go:build expression of the layout's platforms.
func (l *nativeLayout) constraint() (string, error) {
	terms := make([]string, len(l.abis))
	for i, a := range l.abis {
		terms[i] = "(" + a.Constraint + ")"
	}
	x, err := constraint.Parse("//go:build " + strings.Join(terms, " || "))
	if err != nil {
		return "", fmt.Errorf("gen: internal error: %v", err)
	}
	return x.String(), nil
}

// emitNative writes the code of a native format: the file that registers
// it, and a file for each layout, or one file if every platform lays the
// format out alike.
func (g *generator) emitNative(typeName string, plan *pformat.Plan, vals []gval) ([]byte, []genLayoutFile, error) {
	var layouts []*nativeLayout
	byKey := map[string]*nativeLayout{}
	for _, abi := range cabi.ABIs {
		l, err := layOut(plan, abi)
		if err != nil {
			return nil, nil, err
		}
		if same := byKey[l.key()]; same != nil {
			same.abis = append(same.abis, abi)
			continue
		}
		byKey[l.key()] = l
		layouts = append(layouts, l)
	}
	qfs := strconv.Quote(plan.Format())
	prefix := g.codec
	if len(layouts) == 1 {
		body := g.shared(typeName, qfs, layouts[0].size, prefix) + g.layoutCode(typeName, qfs, layouts[0], vals)
		src, err := g.file("", body)
		return src, nil, err
	}
	main, err := g.file("", g.shared(typeName, qfs, layouts[0].size, prefix))
	if err != nil {
		return nil, nil, err
	}
	var files []genLayoutFile
	for _, l := range layouts {
		c, err := l.constraint()
		if err != nil {
			return nil, nil, err
		}
		src, err := g.file(c, g.layoutCode(typeName, qfs, l, vals))
		if err != nil {
			return nil, nil, err
		}
		files = append(files, genLayoutFile{l.abis[0].Name, src})
	}
	return main, files, nil
}

// layoutCode writes the layout's constants, checked at init, and the
// methods for it.
func (g *generator) layoutCode(typeName, qfs string, l *nativeLayout, vals []gval) string {
	switch l.order {
	case '>':
		g.order = "binary.BigEndian"
	default:
		g.order = "binary.LittleEndian"
	}
	names := make([]string, len(l.abis))
	for i, a := range l.abis {
		names[i] = a.Name
	}
	offsets := make([]string, len(l.fields))
	for i, f := range l.fields {
		offsets[i] = strconv.Itoa(f.Offset)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// The layout of %s that the code below is written for, the one of\n// the platforms of the classes %s (see pystruct gen -help).\n// pack checks at init that it is this platform's.\n", qfs, strings.Join(names, ", "))
	fmt.Fprintf(&b, "const (\n%sOrder = '%c'\n%sSize = %d\n)\n\nvar %sOffsets = [...]int{%s}\n\n", g.codec, l.order, g.codec, l.size, g.codec, strings.Join(offsets, ", "))
	lv := make([]gval, len(vals))
	for i, v := range vals {
		v.f = l.fields[v.fi]
		lv[i] = v
	}
	b.WriteString(g.methods(typeName, qfs, l.size, lv))
	return b.String()
}
