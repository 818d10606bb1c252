package vault

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/store"
	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// testWorkFactor keeps unit tests fast; BenchmarkVaultUnlock measures the
// real cost.
const testWorkFactor = 10

func newTestVault(t testing.TB, dir, passphrase string) *Vault {
	t.Helper()
	return New(filepath.Join(dir, "pat", "vault.age"), Options{
		Passphrase:       func(bool) ([]byte, error) { return []byte(passphrase), nil },
		ScryptWorkFactor: testWorkFactor,
		LockTimeout:      10 * time.Second,
	})
}

func testEntry(target, token string) credential.Entry {
	t, err := credential.ParseTarget(target)
	if err != nil {
		panic(err)
	}
	return credential.Entry{Target: t, Token: token, Kind: github.KindOf(token), Added: time.Now().UTC().Truncate(time.Second)}
}

func TestVaultRoundTrip(t *testing.T) {
	dir := t.TempDir()
	v := newTestVault(t, dir, "pw")
	if entries, err := v.List(); err != nil || len(entries) != 0 {
		t.Fatalf("List of a missing vault = %v, %v; want empty", entries, err)
	}
	a, b := testEntry("github.com/acme", "ghp_a"), testEntry("alice@github.com", "ghp_b")
	b.Expires = credential.EndOfDay(time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC))
	if err := v.Add(a, b); err != nil {
		t.Fatal(err)
	}
	// A fresh Vault reads what the first wrote.
	got, err := newTestVault(t, dir, "pw").List()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Token != "ghp_a" || got[1].Token != "ghp_b" || !got[1].Expires.Equal(b.Expires.Time) || got[1].Username != "alice" {
		t.Fatalf("List = %+v", got)
	}
	// Add replaces by target; Delete removes.
	a.Token = "ghp_a2"
	if err := v.Add(a); err != nil {
		t.Fatal(err)
	}
	if e, err := v.Get(a.Target); err != nil || e.Token != "ghp_a2" {
		t.Fatalf("Get = %+v, %v", e, err)
	}
	if err := v.Delete(b.Target); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Get(b.Target); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want store.ErrNotFound", err)
	}
	for path, want := range map[string]os.FileMode{filepath.Dir(v.Path()): 0o700, v.Path(): 0o600} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s mode = %v, %v; want %04o", path, fi.Mode().Perm(), err, want)
		}
	}
	raw, _ := os.ReadFile(v.Path())
	if bytes.Contains(raw, []byte("ghp_a2")) || bytes.Contains(raw, []byte("github.com")) {
		t.Error("the vault file holds plaintext")
	}
}

func TestVaultIsAPlainAgeFile(t *testing.T) {
	dir := t.TempDir()
	v := newTestVault(t, dir, "correct horse")
	if err := v.Add(testEntry("github.com", "ghp_secret")); err != nil {
		t.Fatal(err)
	}
	// The key file is an age identity file under the passphrase, as
	// age -i takes it; the vault is encrypted to that identity.
	wrapped, _ := os.ReadFile(v.KeyPath())
	scrypt, _ := age.NewScryptIdentity("correct horse")
	kr, err := age.Decrypt(bytes.NewReader(wrapped), scrypt)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := age.ParseIdentities(kr)
	if err != nil || len(ids) != 1 {
		t.Fatalf("the key file holds %d identities, %v; want one", len(ids), err)
	}
	f, _ := os.Open(v.Path())
	defer f.Close()
	r, err := age.Decrypt(f, ids...)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(r)
	if !strings.Contains(b.String(), `"format":"git-credential-pat vault v1"`) || !strings.Contains(b.String(), "ghp_secret") {
		t.Errorf("plaintext = %s", b.String())
	}
}

func TestVaultWrongPassphraseChangesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := newTestVault(t, dir, "right").Add(testEntry("github.com", "ghp_x")); err != nil {
		t.Fatal(err)
	}
	wrong := newTestVault(t, dir, "wrong")
	before, _ := os.ReadFile(wrong.Path())
	if _, err := wrong.List(); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("List = %v, want ErrWrongPassphrase", err)
	}
	err := wrong.Add(testEntry("gitlab.com", "glpat"))
	if !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("Add = %v, want ErrWrongPassphrase", err)
	}
	after, _ := os.ReadFile(wrong.Path())
	if !bytes.Equal(before, after) {
		t.Error("a wrong passphrase changed the vault")
	}
}

func TestVaultRefusesForeignAndCorruptFiles(t *testing.T) {
	x25519, _ := age.GenerateX25519Identity()
	var ageForeign bytes.Buffer
	w, _ := age.Encrypt(&ageForeign, x25519.Recipient())
	w.Write([]byte("hello"))
	w.Close()

	var wrongPayload bytes.Buffer
	rcpt, _ := age.NewScryptRecipient("pw")
	rcpt.SetWorkFactor(testWorkFactor)
	w, _ = age.Encrypt(&wrongPayload, rcpt)
	w.Write([]byte(`{"hello":"world"}`))
	w.Close()

	dir := t.TempDir()
	good := newTestVault(t, dir, "pw")
	if err := good.Add(testEntry("github.com", "ghp_x")); err != nil {
		t.Fatal(err)
	}
	goodBytes, _ := os.ReadFile(good.Path())

	tests := []struct {
		name    string
		content []byte
		want    string
	}{
		{"plain text", []byte("https://alice:pw@github.com\n"), "not an age file"},
		{"age file for another key", ageForeign.Bytes(), "does not open with the key in"},
		{"age file for an SSH key", []byte("age-encryption.org/v1\n-> ssh-ed25519 AAAA BBBB\nCCCC\n--- DDDD\n"), "encrypted neither to a key nor to a passphrase"},
		{"truncated vault", goodBytes[:len(goodBytes)-10], "damaged"},
		{"age file with another payload", wrongPayload.Bytes(), "is not a git-credential-pat vault v1 file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			v := newTestVault(t, dir, "pw")
			os.MkdirAll(filepath.Dir(v.Path()), 0o700)
			if err := os.WriteFile(v.Path(), tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			key, _ := os.ReadFile(good.KeyPath())
			if err := os.WriteFile(v.KeyPath(), key, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := v.List(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("List = %v, want an error saying %q", err, tt.want)
			}
			if err := v.Add(testEntry("gitlab.com", "x")); err == nil {
				t.Error("Add overwrote a file it could not read")
			}
			if got, _ := os.ReadFile(v.Path()); !bytes.Equal(got, tt.content) {
				t.Error("the file was changed")
			}
		})
	}
}

func TestVaultRefusesLooseModes(t *testing.T) {
	dir := t.TempDir()
	v := newTestVault(t, dir, "pw")
	if err := v.Add(testEntry("github.com", "ghp_x")); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Dir(v.Path())
	for _, tt := range []struct {
		path string
		mode os.FileMode
		fix  string
	}{
		{folder, 0o755, "chmod 700 " + folder},
		{v.Path(), 0o644, "chmod 600 " + v.Path()},
	} {
		os.Chmod(tt.path, tt.mode)
		_, err := newTestVault(t, dir, "pw").List()
		if err == nil || !strings.Contains(err.Error(), tt.fix) {
			t.Errorf("mode %04o on %s: List = %v, want the fix %q", tt.mode, tt.path, err, tt.fix)
		}
		if tt.path == folder {
			os.Chmod(tt.path, 0o700)
		} else {
			os.Chmod(tt.path, 0o600)
		}
	}
}

func TestLockContention(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.age.lock")
	unlock, err := files.LockFile(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = files.LockFile(path, 200*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("second lock = %v, want a timeout naming %s", err, path)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond {
		t.Errorf("gave up after %v, before its timeout", waited)
	}
	// Once released, a waiting writer gets it.
	done := make(chan error)
	go func() {
		u, err := files.LockFile(path, 10*time.Second)
		if err == nil {
			u()
		}
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	unlock()
	if err := <-done; err != nil {
		t.Fatalf("waiting writer: %v", err)
	}
}

func TestConcurrentWritersLoseNothing(t *testing.T) {
	dir := t.TempDir()
	const writers = 12
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each writer has its own Vault, as separate processes would.
			errs <- newTestVault(t, dir, "pw").Add(testEntry(fmt.Sprintf("github.com/owner%d", i), fmt.Sprintf("ghp_%d", i)))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	entries, err := newTestVault(t, dir, "pw").List()
	if err != nil || len(entries) != writers {
		t.Fatalf("%d entries, %v; want %d", len(entries), err, writers)
	}
}

// BenchmarkVaultUnlock measures one unlock at the real work factor: the
// cost every uncached lookup pays.
func BenchmarkVaultUnlock(b *testing.B) {
	dir := b.TempDir()
	v := New(filepath.Join(dir, "pat", "vault.age"), Options{
		Passphrase: func(bool) ([]byte, error) { return []byte("pw"), nil },
	})
	if err := v.Add(testEntry("github.com", "ghp_x")); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		fresh := New(v.Path(), Options{Passphrase: func(bool) ([]byte, error) { return []byte("pw"), nil }})
		entries, err := fresh.List()
		if err != nil || len(entries) != 1 || entries[0].Token != "ghp_x" {
			b.Fatalf("unlock: %d entries, %v; want the one stored", len(entries), err)
		}
	}
}
