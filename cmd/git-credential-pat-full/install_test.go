package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInstallWarnsOfPlaintextHelper: make install, with git-credential-store
// among git's helpers, warns once, and leaves the helpers as they were.
func TestInstallWarnsOfPlaintextHelper(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the three programs")
	}
	for _, tool := range []string{"make", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1", "GOTOOLCHAIN=local")
	// The go command's caches stay where they are: under the new HOME
	// every build would start cold.
	for _, v := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		out, err := exec.Command("go", "env", v).Output()
		if err != nil {
			t.Skipf("go env %s: %v", v, err)
		}
		env = append(env, v+"="+strings.TrimSpace(string(out)))
	}
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %s: %v", strings.Join(args, " "), err)
		}
		return string(out)
	}
	git("config", "--global", "credential.helper", "pat")
	git("config", "--global", "--add", "credential.helper", "store")
	install := exec.Command("make", "install", "PREFIX="+filepath.Join(dir, "prefix"))
	install.Dir = "../.."
	install.Env = env
	out, err := install.CombinedOutput()
	if err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "warning: git-credential-store is among git's credential helpers"); n != 1 {
		t.Errorf("make install warned %d times, want once:\n%s", n, out)
	}
	if !strings.Contains(string(out), "  credential.helper store\n") || !strings.Contains(string(out), "git-credential-pat doctor names the file that sets it") {
		t.Errorf("make install does not name the setting and where to find its fix:\n%s", out)
	}
	if got := git("config", "--global", "--get-all", "credential.helper"); got != "pat\nstore\n" {
		t.Errorf("make install changed the helpers to %q", got)
	}

	// Cleared by an empty value after it, store is not used: no warning.
	git("config", "--global", "--add", "credential.helper", "")
	git("config", "--global", "--add", "credential.helper", "pat")
	again := exec.Command("make", "install", "PREFIX="+filepath.Join(dir, "prefix"))
	again.Dir = "../.."
	again.Env = env
	if out, err = again.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "warning: git-credential-store") {
		t.Errorf("make install warns of a helper an empty value cleared:\n%s", out)
	}
}
