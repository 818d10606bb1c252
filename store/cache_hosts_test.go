//go:build unix

package store_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store"
	"github.com/git-credential-pat/git-credential-pat/store/backend"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
	"github.com/git-credential-pat/git-credential-pat/store/vault"
)

var (
	_ credential.HostTokens = (*vault.Vault)(nil)
	_ credential.HostTokens = (*store.Cache)(nil)
)

// A lookup is answered with the host's entries from what the daemon
// holds: no passphrase, no vault read; an expired token is withheld, its
// entry kept.
func TestCacheListHost(t *testing.T) {
	client := testCacheDir(t)
	gone := entry("h:8443/gone", "ghp_gone00000000000000000000000000001234")
	gone.Expires = credential.ExpiryAt(time.Now().Add(-time.Hour))
	path := testVault(t, append(hostTestEntries(), gone)...)

	first := &passphraseCounter{pass: "secret"}
	got, err := newCachedVault(path, time.Hour, client, first).ListHost("h:8443")
	if err != nil || !slices.Equal(tokensOf(got), []string{"ghp_h8443", gone.Token}) {
		t.Fatalf("first lookup, from the vault: %q, %v", tokensOf(got), err)
	}
	tests := []struct {
		host string
		want []string // masked
	}{
		{"github.com", []string{"ghp_****", "ghp_****", "ghp_****", "ghp_****"}},
		{"github.com:8443", []string{"ghp_****"}},
		{"h:8443", []string{"ghp_****", "ghp_****1234"}},
		{"GitHub.com", nil},
		{"example.com", nil},
	}
	for _, tt := range tests {
		none := &passphraseCounter{}
		got, err := newCachedVault(path, time.Hour, client, none).ListHost(tt.host)
		var masked []string
		for _, e := range got {
			masked = append(masked, credential.Masked(e.Token))
		}
		if err != nil || !slices.Equal(masked, tt.want) || none.asked.Load() != 0 {
			t.Fatalf("ListHost(%q) = %q, %v (passphrase asked %d times); want %q from the daemon",
				tt.host, masked, err, none.asked.Load(), tt.want)
		}
		for _, e := range got {
			if e.Path == "gone" && !cache.IsWithheld(e.Token) {
				t.Fatalf("the expired token came back from the daemon")
			}
		}
	}
	// The stamp is still checked: a vault changed behind the daemon's back
	// is read again.
	if err := os.WriteFile(path, []byte("not a vault\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := newCachedVault(path, time.Hour, client, &passphraseCounter{}).ListHost("h"); err == nil || !strings.Contains(err.Error(), "not an age file") {
		t.Fatalf("after the vault was replaced: %v; want the replaced file refused", err)
	}
}

// BenchmarkDaemonGet1 and BenchmarkDaemonGet10000 are one get the front
// relays, answered by the daemon from what it holds: one entry, and one
// among 10,000 on as many hosts. The second should cost about what the
// first does.
func BenchmarkDaemonGet1(b *testing.B)     { benchDaemonGet(b, 1) }
func BenchmarkDaemonGet10000(b *testing.B) { benchDaemonGet(b, 10000) }

func benchDaemonGet(b *testing.B, n int) {
	client := testCacheDir(b)
	data := b.TempDir()
	path := filepath.Join(data, "git-credential-pat", "vault.age")
	// The vault's folder, its key file with it.
	if err := os.Rename(filepath.Dir(benchVault(b, n)), filepath.Dir(path)); err != nil {
		b.Fatal(err)
	}
	if _, err := newCachedVault(path, time.Hour, client, &passphraseCounter{pass: "pw"}).List(); err != nil {
		b.Fatal(err)
	}
	if backend.Stamp(backend.Vault(path)) == "none" {
		b.Fatal("no vault")
	}
	req := &cache.Request{
		Op:   cache.OpGet,
		Args: []string{"--backend=file", "get"},
		Env:  []string{"XDG_DATA_HOME=" + data},
		Body: []byte("protocol=https\nhost=host0.example.com\npath=owner/repo.git\n"),
	}
	b.ResetTimer()
	for b.Loop() {
		reply, err := client.Call(req)
		if err != nil || reply.Status != cache.StatusAnswer || !strings.Contains(string(reply.Body), "password=github_pat_") {
			b.Fatalf("relayed get: %+v, %v", reply, err)
		}
	}
}
