package front

import (
	"os/exec"
	"strings"
	"testing"
)

// The front runs on every git operation: it links what relaying needs and
// nothing that would cost every fetch its initialization. This keeps it so.
func TestFrontLinksNothingHeavy(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/git-credential-pat/git-credential-pat").Output()
	if err != nil {
		t.Skipf("go list is not available here: %v", err)
	}
	forbidden := []string{
		"encoding/json", "net", "net/http", "net/url", "os/exec", "flag", "hash/crc32",
		"crypto/", "filippo.io/age", "github.com/godbus/", "github.com/zalando/",
		"github.com/git-credential-pat/git-credential-pat/internal/forge/",
		"github.com/git-credential-pat/git-credential-pat/internal/options",
		"github.com/git-credential-pat/git-credential-pat/store/backend",
		"github.com/git-credential-pat/git-credential-pat/internal/daemon",
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if dep == f || strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f) {
				t.Errorf("the front links %s", dep)
			}
		}
	}
}
