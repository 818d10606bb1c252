package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// libsecretSources are where git's own libsecret helper's source may be:
// GIT_CREDENTIAL_PAT_TEST_LIBSECRET_SRC, then Debian's git package's
// contrib folder.
func libsecretSources() []string {
	var dirs []string
	if d := os.Getenv("GIT_CREDENTIAL_PAT_TEST_LIBSECRET_SRC"); d != "" {
		dirs = append(dirs, d)
	}
	return append(dirs, "/usr/share/doc/git/contrib/credential/libsecret")
}

// buildLibsecretHelper builds git's git-credential-libsecret from its C
// source into dir (make, with libsecret-1-dev), so that the import from it
// is tested against what git itself stores.
func buildLibsecretHelper(dir string) error {
	for _, src := range libsecretSources() {
		c := filepath.Join(src, "git-credential-libsecret.c")
		if _, err := os.Stat(c); err != nil {
			continue
		}
		for _, name := range []string{"git-credential-libsecret.c", "Makefile"} {
			data, err := os.ReadFile(filepath.Join(src, name))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
				return err
			}
		}
		out, err := exec.Command("make", "-C", dir).CombinedOutput()
		if err != nil {
			return fmt.Errorf("make git-credential-libsecret in %s: %w: %s (needs gcc, make, pkg-config and libsecret-1-dev)", dir, err, strings.TrimSpace(string(out)))
		}
		return nil
	}
	return fmt.Errorf("git-credential-libsecret's source is in none of %s: install Debian's git package, or set GIT_CREDENTIAL_PAT_TEST_LIBSECRET_SRC", strings.Join(libsecretSources(), ", "))
}

// libsecretHelperDir builds the helper once for the keyring scripts and
// returns the folder that holds it; "" when it cannot be built, which
// fails the test in CI (CI=true) and makes the script that needs it skip
// elsewhere.
func libsecretHelperDir(t *testing.T) string {
	dir := t.TempDir()
	if err := buildLibsecretHelper(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must test the import from git-credential-libsecret: %v", err)
		}
		t.Logf("the import from git-credential-libsecret is not tested: %v", err)
		return ""
	}
	return dir
}
