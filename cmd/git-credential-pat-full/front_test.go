//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/internal/front"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// frontLab is a home with a vault, a warm cache, and a copy of the front
// alone in a folder: what that copy answers, the front answered by itself,
// since it has no full program to hand over to.
type frontLab struct {
	t     *testing.T
	env   []string
	alone string // the front, without git-credential-pat-full beside it
}

func newFrontLab(t *testing.T) *frontLab {
	pair, err := exec.LookPath("git-credential-pat")
	if err != nil {
		t.Skip("the test binary is not on PATH as git-credential-pat")
	}
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	os.MkdirAll(home, 0o700)
	l := &frontLab{t: t, alone: filepath.Join(dir, "alone", "git-credential-pat")}
	os.MkdirAll(filepath.Dir(l.alone), 0o700)
	data, err := os.ReadFile(pair)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(l.alone, data, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_CREDENTIAL_PAT_") && !strings.HasPrefix(kv, "XDG_") && !strings.HasPrefix(kv, "HOME=") {
			l.env = append(l.env, kv)
		}
	}
	l.env = append(l.env, "HOME="+home, "XDG_RUNTIME_DIR=")
	t.Cleanup(func() {
		if dir, err := cache.DirFor(l.getenv); err == nil {
			(&cache.Client{Dir: dir}).Exit()
		}
	})
	return l
}

func (l *frontLab) getenv(key string) string {
	for _, kv := range l.env {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			return v
		}
	}
	return ""
}

// run runs program with args and stdin; extra adds to the environment.
func (l *frontLab) run(program, stdin string, extra []string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command(program, args...)
	cmd.Env = append(append([]string{}, l.env...), extra...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// pair runs the installed pair, front and full program, with the passphrase.
func (l *frontLab) pair(stdin string, args ...string) string {
	l.t.Helper()
	out, errOut, err := l.run("git-credential-pat", stdin, []string{"GIT_CREDENTIAL_PAT_PASSPHRASE=pw"}, args...)
	if err != nil {
		l.t.Fatalf("git-credential-pat %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

const (
	frontToken = "github_pat_11AAAAAAA0frontfront_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234"
	soonToken  = "github_pat_11AAAAAAA0soonsoon00_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234"
	freshToken = "github_pat_11AAAAAAA0freshfresh_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234"
)

// The front answers a cached get, and the store git sends after it, by
// itself; every case where the full program's answer could differ goes to
// the full program.
func TestFrontAnswersOnlyWhatItMust(t *testing.T) {
	l := newFrontLab(t)
	soon := time.Now().UTC().AddDate(0, 0, 3).Format(time.DateOnly)
	l.pair(frontToken, "add", "--no-format-check", "github.com/acme")
	l.pair(soonToken, "add", "--no-format-check", "--expires", soon, "github.com/soon")
	l.pair(freshToken, "add", "--no-format-check", "github.com/fresh")
	get := func(owner string) string {
		return "protocol=https\nhost=github.com\npath=" + owner + "/repo.git\n\n"
	}
	// A get through the pair unlocks the vault and fills the cache; a
	// store marks the token used today.
	if out := l.pair(get("acme"), "get"); !strings.Contains(out, "password="+frontToken) {
		t.Fatalf("the first get answered %q", out)
	}
	l.pair("protocol=https\nhost=github.com\npath=acme/repo.git\nusername=x-access-token\npassword="+frontToken+"\n", "store")
	l.pair(get("acme"), "get")

	answered := func(stdin string, extra []string, args ...string) bool {
		t.Helper()
		out, errOut, err := l.run(l.alone, stdin, extra, args...)
		if err == nil {
			if errOut != "" {
				t.Fatalf("%s: the front wrote to stderr: %q", args, errOut)
			}
			if args[len(args)-1] == "get" && !strings.Contains(out, "password=") && !strings.Contains(stdin, "protocol=ssh") {
				t.Fatalf("%s: the front answered %q", args, out)
			}
			return true
		}
		if !strings.Contains(errOut, front.FullProgram+" is missing") {
			t.Fatalf("%s: %v\n%s", args, err, errOut)
		}
		return false
	}
	storeAcme := "protocol=https\nhost=github.com\npath=acme/repo.git\nusername=x-access-token\npassword=" + frontToken + "\n"
	tests := []struct {
		name  string
		stdin string
		extra []string
		args  []string
		front bool
	}{
		{"a cached get", get("acme"), nil, []string{"get"}, true},
		{"options as git passes them", get("acme"), nil, []string{"--cache-timeout=1h", "--warn-within", "14d", "get"}, true},
		{"the store git sends after it", storeAcme, nil, []string{"store"}, true},
		{"a token expiring within --warn-within", get("soon"), nil, []string{"get"}, false},
		{"the same, outside --warn-within", get("soon"), nil, []string{"--warn-within=1d", "get"}, true},
		{"no token for the request", get("other"), nil, []string{"get"}, false},
		{"the first store of a held token today (the vault records the day)", strings.NewReplacer(frontToken, freshToken, "acme", "fresh").Replace(storeAcme), nil, []string{"store"}, false},
		{"a store of another token", strings.Replace(storeAcme, frontToken, soonToken, 1), nil, []string{"store"}, false},
		{"an erase", storeAcme, nil, []string{"erase"}, false},
		{"the cache turned off", get("acme"), nil, []string{"--cache-timeout=0", "get"}, false},
		{"the cache turned off for the environment", get("acme"), []string{"GIT_CREDENTIAL_PAT_CACHE_TIMEOUT=0"}, []string{"get"}, false},
		{"the keyring asked for", get("acme"), nil, []string{"--backend=keyring", "get"}, false},
		{"the vault asked for", get("acme"), nil, []string{"--backend=file", "get"}, true},
		{"a debug trace asked for", get("acme"), []string{"GIT_CREDENTIAL_PAT_DEBUG=1"}, []string{"get"}, false},
		{"an unknown option", get("acme"), nil, []string{"--frobnicate", "get"}, false},
		{"a malformed request", "protocol=https\nhost=github.com\x00\n\n", nil, []string{"get"}, false},
		{"plain http", "protocol=http\nhost=github.com\npath=acme/r\n\n", nil, []string{"get"}, false},
		{"the default user name", "protocol=https\nhost=github.com\npath=acme/r\nusername=x-access-token\n", nil, []string{"get"}, true},
		{"a user name no entry holds", "protocol=https\nhost=github.com\npath=acme/r\nusername=alice\n", nil, []string{"get"}, false},
		{"an owner in upper case", get("ACME"), nil, []string{"get"}, true},
		{"an unknown host", "protocol=https\nhost=gitlab.example\n", nil, []string{"get"}, false},
		{"ssh, which tokens never answer", "protocol=ssh\nhost=github.com\n", nil, []string{"get"}, true},
		{"a command", "", nil, []string{"list"}, false},
	}
	full, err := exec.LookPath(front.FullProgram)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		if got := answered(tt.stdin, tt.extra, tt.args...); got != tt.front {
			t.Errorf("%s: answered by the front = %v; want %v", tt.name, got, tt.front)
		}
		if !tt.front {
			continue
		}
		// What the front answered is what the full program answers, to
		// the byte.
		byFront, _, _ := l.run(l.alone, tt.stdin, tt.extra, tt.args...)
		byFull, errFull, err := l.run(full, tt.stdin, append([]string{"GIT_CREDENTIAL_PAT_PASSPHRASE=pw"}, tt.extra...), tt.args...)
		if err != nil || byFront != byFull || errFull != "" {
			t.Errorf("%s: the front answered %q, the full program %q (%v, stderr %q)", tt.name, byFront, byFull, err, errFull)
		}
	}

	// What changes the vault behind the cache's back, or puts the keyring
	// in use, sends lookups to the full program.
	vault := filepath.Join(l.getenv("HOME"), ".local", "share", "git-credential-pat", "vault.age")
	index := filepath.Join(filepath.Dir(vault), "keyring-index.json")
	if err := os.WriteFile(index, []byte("{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if answered(get("acme"), nil, "get") {
		t.Error("with a keyring index, the front answered")
	}
	os.Remove(index)
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(vault, later, later); err != nil {
		t.Fatal(err)
	}
	if answered(get("acme"), nil, "get") {
		t.Error("after the vault changed, the front answered from the cache")
	}
}
