package main

import (
	"bytes"
	"strings"
	"testing"
)

// helpCommands are the commands people run that have a --help of their own.
var helpCommands = []string{"new", "add", "edit", "list", "remove", "import", "check", "verify", "rotate", "cache", "migrate", "doctor", "token", "exec"}

// TestCommandHelp holds every command's help to its usage line: each option
// it lists is on that line, in the --name form people type, so the line is
// the whole usage.
func TestCommandHelp(t *testing.T) {
	for _, name := range helpCommands {
		var stdout, stderr bytes.Buffer
		if code := run([]string{name, "--help"}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
			t.Fatalf("%s --help: exit %d, stderr %q", name, code, stderr.String())
		}
		help := stdout.String()
		line := synopsis(help)
		if !strings.HasPrefix(line, "Usage: git-credential-pat "+name) {
			t.Errorf("%s --help starts %q", name, line)
		}
		_, opts, _ := strings.Cut(help, "\nOptions:\n")
		for _, l := range strings.Split(opts, "\n") {
			if !strings.HasPrefix(l, "  -") {
				continue
			}
			form := strings.TrimSpace(l)
			if !strings.HasPrefix(form, "--") {
				t.Errorf("%s --help lists %q: options are typed --name", name, form)
			}
			if !strings.Contains(line, form) {
				t.Errorf("%s --help lists %q, which its usage line %q lacks", name, form, line)
			}
		}
	}
}

// TestBadFlag: a mistyped option is one line naming the option and the
// help, never the whole help.
func TestBadFlag(t *testing.T) {
	for _, name := range helpCommands {
		var stdout, stderr bytes.Buffer
		code := run([]string{name, "--colour"}, strings.NewReader(""), &stdout, &stderr)
		want := "git-credential-pat: " + name + ": unknown option --colour; run git-credential-pat " + name + " --help\n"
		if code != exitUsage || stderr.String() != want || stdout.Len() != 0 {
			t.Errorf("%s --colour: exit %d, stdout %q, stderr %q; want exit 2 and only %q", name, code, stdout.String(), stderr.String(), want)
		}
	}
}

// synopsis is the usage line of a help text: its first line.
func synopsis(help string) string {
	line, _, _ := strings.Cut(help, "\n")
	return line
}
