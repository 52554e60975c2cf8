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
)

const genUsage = "pystruct gen -type T [-format FMT | -order C] [-o FILE] [-python FILE.py] [DIR]"

const genHelp = `Write Go code that packs and unpacks the struct type T of the package in
DIR (default '.') as records of format FMT, straight-line, with the bytes,
values and errors of pack's typed path (MarshalAppend and Unmarshal).

  -type T         the struct type (required)
  -format FMT     the record's format string; or
  -order C        derive the format from T's fields and their pack tags
                  (pack.FormatOf), in byte order C: one of = < > !
  -o FILE         the Go file to write (default DIR/t_pystruct.go, t being
                  T in lower case)
  -python FILE.py also write a Python 3.9+ module for the same record

The Go file holds (v *T) MarshalRecord(dst []byte) ([]byte, error),
(v *T) UnmarshalRecord(b []byte) error and an init function that registers
both with pack, so that every Struct compiled from exactly FMT uses them
for T. If T does not fit FMT, gen fails with the typed path's message,
naming the Go field and the format item. Native formats ('@' or no
prefix) depend on the platform and are refused: give a byte order.

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
	if *py != "" {
		if err := os.WriteFile(*py, res.pySrc, 0o666); err != nil {
			return err
		}
	}
	return nil
}

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
