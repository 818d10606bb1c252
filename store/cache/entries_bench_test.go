package cache

import (
	"fmt"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// benchEntries are entries as a busy store holds them: most with a path,
// an expiry, a kind and the times a verify and a get leave.
func benchEntries(n int) []credential.Entry {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	entries := make([]credential.Entry, n)
	for i := range entries {
		entries[i] = credential.Entry{
			Target:   credential.Target{Host: fmt.Sprintf("git%d.example", i%50), Path: fmt.Sprintf("owner%d/repo", i)},
			Token:    fmt.Sprintf("github_pat_%040d", i),
			Kind:     "fine-grained",
			Expires:  credential.ExpiryAt(now.AddDate(1, 0, i%300)),
			Added:    now.Add(-time.Duration(i) * time.Hour),
			LastUsed: now,
			Login:    "octocat",
			Scopes:   []string{"repo", "workflow"},
			Verified: now,
		}
	}
	return entries
}

// BenchmarkParseEntries is the daemon's decoding of what it holds, in
// place, as forHost and status do.
func BenchmarkParseEntries(b *testing.B) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	body, err := AppendEntries(nil, benchEntries(1000), now)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := ParseEntries(body, true); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseOneEntry is what a get costs the daemon: one host's entry
// decoded from its span.
func BenchmarkParseOneEntry(b *testing.B) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	body, err := AppendEntries(nil, benchEntries(1), now)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ParseEntries(body, true); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendEntries is the full program's put of what it read.
func BenchmarkAppendEntries(b *testing.B) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	entries := benchEntries(1000)
	var buf []byte
	for b.Loop() {
		var err error
		if buf, err = AppendEntries(buf[:0], entries, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexEntries is the daemon's check and index of a put.
func BenchmarkIndexEntries(b *testing.B) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	body, err := AppendEntries(nil, benchEntries(1000), now)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := IndexEntries(body); err != nil {
			b.Fatal(err)
		}
	}
}
