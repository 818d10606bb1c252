package vault

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// hostTestEntries spans hosts that differ only by port, case or prefix,
// so that a host compared loosely would let another host's entry through.
func hostTestEntries() []credential.Entry {
	return []credential.Entry{
		testEntry("github.com/acme", "ghp_acme"),
		testEntry("h:8443", "ghp_h8443"),
		testEntry("github.com:8443", "ghp_port"),
		testEntry("h", "ghp_h"),
		testEntry("alice@github.com", "ghp_alice"),
		testEntry("gitlab.github.com", "ghp_sub"),
		testEntry("github.com", "ghp_plain"),
		testEntry("GitHub.COM/Other", "ghp_case"), // ParseTarget lower-cases the host
	}
}

func tokensOf(entries []credential.Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Token)
	}
	return out
}

func TestVaultListHost(t *testing.T) {
	dir := t.TempDir()
	if err := newTestVault(t, dir, "pw").Add(hostTestEntries()...); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host string
		want []string
	}{
		{"github.com", []string{"ghp_acme", "ghp_alice", "ghp_plain", "ghp_case"}},
		{"github.com:8443", []string{"ghp_port"}},
		{"h:8443", []string{"ghp_h8443"}},
		{"h", []string{"ghp_h"}},
		{"gitlab.github.com", []string{"ghp_sub"}},
		{"GitHub.com", nil}, // hosts are stored normalized; callers normalize
		{"example.com", nil},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			// A fresh vault decodes lazily; the one that wrote holds
			// every entry decoded. Both must answer alike.
			writer := newTestVault(t, dir, "pw")
			if _, err := writer.List(); err != nil {
				t.Fatal(err)
			}
			for name, v := range map[string]*Vault{"fresh": newTestVault(t, dir, "pw"), "decoded": writer} {
				got, err := v.ListHost(tt.host)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !slices.Equal(tokensOf(got), tt.want) {
					t.Fatalf("%s: ListHost(%q) = %q; want %q", name, tt.host, tokensOf(got), tt.want)
				}
				for _, e := range got {
					if e.Host != tt.host || e.Kind != github.KindClassic || e.Added.IsZero() {
						t.Fatalf("%s: entry %+v is not decoded whole", name, e.Target)
					}
				}
			}
		})
	}
}

// A vault written by hand (whitespace, escapes, "host" not first) has no
// fast path: its entries are decoded and still found, and a damaged entry
// of the host asked for is refused, not skipped.
func TestVaultListHostHandWritten(t *testing.T) {
	plaintext := `{"format":"git-credential-pat vault v1","entries":[
	 {"host":"github.com","token":"ghp_spaced"},
	 {"token":"ghp_late","host":"github.com"},
	 {"host":"git\u0068ub.com","token":"ghp_escaped"},
	 {"host":"example.com","token":"ghp_other"}]}`
	v := writePlainVault(t, plaintext)
	got, err := v.ListHost("github.com")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"ghp_spaced", "ghp_late", "ghp_escaped"}; !slices.Equal(tokensOf(got), want) {
		t.Fatalf("ListHost = %q; want %q", tokensOf(got), want)
	}

	v = writePlainVault(t, `{"format":"git-credential-pat vault v1","entries":[{"host":"github.com","token":5}]}`)
	if _, err := v.ListHost("github.com"); err == nil {
		t.Fatal("a damaged entry of the host was skipped; want the vault refused")
	}
	v = writePlainVault(t, `{"format":"something else","entries":[]}`)
	if _, err := v.ListHost("github.com"); err == nil {
		t.Fatal("a foreign format was read; want it refused")
	}
}

// writePlainVault encrypts plaintext as a vault, as age -p would.
func writePlainVault(t *testing.T, plaintext string) *Vault {
	t.Helper()
	v := newTestVault(t, t.TempDir(), "pw")
	r, err := age.NewScryptRecipient("pw")
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(testWorkFactor)
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(plaintext))
	w.Close()
	if err := os.MkdirAll(filepath.Dir(v.Path()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := files.WriteAtomic(v.Path(), buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	return v
}

// The fast path must agree with a full decode for every host json.Marshal
// can write, escaped or not.
func TestItemHostIs(t *testing.T) {
	hosts := []string{"github.com", "h:8443", "", "a\"b", `a\b`, "a<b", "ü.example", "a\u2028b", "\x00", "a b", "a\x7fb"}
	for _, stored := range hosts {
		item, err := json.Marshal(credential.Entry{Target: credential.Target{Host: stored}})
		if err != nil {
			t.Fatal(err)
		}
		for _, asked := range hosts {
			is, known := itemHostIs(item, asked)
			if known && is != (stored == asked) {
				t.Errorf("itemHostIs(%s, %q) = %v; want %v", item, asked, is, stored == asked)
			}
			if !known && stored == "github.com" {
				t.Errorf("itemHostIs(%s) took the slow path for a plain host", item)
			}
		}
	}
}

// benchVault writes a vault of n entries on n hosts at a low work factor,
// so the figures are what decoding costs beyond the key derivation.
func benchVault(b *testing.B, n int) string {
	b.Helper()
	v := newTestVault(b, b.TempDir(), "pw")
	entries := make([]credential.Entry, n)
	for i := range entries {
		e := testEntry(fmt.Sprintf("host%d.example.com/owner", i), fmt.Sprintf("github_pat_%040d", i))
		e.Expires = credential.ExpiryAt(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
		e.Note = "an ordinary note"
		entries[i] = e
	}
	if err := v.Add(entries...); err != nil {
		b.Fatal(err)
	}
	return v.Path()
}

// BenchmarkVaultListHost is a lookup's read of a vault of 10,000 entries:
// decrypt, then decode only the host's entries.
func BenchmarkVaultListHost(b *testing.B) {
	for _, n := range []int{1, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			path := benchVault(b, n)
			for b.Loop() {
				v := New(path, Options{Passphrase: func(bool) ([]byte, error) { return []byte("pw"), nil }})
				got, err := v.ListHost("host0.example.com")
				if err != nil || len(got) != 1 {
					b.Fatalf("%d entries, %v; want 1", len(got), err)
				}
			}
		})
	}
}

// BenchmarkVaultList is the same read decoding every entry, as a lookup
// did before ListHost.
func BenchmarkVaultList(b *testing.B) {
	for _, n := range []int{1, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			path := benchVault(b, n)
			for b.Loop() {
				v := New(path, Options{Passphrase: func(bool) ([]byte, error) { return []byte("pw"), nil }})
				got, err := v.List()
				if err != nil || len(got) != n {
					b.Fatalf("%d entries, %v; want %d", len(got), err, n)
				}
			}
		})
	}
}

// Entries larger than the stream's buffer, and many of them across chunk
// boundaries, are found whole.
func TestVaultListHostLargeEntries(t *testing.T) {
	dir := t.TempDir()
	var entries []credential.Entry
	for i := range 300 {
		e := testEntry(fmt.Sprintf("host%d.example.com/o%d", i%7, i), fmt.Sprintf("ghp_%036d", i))
		e.Note = strings.Repeat("n", (i%5)*40000) // up to 160 KB, beyond one 64 KB chunk
		entries = append(entries, e)
	}
	if err := newTestVault(t, dir, "pw").Add(entries...); err != nil {
		t.Fatal(err)
	}
	got, err := newTestVault(t, dir, "pw").ListHost("host3.example.com")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i, e := range entries {
		if i%7 == 3 {
			want = append(want, e.Token)
			if got := got[len(want)-1]; got.Note != e.Note {
				t.Fatalf("entry %d: note of %d bytes; want %d", i, len(got.Note), len(e.Note))
			}
		}
	}
	if !slices.Equal(tokensOf(got), want) {
		t.Fatalf("ListHost = %d entries; want %d", len(got), len(want))
	}
}

// A vault cut short or with bytes appended is refused, even when every
// entry of the host was seen before the damage.
func TestVaultListHostRefusesTruncated(t *testing.T) {
	dir := t.TempDir()
	var entries []credential.Entry
	for i := range 2000 {
		entries = append(entries, testEntry(fmt.Sprintf("host%d.example.com", i), fmt.Sprintf("ghp_%036d", i)))
	}
	v := newTestVault(t, dir, "pw")
	if err := v.Add(entries...); err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(v.Path())
	if err != nil {
		t.Fatal(err)
	}
	for name, damaged := range map[string][]byte{
		"cut at a chunk boundary": whole[:len(whole)-len(whole)%(64*1024+16)],
		"cut in the last chunk":   whole[:len(whole)-10],
		"appended":                append(slices.Clone(whole), 'x'),
	} {
		if err := os.WriteFile(v.Path(), damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := newTestVault(t, dir, "pw").ListHost("host0.example.com")
		if err == nil {
			t.Errorf("%s: ListHost = %d entries, no error; want the vault refused", name, len(got))
		}
	}
}

// objectLength finds the end of any entry json.Marshal writes, whatever its
// strings hold: quotes, runs of backslashes, brackets.
func FuzzObjectLength(f *testing.F) {
	for _, s := range []string{"", `"`, `\`, `\\`, `\"`, `\\"`, `}`, `{"a":[1]}`, "\\\\\\\"}]", "ü\u2028"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, note, path string) {
		e := testEntry("github.com", "ghp_x")
		e.Note, e.Path = note, path
		item, err := json.Marshal(e)
		if err != nil {
			t.Skip()
		}
		followed := append(slices.Clone(item), `,{"host":"b"}]}`...)
		if n := objectLength(followed); n != len(item) {
			t.Fatalf("objectLength(%s) = %d; want %d", followed, n, len(item))
		}
		if n := objectLength(item[:len(item)-1]); n != 0 {
			t.Fatalf("objectLength of a cut object = %d; want 0", n)
		}
	})
}
