package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store/vault"
)

// Every command that prints a stored string prints it escaped: entries
// written by an older version (which stored a host's login unchecked, or
// imported a host with a C1 control) hold ESC, BEL and CSI in every field
// a command shows. Each command's output, stdout and stderr, is checked
// for a raw control character, and for the escaped text where the
// command names the entry.
func TestEveryCommandPrintsStoredStringsEscaped(t *testing.T) {
	s := newSandbox(t)
	v := vault.New(s.vaultPath(), vault.Options{
		Passphrase:       func(bool) ([]byte, error) { return []byte(hardeningPassphrase), nil },
		ScryptWorkFactor: 10,
	})
	const evil = "\x1b]0;evil\x07\x1b[2J"
	const shown = `\x1b]0;evil\a\x1b[2J`
	now := time.Now().UTC()
	token := "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"
	hostile := func(e credential.Entry) credential.Entry {
		e.Token, e.Kind, e.Login, e.Note = token, credential.Kind("classic"+evil), "mona"+evil, "note\u009b31m"
		e.Scopes = []string{"repo" + evil}
		e.Added = now
		return e
	}
	if err := v.Add(
		// Expired: get says so on every fetch, check and doctor too.
		hostile(credential.Entry{Target: credential.Target{Host: "github.com", Path: "acme", Username: "ali" + evil, HasUsername: true},
			Expires: credential.ExpiryAt(now.AddDate(0, 0, -3))}),
		// Refused by the host: get withholds it and says so.
		hostile(credential.Entry{Target: credential.Target{Host: "github.com", Path: "globex", Username: "bob" + evil, HasUsername: true},
			Refused: now.AddDate(0, 0, -1)}),
		// A host no check let in today, expiring soon.
		hostile(credential.Entry{Target: credential.Target{Host: "example.com" + evil, Username: "carol\u009bx", HasUsername: true},
			Expires: credential.ExpiryAt(now.AddDate(0, 0, 2))}),
		// Per owner, with no useHttpPath: the path hint names the host.
		hostile(credential.Entry{Target: credential.Target{Host: "git.example.org", Path: "team" + evil}}),
	); err != nil {
		t.Fatal(err)
	}
	plaintext := filepath.Join(s.home, "git-credentials")
	if err := os.WriteFile(plaintext, []byte("https://u:secret1@0%80\nhttps://u:secret2@git%C2%9Bhub.com/acme\nhttps://dave:ghp_abc@github.com/initech\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	type run struct {
		name  string
		stdin string
		args  []string
		want  []string // parts of the output, escaped
	}
	runs := []run{
		{"get of an expired token", "protocol=https\nhost=github.com\npath=acme/repo\n\n", []string{"get"}, []string{"ali" + shown + "@github.com/acme"}},
		{"get of a refused token", "protocol=https\nhost=github.com\npath=globex/repo\n\n", []string{"get"}, []string{"bob" + shown + "@github.com/globex"}},
		{"get of a token expiring soon", "protocol=https\nhost=example.com" + evil + "\n\n", []string{"get"}, nil},
		{"get without a path", "protocol=https\nhost=git.example.org\n\n", []string{"get"}, nil},
		{"list", "", []string{"list"}, []string{"example.com" + shown, "classic" + shown, `note\u009b31m`}},
		{"check", "", []string{"check"}, []string{`carol\u009bx@example.com` + shown, "ali" + shown}},
		{"doctor", "", []string{"doctor"}, []string{"ali" + shown + "@github.com/acme", "bob" + shown + "@github.com/globex"}},
		{"edit", "", []string{"edit", "github.com/acme", "--note", "n"}, []string{"classic" + shown, "ali" + shown}},
		{"import", "", []string{"import", plaintext}, []string{":1: not imported", ":2: not imported"}},
		{"remove", "", []string{"remove", "github.com/globex"}, []string{"classic" + shown, "bob" + shown}},
	}
	if passReady(t, s) {
		runs = append(runs, run{"migrate --to pass", "", []string{"migrate", "--to", "pass"}, nil})
	}
	for _, r := range runs {
		cmd := s.command(r.stdin, r.args...)
		cmd.Env = append(cmd.Env, "GIT_CREDENTIAL_PAT_DEBUG=1")
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			if _, ok := err.(*exec.ExitError); !ok {
				t.Fatalf("%s: %v", r.name, err)
			}
		}
		out := stderr.String()
		if r.args[0] != "get" {
			out += stdout.String() // get's stdout is git's answer, as stored
		}
		if strings.ContainsAny(out, "\x1b\x07\u009b") || strings.Contains(out, "\x80") {
			t.Errorf("%s printed a control character raw:\n%q", r.name, out)
		}
		if strings.Contains(out, "secret1") || strings.Contains(out, "secret2") {
			t.Errorf("%s printed a password from the plaintext file:\n%q", r.name, out)
		}
		for _, w := range r.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s does not show %s:\n%q", r.name, w, out)
			}
		}
		if testing.Verbose() {
			t.Logf("%s:\n%s", r.name, out)
		}
	}
}

// passReady sets up a throwaway GPG key and password store in the
// sandbox's home for migrate --to pass; false where pass is not installed.
func passReady(t *testing.T, s *sandbox) bool {
	for _, p := range []string{"pass", "gpg", "gpgconf"} {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI must run the pass tests, but %s is not installed", p)
			}
			t.Logf("%s is not installed: migrate --to pass is not run", p)
			return false
		}
	}
	gnupg := filepath.Join(s.home, "gnupg")
	if err := os.Mkdir(gnupg, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GNUPGHOME", gnupg)
	t.Setenv("PASSWORD_STORE_DIR", filepath.Join(s.home, "store"))
	t.Cleanup(func() { exec.Command("gpgconf", "--homedir", gnupg, "--kill", "all").Run() })
	for _, args := range [][]string{
		{"gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Test <t@example.com>", "default", "default", "never"},
		{"pass", "init", "t@example.com"},
	} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = s.home
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatal(fmt.Errorf("%v: %w\n%s", args, err, out))
		}
	}
	return true
}
