package github

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

// ErrUnauthorized is wrapped when the host answers 401: the token is revoked,
// expired or mistyped. It is every forge's (forge.ErrUnauthorized), so
// callers test for one error whatever the forge.
var ErrUnauthorized = forge.ErrUnauthorized

// Identity is what the host says about a token.
type Identity struct {
	Login string
	// Scopes are a classic token's OAuth scopes, from X-OAuth-Scopes. It is
	// nil when the header is absent (fine-grained and app tokens have no
	// scopes), empty when the token has none.
	Scopes []string
	// Expires is when the token stops working, from
	// GitHub-Authentication-Token-Expiration; zero when it never expires.
	Expires time.Time
	// ExpirationHeader is that header as sent, kept so a caller can say when
	// it could not be read.
	ExpirationHeader string
}

// maxBody bounds what is read of an answer: /user is a few kilobytes.
const maxBody = 1 << 20

// Who asks userURL (see UserURL) who token belongs to, through c (the one
// HTTP client every forge's API is asked with).
func Who(ctx context.Context, c *forge.Client, userURL, token string) (Identity, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, userURL, nil)
	if err != nil {
		return Identity{}, fmt.Errorf("cannot ask %s: %w", userURL, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", c.UserAgent)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		// The error names the URL and the cause (timeout, certificate,
		// refused connection); never the request's headers.
		return Identity{}, fmt.Errorf("cannot reach the API: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return Identity{}, fmt.Errorf("cannot read the answer of %s: %w", userURL, err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return Identity{}, ErrUnauthorized
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return Identity{}, fmt.Errorf("%s redirects to %s (HTTP %d); give the API address with --api-url", userURL, resp.Header.Get("Location"), resp.StatusCode)
	case resp.StatusCode == http.StatusNotFound:
		return Identity{}, fmt.Errorf("%s has no GitHub API (HTTP 404); give the API address with --api-url", userURL)
	case resp.StatusCode != http.StatusOK:
		return Identity{}, fmt.Errorf("%s answered HTTP %d%s", userURL, resp.StatusCode, apiMessage(body))
	}
	var user struct {
		Login string `json:"login"`
	}
	if err := json.Unmarshal(body, &user); err != nil || user.Login == "" {
		return Identity{}, fmt.Errorf("%s answered, but not with a GitHub user (no login in the answer)", userURL)
	}
	id := Identity{Login: user.Login, ExpirationHeader: resp.Header.Get("GitHub-Authentication-Token-Expiration")}
	if v, ok := resp.Header["X-Oauth-Scopes"]; ok {
		id.Scopes = ParseScopes(strings.Join(v, ","))
	}
	if id.ExpirationHeader != "" {
		id.Expires, _ = ParseExpiration(id.ExpirationHeader)
	}
	return id, nil
}

// ParseScopes splits X-OAuth-Scopes ("repo, workflow") into its scopes. The
// result is never nil.
func ParseScopes(header string) []string {
	scopes := []string{}
	for _, s := range strings.Split(header, ",") {
		if s = strings.TrimSpace(s); s != "" {
			scopes = append(scopes, s)
		}
	}
	return scopes
}

// apiMessage is ": MESSAGE" from a GitHub error answer ({"message": ...}),
// on one short line of printable text, or "".
func apiMessage(body []byte) string {
	var answer struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &answer) != nil || answer.Message == "" {
		return ""
	}
	msg := strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, answer.Message)
	if len(msg) > 200 {
		msg = msg[:200] + "..."
	}
	return ": " + msg
}
