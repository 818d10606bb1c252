package gitlab

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

// scopeName is the shape of GitLab's scopes: api, read_repository,
// write_repository, self_rotate, ...
var scopeName = regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)

// CheckScope refuses what is not shaped like a GitLab scope. Names are not
// checked against a list: GitLab adds scopes more often than this helper
// is released.
func CheckScope(s string) error {
	if !scopeName.MatchString(s) {
		return fmt.Errorf("%q is not a GitLab scope; scopes are such as write_repository, read_api or self_rotate", s)
	}
	return nil
}

// ScopeGit is the scope git over HTTPS needs: write_repository lets a
// token clone, fetch and push.
const ScopeGit = "write_repository"

// NewTokenURL is https://HOST/-/user_settings/personal_access_tokens with
// the name, description and comma-joined scopes filled in, each only when
// given; duplicate scopes are dropped. Scopes left nil ask for ScopeGit;
// an empty list asks for none.
func (Forge) NewTokenURL(host string, t forge.NewToken) (string, error) {
	if host == "" || strings.ContainsAny(host, "/?#@ ") {
		return "", fmt.Errorf("%q is not a host name", host)
	}
	if t.Scopes == nil {
		t.Scopes = []string{ScopeGit}
	}
	q := url.Values{}
	if t.Name != "" {
		q.Set("name", t.Name)
	}
	if t.Description != "" {
		q.Set("description", t.Description)
	}
	scopes, err := forge.JoinScopes(t.Scopes, CheckScope)
	if err != nil {
		return "", err
	}
	if scopes != "" {
		q.Set("scopes", scopes)
	}
	u := url.URL{Scheme: "https", Host: host, Path: "/-/user_settings/personal_access_tokens", RawQuery: q.Encode()}
	return u.String(), nil
}
