// Package bitbucket is what git-credential-pat knows of Bitbucket Cloud
// (bitbucket.org): the user names its tokens take over git, its
// WORKSPACE/REPO paths, and why verify cannot ask its API.
//
// Bitbucket's API tokens go with the user name x-bitbucket-api-token-auth
// (or the account's user name); its repository, project and workspace
// access tokens with x-token-auth. App passwords, which need the account's
// user name, could no longer be created after 2025-09-09 and stop working
// on 2026-06-09.
package bitbucket

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

// Forge is Bitbucket Cloud as a forge.Forge.
type Forge struct{}

func init() {
	forge.Register(Forge{})
	credential.DeclareTokenPrefixes(apiTokenPrefix, appPasswordPrefix)
}

// The kinds told apart, by the prefixes Atlassian's tokens carry: ATATT
// for an Atlassian API token, ATBB for an app password. Bitbucket's git
// documentation does not name them; a token with neither is taken for an
// access token, the remaining kind.
const (
	KindAPIToken    credential.Kind = "api"
	KindAppPassword credential.Kind = "app-password"
	KindAccessToken credential.Kind = "access"

	apiTokenPrefix    = "ATATT"
	appPasswordPrefix = "ATBB"
)

// The user names git sends with each kind.
const (
	APITokenUsername    = "x-bitbucket-api-token-auth"
	AccessTokenUsername = "x-token-auth"
)

func (Forge) Name() string  { return "bitbucket" }
func (Forge) Title() string { return "Bitbucket" }

func (Forge) IsHost(host string) bool { return credential.HostName(host) == "bitbucket.org" }

func (Forge) OwnsToken(token string) bool {
	return strings.HasPrefix(token, apiTokenPrefix) || strings.HasPrefix(token, appPasswordPrefix)
}

func (Forge) KindOf(token string) credential.Kind {
	switch {
	case strings.HasPrefix(token, apiTokenPrefix):
		return KindAPIToken
	case strings.HasPrefix(token, appPasswordPrefix):
		return KindAppPassword
	}
	return KindAccessToken
}

// DefaultUsername is the name Bitbucket takes with each kind: the API
// token's fixed name, x-token-auth for an access token, and "" for an app
// password, which needs the account's own user name (given in TARGET or
// with --username).
func (Forge) DefaultUsername(_ credential.Target, kind credential.Kind) string {
	switch kind {
	case KindAPIToken:
		return APITokenUsername
	case KindAppPassword:
		return ""
	}
	return AccessTokenUsername
}

// CheckFormat judges no shape: Bitbucket publishes none.
func (Forge) CheckFormat(string) error { return nil }

// UnknownShape judges no value: only API tokens and app passwords carry a
// prefix (ATATT, ATBB); an access token's shape is not published, and
// app passwords from before the prefix still work until 2026-06-09.
func (Forge) UnknownShape(string, string) error { return nil }

// CheckPath refuses more than WORKSPACE/REPO and names of other characters
// than letters, digits, "-", "_" and ".".
func (Forge) CheckPath(path string) error {
	if path == "" {
		return nil
	}
	segments := strings.Split(path, "/")
	if len(segments) > 2 {
		return errors.New("is deeper than Bitbucket's WORKSPACE/REPO: give HOST/WORKSPACE or HOST/WORKSPACE/REPO")
	}
	for _, seg := range segments {
		for _, r := range seg {
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_' || r == '.') {
				return fmt.Errorf("has %q in its path, which no Bitbucket workspace or repository name holds: give names of letters, digits, \"-\", \"_\" and \".\"", r)
			}
		}
	}
	return nil
}

// Verify does not ask: Bitbucket's REST API takes an API token with the
// Atlassian account's e-mail address, which git's user name is not, and
// an access token names no user. Asking with the wrong pair would report a
// working token as refused.
func (Forge) Verify(context.Context, *forge.Client, string, string, string) (forge.Identity, error) {
	return forge.Identity{}, fmt.Errorf("%w: Bitbucket's API takes the Atlassian account's e-mail address with the token, which git does not send; check the token with git ls-remote, and give its expiry with --expires", forge.ErrNoAPI)
}

// NewTokenURL has no address to give: Bitbucket's API tokens are created
// in the Atlassian account's settings, and access tokens in the
// repository's, workspace's or project's, none of them pre-filled.
func (Forge) NewTokenURL(string, forge.NewToken) (string, error) {
	return "", fmt.Errorf("%w: create an API token in your Atlassian account's security settings, or an access token in the repository's settings, then store it with git-credential-pat add", forge.ErrNoTokenPage)
}

// ToolEnv is nil: Bitbucket Cloud has no command-line tool of its own
// that reads a token from the environment.
func (Forge) ToolEnv(string, string) []forge.EnvVar { return nil }
