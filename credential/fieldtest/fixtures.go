// Package fieldtest holds what the tests of every entry codec share: an
// entry with every field set through credential.Fields, and fixed entries
// whose encodings by earlier releases are kept in each codec's testdata, so
// that a codec following the field table is held to read (and, for the
// stores, write) the same bytes as before.
package fieldtest

import (
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// FixtureNow is the time the fixtures were encoded at: the cache wire
// withholds the tokens of entries expired by then.
var FixtureNow = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// Fixtures are the entries whose encodings are kept in testdata. They are
// written out here, field by field, and never through the table: they stay
// what the earlier releases encoded, whatever the table becomes.
func Fixtures() []credential.Entry {
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	return []credential.Entry{
		{ // every field
			Target:            credential.Target{Host: "github.com", Path: "Acme/Widgets", Username: "alice", HasUsername: true},
			Token:             "github_pat_11AAAAfixture",
			Kind:              "fine-grained",
			Forge:             "github",
			Expires:           credential.ExpiryAt(at("2031-02-03T23:59:59Z")),
			OAuthRefreshToken: "ghr_refreshfixture",
			Note:              " two  words ",
			AllowHTTP:         true,
			Added:             at("2026-11-25T10:00:00.123456789Z"),
			LastUsed:          at("2026-11-26T00:00:00Z"),
			AuthType:          "Bearer",
			Credential:        "cred-fixture",
			FromGit:           true,
			Refused:           at("2026-11-27T08:30:00Z"),
			Login:             "octocat",
			Scopes:            []string{"repo", "read:org"},
			Verified:          at("2026-11-28T09:00:00Z"),
			APIURL:            "https://ghe.example.com/api/v3",
		},
		{ // the least an entry holds
			Target: credential.Target{Host: "gitlab.example:8443"},
			Token:  "glpat-fixture",
			Kind:   "pat",
			Added:  at("2026-01-02T03:04:05Z"),
		},
		{ // an empty user name, a credential without a token or refresh token, never expires
			Target:     credential.Target{Host: "h.example", HasUsername: true},
			Kind:       "other",
			Expires:    credential.ExpiryNever,
			Added:      at("2026-01-02T03:04:05Z"),
			AuthType:   "Bearer",
			Credential: "cred-only",
		},
		{ // an expiry past year 9999, a refresh token without a credential
			Target:            credential.Target{Host: "codeberg.org", Path: "me"},
			Token:             "gitea-fixture",
			Kind:              "oauth",
			Expires:           credential.ExpiryAt(time.Unix(300000000000, 0).UTC()),
			OAuthRefreshToken: "refresh-only",
			Added:             at("2026-01-02T03:04:05Z"),
		},
		{ // expired at FixtureNow: the wire withholds its token
			Target:            credential.Target{Host: "github.com", Path: "old"},
			Token:             "ghp_expiredfixture1234",
			Kind:              "classic",
			Expires:           credential.ExpiryAt(at("2029-06-30T23:59:59Z")),
			OAuthRefreshToken: "ghr_expired",
			Credential:        "cred-expired",
			AuthType:          "Bearer",
			Added:             at("2026-01-02T03:04:05Z"),
		},
	}
}
