package front

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The front runs on every git operation: on Linux it links only what
// bench/floor (the least a Go helper can be) links, and its own packages,
// so its start costs no package initialization the floor's does not.
func TestFrontLinksOnlyTheFloor(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the front links os for its own path on this system (see exe_other.go)")
	}
	deps := func(dir, pkg string) []string {
		cmd := exec.Command("go", "list", "-deps", pkg)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Skipf("go list is not available here: %v", err)
		}
		return strings.Fields(string(out))
	}
	floor := map[string]bool{}
	for _, dep := range deps(filepath.Join("..", "..", "bench"), "./floor") {
		floor[dep] = true
	}
	if !floor["syscall"] || floor["os"] {
		t.Fatalf("bench/floor's dependencies are not what this test expects: %v", floor)
	}
	own := map[string]bool{
		"github.com/git-credential-pat/git-credential-pat":                   true,
		"github.com/git-credential-pat/git-credential-pat/internal/front":    true,
		"github.com/git-credential-pat/git-credential-pat/store/cache/relay": true,
	}
	for _, dep := range deps(".", "github.com/git-credential-pat/git-credential-pat") {
		if !floor[dep] && !own[dep] {
			t.Errorf("the front links %s, which bench/floor does not", dep)
		}
	}
}
