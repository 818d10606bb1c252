// Package gitlab is what git-credential-pat knows of GitLab, gitlab.com and
// self-managed: its access tokens (glpat-), their shape, the paths its
// nested groups make, its token creation page, and the API that says of a
// token its name, scopes and expiry (GET /api/v4/personal_access_tokens/self,
// GitLab 15.5 and later).
package gitlab

import (
	"errors"
	"fmt"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

// Forge is GitLab as a forge.Forge.
type Forge struct{}

func init() {
	forge.Register(Forge{})
	credential.DeclareTokenPrefixes(Prefix)
}

// Prefix starts every access token GitLab issues: personal, project and
// group access tokens alike.
const Prefix = "glpat-"

// KindPAT is the kind of a glpat- token. GitLab's project and group access
// tokens share the prefix, so the name says "access token", not whose.
const KindPAT credential.Kind = "pat"

// DefaultUsername is the user name stored for a GitLab token given
// without one. GitLab takes any non-blank name with an access token;
// oauth2 is the one its documentation uses for a token that names no
// person, and the only one an OAuth token takes, so one name serves every
// token. It names no account, and list shows what git sends.
const DefaultUsername = "oauth2"

func (Forge) Name() string  { return "gitlab" }
func (Forge) Title() string { return "GitLab" }

// IsHost reports whether host is gitlab.com. A self-managed GitLab is told
// by --forge gitlab or by its glpat- tokens.
func (Forge) IsHost(host string) bool { return credential.HostName(host) == "gitlab.com" }

func (Forge) OwnsToken(token string) bool { return strings.HasPrefix(token, Prefix) }

func (Forge) KindOf(token string) credential.Kind {
	if strings.HasPrefix(token, Prefix) {
		return KindPAT
	}
	return forge.KindOther
}

func (Forge) DefaultUsername(credential.Target, credential.Kind) string { return DefaultUsername }

// minBodyLength is the shortest a token is after its prefix: GitLab's
// tokens had 20 characters there, and its newer formats are longer.
const minBodyLength = 20

// CheckFormat reports a glpat- token cut short or holding characters GitLab
// does not issue, and a prefix spoiled by a typo (GLPAT-, glpat_). Tokens
// without it (a password, a deploy token) are not judged.
func (Forge) CheckFormat(token string) error {
	lower := strings.ToLower(token)
	if !strings.HasPrefix(token, Prefix) {
		if strings.HasPrefix(lower, "glpat-") || strings.HasPrefix(lower, "glpat_") {
			return fmt.Errorf("this looks like a GitLab token, but its prefix %q should be %q, in lower case", token[:len(Prefix)], Prefix)
		}
		return nil
	}
	body := token[len(Prefix):]
	if len(body) < minBodyLength {
		return fmt.Errorf("this does not look like a whole GitLab token: it has %d characters after %s, and GitLab issues at least %d; it looks cut short", len(body), Prefix, minBodyLength)
	}
	for _, c := range []byte(body) {
		if !isTokenChar(c) {
			return fmt.Errorf("this does not look like a whole GitLab token: after %s it holds %q, and GitLab's tokens hold letters, digits, '_', '-' and '.' only", Prefix, c)
		}
	}
	return nil
}

// UnknownShape refuses, on gitlab.com, a value that is no token: GitLab's
// tokens start with gl and a few letters and "-" (glpat- for access
// tokens, gldt- for deploy tokens, glcbt- for CI/CD job tokens, ...), its
// OAuth tokens are 64 hexadecimal characters, and the tokens from before
// the prefixes (GitLab 14.5) were 20 letters, digits, "_" and "-". A
// self-managed GitLab may set its own prefix and take its accounts'
// passwords (LDAP, say) for git: it is not judged.
func (f Forge) UnknownShape(host, token string) error {
	if !f.IsHost(host) || hasKnownShape(token) {
		return nil
	}
	return errors.New("this is not a GitLab token: gitlab.com's start with glpat- (access tokens), gldt- (deploy tokens) or glcbt- (CI/CD job tokens), or are 64 hexadecimal characters (OAuth)")
}

// hasKnownShape reports a value shaped as a gitlab.com token is: see
// UnknownShape.
func hasKnownShape(token string) bool {
	if prefix, _, found := strings.Cut(token, "-"); found && len(prefix) >= 4 && len(prefix) <= 8 && strings.HasPrefix(prefix, "gl") &&
		strings.Trim(prefix, "abcdefghijklmnopqrstuvwxyz") == "" {
		return true
	}
	hex := len(token) == oauthTokenLength && strings.Trim(token, "0123456789abcdef") == ""
	legacy := len(token) == legacyTokenLength && strings.IndexFunc(token, func(r rune) bool { return r > 0x7f || r == '.' || !isTokenChar(byte(r)) }) < 0
	return hex || legacy
}

// The lengths of gitlab.com's tokens without a prefix: OAuth access
// tokens (hexadecimal), and those issued before the prefixes.
const (
	oauthTokenLength  = 64
	legacyTokenLength = 20
)

func isTokenChar(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == '-' || c == '.'
}

// CheckPath refuses a path no GitLab group or project has: a segment of
// other characters than letters, digits, "_", "-" and ".", or one
// starting with "-" (GitLab's own pages live under "/-/"). Groups nest,
// so any depth is a path: group/subgroup/project.
func (Forge) CheckPath(path string) error {
	if path == "" {
		return nil
	}
	for seg := range strings.SplitSeq(path, "/") {
		if strings.HasPrefix(seg, "-") {
			return fmt.Errorf("has the segment %q, and no GitLab group or project name starts with \"-\": give HOST/GROUP[/SUBGROUP...][/PROJECT]", seg)
		}
		for _, r := range seg {
			if r > 0x7f || !isTokenChar(byte(r)) {
				return fmt.Errorf("has %q in its path, which no GitLab group or project path holds: give names of letters, digits, \"_\", \"-\" and \".\"", r)
			}
		}
	}
	return nil
}

// ToolEnv hands token to GitLab CLI (glab), which reads GITLAB_TOKEN, and
// the server from GITLAB_HOST (gitlab.com when unset).
func (Forge) ToolEnv(host, token string) []forge.EnvVar {
	return []forge.EnvVar{{Name: "GITLAB_HOST", Value: "https://" + host}, {Name: "GITLAB_TOKEN", Value: token}}
}
