package store

import (
	"strings"
	"testing"
	"time"
)

func TestReadNetrcAsCurl(t *testing.T) {
	data := "# comment\nmachine a.example login u password \"p\\\"q r\" account x\n" +
		"MACHINE b.example\n  LOGIN v\n  PASSWORD w # note\nmacdef m\nmachine c.example password z\n\n" +
		"machine d.example password #hash\ndefault login l password dp\n"
	got := ReadNetrc([]byte(data), time.Time{})
	want := []struct{ machine, login, password string }{
		// curl reads "#hash" as a comment and the next word as the
		// password: "default" is a value here, not a keyword.
		{"a.example", "u", `p"q r`}, {"b.example", "v", "w"}, {"d.example", "l", "dp"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Machine != w.machine || got[i].Login != w.login || got[i].Password != w.password {
			t.Errorf("entry %d = %q %q %q, want %q %q %q", i, got[i].Machine, got[i].Login, got[i].Password, w.machine, w.login, w.password)
		}
	}
	if d := ReadNetrc([]byte("default login l password dp\n"), time.Time{}); len(d) != 1 || !d[0].Default || d[0].Problem == "" {
		t.Errorf("a default entry is not importable: %+v", d)
	}
	if bad := ReadNetrc([]byte("machine a login u password \"open\n"), time.Time{}); len(bad) != 1 || !strings.Contains(bad[0].Problem, "curl refuses the whole file") {
		t.Errorf("an open quote: %+v", bad)
	}
}

func FuzzReadNetrc(f *testing.F) {
	for _, seed := range []string{
		"machine github.com login alice password ghp_abc\n",
		"machine a\n login \"q\\\"x\" password 'p'\r\ndefault password d\n",
		"macdef x\nmachine hidden password h\n\nmachine b password c # c\n",
		"machine \"unclosed\nmachine [::1] password p\nmachine h:1 password p",
		"\x00\xff machine\tpassword\vlogin",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries := ReadNetrc(data, time.Time{})
		end := 0
		for _, e := range entries {
			if e.Start < end || e.End < e.Start || e.End > len(data) {
				t.Fatalf("span %d..%d after %d in %d bytes", e.Start, e.End, end, len(data))
			}
			end = e.End
			if e.Problem == "" && (e.Entry.Token == "" || e.Entry.Host == "") {
				t.Fatalf("importable entry without a host or token: %+v", e)
			}
			if e.Problem != "" && e.Password != "" && strings.Contains(e.Problem, e.Password) && len(e.Password) > 3 {
				t.Fatalf("problem %q quotes the password", e.Problem)
			}
		}
	})
}

func TestReadGHHosts(t *testing.T) {
	old := "github.com:\n    oauth_token: gho_old\n    user: someone\n    git_protocol: https\nghe.example:\n    oauth_token: 'q''t' # c\n"
	logins, err := ReadGHHosts([]byte(old))
	if err != nil || len(logins) != 2 || logins[0].Token != "gho_old" || logins[0].User != "someone" || logins[1].Token != "q't" {
		t.Fatalf("gh 2.23 hosts.yml: %+v, %v", logins, err)
	}
	multi := "github.com:\n    users:\n        alice:\n        bob:\n            oauth_token: \"gho_bob\"\n    git_protocol: https\n    user: alice\n"
	logins, err = ReadGHHosts([]byte(multi))
	if err != nil || len(logins) != 2 || logins[0].User != "alice" || logins[0].Token != "" || logins[1].User != "bob" || logins[1].Token != "gho_bob" {
		t.Fatalf("gh 2.40+ hosts.yml: %+v, %v", logins, err)
	}
	if logins, err := ReadGHHosts([]byte("{}\n")); err != nil || len(logins) != 0 {
		t.Fatalf("empty hosts.yml: %+v, %v", logins, err)
	}
}

func FuzzReadGHHosts(f *testing.F) {
	for _, seed := range []string{
		"github.com:\n    oauth_token: gho_x\n    user: u\n",
		"h:\n  users:\n    a:\n      oauth_token: \"t\\\"\"\n  user: a\n",
		"{}\n", "- a\n  b: c\n", "'k': 'v''\n", "\tx: y\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		logins, err := ReadGHHosts(data)
		if err != nil && strings.Contains(err.Error(), "gho_") {
			t.Fatalf("error %q quotes the file", err)
		}
		for _, l := range logins {
			if l.Line < 1 || l.Line > strings.Count(string(data), "\n")+1 {
				t.Fatalf("line %d out of the file", l.Line)
			}
		}
	})
}

// An entry this reader refuses is still the one curl takes for its host and
// login: a later one for the same is never imported in its place (and so
// never reported removed while the file keeps it).
func TestReadNetrcRefusedEntryStaysFirst(t *testing.T) {
	data := []byte("machine h.example login bob password \"a\\nb\"\nmachine h.example login bob password ghp_second\n")
	entries := ReadNetrc(data, time.Now())
	if len(entries) != 2 || entries[0].Problem == "" {
		t.Fatalf("entries %+v; want two, the first refused", entries)
	}
	if !strings.Contains(entries[1].Problem, "curl uses the entry on line 1") {
		t.Fatalf("the second entry's problem is %q; want curl's first entry named", entries[1].Problem)
	}
}
