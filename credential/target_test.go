package credential

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// FuzzParseTarget checks that a target ParseTarget accepts is one that can
// be printed and stored: a host, and no field that could break a line; and
// that a refusal never repeats a password given in the target.
func FuzzParseTarget(f *testing.F) {
	for _, seed := range []string{
		"github.com",
		"github.com/acme",
		"https://github.com/acme/repo.git/",
		"GitHub.com:443/Acme",
		"http://git.example.com:80/team",
		"alice@github.com/acme",
		"https://alice:ghp_secret@github.com",
		"https://alice:ghp_secret@github.com:bad/",
		"ssh://github.com/acme",
		"github.com/acme?x=1#y",
		"a%0Ab@github.com",
		"github.com/a%00b",
		"[::1]:8443/x",
		" \t",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		target, err := ParseTarget(s)
		if err != nil && !Printable(err.Error()) {
			t.Fatalf("ParseTarget(%q) refused with a control character in its message: %q", s, err)
		}
		if err != nil {
			raw := s
			if !strings.Contains(raw, "://") {
				raw = "https://" + strings.TrimSpace(raw)
			}
			if u, perr := url.Parse(raw); perr == nil && u.User != nil {
				// Refusals may name the target as redactURL shows it,
				// everything before its last @ left out, where a
				// password's letters can still be spelled by the host;
				// apart from that, no refusal holds the password.
				msg := strings.ReplaceAll(err.Error(), fmt.Sprintf("%q", redactURL(raw)), "")
				if p, ok := u.User.Password(); ok && len(p) >= 4 && strings.Contains(msg, p) {
					t.Fatalf("ParseTarget(%q) refused with the password in its message: %v", s, err)
				}
			}
			return
		}
		if target.Host == "" {
			t.Fatalf("ParseTarget(%q) = %+v: no host", s, target)
		}
		// Only ASCII letters are folded (see NormalizeHost): "0Ş" stays
		// as it is, where strings.ToLower would make another host of it.
		if strings.ContainsFunc(target.Host, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
			t.Fatalf("ParseTarget(%q) = %+v: host not lower-cased", s, target)
		}
		if !HostValid(target.Host) {
			t.Fatalf("ParseTarget(%q) = %+v: a host HostValid refuses", s, target)
		}
		if strings.HasPrefix(target.Path, "/") || strings.HasSuffix(target.Path, "/") {
			t.Fatalf("ParseTarget(%q) = %+v: path keeps a slash at an end", s, target)
		}
		if !target.HasUsername && target.Username != "" {
			t.Fatalf("ParseTarget(%q) = %+v: a user name without HasUsername", s, target)
		}
		for _, part := range []string{target.Host, target.Path, target.Username} {
			if !Printable(part) {
				t.Fatalf("ParseTarget(%q) = %+v: a field is not printable", s, target)
			}
		}
	})
}

func TestPrintable(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"", true},
		{"acme/repo", true},
		{"café", true},
		{"a b", true},
		{"a\nb", false},
		{"a\rb", false},
		{"a\x00b", false},
		{"a\x1b[2J", false},
		{"a\x7f", false},
		{"a\u0085b", false},
		{"a\xffb", false},
	} {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// A forge declares its prefixes as it is linked in; these tests stand in
// for GitHub's.
func init() { DeclareTokenPrefixes("github_pat_", "ghp_", "gho_", "ghs_") }

func TestMaskPrefix(t *testing.T) {
	tests := map[string]string{
		"correct_horse_battery":                    "", // a password: no part of it shown
		"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": "ghp_",
		"ghp_abcdefghijklmnopqrstuvwxyz0123456789": "ghp_", // the random part starts in lower case
		"gho_x":                    "gho_",
		"github_pat_11AAAAAAA0abc": "github_pat_",
		"github_pat_abcdefghij_x":  "github_pat_",
		"ghs_12345_eyJhbGciOiJSUz": "ghs_",
		"ghp_\x00\x00\x00\x001234": "ghp_", // a withheld token's mark in the cache
		"glpat-abcdefghijklmnop":   "",
		"_secret_value":            "",
		"GHP_abcdef":               "",
		"password":                 "",
		"":                         "",
	}
	for in, want := range tests {
		if got := MaskPrefix(in); got != want {
			t.Errorf("MaskPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

// Key decides which targets are one entry, for every backend: the path's
// case in ASCII does not count, anything else does.
func TestTargetKey(t *testing.T) {
	parse := func(s string) Target {
		t.Helper()
		target, err := ParseTarget(s)
		if err != nil {
			t.Fatal(err)
		}
		return target
	}
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"github.com/acme", "github.com/ACME", true},
		{"GitHub.com/Acme/Repo", "github.com/acme/repo.git", true},
		{"alice@github.com/acme", "alice@github.com/AcMe", true},
		{"github.com/acme", "github.com/acme/repo", false},
		{"github.com/acme", "alice@github.com/acme", false},
		{"github.com/acme", "@github.com/acme", false},
		// User names are compared exactly, as git compares them.
		{"alice@github.com", "Alice@github.com", false},
		// ASCII only: the Kelvin sign is not "k".
		{"github.com/\u212aelvin", "github.com/kelvin", false},
		{"github.com:8443/acme", "github.com/acme", false},
	} {
		a, b := parse(tc.a), parse(tc.b)
		if got := a.Key() == b.Key(); got != tc.same {
			t.Errorf("%s and %s: keys %+v and %+v equal %v, want %v", tc.a, tc.b, a.Key(), b.Key(), got, tc.same)
		}
		if got := a.Same(b); got != tc.same {
			t.Errorf("%s.Same(%s) = %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
	k := parse("Alice@GitHub.com:8443/ACME/Repo").Key()
	if want := (Key{Location: "github.com:8443/acme/repo", Username: "Alice", HasUsername: true}); k != want {
		t.Errorf("Key = %+v, want %+v", k, want)
	}
	// The target keeps the path as typed; only the key folds it.
	if p := parse("github.com/ACME").Path; p != "ACME" {
		t.Errorf("Path = %q, want it as typed", p)
	}
}

// TestParseTargetSSHAddress: git's scp-like SSH address gets its HTTPS URL,
// and user:password@host, which looks alike, is never taken for one: its
// message would print the password.
func TestParseTargetSSHAddress(t *testing.T) {
	_, err := ParseTarget("git@github.com:acme/x.git")
	if err == nil || !strings.Contains(err.Error(), "give https://github.com/acme/x.git") {
		t.Errorf("an SSH address: %v", err)
	}
	for _, in := range []string{"alice:ghp_secret0000@github.com/acme", "0:A000@", "bob:hunter2@host.example:8443/x"} {
		_, err := ParseTarget(in)
		if err != nil && (strings.Contains(err.Error(), "ghp_secret") || strings.Contains(err.Error(), "A000") || strings.Contains(err.Error(), "hunter2")) {
			t.Errorf("ParseTarget(%q) names the password: %v", in, err)
		}
	}
}
