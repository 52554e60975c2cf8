package livepy

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommandRunsCPython313(t *testing.T) {
	out, err := Command(t, "-c", "import sys; print(sys.version_info[:2])").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != "(3, 13)" {
		t.Errorf("Command ran Python %s, want (3, 13)", got)
	}
	out, err = CommandContext(context.Background(), t, "-c", "import platform; print(platform.python_implementation())").Output()
	if err != nil || strings.TrimSpace(string(out)) != "CPython" {
		t.Errorf("CommandContext ran %q, %v; want CPython", out, err)
	}
}

func TestFindNamesTheInterpreter(t *testing.T) {
	py := Find(t)
	if !filepath.IsAbs(py.Path) || !strings.HasPrefix(py.Version, "3.13.") {
		t.Errorf("Find = %+v, want an absolute path and a 3.13 version", py)
	}
}
