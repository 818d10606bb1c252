package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// manPagePath is git-credential-pat(1), which make install puts where man
// and git help find it.
const manPagePath = "../../doc/git-credential-pat.1"

// TestManPage keeps the man page in step with --help: it is made from the
// help texts themselves, the program's and each command's. After changing
// a help text, write the page anew with
//
//	GIT_CREDENTIAL_PAT_WRITE_MAN=1 go test ./cmd/git-credential-pat-full -run TestManPage
func TestManPage(t *testing.T) {
	want := manPage(t)
	if os.Getenv("GIT_CREDENTIAL_PAT_WRITE_MAN") == "1" {
		if err := os.WriteFile(manPagePath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(manPagePath)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s differs from --help; write it anew with: GIT_CREDENTIAL_PAT_WRITE_MAN=1 go test ./cmd/git-credential-pat-full -run TestManPage", manPagePath)
	}
	for _, name := range helpCommands {
		if !strings.Contains(mainUsage, "  "+name+" ") {
			t.Errorf("--help does not list the command %s", name)
		}
	}
}

// manPage is the man page made from the help texts.
func manPage(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`.\" Made from git-credential-pat --help and each command's --help by
.\" TestManPage (cmd/git-credential-pat-full/manpage_test.go); do not edit.
.TH GIT-CREDENTIAL-PAT 1 "" "git-credential-pat" "git-credential-pat manual"
.SH NAME
git-credential-pat \- a git credential helper for personal access tokens
`)
	synopsisLine, body, _ := strings.Cut(mainUsage, "\n\n")
	b.WriteString(".SH SYNOPSIS\n")
	b.WriteString(roff(strings.TrimPrefix(synopsisLine, "Usage: ")))
	b.WriteString(".SH DESCRIPTION\n")
	b.WriteString(roff(body))
	b.WriteString(".SH COMMANDS\n")
	for _, name := range helpCommands {
		var stdout, stderr bytes.Buffer
		if code := run([]string{name, "--help"}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
			t.Fatalf("%s --help: exit %d: %s", name, code, stderr.String())
		}
		b.WriteString(".SS " + name + "\n")
		b.WriteString(roff(strings.TrimPrefix(stdout.String(), "Usage: ")))
	}
	b.WriteString(`.SH FILES
.nf
$XDG_DATA_HOME/git\-credential\-pat/ (default ~/.local/share/git\-credential\-pat/)
    vault.age, the vault, and vault.key.age, its key
.fi
.SH SEE ALSO
.BR git\-credential (1),
.BR gitcredentials (7),
and the README of git\-credential\-pat.
`)
	return b.String()
}

// roff sets text as it is printed, line for line, escaped for roff.
func roff(text string) string {
	var b strings.Builder
	b.WriteString(".nf\n")
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		line = strings.ReplaceAll(line, `\`, `\e`)
		line = strings.ReplaceAll(line, "-", `\-`)
		if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "'") {
			line = `\&` + line
		}
		b.WriteString(line + "\n")
	}
	b.WriteString(".fi\n")
	return b.String()
}

// TestInstallManPage: make install puts the man page under PREFIX's
// share/man, where man finds it for a bin folder on PATH.
func TestInstallManPage(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	cmd := exec.Command("make", "-n", "install", "PREFIX=/opt/pat")
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n install: %v\n%s", err, out)
	}
	want := "install -m 0644 doc/git-credential-pat.1 '/opt/pat/share/man/man1/git-credential-pat.1'"
	if !strings.Contains(string(out), want) {
		t.Errorf("make install does not run %q; it runs:\n%s", want, out)
	}
}
