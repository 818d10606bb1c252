package github

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNewTokenURL(t *testing.T) {
	contentsWrite := []Permission{{"contents", "write"}}
	for _, tc := range []struct {
		name string
		in   NewToken
		want string
	}{{
		name: "fine-grained for an organization",
		in: NewToken{Host: "github.com", Owner: "acme", Name: "git github.com/acme on laptop",
			Description: "git over HTTPS", ExpiresInDays: 90, Permissions: contentsWrite},
		want: "https://github.com/settings/personal-access-tokens/new?contents=write&description=git+over+HTTPS&expires_in=90&name=git+github.com%2Facme+on+laptop&target_name=acme",
	}, {
		name: "several permissions; a later one replaces an earlier one",
		in: NewToken{Host: "github.com", Owner: "acme", Permissions: []Permission{
			{"contents", "write"}, {"pull_requests", "read"}, {"workflows", "write"}, {"metadata", "read"}, {"contents", "read"}, {"administration", "admin"},
		}},
		want: "https://github.com/settings/personal-access-tokens/new?administration=admin&contents=read&metadata=read&pull_requests=read&target_name=acme&workflows=write",
	}, {
		name: "no expiry",
		in:   NewToken{Host: "github.com", ExpiresInDays: ExpiresNever},
		want: "https://github.com/settings/personal-access-tokens/new?expires_in=none",
	}, {
		name: "the limits of expires_in",
		in:   NewToken{Host: "github.com", ExpiresInDays: 366, Permissions: []Permission{{"contents", "read"}}},
		want: "https://github.com/settings/personal-access-tokens/new?contents=read&expires_in=366",
	}, {
		name: "nothing but the page",
		in:   NewToken{Host: "github.com"},
		want: "https://github.com/settings/personal-access-tokens/new",
	}, {
		name: "spaces, reserved characters and non-ASCII are escaped",
		in:   NewToken{Host: "github.com", Name: "Zoë's Mac & co = 100%", Description: "für git?#/"},
		want: "https://github.com/settings/personal-access-tokens/new?description=f%C3%BCr+git%3F%23%2F&name=Zo%C3%AB%27s+Mac+%26+co+%3D+100%25",
	}, {
		name: "GitHub Enterprise Cloud with data residency",
		in:   NewToken{Host: "octocorp.ghe.com", Owner: "team", ExpiresInDays: 7, Permissions: contentsWrite},
		want: "https://octocorp.ghe.com/settings/personal-access-tokens/new?contents=write&expires_in=7&target_name=team",
	}, {
		name: "classic: the note and comma-joined scopes, duplicates dropped",
		in:   NewToken{Host: "github.com", Classic: true, Name: "git github.com on laptop", Scopes: []string{"repo", "workflow", "read:org", "repo"}},
		want: "https://github.com/settings/tokens/new?description=git+github.com+on+laptop&scopes=repo%2Cworkflow%2Cread%3Aorg",
	}, {
		name: "classic on GitHub Enterprise Server, with a port",
		in:   NewToken{Host: "ghe.example.com:8443", Classic: true, Scopes: []string{"repo"}},
		want: "https://ghe.example.com:8443/settings/tokens/new?scopes=repo",
	}, {
		name: "fine-grained on GitHub Enterprise Server, when asked for",
		in:   NewToken{Host: "ghe.example.com", Owner: "platform", Permissions: contentsWrite},
		want: "https://ghe.example.com/settings/personal-access-tokens/new?contents=write&target_name=platform",
	}, {
		name: "a name of exactly 40 characters, some of them two bytes long",
		in:   NewToken{Host: "github.com", Name: strings.Repeat("é", 40)},
		want: "https://github.com/settings/personal-access-tokens/new?name=" + strings.Repeat("%C3%A9", 40),
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewTokenURL(tc.in)
			if err != nil {
				t.Fatalf("NewTokenURL: %v", err)
			}
			if got != tc.want {
				t.Errorf("NewTokenURL =\n  %s\nwant\n  %s", got, tc.want)
			}
		})
	}
}

func TestNewTokenURLRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   NewToken
		want string
	}{
		{"41 characters", NewToken{Host: "github.com", Name: strings.Repeat("n", 41)}, "41 characters long; GitHub takes at most 40"},
		{"41 characters of two bytes", NewToken{Host: "github.com", Name: strings.Repeat("é", 41)}, "41 characters long"},
		{"a long description", NewToken{Host: "github.com", Description: strings.Repeat("d", 1025)}, "at most 1024"},
		{"an unknown level", NewToken{Host: "github.com", Permissions: []Permission{{"contents", "all"}}}, `level "all"; give read, write or admin`},
		{"metadata write", NewToken{Host: "github.com", Permissions: []Permission{{"metadata", "write"}}}, "metadata is read-only"},
		{"workflows read", NewToken{Host: "github.com", Permissions: []Permission{{"workflows", "read"}}}, "workflows has only the level write"},
		{"a permission named like a field", NewToken{Host: "github.com", Permissions: []Permission{{"target_name", "read"}}}, "another field of the page"},
		{"a permission not shaped like one", NewToken{Host: "github.com", Permissions: []Permission{{"Contents", "read"}}}, "not a permission name"},
		{"a negative lifetime", NewToken{Host: "github.com", ExpiresInDays: -2}, "out of range"},
		{"367 days", NewToken{Host: "github.com", ExpiresInDays: 367}, "1 to 366 days"},
		{"an owner with a slash", NewToken{Host: "github.com", Owner: "acme/widgets"}, "not a GitHub user or organization"},
		{"scopes on the fine-grained page", NewToken{Host: "github.com", Scopes: []string{"repo"}}, "scopes are for classic tokens"},
		{"permissions on the classic page", NewToken{Host: "github.com", Classic: true, Permissions: []Permission{{"contents", "read"}}}, "note and scopes only"},
		{"an owner on the classic page", NewToken{Host: "github.com", Classic: true, Owner: "acme"}, "note and scopes only"},
		{"a scope not shaped like one", NewToken{Host: "github.com", Classic: true, Scopes: []string{"repo,gist"}}, "not a scope"},
		{"a host with a path", NewToken{Host: "github.com/acme"}, "not a host name"},
		{"no host", NewToken{}, "not a host name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewTokenURL(tc.in)
			if err == nil {
				t.Fatalf("NewTokenURL = %s, want an error saying %q", got, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestParsePermission(t *testing.T) {
	if p, err := ParsePermission("pull_requests=write"); err != nil || p != (Permission{"pull_requests", "write"}) {
		t.Errorf("ParsePermission(pull_requests=write) = %v, %v", p, err)
	}
	for _, s := range []string{"contents", "contents=", "=write", "contents=Write", "contents=none"} {
		if p, err := ParsePermission(s); err == nil {
			t.Errorf("ParsePermission(%q) = %v, want an error", s, p)
		}
	}
}

func TestDefaultTokenName(t *testing.T) {
	for _, tc := range []struct{ target, machine, want string }{
		{"github.com/acme", "laptop", "git github.com/acme on laptop"},
		{"github.com", "", "git github.com"},
		// Too long with the machine: the machine goes first.
		{"github.com/acme-corporation", "build-server-7", "git github.com/acme-corporation"},
		// Still too long: cut to 40 characters, never inside one.
		{"github.com/" + strings.Repeat("ö", 40), "laptop", "git github.com/" + strings.Repeat("ö", 25)},
		{"github.com/acme-corporation-worldwide-holdings", "x", "git github.com/acme-corporation-worldwid"},
	} {
		got := DefaultTokenName(tc.target, tc.machine)
		if got != tc.want {
			t.Errorf("DefaultTokenName(%q, %q) = %q, want %q", tc.target, tc.machine, got, tc.want)
		}
		if n := utf8.RuneCountInString(got); n > MaxTokenNameLength {
			t.Errorf("DefaultTokenName(%q, %q) is %d characters long", tc.target, tc.machine, n)
		}
	}
}

func TestFineGrainedTemplates(t *testing.T) {
	for host, want := range map[string]bool{
		"github.com": true, "GitHub.com": true, "octocorp.ghe.com": true, "octocorp.ghe.com:443": true,
		"ghe.example.com": false, "github.example.com": false, "ghe.com.example.org": false, "notghe.com": false,
	} {
		if got := FineGrainedTemplates(host); got != want {
			t.Errorf("FineGrainedTemplates(%q) = %v, want %v", host, got, want)
		}
	}
}
