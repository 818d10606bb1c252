package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
)

// fixturePassphrase unlocks testdata/vault-v1.age, a vault the release
// before vault keys wrote (work factor 10): encrypted to the passphrase.
const fixturePassphrase = "fixture passphrase"

// releasedVault copies the fixture into a private folder of its own.
func releasedVault(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "vault-v1.age"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pat", "vault.age")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func vaultWith(path, passphrase string, keys KeyKeeper) *Vault {
	return New(path, Options{
		Passphrase:       func(bool) ([]byte, error) { return []byte(passphrase), nil },
		Keys:             keys,
		ScryptWorkFactor: testWorkFactor,
		LockTimeout:      10 * time.Second,
	})
}

// noPassphrase fails the test when the vault asks for the passphrase.
func noPassphrase(t *testing.T) PassphraseFunc {
	return func(bool) ([]byte, error) {
		t.Helper()
		t.Error("the passphrase was asked for")
		return nil, ErrLocked
	}
}

// memoryKeeper is a KeyKeeper in memory, as the cache daemon is one.
type memoryKeeper struct {
	held              []byte
	kept, forgot, got int
}

func (k *memoryKeeper) HeldKey() []byte { k.got++; return bytes.Clone(k.held) }
func (k *memoryKeeper) KeepKey(s []byte) {
	k.kept++
	k.held = bytes.Clone(s)
}
func (k *memoryKeeper) ForgetKey() { k.forgot++; k.held = nil }

func stanzaOf(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(raw), "\n", 3)
	if len(lines) < 2 {
		t.Fatalf("%s is not an age file", path)
	}
	return strings.Fields(lines[1])[1]
}

// A vault the previous release wrote opens with its passphrase, unchanged
// by reads; its first write migrates it to a key without losing anything.
func TestVaultMigratesAReleasedVault(t *testing.T) {
	path := releasedVault(t)
	before, _ := os.ReadFile(path)
	old, err := vaultWith(path, fixturePassphrase, nil).List()
	if err != nil {
		t.Fatal(err)
	}
	if len(old) != 2 || old[0].Token != "ghp_fixture000000000000000000000000acme" || old[0].Note != "written by the release before vault keys" || old[1].Username != "alice" {
		t.Fatalf("the released vault reads as %+v", old)
	}
	if _, err := vaultWith(path, fixturePassphrase, nil).ListHost("gitlab.example.com"); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("reading the released vault changed it")
	}
	v := vaultWith(path, fixturePassphrase, nil)
	if _, err := os.Stat(v.KeyPath()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("reading made a key file: %v", err)
	}
	if _, err := vaultWith(path, "wrong", nil).List(); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("a wrong passphrase on the released vault: %v; want ErrWrongPassphrase", err)
	}

	added := testEntry("github.com/globex", "ghp_added")
	if err := v.Add(added); err != nil {
		t.Fatal(err)
	}
	if got := stanzaOf(t, path); got != "X25519" {
		t.Fatalf("the migrated vault's stanza is %s, want X25519", got)
	}
	if got := stanzaOf(t, v.KeyPath()); got != "scrypt" {
		t.Fatalf("the key file's stanza is %s, want scrypt", got)
	}
	if fi, err := os.Stat(v.KeyPath()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", fi, err)
	}
	got, err := vaultWith(path, fixturePassphrase, nil).List()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got[:2], old) || len(got) != 3 || got[2].Token != "ghp_added" {
		t.Fatalf("after the migration the vault holds %+v; want %+v and the added entry", got, old)
	}
	if _, err := vaultWith(path, "wrong", nil).List(); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("a wrong passphrase on the migrated vault: %v; want ErrWrongPassphrase", err)
	}
}

// A migration cut short after the key file was saved and before the vault
// was leaves the released vault, which still opens with the passphrase;
// the next write migrates it to that key, which it never replaces.
func TestVaultInterruptedMigration(t *testing.T) {
	path := releasedVault(t)
	v := vaultWith(path, fixturePassphrase, nil)
	// What the interrupted writer saved first: a key file for a vault
	// that was never written.
	stray, _ := age.GenerateX25519Identity()
	wrapped, err := wrapKey(stray, []byte(fixturePassphrase), testWorkFactor)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(v.KeyPath(), wrapped, 0o600); err != nil {
		t.Fatal(err)
	}
	if entries, err := vaultWith(path, fixturePassphrase, nil).List(); err != nil || len(entries) != 2 {
		t.Fatalf("the released vault beside a stray key file: %d entries, %v", len(entries), err)
	}
	if err := v.Add(testEntry("github.com/globex", "ghp_added")); err != nil {
		t.Fatal(err)
	}
	if entries, err := vaultWith(path, fixturePassphrase, nil).List(); err != nil || len(entries) != 3 {
		t.Fatalf("after the write: %d entries, %v; want 3", len(entries), err)
	}
	if after, _ := os.ReadFile(v.KeyPath()); !bytes.Equal(after, wrapped) {
		t.Fatal("the migration replaced the key file")
	}
	raw, _ := os.ReadFile(path)
	if _, err := age.Decrypt(bytes.NewReader(raw), stray); err != nil {
		t.Fatalf("the migrated vault does not open with the key file's key: %v", err)
	}
}

// A new vault beside a key file its passphrase does not open sets that key
// file aside, where it still opens the vault it was made for, and says so.
func TestVaultNewBesideForeignKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pat", "vault.age")
	if err := vaultWith(path, "first", nil).Add(testEntry("github.com/acme", "ghp_one")); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(path)
	firstKey, _ := os.ReadFile(New(path, Options{}).KeyPath())
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	var notices bytes.Buffer
	v := vaultWith(path, "second", nil)
	v.opts.Notices = &notices
	if err := v.Add(testEntry("github.com/globex", "ghp_two")); err != nil {
		t.Fatal(err)
	}
	aside, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "vault.key.*-*.age"))
	if len(aside) != 1 {
		t.Fatalf("key files set aside: %v; want one", aside)
	}
	if got, _ := os.ReadFile(aside[0]); !bytes.Equal(got, firstKey) {
		t.Fatal("the key file set aside is not the first vault's")
	}
	if !strings.Contains(notices.String(), aside[0]) {
		t.Fatalf("the notice %q does not name %s", notices.String(), aside[0])
	}
	// The first vault, put back with its key, opens as before.
	dir := filepath.Join(t.TempDir(), "restored")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "vault.age")
	if err := os.WriteFile(old, first, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(aside[0], filepath.Join(dir, "vault.key.age")); err != nil {
		t.Fatal(err)
	}
	if got, err := vaultWith(old, "first", nil).List(); err != nil || len(got) != 1 || got[0].Token != "ghp_one" {
		t.Fatalf("the first vault again: %+v, %v", got, err)
	}
}

// With the key held, reads and writes ask no passphrase and derive no key;
// the key file is written once, by the vault's creation.
func TestVaultHeldKeyServesWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pat", "vault.age")
	keeper := &memoryKeeper{}
	if err := vaultWith(path, "pw", keeper).Add(testEntry("github.com", "ghp_one")); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(keeper.held, []byte("AGE-SECRET-KEY-1")) || keeper.kept != 1 {
		t.Fatalf("the keeper was given %d keys, holds %.16q; want the vault's key once", keeper.kept, keeper.held)
	}
	wrapped, _ := os.ReadFile(New(path, Options{}).KeyPath())
	for i, target := range []string{"github.com/acme", "github.com/globex"} {
		v := New(path, Options{Passphrase: noPassphrase(t), Keys: keeper})
		if err := v.Add(testEntry(target, "ghp_warm")); err != nil {
			t.Fatal(err)
		}
		if entries, err := New(path, Options{Passphrase: noPassphrase(t), Keys: keeper}).List(); err != nil || len(entries) != i+2 {
			t.Fatalf("after a warm write: %d entries, %v", len(entries), err)
		}
	}
	if after, _ := os.ReadFile(New(path, Options{}).KeyPath()); !bytes.Equal(after, wrapped) {
		t.Fatal("a write rewrote the key file")
	}
	if keeper.kept != 1 {
		t.Fatalf("the keeper was given the key %d times; a held key is not given back", keeper.kept)
	}
}

// A held key that does not open the vault (it was replaced) is forgotten,
// the passphrase asked, and the right key kept.
func TestVaultForgetsAWrongHeldKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pat", "vault.age")
	if err := vaultWith(path, "pw", nil).Add(testEntry("github.com", "ghp_one")); err != nil {
		t.Fatal(err)
	}
	other, _ := age.GenerateX25519Identity()
	keeper := &memoryKeeper{held: []byte(other.String())}
	if entries, err := vaultWith(path, "pw", keeper).List(); err != nil || len(entries) != 1 {
		t.Fatalf("with a wrong held key: %d entries, %v", len(entries), err)
	}
	if keeper.forgot != 1 || bytes.Equal(keeper.held, []byte(other.String())) || !bytes.HasPrefix(keeper.held, []byte("AGE-SECRET-KEY-1")) {
		t.Fatalf("the keeper forgot %d times and holds %.16q; want the wrong key forgotten and the right one kept", keeper.forgot, keeper.held)
	}
	// A wrong passphrase after a wrong key is the wrong passphrase.
	keeper.held = []byte(other.String())
	if _, err := vaultWith(path, "wrong", keeper).List(); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("a wrong key, then a wrong passphrase: %v; want ErrWrongPassphrase", err)
	}
}

// A keeper that holds the passphrase (a vault from before keys, or a
// daemon of the release before) migrates the vault on a write without
// asking, and holds the key afterwards.
func TestVaultHeldPassphraseMigrates(t *testing.T) {
	path := releasedVault(t)
	keeper := &memoryKeeper{held: []byte(fixturePassphrase)}
	if err := New(path, Options{Passphrase: noPassphrase(t), Keys: keeper, ScryptWorkFactor: testWorkFactor}).Add(testEntry("github.com/globex", "ghp_added")); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(keeper.held, []byte("AGE-SECRET-KEY-1")) {
		t.Fatalf("after the migration the keeper holds %.16q; want the key", keeper.held)
	}
	if entries, err := New(path, Options{Passphrase: noPassphrase(t), Keys: keeper}).List(); err != nil || len(entries) != 3 {
		t.Fatalf("after the migration: %d entries, %v", len(entries), err)
	}
	// The passphrase a keeper held opens a migrated vault too: it unwraps
	// the key, which the keeper then holds.
	keeper.held = []byte(fixturePassphrase)
	if entries, err := New(path, Options{Passphrase: noPassphrase(t), Keys: keeper}).List(); err != nil || len(entries) != 3 {
		t.Fatalf("with the held passphrase: %d entries, %v", len(entries), err)
	}
	if !bytes.HasPrefix(keeper.held, []byte("AGE-SECRET-KEY-1")) {
		t.Fatalf("the keeper holds %.16q; want the key", keeper.held)
	}
}

// A vault encrypted to a key cannot open without its key file, and says so.
func TestVaultMissingKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pat", "vault.age")
	v := vaultWith(path, "pw", nil)
	if err := v.Add(testEntry("github.com", "ghp_one")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(v.KeyPath()); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	_, err := vaultWith(path, "pw", nil).List()
	if err == nil || !strings.Contains(err.Error(), "key file") || !strings.Contains(err.Error(), "is missing") {
		t.Fatalf("without the key file: %v; want it named as missing", err)
	}
	if err := vaultWith(path, "pw", nil).Add(testEntry("github.com/acme", "ghp_two")); err == nil {
		t.Fatal("a write without the key file succeeded")
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("the vault was changed")
	}
}
