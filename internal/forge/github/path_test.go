package github

import "testing"

func TestIsHost(t *testing.T) {
	for host, want := range map[string]bool{
		"github.com":          true,
		"github.com:8443":     true,
		"acme.ghe.com":        true,
		".ghe.com":            false,
		"ghe.com":             false,
		"gitlab.com":          false,
		"github.com.evil.com": false,
		"notgithub.com":       false,
		"ghe.example.com":     false,
		"[::1]:443":           false,
	} {
		if got := IsHost(host); got != want {
			t.Errorf("IsHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestCheckPath(t *testing.T) {
	for path, ok := range map[string]bool{
		"":                  true,
		"acme":              true,
		"acme/repo":         true,
		"Acme-1/my_repo.js": true,
		"acme/repo/extra":   false, // GitHub has no nested groups
		"group/sub/repo":    false,
		"a b":               false, // a space, typed as %20
		"acme/répo":         false,
		"acme/repo;rm":      false,
	} {
		if err := CheckPath(path); (err == nil) != ok {
			t.Errorf("CheckPath(%q) = %v, want ok=%v", path, err, ok)
		}
	}
}
