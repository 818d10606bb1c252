package credential

import "strings"

// Kind is what sort of token a secret is, read from its prefix.
type Kind string

// The kinds GitHub documents, and "other" for anything else (a password, a
// GitLab or Gitea token).
const (
	KindClassic        Kind = "classic"          // ghp_: classic personal access token
	KindFineGrained    Kind = "fine-grained"     // github_pat_: fine-grained, one resource owner
	KindOAuth          Kind = "oauth"            // gho_: OAuth app token
	KindUserToServer   Kind = "user-to-server"   // ghu_: GitHub App user token
	KindServerToServer Kind = "server-to-server" // ghs_: GitHub App installation token
	KindRefresh        Kind = "refresh"          // ghr_: refresh token
	KindOther          Kind = "other"
)

var kindPrefixes = []struct {
	prefix string
	kind   Kind
}{
	{"github_pat_", KindFineGrained},
	{"ghp_", KindClassic},
	{"gho_", KindOAuth},
	{"ghu_", KindUserToServer},
	{"ghs_", KindServerToServer},
	{"ghr_", KindRefresh},
}

// KindOf detects a token's kind from its prefix.
func KindOf(token string) Kind {
	for _, p := range kindPrefixes {
		if strings.HasPrefix(token, p.prefix) {
			return p.kind
		}
	}
	return KindOther
}

// Prefix is the kind's token prefix, or "" for KindOther.
func (k Kind) Prefix() string {
	for _, p := range kindPrefixes {
		if p.kind == k {
			return p.prefix
		}
	}
	return ""
}
