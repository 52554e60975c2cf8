package pack

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/pystruct/pystruct/format"
)

// Struct tags. A field's `pack` tag is one of
//
//	pack:"-"                  the field is skipped
//	pack:"CODE"               the format item the field binds to: a count and one code, "5s", "H", "3x", "Zd"
//	pack:"CODE,OPT,..."       the same with options; CODE may be empty: pack:",trim"
//
// with the options trim (an 's' item unpacked into a string or []byte
// loses its trailing NUL bytes) and name=IDENT (the field's name on the
// Python side, a Python identifier). See doc.go for how binding uses them.

// fieldTag is a parsed `pack` struct tag.
type fieldTag struct {
	skip     bool   // pack:"-"
	code     string // the CODE as written ("5s", "H", "2Zd"), or ""
	c        byte   // the format code of CODE ('s', 'H', 'D' for "Zd"), or 0
	count    int    // the count of CODE: 1 when none is written
	hasCount bool   // CODE starts with a count
	trim     bool   // the trim option
	name     string // the name=IDENT option, or ""
}

// tagCode returns the format code of the tag (format.Field.Code: 'D'
// for both "D" and "Zd"), or 0 if the tag has no code.
func (t fieldTag) tagCode() byte { return t.c }

// pad reports whether the tag stands for pad bytes: an 'x' code.
func (t fieldTag) pad() bool { return t.tagCode() == 'x' }

// A tagError is a `pack` tag that cannot be parsed.
type tagError struct {
	field string // the Go field's name
	tag   string // the tag's value
	why   string
}

func (e *tagError) Error() string {
	return "field " + e.field + " has a bad pack tag " + strconv.Quote(e.tag) + ": " + e.why
}

// parseTag parses the `pack` tag of field. A field without one, or with an
// empty one, gives the zero fieldTag. The error, a *tagError, names the
// field and quotes the tag.
func parseTag(field reflect.StructField) (fieldTag, error) {
	tag, ok := field.Tag.Lookup("pack")
	if !ok || tag == "" {
		return fieldTag{}, nil
	}
	if tag == "-" {
		return fieldTag{skip: true}, nil
	}
	bad := func(why string) (fieldTag, error) {
		return fieldTag{}, &tagError{field.Name, tag, why}
	}
	code, opts, _ := strings.Cut(tag, ",")
	var t fieldTag
	if code != "" {
		digits := strings.TrimLeft(code, "0123456789")
		p, err := format.Parse("<" + code)
		if err != nil {
			// The native-only codes ('n', 'N', 'P') parse in native mode.
			p, err = format.Parse("@" + code)
		}
		if err != nil || p.NumFields() != 1 || digits != p.Field(0).Name() {
			return bad(strconv.Quote(code) + " is not one format code with an optional count")
		}
		f := p.Field(0)
		t.code, t.c, t.count, t.hasCount = code, f.Code, f.Count, code[0] >= '0' && code[0] <= '9'
	}
	if !strings.Contains(tag, ",") {
		return t, nil
	}
	seen := map[string]bool{}
	for opt := range strings.SplitSeq(opts, ",") {
		key, val, hasVal := strings.Cut(opt, "=")
		switch {
		case opt == "":
			return bad("empty option")
		case seen[key]:
			return bad("option " + strconv.Quote(key) + " given twice")
		case key == "trim" && !hasVal:
			t.trim = true
		case key == "name" && hasVal:
			if !isPythonIdent(val) {
				return bad("name " + strconv.Quote(val) + " is not a Python identifier")
			}
			t.name = val
		default:
			return bad("unknown option " + strconv.Quote(opt) + " (known: trim, name=IDENT)")
		}
		seen[key] = true
	}
	return t, nil
}

// isPythonIdent reports whether s is an ASCII Python identifier that is
// not a keyword.
func isPythonIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	switch s {
	case "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
		"def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
		"is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield":
		return false
	}
	return true
}
