package forge_test

import (
	"strings"
	"testing"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	_ "github.com/git-credential-pat/git-credential-pat/internal/forge/azure"
	_ "github.com/git-credential-pat/git-credential-pat/internal/forge/bitbucket"
	_ "github.com/git-credential-pat/git-credential-pat/internal/forge/gitea"
	_ "github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	_ "github.com/git-credential-pat/git-credential-pat/internal/forge/gitlab"
)

func name(f forge.Forge) string {
	if f == nil {
		return ""
	}
	return f.Name()
}

func TestForHost(t *testing.T) {
	for host, want := range map[string]string{
		"github.com":            "github",
		"github.com:8443":       "github",
		"octocorp.ghe.com":      "github",
		"gitlab.com":            "gitlab",
		"bitbucket.org":         "bitbucket",
		"dev.azure.com":         "azure",
		"acme.visualstudio.com": "azure",
		"codeberg.org":          "gitea",
		"gitea.com":             "gitea",
		"git.example.com":       "",
		"gitlab.example.com":    "", // self-managed: told by --forge or its tokens
		"github.com.evil.com":   "",
		"ghe.com":               "",
		"[::1]:443":             "",
	} {
		if got := name(forge.ForHost(host)); got != want {
			t.Errorf("ForHost(%q) = %q, want %q", host, got, want)
		}
	}
}

func TestForToken(t *testing.T) {
	for token, want := range map[string]string{
		"glpat-xYz12345678901234567":               "gitlab",
		"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": "github",
		"github_pat_11AAAA":                        "github",
		"ATATT3xFfGF0abc":                          "bitbucket",
		"ATBBxyz":                                  "bitbucket",
		"0123456789abcdef0123456789abcdef01234567": "", // Gitea's, or anyone's
		"correct-horse":                            "",
	} {
		if got := name(forge.ForToken(token)); got != want {
			t.Errorf("ForToken(%q) = %q, want %q", token, got, want)
		}
	}
}

func TestByNameAndFor(t *testing.T) {
	for n, want := range map[string]string{"gitlab": "gitlab", "Forgejo": "gitea", "azure-devops": "azure", "GitHub": "github", "sourcehut": ""} {
		if got := name(forge.ByName(n)); got != want {
			t.Errorf("ByName(%q) = %q, want %q", n, got, want)
		}
	}
	for _, tc := range []struct {
		e    credential.Entry
		want string
	}{
		// What was recorded wins over the host and the token.
		{credential.Entry{Target: credential.Target{Host: "git.example.com"}, Forge: "gitea", Token: "glpat-xYz12345678901234567"}, "gitea"},
		{credential.Entry{Target: credential.Target{Host: "gitlab.com"}, Token: "ghp_x"}, "gitlab"},
		{credential.Entry{Target: credential.Target{Host: "git.example.com"}, Token: "glpat-xYz12345678901234567"}, "gitlab"},
		{credential.Entry{Target: credential.Target{Host: "git.example.com"}, Token: "secret"}, ""},
	} {
		if got := name(forge.For(tc.e)); got != tc.want {
			t.Errorf("For(%+v) = %q, want %q", tc.e, got, tc.want)
		}
	}
	if got := forge.Names(); len(got) != 5 {
		t.Errorf("Names = %q, want the five forges", got)
	}
}

func TestKind(t *testing.T) {
	for token, want := range map[string]credential.Kind{
		"glpat-xYz12345678901234567":               "pat",
		"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": "classic",
		"secret": "other",
	} {
		if got := forge.Kind(forge.ForToken(token), token); got != want {
			t.Errorf("Kind(ForToken(%q)) = %q, want %q", token, got, want)
		}
	}
}

// TestResolve checks the one resolution: told, the host's own, the
// token's prefix, then the host's other entries; the entries are read
// only when the rest says nothing.
func TestResolve(t *testing.T) {
	host := credential.Target{Host: "git.example.com", Path: "bob"}
	entries := []credential.Entry{
		{Target: credential.Target{Host: "other.example.com"}, Forge: "bitbucket"},
		{Target: credential.Target{Host: "git.example.com", Path: "alice"}, Forge: "gitea"},
	}
	asked := 0
	hostEntries := func() ([]credential.Entry, error) { asked++; return entries, nil }
	for _, tc := range []struct {
		told   forge.Forge
		target credential.Target
		token  string
		want   string
		asks   int
	}{
		{forge.ByName("gitlab"), host, "", "gitlab", 0},
		{nil, credential.Target{Host: "gitlab.com:443"}, "", "gitlab", 0},
		{nil, host, "glpat-xYz12345678901234567", "gitlab", 0},
		{nil, host, "", "gitea", 1},
		{nil, host, "0123456789abcdef0123456789abcdef01234567", "gitea", 1},
		{nil, credential.Target{Host: "new.example.com"}, "secret", "", 1},
	} {
		asked = 0
		f, err := forge.Resolve(tc.told, tc.target, tc.token, hostEntries)
		if err != nil || name(f) != tc.want || asked != tc.asks {
			t.Errorf("Resolve(%v, %v, %q) = %q, %v after %d reads; want %q after %d", name(tc.told), tc.target, tc.token, name(f), err, asked, tc.want, tc.asks)
		}
	}
	if got := forge.Kind(nil, "glpat-xYz12345678901234567"); got != forge.KindOther {
		t.Errorf("Kind without a forge = %q, want other", got)
	}
}

func TestAPIMessage(t *testing.T) {
	for body, want := range map[string]string{
		`{"message":"401 Unauthorized"}`:                                     "401 Unauthorized",
		`{"error":"invalid_token","error_description":"Token has expired."}`: "Token has expired.",
		`{"message":{"base":["bad"]}}`:                                       `{"base":["bad"]}`,
		`{"error":"insufficient_scope"}`:                                     "insufficient_scope",
		`<html>`:                                                             "",
		`{"message":"a\u001b[31mred"}`:                                       "a [31mred",
	} {
		if got := forge.APIMessage([]byte(body)); got != want {
			t.Errorf("APIMessage(%s) = %q, want %q", body, got, want)
		}
	}
}

func TestCheckIdentity(t *testing.T) {
	for _, tc := range []struct {
		id forge.Identity
		ok bool
	}{
		{forge.Identity{}, true}, // the host did not say
		{forge.Identity{Login: "octocat"}, true},
		{forge.Identity{Login: "mona-lisa-42"}, true},
		{forge.Identity{Login: "group.bot_7", Scopes: []string{"api", "read:org"}, TokenName: "ci token"}, true},
		{forge.Identity{Login: "\x1b]0;owned\x07\x1b[2J"}, false},
		{forge.Identity{Login: "bob smith"}, false},
		{forge.Identity{Login: "bob\u009b"}, false},
		{forge.Identity{Login: "ålice"}, false},
		{forge.Identity{Login: "a\nb"}, false},
		{forge.Identity{Login: strings.Repeat("a", forge.MaxLoginLength+1)}, false},
		{forge.Identity{Login: "alice", Scopes: []string{"repo\x1b[2J"}}, false},
		{forge.Identity{Login: "alice", Scopes: []string{""}}, false},
		{forge.Identity{Login: "alice", TokenName: "t\x07"}, false},
	} {
		err := forge.CheckIdentity(tc.id)
		if (err == nil) != tc.ok {
			t.Errorf("CheckIdentity(%+v) = %v, want ok=%v", tc.id, err, tc.ok)
		}
		if err != nil && !credential.Printable(err.Error()) {
			t.Errorf("CheckIdentity(%+v) refused with %q, which does not print as it is", tc.id, err)
		}
	}
}
