package credential

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func entry(target string) Entry {
	t, err := ParseTarget(target)
	if err != nil {
		panic(err)
	}
	return Entry{Target: t, Token: "token-for-" + target}
}

func TestBest(t *testing.T) {
	hostOnly := entry("github.com")
	acme := entry("github.com/acme")
	acmeRepo := entry("github.com/acme/repo")
	alice := entry("alice@github.com")
	port := entry("git.example.com:8443")
	local := entry("localhost:3000")
	local.AllowHTTP = true

	all := []Entry{hostOnly, acme, acmeRepo, alice, port, local}
	tests := []struct {
		name string
		req  Credential
		want string // the token of the expected entry, "" for none
	}{
		{"no path: the host's entry", Credential{Protocol: "https", Host: "github.com"}, hostOnly.Token},
		{"owner prefix", Credential{Protocol: "https", Host: "github.com", Path: "acme/other.git"}, acme.Token},
		{"longest prefix wins", Credential{Protocol: "https", Host: "github.com", Path: "acme/repo.git"}, acmeRepo.Token},
		{"prefix only on whole segments", Credential{Protocol: "https", Host: "github.com", Path: "acmecorp/x.git"}, hostOnly.Token},
		{"owner with trailing slash", Credential{Protocol: "https", Host: "github.com", Path: "/acme/"}, acme.Token},
		{"host is case-insensitive", Credential{Protocol: "https", Host: "GitHub.COM"}, hostOnly.Token},
		{"default port is the host", Credential{Protocol: "https", Host: "github.com:443"}, hostOnly.Token},
		{"username must match", Credential{Protocol: "https", Host: "github.com", Username: "alice", HasUsername: true}, alice.Token},
		{"unknown user gets nothing", Credential{Protocol: "https", Host: "github.com", Username: "bob", HasUsername: true}, ""},
		{"default user name matches an entry without one", Credential{Protocol: "https", Host: "github.com", Username: DefaultUsername, HasUsername: true}, hostOnly.Token},
		{"port must match", Credential{Protocol: "https", Host: "git.example.com"}, ""},
		{"port matches", Credential{Protocol: "https", Host: "git.example.com:8443"}, port.Token},
		{"http refused", Credential{Protocol: "http", Host: "github.com"}, ""},
		{"http allowed for its entry", Credential{Protocol: "http", Host: "localhost:3000"}, local.Token},
		{"ssh never", Credential{Protocol: "ssh", Host: "github.com"}, ""},
		{"other host", Credential{Protocol: "https", Host: "gitlab.com"}, ""},
		// Only ASCII letters fold: these are other domains.
		{"dotted capital I is another host", Credential{Protocol: "https", Host: "g\u0130thub.com"}, ""},
		{"dotless i is another host", Credential{Protocol: "https", Host: "g\u0131thub.com"}, ""},
		{"Kelvin sign is another host", Credential{Protocol: "https", Host: "git.example.com\u212a:8443"}, ""},
		{"a slash in the host matches nothing", Credential{Protocol: "https", Host: "github.com/acme"}, ""},
		{"owner is ASCII case-insensitive", Credential{Protocol: "https", Host: "github.com", Path: "ACME/Other.git"}, acme.Token},
		{"owner with a Kelvin sign is another owner", Credential{Protocol: "https", Host: "github.com", Path: "acme/repo\u212a.git"}, acme.Token},
		{"dot-dot path matches nothing", Credential{Protocol: "https", Host: "github.com", Path: "acme/../globex/r.git"}, ""},
		{"dot path matches nothing", Credential{Protocol: "https", Host: "github.com", Path: "acme/./r.git"}, ""},
		{"empty segment matches nothing", Credential{Protocol: "https", Host: "github.com", Path: "acme//r.git"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := Best(RequestOf(&tt.req), all)
			got := ""
			if i >= 0 {
				got = all[i].Token
			}
			if got != tt.want {
				t.Errorf("Best = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBestWithoutPathIgnoresOwnerEntries(t *testing.T) {
	entries := []Entry{entry("github.com/acme"), entry("github.com/globex")}
	if i := Best(RequestOf(&Credential{Protocol: "https", Host: "github.com"}), entries); i != -1 {
		t.Errorf("Best = %d: an owner's token answered a request that named no owner", i)
	}
}

func TestBestPrefersEntryWithoutUsername(t *testing.T) {
	entries := []Entry{entry("bob@github.com"), entry("github.com")}
	if i := Best(RequestOf(&Credential{Protocol: "https", Host: "github.com"}), entries); i != 1 {
		t.Errorf("Best = %d, want 1 (the entry without a user name)", i)
	}
}

func TestAll(t *testing.T) {
	entries := []Entry{entry("github.com"), entry("github.com/acme"), entry("alice@github.com"), entry("gitlab.com")}
	tests := []struct {
		name string
		req  Credential
		want []int
	}{
		{"host alone matches every path and user", Credential{Protocol: "https", Host: "github.com"}, []int{0, 1, 2}},
		{"path narrows", Credential{Protocol: "https", Host: "github.com", Path: "acme/x"}, []int{0, 1, 2}},
		{"other owner", Credential{Protocol: "https", Host: "github.com", Path: "globex/x"}, []int{0, 2}},
		{"user narrows", Credential{Protocol: "https", Host: "github.com", Username: "alice", HasUsername: true}, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := All(RequestOf(&tt.req), entries); !slices.Equal(got, tt.want) {
				t.Errorf("All = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in   string
		want Target
		err  bool
	}{
		{in: "github.com", want: Target{Host: "github.com"}},
		{in: "github.com/acme", want: Target{Host: "github.com", Path: "acme"}},
		{in: "https://github.com/acme/repo.git", want: Target{Host: "github.com", Path: "acme/repo"}},
		{in: "GitHub.com:443/Acme", want: Target{Host: "github.com", Path: "Acme"}},
		{in: "git.example.com:8443/team/", want: Target{Host: "git.example.com:8443", Path: "team"}},
		{in: "alice@github.com", want: Target{Host: "github.com", Username: "alice", HasUsername: true}},
		{in: "", err: true},
		{in: "ssh://github.com/acme", err: true},
		{in: "ht\x1b[2Jtp://github.com/acme", err: true},
		{in: "https://alice:ghp_secret@github.com", err: true},
		{in: "https://github.com/acme?x=1", err: true},
		{in: "a%0Ab@github.com", err: true},
		{in: ":443/acme", err: true},
		{in: "https://:8443", err: true},
		{in: "github.com/acme%0Ahost=evil", err: true},
		{in: "github.com/acme%00", err: true},
		{in: "github.com/acme%1B[2J", err: true},
		{in: "github.com/acme%FF", err: true},
		{in: "github.com/caf%C3%A9", want: Target{Host: "github.com", Path: "café"}},
		{in: "G\u0130THUB.com", want: Target{Host: "g\u0130thub.com"}},
		{in: "github.com:99999/acme", err: true},
		{in: "github.com/../x", err: true},
		{in: "github.com//x", err: true},
		{in: "github.com/acme/./x", err: true},
		{in: "github.com/a b", err: true},
		{in: "github.com/a\u00a0b", err: true},
		{in: " github.com/acme\n", want: Target{Host: "github.com", Path: "acme"}},
		// Nested groups are GitLab's: the depth of a path is the forge's rule.
		{in: "gitlab.example/group/sub/repo", want: Target{Host: "gitlab.example", Path: "group/sub/repo"}},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("ParseTarget(%q) error = %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if err != nil && strings.Contains(err.Error(), "ghp_secret") {
			t.Errorf("ParseTarget(%q) error repeats the secret: %v", tt.in, err)
		}
		if err != nil && !Printable(err.Error()) {
			t.Errorf("ParseTarget(%q) error holds a control character: %q", tt.in, err)
		}
		if !tt.err && got != tt.want {
			t.Errorf("ParseTarget(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestMasked(t *testing.T) {
	tests := map[string]string{
		"ghp_abcdefghijklmnopqrstuvwxyz0123456789":          "ghp_****6789",
		"github_pat_11AAAAAAA0aaaaaaaaaaaa_bbbbbbbbbbbWXYZ": "github_pat_****WXYZ",
		"short":               "****",
		"plain-password-1234": "****", // under 20 characters: more likely a password, masked whole
		"0123456789abcdef0123456789abcdef0123beef": "****beef", // a Gitea token: told apart by its end
		"abcdefghij0123456789":                     "****6789",
	}
	for in, want := range tests {
		if got := Masked(in); got != want {
			t.Errorf("Masked(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkBest finds one token among 1, 100 and 10,000 entries: one per
// owner on a few hosts, the wanted one last, so every entry is looked at.
func BenchmarkBest(b *testing.B) {
	for _, n := range []int{1, 100, 10000} {
		entries := make([]Entry, n)
		for i := range n - 1 {
			entries[i] = entry(fmt.Sprintf("host%d.example/owner%d", i%7, i))
		}
		entries[n-1] = entry("github.com/acme")
		req := RequestOf(&Credential{Protocol: "https", Host: "github.com", Path: "acme/repo.git"})
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			for b.Loop() {
				if i := Best(req, entries); i != n-1 {
					b.Fatalf("Best = %d; want %d", i, n-1)
				}
			}
		})
	}
}
