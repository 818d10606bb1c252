package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestInstallOverRunningDaemon installs a build with make install, lets
// git's lookups start its cache daemon, and installs other builds over it:
// the first request of the new programs stops the old daemon (the
// programs were replaced by hand), and make install stops one itself.
func TestInstallOverRunningDaemon(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("make is not installed")
		}
		t.Skip("make is not installed")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	prefix, home := t.TempDir(), t.TempDir()
	// A socket path must be short: not under t.TempDir's long names.
	runtime, err := os.MkdirTemp("", "gcpi")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(runtime) })
	// The build keeps the go command's caches where they are, not under
	// the test's home, or it would build everything from nothing.
	goenv, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err != nil {
		t.Fatal(err)
	}
	caches := strings.Fields(string(goenv))
	if len(caches) != 3 {
		t.Fatalf("go env GOCACHE GOMODCACHE GOPATH: %q", goenv)
	}
	env := append(os.Environ(), "GOCACHE="+caches[0], "GOMODCACHE="+caches[1], "GOPATH="+caches[2],
		"HOME="+home, "XDG_RUNTIME_DIR="+runtime, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"), "XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CREDENTIAL_PAT_PASSPHRASE=correct-horse", "GIT_TERMINAL_PROMPT=0")
	run := func(stdin, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env, cmd.Stdin = env, strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	install := func(build string) string {
		return run("", "make", "-C", root, "--no-print-directory", "install", "PREFIX="+prefix, "BUILD_ID="+build)
	}
	helper := filepath.Join(prefix, "bin", "git-credential-pat")
	daemonPID := func() (pid int, build string) {
		t.Helper()
		out := run("", helper, "cache", "status")
		m := regexp.MustCompile(`pid (\d+), socket .*, build (\S+)\.`).FindStringSubmatch(out)
		if m == nil {
			return 0, ""
		}
		pid, _ = strconv.Atoi(m[1])
		return pid, m[2]
	}
	const token = "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"
	get := func() {
		t.Helper()
		out := run("protocol=https\nhost=github.com\npath=acme/app.git\n\n", helper, "get")
		if !strings.Contains(out, "password="+token+"\n") {
			t.Fatalf("get answered %q; want the token", out)
		}
	}

	install("first")
	t.Cleanup(func() {
		// Whatever the test left running (make uninstall stops it).
		cmd := exec.Command(helper, "cache", "exit")
		cmd.Env = env
		cmd.Run()
	})
	run(token, helper, "add", "github.com/acme")
	get()
	first, build := daemonPID()
	if first == 0 || build != "first" {
		t.Fatalf("after a lookup, the daemon is pid %d of build %q; want one of build first", first, build)
	}

	// The programs are replaced by another build's, by hand: the old
	// daemon, still running, answers none of their requests, and stops.
	run("", "make", "-C", root, "--no-print-directory", "build", "BUILD_ID=second")
	for _, p := range []string{"git-credential-pat", "git-credential-pat-full", "git-credential-pat-daemon"} {
		dst := filepath.Join(prefix, "bin", p)
		tmp := dst + ".new"
		run("", "cp", filepath.Join(root, p), tmp)
		if err := os.Rename(tmp, dst); err != nil {
			t.Fatal(err)
		}
	}
	get()
	waitExited(t, first)
	second, build := daemonPID()
	if second == 0 || second == first || build != "second" {
		t.Fatalf("after the new build's lookup, the daemon is pid %d of build %q; want a new one (not %d) of build second", second, build, first)
	}

	// make install stops the running daemon itself.
	if out := install("third"); !strings.Contains(out, "Stopped the running cache daemon") {
		t.Fatalf("make install over a running daemon said:\n%s", out)
	}
	waitExited(t, second)
	get()
	third, build := daemonPID()
	if build != "third" {
		t.Fatalf("after make install, the daemon is of build %q; want third", build)
	}

	// make uninstall stops the daemon and takes away what install put in
	// place, and only that: another helper and the tokens stay.
	run("", "git", "config", "--global", "--add", "credential.helper", "!true")
	out := run("", "make", "-C", root, "--no-print-directory", "uninstall", "PREFIX="+prefix)
	waitExited(t, third)
	for _, p := range []string{"bin/git-credential-pat", "bin/git-credential-pat-full", "bin/git-credential-pat-daemon", "share/man/man1/git-credential-pat.1"} {
		if _, err := os.Stat(filepath.Join(prefix, p)); !os.IsNotExist(err) {
			t.Errorf("after make uninstall, %s is still there (%v)", p, err)
		}
	}
	if helpers := run("", "git", "config", "--global", "--get-all", "credential.helper"); helpers != "!true\n" {
		t.Errorf("after make uninstall the helpers are %q; want only the other one", helpers)
	}
	for _, f := range []string{"vault.age", "vault.key.age"} {
		if _, err := os.Stat(filepath.Join(home, ".local", "share", "git-credential-pat", f)); err != nil {
			t.Errorf("make uninstall took the tokens' %s: %v", f, err)
		}
	}
	if !strings.Contains(out, "Your tokens were left where they are stored") {
		t.Errorf("make uninstall said:\n%s", out)
	}
}

// waitExited waits for the process pid to be gone (or a zombie).
func waitExited(t *testing.T, pid int) {
	t.Helper()
	for range 300 {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil || strings.Contains(string(stat), ") Z ") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the cache daemon (pid %d) still runs", pid)
}

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
