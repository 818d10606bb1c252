package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/store/vault"
)

// These tests run the real binary (the test binary under its name, set up
// by TestMain) as separate processes, the way git runs it.

const hardeningPassphrase = "hardening passphrase"

type sandbox struct {
	t    *testing.T
	home string
}

func newSandbox(t *testing.T) *sandbox {
	home := t.TempDir()
	return &sandbox{t: t, home: home}
}

func (s *sandbox) vaultPath() string {
	return filepath.Join(s.home, "data", "git-credential-pat", "vault.age")
}

// command runs the binary with the cache off: these tests are about the
// vault, and must leave no daemon behind.
func (s *sandbox) command(stdin string, args ...string) *exec.Cmd {
	cmd := exec.Command("git-credential-pat", append([]string{"--cache-timeout=0"}, args...)...)
	cmd.Env = append(os.Environ(),
		"HOME="+s.home,
		"XDG_DATA_HOME="+filepath.Join(s.home, "data"),
		"XDG_CACHE_HOME="+filepath.Join(s.home, "cache"),
		"XDG_RUNTIME_DIR=",
		"GIT_CONFIG_NOSYSTEM=1",
		vault.PassphraseEnv+"="+hardeningPassphrase,
	)
	cmd.Stdin = strings.NewReader(stdin)
	return cmd
}

// run runs the binary and returns stdout, stderr and the exit code.
func (s *sandbox) run(stdin string, args ...string) (string, string, int) {
	s.t.Helper()
	cmd := s.command(stdin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		s.t.Fatalf("running %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), code
}

// entries opens the vault the way a user would and returns its targets.
func (s *sandbox) targets() []string {
	s.t.Helper()
	v := vault.New(s.vaultPath(), vault.Options{
		Passphrase: func(bool) ([]byte, error) { return []byte(hardeningPassphrase), nil },
	})
	entries, err := v.List()
	if err != nil {
		s.t.Fatalf("the vault does not open: %v", err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Target.String()+"="+e.Token)
	}
	slices.Sort(out)
	return out
}

func (s *sandbox) vaultBytes() []byte {
	b, err := os.ReadFile(s.vaultPath())
	if err != nil {
		s.t.Fatal(err)
	}
	return b
}

// token is the i-th classic token of a test, its checksum valid.
func token(i int) string {
	random := fmt.Sprintf("hardening%021d", i)
	return "ghp_" + random + github.Checksum(random)
}

func TestKillDuringWritesLeavesOldOrNewVault(t *testing.T) {
	s := newSandbox(t)
	if _, stderr, code := s.run(token(0), "add", "github.com/owner0"); code != 0 {
		t.Fatalf("add: %s", stderr)
	}
	// Kill at random moments across a writer's whole life, measured here.
	start := time.Now()
	if _, stderr, code := s.run(token(1000), "add", "github.com/timing"); code != 0 {
		t.Fatalf("add: %s", stderr)
	}
	life := time.Since(start)
	want := s.targets()
	killed := 0
	for i := 1; i <= 40; i++ {
		cmd := s.command(token(i), "add", fmt.Sprintf("github.com/owner%d", i))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(life))))
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if err != nil {
			killed++
		}
		got := s.targets()
		withNew := slices.Sorted(slices.Values(append(slices.Clone(want), fmt.Sprintf("github.com/owner%d=%s", i, token(i)))))
		switch {
		case slices.Equal(got, want):
		case slices.Equal(got, withNew):
			want = withNew
		default:
			t.Fatalf("after kill %d the vault holds %v; want the old %v or the new %v", i, got, want, withNew)
		}
	}
	kept := len(want) - 2
	t.Logf("%d of 40 writers killed (life %v); %d new entries kept", killed, life, kept)
	if killed == 0 || kept == 0 {
		t.Fatal("the kills all fell before or after the writes: the test proved nothing")
	}
	// The next writer clears what killed writers left behind.
	if _, stderr, code := s.run(token(2000), "add", "github.com/after"); code != 0 {
		t.Fatalf("add after the kills: %s", stderr)
	}
	if tmp, _ := filepath.Glob(filepath.Join(filepath.Dir(s.vaultPath()), ".vault.age.*.tmp")); len(tmp) != 0 {
		t.Errorf("temporary files left behind: %v", tmp)
	}
}

func TestConcurrentStoreAndEraseMatchSerialOutcome(t *testing.T) {
	s := newSandbox(t)
	const n = 32
	// Odd targets exist first and get erased; even ones are stored.
	var seed []string
	for i := 1; i < n; i += 2 {
		seed = append(seed, fmt.Sprintf("https://user%d:%s@host%d.example", i, token(i), i))
	}
	plain := filepath.Join(s.home, "seed-credentials")
	os.WriteFile(plain, []byte(strings.Join(seed, "\n")+"\n"), 0o600)
	if _, stderr, code := s.run("", "import", plain); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	var wg sync.WaitGroup
	failures := make(chan string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			action := "store"
			if i%2 == 1 {
				action = "erase"
			}
			input := fmt.Sprintf("protocol=https\nhost=host%d.example\nusername=user%d\npassword=%s\n", i, i, token(i))
			if _, stderr, code := s.run(input, action); code != 0 || stderr != "" {
				failures <- fmt.Sprintf("%s %d: exit %d: %s", action, i, code, stderr)
			}
		}()
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	var want []string
	for i := 0; i < n; i += 2 {
		want = append(want, fmt.Sprintf("user%d@host%d.example=%s", i, i, token(i)))
	}
	slices.Sort(want)
	if got := s.targets(); !slices.Equal(got, want) {
		t.Errorf("vault holds\n%v\nwant the serial outcome\n%v", got, want)
	}
}

func TestFullDiskLeavesVaultUnchanged(t *testing.T) {
	if _, err := exec.LookPath("prlimit"); err != nil {
		t.Skip("prlimit (util-linux) is needed to limit the file size")
	}
	s := newSandbox(t)
	var lines []string
	for i := range 40 {
		lines = append(lines, fmt.Sprintf("https://user%d:%s@host%d.example", i, token(i), i))
	}
	plain := filepath.Join(s.home, "seed-credentials")
	os.WriteFile(plain, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	if _, stderr, code := s.run("", "import", plain); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	before := s.vaultBytes()
	// The writer may not create a file as large as the vault it replaces:
	// the disk is full for it.
	cmd := s.command(token(99), "add", "github.com/full")
	cmd.Args = append([]string{"prlimit", fmt.Sprintf("--fsize=%d", len(before)/2), "--"}, cmd.Args...)
	cmd.Path, _ = exec.LookPath("prlimit")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil {
		t.Fatal("add succeeded although it could not write the vault")
	}
	if !strings.Contains(stderr.String(), "could not save the vault") || !strings.Contains(stderr.String(), "unchanged") {
		t.Errorf("stderr = %q, want a clear message that the vault is unchanged", stderr.String())
	}
	if strings.Contains(stderr.String(), token(99)) {
		t.Error("the error message holds the token")
	}
	if !bytes.Equal(before, s.vaultBytes()) {
		t.Error("a failed write changed the vault")
	}
	if tmp, _ := filepath.Glob(filepath.Join(filepath.Dir(s.vaultPath()), ".vault.age.*.tmp")); len(tmp) != 0 {
		t.Errorf("temporary files left behind: %v", tmp)
	}
}

func TestHostileInputOnEveryAction(t *testing.T) {
	s := newSandbox(t)
	secret := token(7)
	if _, stderr, code := s.run(secret, "add", "github.com"); code != 0 {
		t.Fatalf("add: %s", stderr)
	}
	base := "protocol=https\nhost=github.com\n"
	inputs := map[string]string{
		"NUL in host":              "protocol=https\nhost=github.com\x00evil\n",
		"NUL in password":          base + "username=u\npassword=x\x00y\n",
		"CR inside username":       base + "username=u\rpassword=stolen\npassword=p\n",
		"CR inside path":           base + "path=acme\rhost=evil\n",
		"CR inside protocol":       "protocol=https\rhost=evil\nhost=github.com\n",
		"invalid UTF-8":            base + "username=\xff\xfe\npassword=p\n",
		"1 MB line":                base + "password=" + strings.Repeat("A", 1<<20) + "\n",
		"100,000 attributes":       base + strings.Repeat("state[]=x\n", 100000),
		"url with encoded newline": "url=https://u%0Apassword=p@github.com/\n",
		"no equals sign":           base + "password\n",
	}
	for name, input := range inputs {
		for _, action := range []string{"get", "store", "erase"} {
			t.Run(action+"/"+name, func(t *testing.T) {
				before := s.vaultBytes()
				stdout, stderr, code := s.run(input, action)
				if stdout != "" {
					t.Errorf("stdout = %q, want nothing", stdout)
				}
				if code != 1 || strings.Count(stderr, "\n") != 1 {
					t.Errorf("exit %d, stderr %q; want exit 1 and one line", code, stderr)
				}
				if strings.Contains(stdout+stderr, secret) {
					t.Error("the token was printed")
				}
				if !bytes.Equal(before, s.vaultBytes()) {
					t.Error("the vault changed")
				}
			})
		}
	}
}

func TestDebugTraceMasksSecrets(t *testing.T) {
	s := newSandbox(t)
	secret := token(8)
	if _, stderr, code := s.run(secret, "add", "github.com"); code != 0 {
		t.Fatalf("add: %s", stderr)
	}
	cmd := s.command("protocol=https\nhost=github.com\n", "get")
	cmd.Env = append(cmd.Env, "GIT_CREDENTIAL_PAT_DEBUG=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "password="+secret) {
		t.Fatalf("get did not answer: %q", stdout.String())
	}
	if !strings.Contains(stderr.String(), "password="+credential.Masked(secret)) {
		t.Errorf("trace = %q, want the masked password", stderr.String())
	}
	if strings.Contains(stderr.String(), secret) {
		t.Errorf("the trace holds the token: %q", stderr.String())
	}
	list, _, _ := s.run("", "list")
	listJSON, _, _ := s.run("", "list", "--json")
	if strings.Contains(list+listJSON, secret) || !strings.Contains(list, credential.Masked(secret)) {
		t.Errorf("list shows the token or not its mask:\n%s\n%s", list, listJSON)
	}
}

// TestNoCoreDumps checks that a helper waiting on git's input, when it is
// about to hold a token, has core dumps off: a crash leaves no token behind.
func TestNoCoreDumps(t *testing.T) {
	limits := "/proc/self/limits"
	if _, err := os.Stat(limits); err != nil {
		t.Skip("no /proc here to read a process's limits from")
	}
	s := newSandbox(t)
	cmd := s.command("", "get")
	cmd.Stdin = nil
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	// The helper is up once it blocks reading its request.
	var got []byte
	for range 200 {
		time.Sleep(10 * time.Millisecond)
		got, _ = os.ReadFile(fmt.Sprintf("/proc/%d/limits", cmd.Process.Pid))
		if bytes.Contains(got, []byte("Max core file size        0                    0")) {
			return
		}
	}
	t.Fatalf("the helper's core file size limit is not 0:\n%s", got)
}

// TestTokensNeverInArgv runs the commands that start other processes (git
// for its configuration, the cache daemon) with a git that records its
// arguments, and checks that no token is among them or in the daemon's.
func TestTokensNeverInArgv(t *testing.T) {
	realGit, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	s := newSandbox(t)
	shims := t.TempDir()
	argvLog := filepath.Join(t.TempDir(), "argv.log")
	shim := fmt.Sprintf("#!/bin/sh\nprintf '%%s\\n' \"$*\" >> %s\nexec %s \"$@\"\n", argvLog, realGit)
	if err := os.WriteFile(filepath.Join(shims, "git"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	secret := token(42)
	withShim := func(cmd *exec.Cmd) *exec.Cmd {
		cmd.Env = append(cmd.Env, "PATH="+shims+string(os.PathListSeparator)+os.Getenv("PATH"))
		return cmd
	}
	runShimmed := func(stdin string, args ...string) {
		t.Helper()
		// With the cache on, so that the daemon is started too.
		cmd := withShim(s.command(stdin, args...))
		cmd.Args = append([]string{cmd.Args[0], "--cache-timeout=1m"}, cmd.Args[2:]...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %v: %s", args, err, stderr.String())
		}
	}
	runShimmed(secret, "add", "github.com/acme")
	runShimmed("protocol=https\nhost=github.com\npath=acme/x.git\n", "get")
	runShimmed("protocol=https\nhost=github.com\npath=acme/x.git\nusername=x-access-token\npassword="+secret+"\n", "store")
	doctor := withShim(s.command("", "doctor"))
	doctor.Run() // its verdict does not matter here, only what it ran

	logged, err := os.ReadFile(argvLog)
	if err != nil || !bytes.Contains(logged, []byte("config")) {
		t.Fatalf("the git shim recorded nothing (%v): the test proved nothing", err)
	}
	if bytes.Contains(logged, []byte(secret)) {
		t.Errorf("a token was passed to git on its command line:\n%s", logged)
	}
	status, _, _ := s.run("", "--cache-timeout=1m", "cache", "status")
	var pid int
	fmt.Sscanf(status[strings.Index(status, "pid ")+4:], "%d", &pid)
	if pid == 0 {
		t.Fatalf("no cache daemon was started: %s", status)
	}
	defer s.run("", "cache", "exit")
	cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if len(cmdline) == 0 || bytes.Contains(cmdline, []byte(secret)) {
		t.Errorf("the daemon's command line is %q", cmdline)
	}
	// The passphrase reaches the daemon over its socket, for the interval,
	// never in its environment for its whole life.
	environ, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	if err != nil || !bytes.Contains(environ, []byte("HOME=")) {
		t.Fatalf("cannot read the daemon's environment (%v): the test proved nothing", err)
	}
	if bytes.Contains(environ, []byte(hardeningPassphrase)) {
		t.Error("the daemon's environment holds the vault passphrase")
	}
}
