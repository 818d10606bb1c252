package github

import (
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// The kinds GitHub documents, and "other" for anything else (a password, a
// GitLab or Gitea token). These names are stored in the vault and the
// keyring index: they never change.
const (
	KindClassic        credential.Kind = "classic"          // ghp_: classic personal access token
	KindFineGrained    credential.Kind = "fine-grained"     // github_pat_: fine-grained, one resource owner
	KindOAuth          credential.Kind = "oauth"            // gho_: OAuth app token
	KindUserToServer   credential.Kind = "user-to-server"   // ghu_: GitHub App user token
	KindServerToServer credential.Kind = "server-to-server" // ghs_: GitHub App installation token
	KindRefresh        credential.Kind = "refresh"          // ghr_: refresh token
	KindOther          credential.Kind = "other"
)

var kindPrefixes = []struct {
	prefix string
	kind   credential.Kind
}{
	{"github_pat_", KindFineGrained},
	{"ghp_", KindClassic},
	{"gho_", KindOAuth},
	{"ghu_", KindUserToServer},
	{"ghs_", KindServerToServer},
	{"ghr_", KindRefresh},
}

func init() {
	for _, p := range kindPrefixes {
		credential.DeclareTokenPrefixes(p.prefix)
	}
}

// KindOf detects a token's kind from its prefix.
func KindOf(token string) credential.Kind {
	for _, p := range kindPrefixes {
		if strings.HasPrefix(token, p.prefix) {
			return p.kind
		}
	}
	return KindOther
}

// Prefix is the prefix of tokens of kind k, or "" for a kind that is not
// GitHub's.
func Prefix(k credential.Kind) string {
	for _, p := range kindPrefixes {
		if p.kind == k {
			return p.prefix
		}
	}
	return ""
}
