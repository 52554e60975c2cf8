package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

// --version prints the module version the binary carries, or (devel).
func TestVersion(t *testing.T) {
	old := readBuildInfo
	t.Cleanup(func() { readBuildInfo = old })
	for _, tt := range []struct {
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{&debug.BuildInfo{Main: debug.Module{Path: "github.com/pystruct/pystruct", Version: "v1.4.0"}}, true, "pystruct v1.4.0\n"},
		{&debug.BuildInfo{Main: debug.Module{Path: "github.com/pystruct/pystruct", Version: "v0.0.0-20261207144051-450028b1d2ab"}}, true, "pystruct v0.0.0-20261207144051-450028b1d2ab\n"},
		{&debug.BuildInfo{Main: debug.Module{Path: "github.com/pystruct/pystruct", Version: "(devel)"}}, true, "pystruct (devel)\n"},
		{&debug.BuildInfo{}, true, "pystruct (devel)\n"},
		{nil, false, "pystruct (devel)\n"},
	} {
		readBuildInfo = func() (*debug.BuildInfo, bool) { return tt.info, tt.ok }
		for _, arg := range []string{"--version", "-version"} {
			var stdout, stderr bytes.Buffer
			exit := run([]string{arg}, strings.NewReader(""), &stdout, &stderr)
			if exit != 0 || stdout.String() != tt.want || stderr.Len() != 0 {
				t.Errorf("pystruct %s with build info %+v: exit %d, stdout %q, stderr %q; want 0, %q", arg, tt.info, exit, stdout.String(), stderr.String(), tt.want)
			}
		}
	}
}
