// Package gitea is what git-credential-pat knows of Gitea and Forgejo: their
// tokens (40 hexadecimal characters, no prefix), their OWNER/REPO paths, and
// the API that names a token's account (GET /api/v1/user).
//
// A Gitea token carries no prefix, so a Gitea host is told once, with
// add --forge gitea (or forgejo), and remembered with its entries; of the
// public hosts, gitea.com and codeberg.org (Forgejo) are known.
package gitea

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

// Forge is Gitea, and Forgejo, as a forge.Forge.
type Forge struct{}

func init() { forge.Register(Forge{}) }

// KindToken is the kind of a 40-hex-character token.
const KindToken credential.Kind = "access"

// tokenLength is a token's length: 20 random bytes in hexadecimal.
const tokenLength = 40

func (Forge) Name() string  { return "gitea" }
func (Forge) Title() string { return "Gitea" }

func (Forge) IsHost(host string) bool {
	switch credential.HostName(host) {
	case "gitea.com", "codeberg.org":
		return true
	}
	return false
}

// OwnsToken is false: forty hexadecimal characters are also what older
// GitHub tokens and many other secrets look like.
func (Forge) OwnsToken(string) bool { return false }

func (Forge) KindOf(token string) credential.Kind {
	if len(token) == tokenLength && isHex(token) {
		return KindToken
	}
	return forge.KindOther
}

// DefaultUsername is "": Gitea does not check the user name sent with a
// token in the password field.
func (Forge) DefaultUsername(credential.Target, credential.Kind) string { return "" }

// CheckFormat reports a hexadecimal token of another length than Gitea's
// (cut short, or pasted twice) and a token of Gitea's length holding other
// characters. Anything else (a password, which Gitea takes too) is not
// judged.
func (Forge) CheckFormat(token string) error {
	switch {
	case isHex(token) && len(token) >= tokenLength/2 && len(token) != tokenLength:
		return fmt.Errorf("this does not look like a whole Gitea token: it is %d hexadecimal characters long, and Gitea issues %d", len(token), tokenLength)
	case len(token) == tokenLength && !isHex(token) && isAlnum(token):
		return errors.New("this does not look like a Gitea token: it is 40 characters long, but Gitea's hold the digits 0-9 and the letters a-f only")
	}
	return nil
}

// UnknownShape judges no value: Gitea and Forgejo take the account's
// password for git too, unless the server's owner turned that off, so a
// value of another shape than a token's may be what git is to send.
func (Forge) UnknownShape(string, string) error { return nil }

func isHex(s string) bool {
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return s != ""
}

func isAlnum(s string) bool {
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// CheckPath refuses more than OWNER/REPO (Gitea has no nested groups) and
// names of other characters than letters, digits, "-", "_" and ".".
func (Forge) CheckPath(path string) error {
	if path == "" {
		return nil
	}
	segments := strings.Split(path, "/")
	if len(segments) > 2 {
		return errors.New("is deeper than Gitea's OWNER/REPO (Gitea has no nested groups): give HOST/OWNER or HOST/OWNER/REPO")
	}
	for _, seg := range segments {
		for _, r := range seg {
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_' || r == '.') {
				return fmt.Errorf("has %q in its path, which no Gitea owner or repository name holds: give names of letters, digits, \"-\", \"_\" and \".\"", r)
			}
		}
	}
	return nil
}

// APIBase is the REST API of a Gitea host: https://HOST/api/v1.
func APIBase(host string) string { return "https://" + host + "/api/v1" }

// Verify asks GET /user whose token it is. Gitea keeps no expiry for a
// token and its answer names no scopes, so the login is all it learns.
func (Forge) Verify(ctx context.Context, c *forge.Client, host, apiURL, token string) (forge.Identity, error) {
	base := strings.TrimRight(apiURL, "/")
	if base == "" {
		base = APIBase(host)
	}
	var user struct {
		Login string `json:"login"`
	}
	_, err := c.GetJSON(ctx, base+"/user", http.Header{"Authorization": {"token " + token}}, &user)
	var httpErr *forge.HTTPError
	switch {
	case errors.As(err, &httpErr) && httpErr.Status == http.StatusNotFound:
		return forge.Identity{}, fmt.Errorf("%w: there is no Gitea API there; give the API address with --api-url, such as https://HOST/api/v1", err)
	case err != nil:
		return forge.Identity{}, err
	case user.Login == "":
		return forge.Identity{}, fmt.Errorf("%s/user answered, but not with a Gitea user (no login in the answer)", base)
	}
	return forge.Identity{Login: user.Login}, nil
}

// NewTokenURL has no address to give: Gitea's page (Settings,
// Applications) takes no pre-filled fields this helper knows of.
func (Forge) NewTokenURL(host string, _ forge.NewToken) (string, error) {
	return "", fmt.Errorf("%w: create one under Settings, Applications, at https://%s/user/settings/applications, then store it with git-credential-pat add", forge.ErrNoTokenPage, host)
}

// ToolEnv hands token to Gitea's and Forgejo's tools: GITEA_TOKEN, which
// scripts and release tools read, and GITEA_SERVER_URL with
// GITEA_SERVER_TOKEN, the login tea takes from the environment.
func (Forge) ToolEnv(host, token string) []forge.EnvVar {
	return []forge.EnvVar{
		{Name: "GITEA_TOKEN", Value: token},
		{Name: "GITEA_SERVER_URL", Value: "https://" + host},
		{Name: "GITEA_SERVER_TOKEN", Value: token},
	}
}
