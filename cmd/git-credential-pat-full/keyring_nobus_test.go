package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestNoSessionBusStartsNoProcess runs the commands that would reach for the
// Secret Service with no session bus around, and checks that nothing was
// launched: godbus, left alone, runs dbus-launch, which leaves a dbus-daemon
// running after every git operation. dbus-launch is wrapped so that a run
// is recorded (and the real one still runs, leaving the daemon a regression
// would leave); every process still alive afterwards that carries this
// test's marker in its environment is a leak.
func TestNoSessionBusStartsNoProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service and /proc are Linux's")
	}
	marker := fmt.Sprintf("GIT_CREDENTIAL_PAT_NO_BUS_TEST=%d", time.Now().UnixNano())
	shims := t.TempDir()
	launched := filepath.Join(shims, "dbus-launch-ran")
	shim := "#!/bin/sh\necho ran >> '" + launched + "'\n"
	if real, err := exec.LookPath("dbus-launch"); err == nil {
		shim += "exec '" + real + "' \"$@\"\n"
	} else {
		shim += "exit 1\n"
	}
	if err := os.WriteFile(filepath.Join(shims, "dbus-launch"), []byte(shim), 0o700); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	data := filepath.Join(home, "data")
	env := []string{
		"HOME=" + home, "XDG_DATA_HOME=" + data, "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_RUNTIME_DIR=" + t.TempDir(), // no bus socket in it
		"PATH=" + shims + string(os.PathListSeparator) + os.Getenv("PATH"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_CREDENTIAL_PAT_PASSPHRASE=no-bus-test",
		// The cache daemon is a process the helper leaves on purpose; this
		// test is about D-Bus, so the cache is off.
		"GIT_CREDENTIAL_PAT_CACHE_TIMEOUT=0",
		marker,
	}
	// An index row makes get and list --backend=keyring reach for the item.
	if err := os.MkdirAll(filepath.Join(data, "git-credential-pat"), 0o700); err != nil {
		t.Fatal(err)
	}
	index := `{"format":"git-credential-pat keyring index v1","entries":[{"host":"nobus.example","kind":"classic","token_masked":"ghp_****6789","added":"2026-01-01T00:00:00Z"}]}`
	if err := os.WriteFile(filepath.Join(data, "git-credential-pat", "keyring-index.json"), []byte(index), 0o600); err != nil {
		t.Fatal(err)
	}
	request := "protocol=https\nhost=nobus.example\n\n"
	for _, tc := range []struct {
		args       []string
		stdin      string
		wantStderr string
	}{
		// The index lists a token for the host: get says where it is,
		// and takes no other store in the keyring's place.
		{[]string{"get"}, request, "your 1 token is in the OS keyring (Secret Service), which cannot be reached here (there is no D-Bus session bus"},
		{[]string{"--backend=keyring", "get"}, request, "there is no D-Bus session bus"},
		{[]string{"--backend=keyring", "add", "other.example"}, "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", "there is no D-Bus session bus"},
		{[]string{"doctor"}, "", ""},
		{[]string{"migrate", "--to", "file"}, "", "there is no D-Bus session bus"},
	} {
		cmd := exec.Command("git-credential-pat", tc.args...)
		cmd.Env, cmd.Dir = env, home
		cmd.Stdin = strings.NewReader(tc.stdin)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		_ = cmd.Run() // the exit code is not the point; what is left behind is
		if tc.wantStderr != "" && !strings.Contains(stderr.String(), tc.wantStderr) {
			t.Errorf("git-credential-pat %s: stderr %q, want it to say %q", strings.Join(tc.args, " "), stderr.String(), tc.wantStderr)
		}
		if tc.wantStderr == "" && tc.args[0] == "get" && stderr.Len() > 0 {
			t.Errorf("git-credential-pat get wrote to stderr: %q", stderr.String())
		}
	}
	if _, err := os.Stat(launched); err == nil {
		t.Error("dbus-launch was run")
	}
	if leaked := processesWithEnv(t, marker); len(leaked) > 0 {
		t.Errorf("processes left running: %s", strings.Join(leaked, "; "))
		for _, p := range leaked {
			// They carry this test's marker, so they are this test's to end.
			pid, _, _ := strings.Cut(p, " ")
			_ = exec.Command("kill", pid).Run()
		}
	}
}

// processesWithEnv lists the live processes whose environment holds entry.
func processesWithEnv(t *testing.T, entry string) []string {
	t.Helper()
	dirs, err := filepath.Glob("/proc/[0-9]*")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, dir := range dirs {
		environ, err := os.ReadFile(filepath.Join(dir, "environ"))
		if err != nil || !bytes.Contains(environ, []byte(entry+"\x00")) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
		found = append(found, filepath.Base(dir)+" "+strings.ReplaceAll(string(cmdline), "\x00", " "))
	}
	return found
}

// TestBusWithoutKeyringStartsNone: on a session bus where no Secret
// Service runs but one could be started on demand (gnome-keyring's D-Bus
// service file), doctor and get ask the bus whether one runs, and so start
// none: nothing we run starts daemons the person did not ask for.
func TestBusWithoutKeyringStartsNone(t *testing.T) {
	for _, tool := range []string{"dbus-run-session", "dbus-send", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed; CI installs it", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
	marker := fmt.Sprintf("GIT_CREDENTIAL_PAT_BUS_TEST=%d", time.Now().UnixNano())
	home := t.TempDir()
	env := []string{
		"HOME=" + home, "XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_RUNTIME_DIR=" + t.TempDir(), "PATH=" + os.Getenv("PATH"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_CREDENTIAL_PAT_CACHE_TIMEOUT=0", marker,
	}
	script := `git-credential-pat doctor >/dev/null 2>&1
printf 'protocol=https\nhost=bus.example\n\n' | git-credential-pat get >/dev/null 2>&1
dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets`
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c", script)
	cmd.Env, cmd.Dir = env, home
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dbus-run-session: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "boolean false" {
		t.Errorf("after doctor and get, a Secret Service runs on the bus (NameHasOwner: %q)", got)
	}
	if leaked := processesWithEnv(t, marker); len(leaked) > 0 {
		t.Errorf("processes left running: %s", strings.Join(leaked, "; "))
		for _, p := range leaked {
			pid, _, _ := strings.Cut(p, " ")
			_ = exec.Command("kill", pid).Run()
		}
	}
}
