//go:build unix

package store_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store/vault"
)

// The entries the host lookups are tried on: hosts that differ by port,
// by a prefix, and in case.
func hostTestEntries() []credential.Entry {
	return []credential.Entry{
		entry("github.com/acme", "ghp_acme"),
		entry("h:8443", "ghp_h8443"),
		entry("github.com:8443", "ghp_port"),
		entry("h", "ghp_h"),
		entry("alice@github.com", "ghp_alice"),
		entry("gitlab.github.com", "ghp_sub"),
		entry("github.com", "ghp_plain"),
		entry("GitHub.COM/Other", "ghp_case"), // ParseTarget lower-cases the host
	}
}

func tokensOf(entries []credential.Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Token)
	}
	return out
}

// benchVault is a vault of n entries on as many hosts, at a low work
// factor; it returns the vault's path.
func benchVault(b *testing.B, n int) string {
	b.Helper()
	v := vault.New(filepath.Join(b.TempDir(), "pat", "vault.age"), vault.Options{
		Passphrase:       func(bool) ([]byte, error) { return []byte("pw"), nil },
		ScryptWorkFactor: 10,
	})
	entries := make([]credential.Entry, n)
	for i := range entries {
		e := entry(fmt.Sprintf("host%d.example.com/owner", i), fmt.Sprintf("github_pat_%040d", i))
		e.Expires = credential.ExpiryAt(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
		e.Note = "an ordinary note"
		entries[i] = e
	}
	if err := v.Add(entries...); err != nil {
		b.Fatal(err)
	}
	return v.Path()
}
