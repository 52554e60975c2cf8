package livepy

import (
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
}
