package bitbucket

import (
	"context"
	"errors"
	"testing"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

func TestKindsAndUsernames(t *testing.T) {
	f := Forge{}
	target := credential.Target{Host: "bitbucket.org", Path: "team"}
	for _, tc := range []struct {
		token string
		kind  credential.Kind
		user  string
	}{
		{"ATATT3xFfGF0T4abcdef", KindAPIToken, "x-bitbucket-api-token-auth"},
		{"ATBBabcdef", KindAppPassword, ""}, // the account's own user name: the person gives it
		{"ATCTT3xFfGN0abcdef", KindAccessToken, "x-token-auth"},
		{"anything-else", KindAccessToken, "x-token-auth"},
	} {
		kind := f.KindOf(tc.token)
		if kind != tc.kind {
			t.Errorf("KindOf(%q) = %q, want %q", tc.token, kind, tc.kind)
		}
		if got := f.DefaultUsername(target, kind); got != tc.user {
			t.Errorf("DefaultUsername(%q) = %q, want %q", kind, got, tc.user)
		}
		if err := f.CheckFormat(tc.token); err != nil {
			t.Errorf("CheckFormat(%q) = %v; Bitbucket publishes no shape", tc.token, err)
		}
	}
}

func TestCheckPath(t *testing.T) {
	for path, ok := range map[string]bool{"": true, "team": true, "team/repo": true, "team/project/repo": false, "team/r p": false} {
		if err := (Forge{}).CheckPath(path); (err == nil) != ok {
			t.Errorf("CheckPath(%q) = %v, want ok=%v", path, err, ok)
		}
	}
}

func TestNoAPINoPage(t *testing.T) {
	if _, err := (Forge{}).Verify(context.Background(), nil, "bitbucket.org", "", "ATATT3x"); !errors.Is(err, forge.ErrNoAPI) {
		t.Errorf("Verify = %v, want ErrNoAPI", err)
	}
	if _, err := (Forge{}).NewTokenURL("bitbucket.org", forge.NewToken{}); !errors.Is(err, forge.ErrNoTokenPage) {
		t.Errorf("NewTokenURL = %v, want ErrNoTokenPage", err)
	}
}
