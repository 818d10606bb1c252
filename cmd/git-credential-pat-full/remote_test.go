package main

import "testing"

// TestHTTPSForSSH checks that an SSH remote is read by git's URL rule: the
// user part ends at the first "@", the port is dropped, the path decoded.
func TestHTTPSForSSH(t *testing.T) {
	for remote, want := range map[string]string{
		"ssh://git@github.com/acme/repo.git":       "https://github.com/acme/repo.git",
		"ssh://git@example.com:2222//acme/repo":    "https://example.com/acme/repo",
		"git+ssh://git@example.com/acme%2Dx/r.git": "https://example.com/acme-x/r.git",
		"git@github.com:acme/repo.git":             "https://github.com/acme/repo.git",
		"https://github.com/acme/repo.git":         "",
		"ssh://git@:22/repo":                       "",
	} {
		got, ok := httpsForSSH(remote)
		if got != want || ok != (want != "") {
			t.Errorf("httpsForSSH(%q) = %q, %v; want %q", remote, got, ok, want)
		}
	}
}
