package credential

import "testing"

func TestNewCommand(t *testing.T) {
	for _, tc := range []struct {
		e    Entry
		want string
	}{
		{Entry{Target: Target{Host: "github.com", Path: "acme"}}, "git-credential-pat new github.com/acme"},
		{Entry{Target: Target{Host: "github.com", Path: "acme", Username: "alice", HasUsername: true}}, "git-credential-pat new alice@github.com/acme"},
		{Entry{Target: Target{Host: "github.com"}, Scopes: []string{"repo"}}, "git-credential-pat new github.com"},
		{Entry{Target: Target{Host: "github.com"}, Scopes: []string{"repo", "workflow", "read:org"}}, "git-credential-pat new github.com --scope workflow,read:org"},
		{Entry{Target: Target{Host: "github.com", Path: "acme"}, Scopes: []string{"repo", "gist"}}, "git-credential-pat new github.com/acme --classic --scope gist"},
		// A scope list the host filled with something else stays out.
		{Entry{Target: Target{Host: "github.com"}, Scopes: []string{"repo", "x; rm -rf ~", "\x1b[2J"}}, "git-credential-pat new github.com"},
	} {
		if got := NewCommand(tc.e); got != tc.want {
			t.Errorf("NewCommand(%v) = %q, want %q", tc.e.Target, got, tc.want)
		}
	}
}
