package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

// APIBase is the REST API of a GitLab host: https://HOST/api/v4.
func APIBase(host string) string { return "https://" + host + "/api/v4" }

// tokenSelf is GET /personal_access_tokens/self's answer (GitLab 15.5+).
type tokenSelf struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Revoked   bool     `json:"revoked"`
	Active    bool     `json:"active"`
	Scopes    []string `json:"scopes"`
	UserID    int64    `json:"user_id"`
	ExpiresAt *string  `json:"expires_at"` // "2030-09-01", or null: no expiry
}

// Verify asks GET /personal_access_tokens/self for the token's name,
// scopes and expiry, then GET /user for its account's user name. The
// second answers only a token with a scope that reads the user (read_user,
// read_api, api); without one the login stays unknown, and that is no
// failure: the token works for git all the same.
func (Forge) Verify(ctx context.Context, c *forge.Client, host, apiURL, token string) (forge.Identity, error) {
	base := strings.TrimRight(apiURL, "/")
	if base == "" {
		base = APIBase(host)
	}
	// PRIVATE-TOKEN is how GitLab's API documentation sends an access token.
	header := http.Header{"Private-Token": {token}}
	var self tokenSelf
	_, err := c.GetJSON(ctx, base+"/personal_access_tokens/self", header, &self)
	var httpErr *forge.HTTPError
	switch {
	case errors.As(err, &httpErr) && httpErr.Status == http.StatusNotFound:
		return forge.Identity{}, fmt.Errorf("%w; GitLab answers it from version 15.5: on an older GitLab, store the expiry with --expires; if the API is elsewhere, give it with --api-url", err)
	case errors.As(err, &httpErr) && httpErr.Status == http.StatusForbidden:
		return forge.Identity{}, fmt.Errorf("%w; the token may lack a scope this API needs (read_api or api): store the expiry with --expires", err)
	case err != nil:
		return forge.Identity{}, err
	case self.Name == "" && self.ID == 0:
		return forge.Identity{}, fmt.Errorf("%s/personal_access_tokens/self answered, but not with a GitLab token (no id or name in the answer)", base)
	case self.Revoked:
		return forge.Identity{}, fmt.Errorf("%w, saying the token %q is revoked", forge.ErrUnauthorized, self.Name)
	case !self.Active:
		return forge.Identity{}, fmt.Errorf("%w, saying the token %q is no longer active (expired)", forge.ErrUnauthorized, self.Name)
	}
	id := forge.Identity{TokenName: self.Name, Scopes: self.Scopes}
	if id.Scopes == nil {
		id.Scopes = []string{}
	}
	if self.ExpiresAt != nil {
		if id.Expires, err = ParseExpiresAt(*self.ExpiresAt); err != nil {
			id.ExpiryUnread = *self.ExpiresAt
		}
	}
	var user struct {
		Username string `json:"username"`
	}
	if _, err := c.GetJSON(ctx, base+"/user", header, &user); err == nil {
		id.Login = user.Username
	}
	return id, nil
}

// ParseExpiresAt reads expires_at: a date, "2030-09-01". GitLab's tokens
// stop working as that day begins, at midnight UTC, so that is the expiry
// recorded: on the day itself git is no longer given the token. A full
// RFC 3339 time is taken as it is.
func ParseExpiresAt(v string) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, v, time.UTC); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("the token expiry %q is not a date of the form 2006-01-02", v)
}
