package pass

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store"
)

// newTestStore makes a throwaway GPG key without a passphrase in a
// GNUPGHOME of the test's own, pass inits a store for it, and returns the
// backend on its git-credential-pat folder, with pass run through a script
// that logs every argument list. Without pass and gpg the test skips; in
// CI (CI=true) that is a failure.
func newTestStore(t testing.TB) (s *Store, argvLog string) {
	t.Helper()
	for _, p := range []string{"pass", "gpg", "git"} {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI must run the pass tests, but %s is not installed: add it to .ci/run", p)
			}
			t.Skipf("%s is not installed", p)
		}
	}
	dir := t.TempDir()
	gnupg := filepath.Join(dir, "g")
	if err := os.Mkdir(gnupg, 0o700); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "GNUPGHOME="+gnupg, "PASSWORD_STORE_DIR="+filepath.Join(dir, "store"),
		"GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	sh := func(name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	t.Cleanup(func() { exec.Command("gpgconf", "--homedir", gnupg, "--kill", "all").Run() })
	sh("gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Test <t@example.com>", "default", "default", "never")
	sh("pass", "init", "t@example.com")
	sh("pass", "git", "init")
	argvLog = filepath.Join(dir, "argv.log")
	wrapper := filepath.Join(dir, "pass-logged")
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >>" + argvLog + "\nexec pass \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return New(filepath.Join(dir, "store"), "git-credential-pat", Options{Program: wrapper, Env: env, LockPath: filepath.Join(dir, "lock")}), argvLog
}

// TestRealPass adds, reads, lists and deletes through the real pass and
// gpg: every field survives, the token never reaches an argument list,
// and each write is a commit of the store's repository.
func TestRealPass(t *testing.T) {
	s, argvLog := newTestStore(t)
	at := time.Date(2031, 2, 3, 4, 5, 6, 7, time.UTC)
	full := credential.Entry{
		Target: credential.Target{Host: "github.com", Path: "Acme", Username: "alice", HasUsername: true},
		Token:  "github_pat_11SECRET", Kind: "fine-grained", Expires: credential.ExpiryAt(at), OAuthRefreshToken: "ghr_REFRESH",
		Note: "work laptop", AllowHTTP: true, Added: at, LastUsed: at, Login: "alice", Scopes: []string{"repo", "gist"},
		Verified: at, APIURL: "https://api.github.com",
	}
	other := credential.Entry{Target: credential.Target{Host: "gitlab.com"}, Token: "glpat-OTHER", Added: at}
	if _, err := s.Get(full.Target); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get from an empty folder = %v, want ErrNotFound", err)
	}
	if err := s.Add(full, other); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(credential.Target{Host: "github.com", Path: "acme", Username: "alice", HasUsername: true})
	if err != nil || !reflect.DeepEqual(got, full) {
		t.Fatalf("Get = %+v, %v;\nwant %+v", got, err, full)
	}
	if _, err := s.Get(credential.Target{Host: "github.com", Path: "acme"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get without the user name = %v, want ErrNotFound", err)
	}
	all, err := s.List()
	if err != nil || len(all) != 2 || !reflect.DeepEqual(all[0], full) || all[1].Token != other.Token {
		t.Fatalf("List = %+v, %v", all, err)
	}
	host, err := s.ListHost("gitlab.com")
	if err != nil || len(host) != 1 || host[0].Token != other.Token {
		t.Fatalf("ListHost(gitlab.com) = %+v, %v", host, err)
	}
	// pass show reads well: the token first, then what is known.
	out, err := s.run(nil, "show", "git-credential-pat/alice@github.com/acme")
	if err != nil || !strings.HasPrefix(string(out), "github_pat_11SECRET\nusername: alice\nhost: github.com\npath: Acme\n") {
		t.Fatalf("pass show = %q, %v", out, err)
	}
	// Replacing keeps one entry.
	full.Token = "github_pat_11ROTATED"
	if err := s.Add(full); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(full.Target); err != nil || got.Token != "github_pat_11ROTATED" {
		t.Fatalf("Get after replacing = %+v, %v", got, err)
	}
	if err := s.Delete(full.Target, credential.Target{Host: "never.example"}); err != nil {
		t.Fatal(err)
	}
	if all, err := s.List(); err != nil || len(all) != 1 {
		t.Fatalf("List after Delete = %+v, %v", all, err)
	}
	argv, err := os.ReadFile(argvLog)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"SECRET", "REFRESH", "ROTATED", "OTHER"} {
		if strings.Contains(string(argv), secret) {
			t.Errorf("a secret reached pass's arguments:\n%s", argv)
		}
	}
	cmd := exec.Command("git", "-C", s.Dir(), "log", "--format=%s")
	logOut, err := cmd.Output()
	if err != nil || !strings.Contains(string(logOut), "Remove git-credential-pat/alice@github.com/acme from store.") {
		t.Errorf("git log of the store = %q, %v; want a commit per write", logOut, err)
	}
	if err := s.Probe(); err != nil {
		t.Errorf("Probe with a usable key = %v", err)
	}
}

// TestRealPassKeyGone empties GNUPGHOME: writes and reads fail with an
// error that says what to do, and nothing is written.
func TestRealPassKeyGone(t *testing.T) {
	s, _ := newTestStore(t)
	e := credential.Entry{Target: credential.Target{Host: "github.com"}, Token: "ghp_x"}
	if err := s.Add(e); err != nil {
		t.Fatal(err)
	}
	var gnupg string
	for _, kv := range s.opts.Env {
		if v, ok := strings.CutPrefix(kv, "GNUPGHOME="); ok {
			gnupg = v
		}
	}
	exec.Command("gpgconf", "--homedir", gnupg, "--kill", "all").Run()
	entries, _ := os.ReadDir(gnupg)
	for _, d := range entries {
		os.RemoveAll(filepath.Join(gnupg, d.Name()))
	}
	if _, err := s.Get(e.Target); !errors.Is(err, ErrKeyUnavailable) || !strings.Contains(err.Error(), "gpg --import") {
		t.Errorf("Get = %v, want ErrKeyUnavailable saying what to run", err)
	}
	other := credential.Entry{Target: credential.Target{Host: "gitlab.com"}, Token: "glpat-x"}
	if err := s.Add(other); !errors.Is(err, ErrKeyUnavailable) || !strings.Contains(err.Error(), "pass init") {
		t.Errorf("Add = %v, want ErrKeyUnavailable saying what to run", err)
	}
	if _, err := os.Lstat(s.file(nameOf(other.Target))); err == nil {
		t.Error("Add wrote an entry it could not encrypt")
	}
	if err := s.Probe(); !errors.Is(err, ErrKeyUnavailable) {
		t.Errorf("Probe = %v, want ErrKeyUnavailable", err)
	}
}

// TestTimeout runs a pass that never answers: the call gives up in time,
// says what to run, and leaves no process behind holding its pipes.
func TestTimeout(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("no sleep")
	}
	dir := t.TempDir()
	hang := filepath.Join(dir, "pass")
	if err := os.WriteFile(hang, []byte("#!/bin/sh\nsleep 60 &\nwait\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	s := New(dir, "git-credential-pat", Options{Program: hang, Timeout: 300 * time.Millisecond})
	if err := os.MkdirAll(filepath.Join(dir, "git-credential-pat"), 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "git-credential-pat", "h.gpg"), nil, 0o600)
	start := time.Now()
	_, err := s.Get(credential.Target{Host: "h"})
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "pass show git-credential-pat/h") {
		t.Fatalf("Get = %v, want ErrTimeout naming what to run", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Get took %s", d)
	}
}

// BenchmarkList50 measures List of 50 entries: one pass show, and so one
// gpg decryption, each.
func BenchmarkList50(b *testing.B) {
	s, _ := newTestStore(b)
	var entries []credential.Entry
	for i := range 50 {
		entries = append(entries, credential.Entry{Target: credential.Target{Host: "github.com", Path: fmt.Sprint("owner", i)}, Token: "ghp_x"})
	}
	if err := s.Add(entries...); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		got, err := s.List()
		if err != nil || len(got) != 50 {
			b.Fatal(len(got), err)
		}
	}
	_ = slices.Clone(entries)
}

// A file put in the store by hand under a path in another case is the
// entry's: Get finds it, a failed write leaves it, the first write merges
// it into the entry's own file, and Delete removes every such file.
func TestRealPassMergesFilesUnderAnotherCase(t *testing.T) {
	s, _ := newTestStore(t)
	handWritten := func(name, token string) {
		t.Helper()
		if _, err := s.run([]byte(token+"\n"), "insert", "--multiline", "--force", s.passName(name)); err != nil {
			t.Fatal(err)
		}
	}
	files := func() []string {
		t.Helper()
		names, err := s.names(func(string) bool { return true })
		if err != nil {
			t.Fatal(err)
		}
		return names
	}
	handWritten("github.com/ACME", "ghp_OLD")
	target := credential.Target{Host: "github.com", Path: "acme"}
	if got, err := s.Get(target); err != nil || got.Token != "ghp_OLD" {
		t.Fatalf("Get of a file under another case = %+v, %v", got, err)
	}

	// A write that fails leaves the old file.
	failing := filepath.Join(t.TempDir(), "pass-failing-insert")
	script := "#!/bin/sh\n[ \"$1\" = insert ] && exit 1\nexec pass \"$@\"\n"
	if err := os.WriteFile(failing, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	broken := New(s.Dir(), "git-credential-pat", Options{Program: failing, Env: s.opts.Env})
	entry := credential.Entry{Target: credential.Target{Host: "github.com", Path: "Acme"}, Token: "ghp_NEW"}
	if err := broken.Add(entry); err == nil {
		t.Fatal("Add succeeded though pass insert failed")
	}
	if got := files(); !slices.Equal(got, []string{"github.com/ACME"}) {
		t.Fatalf("after a failed write the store holds %q", got)
	}

	if err := s.Add(entry); err != nil {
		t.Fatal(err)
	}
	if got := files(); !slices.Equal(got, []string{"github.com/acme"}) {
		t.Fatalf("after the first write the store holds %q, want only the entry's own file", got)
	}
	if got, err := s.Get(target); err != nil || got.Token != "ghp_NEW" {
		t.Fatalf("Get after the first write = %+v, %v", got, err)
	}

	handWritten("github.com/AcMe", "ghp_STRAY")
	if err := s.Delete(target); err != nil {
		t.Fatal(err)
	}
	if got := files(); len(got) != 0 {
		t.Fatalf("after Delete the store holds %q", got)
	}
}
