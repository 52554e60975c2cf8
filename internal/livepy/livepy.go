// Package livepy finds the CPython 3.13 interpreter that pystruct's live
// tests compare against. Every test that runs Python finds it here, so one
// `go test` run compares against one interpreter.
//
// The interpreter is $PYSTRUCT_PYTHON if set (a command name or a path),
// else python3 with PYENV_VERSION=3.13.0 unless PYENV_VERSION is already
// set. It must be CPython 3.13: without it the test fails (it never
// skips), naming what it found and $PYSTRUCT_PYTHON. Each test that finds
// it logs the interpreter's path and version.
package livepy

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// Python is the interpreter: how to run it and what it said it is.
type Python struct {
	Path    string   // the executable, resolved on PATH
	Env     []string // the environment to run it in
	Version string   // sys.version, on one line
}

var (
	findOnce sync.Once
	found    Python
	findErr  string   // why there is no interpreter, or ""
	logged   sync.Map // the tests that have logged the interpreter
)

func find() {
	exe, env := os.Getenv("PYSTRUCT_PYTHON"), os.Environ()
	if exe == "" {
		exe = "python3"
		if os.Getenv("PYENV_VERSION") == "" {
			env = append(env, "PYENV_VERSION=3.13.0")
		}
	}
	path, err := exec.LookPath(exe)
	if err != nil {
		findErr = err.Error()
		return
	}
	probe := exec.Command(path, "-c", "import platform,sys; print(platform.python_implementation(), *sys.version_info[:2]); print(sys.executable); print(sys.version.replace('\\n', ' '))")
	probe.Env = env
	out, err := probe.Output()
	if err != nil {
		findErr = path + ": " + err.Error()
		return
	}
	lines := strings.SplitN(strings.TrimSpace(string(out)), "\n", 3)
	if len(lines) != 3 {
		findErr = path + " printed " + strings.TrimSpace(string(out))
		return
	}
	if lines[0] != "CPython 3 13" {
		findErr = path + " (" + lines[1] + ") is " + lines[0] + ", " + lines[2]
		return
	}
	if lines[1] != "" {
		path = lines[1] // pyenv's shim names the real interpreter
	}
	found = Python{Path: path, Env: env, Version: lines[2]}
}

// Find returns the CPython 3.13 interpreter, logging its path and version
// on t (once per test), or fails t when there is none.
func Find(t testing.TB) Python {
	t.Helper()
	findOnce.Do(find)
	if findErr != "" {
		t.Fatalf("the live test needs CPython 3.13 (python3 with PYENV_VERSION=3.13.0, or set PYSTRUCT_PYTHON): %s", findErr)
	}
	if _, dup := logged.LoadOrStore(t, true); !dup {
		t.Logf("CPython: %s, %s", found.Path, found.Version)
	}
	return found
}

// Command returns a command that runs CPython 3.13 with args, or fails t
// when there is none.
func Command(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	return CommandContext(context.Background(), t, args...)
}

// CommandContext is like [Command] but the command is killed when ctx is
// done, as with exec.CommandContext.
func CommandContext(ctx context.Context, t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	py := Find(t)
	cmd := exec.CommandContext(ctx, py.Path, args...)
	cmd.Env = py.Env
	return cmd
}
