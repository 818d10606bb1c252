// Package files says where git-credential-pat keeps its files, whether
// they are private and when they last changed, and locks them. It imports nothing heavy:
// the helper's fast path for a cached get links it.
package files

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// PassphraseEnv holds the vault's passphrase for unattended use (CI). The
// cache daemon is never started with it in its environment.
const PassphraseEnv = "GIT_CREDENTIAL_PAT_PASSPHRASE"

// VaultPath is $XDG_DATA_HOME/git-credential-pat/vault.age, with
// XDG_DATA_HOME defaulting to ~/.local/share.
func VaultPath() (string, error) { return VaultPathFor(os.Getenv) }

// VaultPathFor is VaultPath in another environment: the cache daemon
// answers for programs whose environment is not its own.
func VaultPathFor(getenv func(string) string) (string, error) {
	dir := getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home := getenv("HOME")
		if home == "" && runtime.GOOS == "windows" {
			home = getenv("USERPROFILE") // as os.UserHomeDir
		}
		if home == "" {
			return "", fmt.Errorf("cannot find the vault: $HOME is not set; set HOME or XDG_DATA_HOME")
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "git-credential-pat", "vault.age"), nil
}

// KeyringIndexPath is keyring-index.json in the vault's folder. It exists
// only while the OS keyring holds tokens.
func KeyringIndexPath() (string, error) {
	vault, err := VaultPath()
	if err != nil {
		return "", err
	}
	return KeyringIndexPathFor(vault), nil
}

// KeyringIndexPathFor is the keyring index beside the vault at vault.
func KeyringIndexPathFor(vault string) string {
	return filepath.Join(filepath.Dir(vault), "keyring-index.json")
}

// VaultStamp identifies the vault file's current state cheaply: its size
// and modification time, which every write changes (a new file is renamed
// in); on Unix its inode number and change time, which tell apart a
// same-size file put in its place within the timestamp granularity or with
// its modification time set back (touch -d cannot set the change time, and
// a file renamed in is another inode); and its own and its folder's modes,
// so that a vault opened to others, or made a link, is refused again rather
// than answered for from a cache.
func VaultStamp(path string) string {
	fi, err := os.Lstat(path)
	if err != nil {
		return "none"
	}
	dir, err := os.Lstat(filepath.Dir(path))
	if err != nil {
		return "none"
	}
	// strconv, not fmt: this runs on every cached lookup.
	b := make([]byte, 0, 96)
	b = strconv.AppendInt(b, fi.Size(), 10)
	b = strconv.AppendInt(append(b, '.'), fi.ModTime().UnixNano(), 10)
	b = strconv.AppendUint(append(b, '.'), uint64(fi.Mode()), 8)
	b = strconv.AppendUint(append(b, '.'), uint64(dir.Mode()), 8)
	b = appendIdentity(b, fi)
	return string(b)
}

// ErrLink is wrapped by the errors that refuse a symbolic link where
// git-credential-pat keeps a file.
var ErrLink = errors.New("a symbolic link")
