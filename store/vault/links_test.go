package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// A vault that is a symbolic link, even to a private vault elsewhere, is
// refused by reads and writes, and neither the link nor its target is
// changed: a write would otherwise replace the link by a plain file, and a
// read follow it wherever it points.
func TestVaultRefusesLinkedVault(t *testing.T) {
	dir := t.TempDir()
	real := newTestVault(t, filepath.Join(dir, "real"), "pw")
	if err := real.Add(testEntry("github.com/acme", "ghp_a")); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(real.Path())
	v := newTestVault(t, dir, "pw")
	if err := os.MkdirAll(filepath.Dir(v.Path()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real.Path(), v.Path()); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
	_, readErr := v.List()
	writeErr := v.Add(testEntry("github.com/globex", "ghp_b"))
	for op, err := range map[string]error{"List": readErr, "Add": writeErr} {
		if !errors.Is(err, files.ErrLink) || !strings.Contains(err.Error(), v.Path()+" is a symbolic link") {
			t.Errorf("%s of a linked vault = %v; want an error naming the link", op, err)
		}
		if err != nil && strings.Contains(err.Error(), "chmod") {
			t.Errorf("%s suggests chmod on a link: %v", op, err)
		}
	}
	if _, err := v.ListHost("github.com"); !errors.Is(err, files.ErrLink) {
		t.Errorf("ListHost of a linked vault = %v; want ErrLink", err)
	}
	if fi, err := os.Lstat(v.Path()); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v, %v", fi.Mode(), err)
	}
	if after, _ := os.ReadFile(real.Path()); !bytes.Equal(after, before) {
		t.Error("the link's target changed")
	}
}

// A vault folder that is a symbolic link is refused: the lock and the
// temporary files of a write would land wherever it points.
func TestVaultRefusesLinkedFolder(t *testing.T) {
	dir := t.TempDir()
	real := newTestVault(t, filepath.Join(dir, "real"), "pw")
	if err := real.Add(testEntry("github.com/acme", "ghp_a")); err != nil {
		t.Fatal(err)
	}
	v := newTestVault(t, dir, "pw")
	folder := filepath.Dir(v.Path())
	if err := os.Symlink(filepath.Dir(real.Path()), folder); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
	_, readErr := v.List()
	writeErr := v.Add(testEntry("github.com/globex", "ghp_b"))
	for op, err := range map[string]error{"List": readErr, "Add": writeErr} {
		if !errors.Is(err, files.ErrLink) || !strings.Contains(err.Error(), folder+" is a symbolic link") {
			t.Errorf("%s through a linked folder = %v; want an error naming the link", op, err)
		}
	}
	if got, err := real.List(); err != nil || len(got) != 1 {
		t.Errorf("the real vault now lists %d entries, %v", len(got), err)
	}
}
