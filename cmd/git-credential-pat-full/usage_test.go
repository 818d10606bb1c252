package main

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// helpCommands are the commands people run that have a --help of their own.
var helpCommands = []string{"new", "add", "edit", "list", "remove", "import", "check", "verify", "rotate", "cache", "migrate", "doctor", "token", "exec"}

// protocolActions are git's actions, which share one help.
var protocolActions = []string{"get", "store", "erase", "capability"}

// genericValues are the value names the flag package makes up from a
// flag's type; help names what the value is instead.
var genericValues = map[string]bool{"STRING": true, "VALUE": true, "INT": true, "UINT": true, "FLOAT": true, "INT64": true, "UINT64": true}

// optionMention is one --name or --name VALUE on a usage line.
var optionMention = regexp.MustCompile(`--([a-z][a-z-]*)(?: ([^-\[\]\s][^\]\s]*))?`)

// TestCommandHelp holds every command's help to one style: usage lines
// written as the command is typed, continued under it; each option named
// on them once, as --name VALUE, and listed under Options in that same
// form; every line within helpWidth; and no paragraph line broken well
// short of the width, as a stray line break is.
func TestCommandHelp(t *testing.T) {
	for _, name := range append(slices.Clone(helpCommands), protocolActions...) {
		var stdout, stderr bytes.Buffer
		if code := run([]string{name, "--help"}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
			t.Fatalf("%s --help: exit %d, stderr %q", name, code, stderr.String())
		}
		help := stdout.String()
		head, body, _ := strings.Cut(help, "\n\n")
		if !strings.HasPrefix(head, "Usage: git-credential-pat ") || !strings.Contains(synopsis(help), name) {
			t.Errorf("%s --help starts %q", name, synopsis(help))
		}
		for _, l := range strings.Split(head, "\n")[1:] {
			if !strings.HasPrefix(l, "       ") || strings.HasPrefix(l, "        ") {
				t.Errorf("%s --help: usage line %q is not continued under the first (7 spaces)", name, l)
			}
		}
		usage := strings.Join(strings.Fields(head), " ")
		forms, mentioned := map[string]int{}, map[string]int{}
		for _, m := range optionMention.FindAllStringSubmatch(usage, -1) {
			forms[m[0]]++
			mentioned["--"+m[1]]++
		}
		for _, l := range strings.Split(help, "\n") {
			if len(l) > helpWidth {
				t.Errorf("%s --help: line of %d columns, more than %d: %q", name, len(l), helpWidth, l)
			}
		}
		text, opts, _ := strings.Cut(body, "Options:\n")
		for _, l := range strings.Split(opts, "\n") {
			if l == "" || strings.HasPrefix(l, "        ") {
				continue
			}
			form := strings.TrimSpace(l)
			flagName, value, _ := strings.Cut(form, " ")
			switch {
			case !strings.HasPrefix(l, "  --"):
				t.Errorf("%s --help lists %q: options are typed --name", name, l)
			case genericValues[value]:
				t.Errorf("%s --help lists %q: its value is named after its type, not what it is", name, form)
			case forms[form] != 1 || mentioned[flagName] != 1:
				t.Errorf("%s --help lists %q, which its usage %q names %d times in that form and %d times in all; once is the rule", name, form, usage, forms[form], mentioned[flagName])
			}
		}
		// A line that stops while the next line's first word would
		// still have fitted comfortably is a stray break.
		lines := strings.Split(text, "\n")
		for i := 0; i+1 < len(lines); i++ {
			l, next := lines[i], lines[i+1]
			if l == "" || next == "" || strings.HasPrefix(l, " ") || strings.HasPrefix(next, " ") {
				continue
			}
			word, _, _ := strings.Cut(next, " ")
			if len(l)+1+len(word) <= 60 && !strings.HasSuffix(l, ".") && !strings.HasSuffix(l, ":") {
				t.Errorf("%s --help breaks the line %q before %q, which fits on it", name, l, word)
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
