//go:build unix

package store

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
	"github.com/git-credential-pat/git-credential-pat/store/cache/daemon"
)

var (
	_ credential.HostTokens = (*Vault)(nil)
	_ credential.HostTokens = (*Cache)(nil)
)

// The daemon answers a lookup with the host's entries alone, from the
// snapshot it holds: no passphrase, no vault read, other hosts never sent.
func TestCacheListHost(t *testing.T) {
	client := testCacheDir(t)
	gone := entry("h:8443/gone", "ghp_gone00000000000000000000000000001234")
	gone.Expires = time.Now().Add(-time.Hour)
	path := testVault(t, append(hostTestEntries(), gone)...)

	first := &passphraseCounter{pass: "secret"}
	got, err := newCachedVault(path, time.Hour, client, first).ListHost("h:8443")
	if err != nil || !slices.Equal(tokensOf(got), []string{"ghp_h8443", gone.Token}) {
		t.Fatalf("first lookup, from the vault: %q, %v", tokensOf(got), err)
	}
	// Re-keyed behind the daemon's back, stamp kept: only the daemon can
	// answer now.
	stamp := rekey(t, path, "another passphrase")
	tests := []struct {
		host string
		want []string
	}{
		{"github.com", []string{"ghp_acme", "ghp_alice", "ghp_plain", "ghp_case"}},
		{"github.com:8443", []string{"ghp_port"}},
		{"h:8443", []string{"ghp_h8443", cache.Withhold(gone.Token)}}, // the expired token withheld
		{"h", []string{"ghp_h"}},
		{"GitHub.com", nil},
		{"example.com", nil},
	}
	for _, tt := range tests {
		none := &passphraseCounter{}
		got, err := newPinnedVault(path, stamp, time.Hour, client, none).ListHost(tt.host)
		if err != nil || !slices.Equal(tokensOf(got), tt.want) || none.asked.Load() != 0 {
			t.Fatalf("ListHost(%q) = %q, %v (passphrase asked %d times); want %q from the daemon",
				tt.host, tokensOf(got), err, none.asked.Load(), tt.want)
		}
		// What the daemon sent holds the host's entries and nothing else.
		status, _, body, err := client.Call(&cache.Request{Op: cache.OpGetHost, Key: testKey, Meta: []byte(tt.host)})
		var sent cache.Snapshot
		if err != nil || status != cache.ReplyOK || json.Unmarshal(body, &sent) != nil {
			t.Fatalf("gethost %q: %s %q, %v", tt.host, status, body, err)
		}
		if !slices.Equal(tokensOf(sent.Entries), tt.want) {
			t.Fatalf("the daemon sent %q for %q; want %q only", tokensOf(sent.Entries), tt.host, tt.want)
		}
		if len(tt.want) == 0 && strings.Contains(string(body), "ghp_") {
			t.Fatalf("the daemon sent a token for %q, which has none: %q", tt.host, body)
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

// A snapshot put the way an older client puts it (one JSON document, no
// places in its description) is served whole: gethost misses, and ListHost
// still answers from the daemon.
func TestCacheListHostOlderSnapshot(t *testing.T) {
	client := testCacheDir(t)
	path := testVault(t, hostTestEntries()...)
	c := newCachedVault(path, time.Hour, client, &passphraseCounter{})
	status, epoch, _, err := client.Call(&cache.Request{Op: cache.OpDrop, Key: testKey})
	if errors.Is(err, cache.ErrNotRunning) {
		if err := client.Start(); err != nil {
			t.Fatal(err)
		}
		status, epoch, _, err = client.Call(&cache.Request{Op: cache.OpDrop, Key: testKey})
	}
	if err != nil || status != cache.ReplyOK {
		t.Fatalf("drop: %s, %v", status, err)
	}
	body, _ := json.Marshal(cache.Snapshot{Stamp: c.stamp(), Entries: hostTestEntries()})
	meta, _ := json.Marshal([]daemon.SnapshotEntry{{Target: "github.com"}})
	if status, _, _, err := client.Call(&cache.Request{Op: cache.OpPut, Key: testKey, Epoch: epoch, TimeoutMS: 60000, Meta: meta, Body: body}); err != nil || status != cache.ReplyOK {
		t.Fatalf("put: %s, %v", status, err)
	}
	if status, _, _, err := client.Call(&cache.Request{Op: cache.OpGetHost, Key: testKey, Meta: []byte("h")}); err != nil || status != cache.ReplyMiss {
		t.Fatalf("gethost of a snapshot without places: %s, %v; want a miss", status, err)
	}
	got, err := c.ListHost("h")
	if err != nil || !slices.Equal(tokensOf(got), []string{"ghp_h"}) {
		t.Fatalf("ListHost = %q, %v; want the entry, from the whole snapshot", tokensOf(got), err)
	}
}

// BenchmarkCacheListHost is one cached lookup among 10,000 entries on as
// many hosts: connect, ask for one host, decode its entries.
func BenchmarkCacheListHost(b *testing.B) {
	benchCachedLookup(b, func(c *Cache) ([]credential.Entry, error) { return c.ListHost("host0.example.com") }, 1)
}

// BenchmarkCacheList10000 is the same lookup as it was before ListHost:
// the whole snapshot sent and decoded.
func BenchmarkCacheList10000(b *testing.B) {
	benchCachedLookup(b, func(c *Cache) ([]credential.Entry, error) { return c.List() }, 10000)
}

func benchCachedLookup(b *testing.B, lookup func(*Cache) ([]credential.Entry, error), want int) {
	client := testCacheDir(b)
	path := benchVault(b, 10000)
	pass := &passphraseCounter{pass: "pw"}
	if _, err := newCachedVault(path, time.Hour, client, pass).List(); err != nil {
		b.Fatal(err)
	}
	none := &passphraseCounter{}
	b.ResetTimer()
	for b.Loop() {
		entries, err := lookup(newCachedVault(path, time.Hour, client, none))
		if err != nil || len(entries) != want {
			b.Fatalf("cached lookup: %d entries, %v; want %d", len(entries), err, want)
		}
	}
	if none.asked.Load() != 0 {
		b.Fatal("the benchmark read the vault")
	}
}
