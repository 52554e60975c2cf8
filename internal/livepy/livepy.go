// Package livepy finds the CPython 3.13 interpreter that pystruct's live
// tests compare against.
//
// The interpreter is $PYSTRUCT_PYTHON if set, else python3 with
// PYENV_VERSION=3.13.0 unless PYENV_VERSION is already set. Without one the
// test is skipped, or fails when $CI is set: CI must never skip a live
// comparison.
package livepy

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Command returns a command that runs CPython 3.13 with args, or skips (or,
// under CI, fails) t when there is none.
func Command(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	exe, env := os.Getenv("PYSTRUCT_PYTHON"), os.Environ()
	if exe == "" {
		exe = "python3"
		if os.Getenv("PYENV_VERSION") == "" {
			env = append(env, "PYENV_VERSION=3.13.0")
		}
	}
	unavailable := func(why string) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but CPython 3.13 is not available: %s (set PYSTRUCT_PYTHON)", why)
		}
		t.Skipf("CPython 3.13 not available: %s (set PYSTRUCT_PYTHON)", why)
	}
	probe := exec.Command(exe, "-c", "import platform,sys; print(platform.python_implementation(), *sys.version_info[:2])")
	probe.Env = env
	out, err := probe.Output()
	if err != nil {
		unavailable(exe + ": " + err.Error())
	}
	if v := strings.TrimSpace(string(out)); v != "CPython 3 13" {
		unavailable(exe + " is " + v)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = env
	return cmd
}
