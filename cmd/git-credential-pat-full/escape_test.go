package main

import (
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/store/vault"
)

// Entries written by older versions, or edited by hand, can hold control
// characters: an ESC or BEL printed raw drives the terminal (sets its
// title, moves the cursor, clears the screen). list, check and the debug
// trace print them escaped.
func TestStoredStringsPrintEscaped(t *testing.T) {
	s := newSandbox(t)
	v := vault.New(s.vaultPath(), vault.Options{
		Passphrase:       func(bool) ([]byte, error) { return []byte(hardeningPassphrase), nil },
		ScryptWorkFactor: 10,
	})
	const evil = "\x1b]0;evil\x07"
	soon := credential.EndOfDay(time.Now().AddDate(0, 0, 2))
	token := "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"
	entries := []credential.Entry{{
		// Matches a request for github.com: the debug trace prints it.
		// No expiry, so no warning prints it too.
		Target: credential.Target{Host: "github.com", Username: "ali" + evil + "ce", HasUsername: true},
		Token:  token, Kind: github.KindOf(token), Note: "note" + evil,
	}, {
		// Expires soon: check prints it. \u009b is a C1 control, CSI.
		Target: credential.Target{Host: "example.com" + evil, Path: "acme\x1b[2J", Username: "bob\u009bx", HasUsername: true},
		Token:  token, Kind: github.KindOf(token), Note: "\u009b31m", Expires: soon,
	}}
	if err := v.Add(entries...); err != nil {
		t.Fatal(err)
	}
	runs := map[string][]string{
		"list":  {"list"},
		"check": {"check"},
	}
	outputs := map[string]string{}
	for name, args := range runs {
		stdout, stderr, _ := s.run("", args...)
		outputs[name] = stdout + stderr
	}
	// The debug trace goes to stderr; stdout, git's answer, carries the
	// user name as stored, which is git's to use.
	cmd := s.command("protocol=https\nhost=github.com\n\n", "get")
	cmd.Env = append(cmd.Env, "GIT_CREDENTIAL_PAT_DEBUG=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("get: %v\n%s", err, stderr.String())
	}
	outputs["get with GIT_CREDENTIAL_PAT_DEBUG=1"] = stderr.String()

	for name, out := range outputs {
		if strings.ContainsAny(out, "\x1b\x07\u009b") {
			t.Errorf("%s printed a control character raw:\n%q", name, out)
		}
	}
	for name, want := range map[string]string{
		"list":                                `ali\x1b]0;evil\ace`,
		"get with GIT_CREDENTIAL_PAT_DEBUG=1": `username=ali\x1b]0;evil\ace`,
		"check":                               `bob\u009bx@example.com\x1b]0;evil\a/acme\x1b[2J`,
	} {
		if !strings.Contains(outputs[name], want) {
			t.Errorf("%s does not show %s:\n%q", name, want, outputs[name])
		}
	}
	for _, want := range []string{`note\x1b]0;evil\a`, `example.com\x1b]0;evil\a/acme\x1b[2J`, `bob\u009bx`, `\u009b31m`} {
		if !strings.Contains(outputs["list"], want) {
			t.Errorf("list does not show %s:\n%q", want, outputs["list"])
		}
	}
}
