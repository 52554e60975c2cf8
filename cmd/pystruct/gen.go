package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pystruct/pystruct/internal/cabi"
)

const genUsage = "pystruct gen -type T [-format FMT | -order C] [-o FILE] [-python FILE.py] [DIR]"

const genHelp = `Write Go code that packs and unpacks the struct type T of the package in
DIR (default '.') as records of format FMT, straight-line, with the bytes,
values and errors of pack's typed path (MarshalAppend and Unmarshal).

  -type T         the struct type (required)
  -format FMT     the record's format string; or
  -order C        derive the format from T's fields and their pack tags
                  (pack.FormatOf), in byte order C: one of @ = < > !
  -o FILE         the Go file to write (default DIR/t_pystruct.go, t being
                  T in lower case)
  -python FILE.py also write a Python 3.9+ module for the same record

The Go file holds (v *T) MarshalRecord(dst []byte) ([]byte, error),
(v *T) UnmarshalRecord(b []byte) error and an init function that registers
both with pack, so that every Struct compiled from exactly FMT uses them
for T (with a decoder of many records for Unmarshal of a *[]T). If T does
not fit FMT, gen fails with the typed path's message, naming the Go field
and the format item.

A native format ('@' or no prefix) takes its sizes, alignment and byte
order from the platform's C ABI, and gen writes its code for every
platform Go supports: FILE registers it, and FILE_CLASS.go (FILE without
.go, then _ and a class name) holds the code for each distinct layout,
with a //go:build line naming its platforms. The classes are lp64le
(64-bit little-endian outside Windows), llp64 (64-bit Windows: 4-byte
long), lp64be (mips64, ppc64, s390x), ilp32 (arm, mipsle, wasm, whose C
is wasm32, and 386 Windows), i386 (386 elsewhere: 8-byte types aligned
to 4) and ilp32be (mips); classes that lay the format out alike share a file, and a format
laid out alike everywhere gets FILE alone. At init the code checks that
pack lays the format out as it assumes (pack.Codec.CheckLayout). Layout
files a previous run wrote and this one does not are removed.

Example (in a Go file):
  //go:generate go run github.com/pystruct/pystruct/cmd/pystruct gen -type Person -format "<i5sf"
`

var genCmd = &command{name: "gen", usage: genUsage, help: genHelp}

// runGen runs pystruct gen with the arguments after "gen".
func runGen(args []string, stdout *bufio.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	typeName := fs.String("type", "", "")
	formatStr := fs.String("format", "", "")
	order := fs.String("order", "", "")
	out := fs.String("o", "", "")
	py := fs.String("python", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &helpRequest{genCmd}
		}
		return usagef(genCmd, "%v", err)
	}
	formatSet, orderSet := false, false
	fs.Visit(func(f *flag.Flag) {
		formatSet = formatSet || f.Name == "format"
		orderSet = orderSet || f.Name == "order"
	})
	switch {
	case *typeName == "":
		return usagef(genCmd, "missing -type")
	case formatSet && orderSet:
		return usagef(genCmd, "give -format or -order, not both")
	case !formatSet && !orderSet:
		return usagef(genCmd, "missing -format or -order")
	case orderSet && len(*order) != 1:
		return usagef(genCmd, "-order %q: want one character of = < > !", *order)
	case fs.NArg() > 1:
		return usagef(genCmd, "too many arguments (%d, at most 1)", fs.NArg())
	}
	dir := "."
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	req := genRequest{typeName: *typeName, format: *formatStr}
	if orderSet {
		req.order = (*order)[0]
	}
	pkg, err := loadPackage(dir)
	if err != nil {
		return err
	}
	res, err := generate(pkg, req)
	if err != nil {
		return err
	}
	goFile := *out
	if goFile == "" {
		goFile = filepath.Join(dir, strings.ToLower(*typeName)+"_pystruct.go")
	}
	if err := os.WriteFile(goFile, res.goSrc, 0o666); err != nil {
		return err
	}
	// A native format's files for each layout; files of layouts this
	// format no longer has, left by an earlier run, go.
	written := map[string]bool{}
	for _, l := range res.layouts {
		name := layoutFile(goFile, l.name)
		if err := os.WriteFile(name, l.src, 0o666); err != nil {
			return err
		}
		written[name] = true
	}
	for _, a := range cabi.ABIs {
		if name := layoutFile(goFile, a.Name); !written[name] && isGenerated(name) {
			if err := os.Remove(name); err != nil {
				return err
			}
		}
	}
	if *py != "" {
		if err := os.WriteFile(*py, res.pySrc, 0o666); err != nil {
			return err
		}
	}
	return nil
}

// layoutFile returns the name of the file of one layout of a native
// format whose main file is goFile.
func layoutFile(goFile, layout string) string {
	return strings.TrimSuffix(goFile, ".go") + "_" + layout + ".go"
}

// isGenerated reports whether the file exists and was written by pystruct
// gen.
func isGenerated(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(genHeader))
	_, err = io.ReadFull(f, head)
	return err == nil && string(head) == genHeader
}

const genHeader = "// Code generated by pystruct gen; DO NOT EDIT.\n"

// loadPackage type-checks the Go package in dir from source, with the
// standard library only. Errors in the package's code (such as calls of
// methods not yet generated) are tolerated: only the types matter.
func loadPackage(dir string) (*types.Package, error) {
	bp, err := build.ImportDir(dir, 0)
	if err != nil {
		return nil, fmt.Errorf("gen: %v", err)
	}
	fset := token.NewFileSet()
	files := make([]*ast.File, 0, len(bp.GoFiles))
	for _, name := range append(append([]string(nil), bp.GoFiles...), bp.CgoFiles...) {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("gen: %v", err)
		}
		files = append(files, f)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil), Error: func(error) {}}
	pkg, _ := conf.Check(bp.ImportPath, fset, files, nil)
	if pkg == nil {
		return nil, fmt.Errorf("gen: cannot type-check the package in %s", dir)
	}
	return pkg, nil
}
