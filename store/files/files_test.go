package files

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// A backup restored over the vault with the same size and modification
// time (within a filesystem's 1-second granularity, or set by touch -d)
// must still change the stamp, or the cache answers for a vault that no
// longer holds what it cached.
func TestVaultStampSeesSameSizeReplacement(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vault.age")
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	if err := os.WriteFile(path, []byte("NEW"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	before := VaultStamp(path)
	backup := filepath.Join(dir, "backup")
	if err := os.WriteFile(backup, []byte("OLD"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(backup, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(backup, path); err != nil {
		t.Fatal(err)
	}
	if after := VaultStamp(path); after == before {
		t.Fatalf("VaultStamp = %s before and after a same-size replacement with the same mtime", after)
	}
}

// The stamp of an unchanged file is stable, or every lookup misses the
// cache.
func TestVaultStampStable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.age")
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if a, b := VaultStamp(path), VaultStamp(path); a != b || a == "none" {
		t.Fatalf("VaultStamp = %s, then %s", a, b)
	}
}

func TestCheckPrivateRefusesLinks(t *testing.T) {
	dir := t.TempDir()
	elsewhere := filepath.Join(dir, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(elsewhere, "passwd")
	if err := os.WriteFile(target, []byte("root:x:0:0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fileLink := filepath.Join(dir, "vault.age")
	dirLink := filepath.Join(dir, "folder")
	for link, to := range map[string]string{fileLink: target, dirLink: elsewhere} {
		if err := os.Symlink(to, link); err != nil {
			t.Skipf("cannot make a symbolic link: %v", err)
		}
	}
	for _, c := range []struct {
		path  string
		isDir bool
	}{{fileLink, false}, {dirLink, true}} {
		err := CheckPrivate(c.path, c.isDir)
		if !errors.Is(err, ErrLink) || !strings.Contains(err.Error(), c.path) {
			t.Errorf("CheckPrivate(%s) = %v; want an error naming the link", c.path, err)
			continue
		}
		// chmod would change the link's target, not the link.
		if strings.Contains(err.Error(), "chmod") {
			t.Errorf("CheckPrivate(%s) suggests chmod on a link: %v", c.path, err)
		}
	}
	if fi, err := os.Stat(target); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("the link's target changed: %v, %v", fi.Mode(), err)
	}
}

func TestLockFileRefusesLink(t *testing.T) {
	dir := t.TempDir()
	elsewhere := filepath.Join(dir, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o700); err != nil {
		t.Fatal(err)
	}
	existing := filepath.Join(elsewhere, "important")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(elsewhere, "missing")
	for i, to := range []string{existing, missing} {
		lock := filepath.Join(dir, "vault.age.lock"+string(rune('0'+i)))
		if err := os.Symlink(to, lock); err != nil {
			t.Skipf("cannot make a symbolic link: %v", err)
		}
		unlock, err := LockFile(lock, time.Second)
		if err == nil {
			unlock()
			t.Errorf("LockFile(%s -> %s) took the lock through the link", lock, to)
			continue
		}
		if !errors.Is(err, ErrLink) || !strings.Contains(err.Error(), lock) {
			t.Errorf("LockFile(%s) = %v; want an error naming the link", lock, err)
		}
	}
	if data, err := os.ReadFile(existing); err != nil || string(data) != "keep me" {
		t.Errorf("the link's target now holds %q, %v", data, err)
	}
	if _, err := os.Lstat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LockFile created the link's target: %v", err)
	}
}

// TestWriteNewNeverReplaces: a file already there is left as it was.
func TestWriteNewNeverReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.key.age")
	if err := WriteNew(path, []byte("first")); err != nil {
		t.Fatal(err)
	}
	if err := WriteNew(path, []byte("second")); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("WriteNew over a file: %v, want fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "first" {
		t.Fatalf("the file holds %q after a refused WriteNew", got)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*.tmp")); len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// TestSetAside: the file moves to a dated name, never over another.
func TestSetAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vault.key.age")
	when := time.Date(2026, 12, 3, 10, 45, 12, 0, time.UTC)
	var names []string
	for _, content := range []string{"one", "two"} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		aside, err := SetAside(path, when)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(aside); string(got) != content {
			t.Fatalf("%s holds %q, want %q", aside, got, content)
		}
		names = append(names, filepath.Base(aside))
	}
	if want := []string{"vault.key.20261203-104512.age", "vault.key.20261203-104512-2.age"}; !slices.Equal(names, want) {
		t.Fatalf("set aside as %v, want %v", names, want)
	}
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s is still there: %v", path, err)
	}
}
