package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// A line git stored after import read the file, before the rewrite, stays:
// the file is read again under git's lock.
func TestRemovePlaintextLinesKeepsLinesStoredSince(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".git-credentials")
	if err := os.WriteFile(path, []byte("https://a:one@a.example\nhttps://b:two@b.example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// What git-credential-store does meanwhile: the new line first.
	if err := os.WriteFile(path, []byte("https://c:new@c.example\nhttps://a:one@a.example\r\n\nhttps://b:two@b.example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	real, left, err := RemovePlaintextLines(path, []string{"https://a:one@a.example", "https://b:two@b.example"}, time.Second)
	if err != nil || real != path || left != 1 {
		t.Fatalf("RemovePlaintextLines = %q, %d, %v; want %q, 1, nil", real, left, err, path)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "https://c:new@c.example\n" {
		t.Errorf("file holds %q", got)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", fi.Mode(), err)
	}
	if _, err := os.Lstat(path + ".lock"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock file is left: %v", err)
	}
}

// A lock git holds is waited for, and the file changes once it is gone.
func TestRemovePlaintextLinesWaitsForGitLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".git-credentials")
	if err := os.WriteFile(path, []byte("https://a:one@a.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".lock", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		os.Remove(path + ".lock")
	}()
	if _, left, err := RemovePlaintextLines(path, []string{"https://a:one@a.example"}, 5*time.Second); err != nil || left != 0 {
		t.Fatalf("RemovePlaintextLines = %d, %v; want 0, nil", left, err)
	}
	if got, _ := os.ReadFile(path); len(got) != 0 {
		t.Errorf("file holds %q", got)
	}

	// Held past the timeout: an error that says so, and nothing changes.
	if err := os.WriteFile(path, []byte("https://b:two@b.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".lock", []byte("git's"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := RemovePlaintextLines(path, []string{"https://b:two@b.example"}, 50*time.Millisecond)
	if !errors.Is(err, files.ErrGitLockHeld) {
		t.Fatalf("err = %v; want ErrGitLockHeld", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "https://b:two@b.example\n" {
		t.Errorf("file changed under another's lock: %q", got)
	}
	if got, _ := os.ReadFile(path + ".lock"); string(got) != "git's" {
		t.Errorf("another's lock file changed: %q", got)
	}
}

// A relative link is read from the link's folder, and the link stays.
func TestRemovePlaintextLinesThroughLink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "dotfiles"), 0o700); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "dotfiles", "creds")
	if err := os.WriteFile(target, []byte("https://a:one@a.example\nhttps://b:two@b.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, ".git-credentials")
	if err := os.Symlink(filepath.Join("dotfiles", "creds"), link); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
	real, left, err := RemovePlaintextLines(link, []string{"https://a:one@a.example"}, time.Second)
	if err != nil || real != target || left != 1 {
		t.Fatalf("RemovePlaintextLines = %q, %d, %v; want %q, 1, nil", real, left, err, target)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v, %v", fi.Mode(), err)
	}
	if got, _ := os.ReadFile(target); string(got) != "https://b:two@b.example\n" {
		t.Errorf("target holds %q", got)
	}
}
