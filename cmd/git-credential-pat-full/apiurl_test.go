package main

import (
	"testing"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// TestAPIBaseIgnoresKnownHosts: an API address an older build stored on a
// host whose API is known is never where the token goes.
func TestAPIBaseIgnoresKnownHosts(t *testing.T) {
	saved := testOnlyGitHubAPI
	testOnlyGitHubAPI = ""
	defer func() { testOnlyGitHubAPI = saved }()
	for _, tc := range []struct {
		host, stored, want string
	}{
		{"github.com", "https://evil.example/api/v3", ""},
		{"gitlab.com", "https://evil.example/api/v4", ""},
		{"codeberg.org", "https://evil.example/api/v1", ""},
		{"ghe.example.com", "https://api.ghe.example.com/api/v3", "https://api.ghe.example.com/api/v3"},
		{"ghe.example.com", "", ""},
	} {
		e := credential.Entry{Target: credential.Target{Host: tc.host, Path: "acme"}, APIURL: tc.stored}
		if got := apiBase(e); got != tc.want {
			t.Errorf("apiBase(%s with %q) = %q, want %q", tc.host, tc.stored, got, tc.want)
		}
	}
}

// TestAPIURLFor: --api-url is refused for a known forge host.
func TestAPIURLFor(t *testing.T) {
	u := "https://ghe.example.com/api/v3"
	f := &tokenCheckFlags{apiURL: &u}
	for host, ok := range map[string]bool{"github.com": false, "gitlab.com": false, "bitbucket.org": false, "dev.azure.com": false, "ghe.example.com": true, "git.example.com:8443": true} {
		got, err := f.apiURLFor(host)
		if ok && (err != nil || got != u) || !ok && err == nil {
			t.Errorf("apiURLFor(%s) = %q, %v; want it taken: %v", host, got, err, ok)
		}
	}
}
