package store

import (
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

var plaintextNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func TestReadPlaintext(t *testing.T) {
	tests := []struct {
		line    string
		target  string // the imported entry's target, when importable
		token   string
		problem string // a part of the problem, when not importable
	}{
		{line: "https://alice:ghp_abc@github.com", target: "alice@github.com", token: "ghp_abc"},
		{line: "https://x:tok%2Fen@GitHub.com:443/acme.git\r", target: "x@github.com/acme", token: "tok/en"},
		{line: "http://alice:pw@example.com", problem: "protocol is http"},
		{line: "https://github.com", problem: "no user name"},
		{line: "https://alice@github.com", problem: "no password"},
		{line: "https://alice:@github.com", problem: "no password"},
		{line: "https://alice:a%0Ab@github.com", problem: "control character"},
		{line: "https://a%0Ab:secret@github.com", problem: "control character"},
		{line: "https://alice:secret@github.com/acme%1B[2J", problem: "control character"},
		{line: "https://0:0@0%80", problem: "not a host name"},
		{line: "https://u:secret@git%C2%9Bhub.com", problem: "not a host name"},
		{line: "not a url", problem: "not a URL"},
		{line: "https://alice:secret@:443/acme", problem: "not a URL with a host"},
		// git's rule, not net/url's: the user part ends at the first "@",
		// so git reads the host "ss@github.com" here, which is no host;
		// net/url took the password "p@ss" for github.com.
		{line: "https://alice:p@ss@github.com", problem: "not a host name"},
		// A colon after the "@" is the port's, not the password's.
		{line: "https://alice@github.com:443/acme", problem: "no password"},
		// git decodes the user name too, and keeps the path's case.
		{line: "https://al%69ce:tok@github.com//Acme/", target: "alice@github.com/Acme", token: "tok"},
	}
	for _, tt := range tests {
		lines := ReadPlaintext([]byte(tt.line+"\n"), plaintextNow)
		if len(lines) != 1 {
			t.Fatalf("ReadPlaintext(%q) = %d lines, want 1", tt.line, len(lines))
		}
		l := lines[0]
		if tt.problem != "" {
			if !strings.Contains(l.Problem, tt.problem) {
				t.Errorf("ReadPlaintext(%q) problem = %q, want one with %q", tt.line, l.Problem, tt.problem)
			}
			continue
		}
		if l.Problem != "" || l.Entry.Target.String() != tt.target || l.Entry.Token != tt.token {
			t.Errorf("ReadPlaintext(%q) = %q %q problem %q, want %q %q", tt.line, l.Entry.Target, l.Entry.Token, l.Problem, tt.target, tt.token)
		}
	}
}

// FuzzReadPlaintext checks that whatever the file holds, an importable line
// makes an entry that can be stored and printed, a problem never quotes
// the line (which holds a password), and line numbers point into the file.
func FuzzReadPlaintext(f *testing.F) {
	for _, seed := range []string{
		"https://alice:ghp_abc@github.com\n",
		"https://x:tok%2Fen@GitHub.com:443/acme.git\r\n\n  \nhttp://a:b@h\n",
		"https://alice:a%0Ab@github.com\nhttps://a%0Ab:secret@github.com\n",
		"https://alice@github.com\nhttps://github.com\nnot a url\n",
		"https://u:p@[::1]:8443/x\nhttps://u:p@h/%ff\n",
		"\x00\xff\r\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := ReadPlaintext(data, plaintextNow)
		total := strings.Count(string(data), "\n") + 1
		last := 0
		for _, l := range lines {
			if l.Number <= last || l.Number > total {
				t.Fatalf("line number %d after %d in a file of %d lines", l.Number, last, total)
			}
			last = l.Number
			// A CR before the LF is part of the line ending; any other CR
			// is the line's own, kept when the file is rewritten.
			if strings.Contains(l.Text, "\n") {
				t.Fatalf("line text %q holds a line break", l.Text)
			}
			if l.Problem != "" {
				if len(l.Text) >= 8 && strings.Contains(l.Problem, l.Text) {
					t.Fatalf("problem %q quotes the line", l.Problem)
				}
				continue
			}
			e := l.Entry
			if e.Host == "" || e.Token == "" || !e.HasUsername {
				t.Fatalf("importable line %q made entry %+v", l.Text, e)
			}
			if strings.ContainsAny(e.Token, "\n\r\x00") {
				t.Fatalf("importable line %q made a token with a line break or NUL", l.Text)
			}
			if !credential.HostValid(e.Host) {
				t.Fatalf("importable line %q made host %q, which HostValid refuses", l.Text, e.Host)
			}
			for _, part := range []string{e.Host, e.Path, e.Username} {
				if !credential.Printable(part) {
					t.Fatalf("importable line %q made target %q with a control character or invalid UTF-8", l.Text, e.Target)
				}
			}
		}
	})
}
