package github

import (
	"context"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

// Forge is GitHub as a forge.Forge: github.com, GitHub Enterprise Cloud
// (*.ghe.com) and, told by --forge or its tokens, GitHub Enterprise Server.
type Forge struct{}

func init() { forge.Register(Forge{}) }

func (Forge) Name() string                                              { return "github" }
func (Forge) Title() string                                             { return "GitHub" }
func (Forge) IsHost(host string) bool                                   { return IsHost(host) }
func (Forge) OwnsToken(token string) bool                               { return KindOf(token) != KindOther }
func (Forge) KindOf(token string) credential.Kind                       { return KindOf(token) }
func (Forge) CheckFormat(token string) error                            { return CheckFormat(token) }
func (Forge) CheckPath(path string) error                               { return CheckPath(path) }
func (Forge) UnknownShape(host, token string) error                     { return UnknownShape(host, token) }
func (Forge) DefaultUsername(credential.Target, credential.Kind) string { return "" } // any name does; x-access-token is the convention
func (Forge) NewTokenURL(host string, t forge.NewToken) (string, error) {
	// The generic page is the classic one, the only one that takes
	// scopes; the new command fills in the fine-grained page itself.
	return NewTokenURL(NewToken{Host: host, Classic: true, Name: t.Name, Scopes: t.Scopes})
}

// Verify asks GET /user (UserURL, or apiURL's /user) about token.
func (Forge) Verify(ctx context.Context, c *forge.Client, host, apiURL, token string) (forge.Identity, error) {
	u := UserURL(host)
	if apiURL != "" {
		u = UserURLOf(apiURL)
	}
	id, err := Who(ctx, c, u, token)
	if err != nil {
		return forge.Identity{}, err
	}
	out := forge.Identity{Login: id.Login, Scopes: id.Scopes, Expires: id.Expires}
	if id.Expires.IsZero() && id.ExpirationHeader != "" {
		out.ExpiryUnread = id.ExpirationHeader
	}
	return out, nil
}

// ToolEnv hands token to GitHub CLI (gh) and the tools that read its
// variables. On github.com, gh reads GH_TOKEN; other tools and GitHub
// Actions' scripts, GITHUB_TOKEN. On another host (GitHub Enterprise Server,
// or Enterprise Cloud's SUBDOMAIN.ghe.com), gh takes the host from GH_HOST
// and the token from GH_ENTERPRISE_TOKEN (GITHUB_ENTERPRISE_TOKEN after
// it); newer versions of gh read GH_TOKEN for *.ghe.com too. GH_HOST is set on
// github.com as well, so a GH_HOST in the environment does not send the
// token elsewhere.
func (Forge) ToolEnv(host, token string) []forge.EnvVar {
	name := credential.HostName(host)
	if name == "github.com" {
		return []forge.EnvVar{{Name: "GH_HOST", Value: "github.com"}, {Name: "GH_TOKEN", Value: token}, {Name: "GITHUB_TOKEN", Value: token}}
	}
	env := []forge.EnvVar{
		{Name: "GH_HOST", Value: host},
		{Name: "GH_ENTERPRISE_TOKEN", Value: token},
		{Name: "GITHUB_ENTERPRISE_TOKEN", Value: token},
	}
	if IsHost(host) {
		env = append(env, forge.EnvVar{Name: "GH_TOKEN", Value: token})
	}
	return append(env, forge.EnvVar{Name: "GITHUB_TOKEN", Value: token})
}
