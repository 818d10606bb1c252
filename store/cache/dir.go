package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// SocketName and LockName live in the cache folder. The daemon
// holds the lock for its whole life, so a socket left by a daemon that was
// killed is known to be stale once the lock can be taken.
const (
	SocketName = "socket"
	LockName   = "daemon.lock"
)

// DefaultDir is the private folder of the cache daemon's socket:
// $XDG_RUNTIME_DIR/git-credential-pat when that is set, else
// $XDG_CACHE_HOME/git-credential-pat (XDG_CACHE_HOME defaults to ~/.cache).
func DefaultDir() (string, error) {
	return DirFor(os.Getenv)
}

// DirFor is DefaultCacheDir for another environment, such as a test
// script's.
func DirFor(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_RUNTIME_DIR"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "git-credential-pat"), nil
	}
	if dir := getenv("XDG_CACHE_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "git-credential-pat"), nil
	}
	home := getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", fmt.Errorf("cannot find a folder for the cache: %w; set HOME or XDG_RUNTIME_DIR", err)
		}
	}
	return filepath.Join(home, ".cache", "git-credential-pat"), nil
}

// MakeDir creates the cache folder 0700 and refuses one that another
// user owns or that others can enter, or that is a link: its socket hands
// out tokens.
func MakeDir(dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return fmt.Errorf("cannot create the cache folder: %w", err)
	}
	// Mkdir, not MkdirAll, for the folder itself: MkdirAll takes a link
	// to someone else's folder for a folder that exists.
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("cannot create the cache folder: %w", err)
	}
	return CheckDir(dir)
}

// CheckDir refuses a cache folder that is a link, or is not a folder, or
// is not private. A link could lead to a folder where another user listens.
func CheckDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%w: the cache folder %s is a link or not a folder; refusing to use it: remove it, and the cache makes a private folder there", ErrForeignSocket, dir)
	}
	err = files.CheckPrivate(dir, true)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("the cache folder is not private: %w", err)
	}
	return err
}

// DefaultTimeout is how long the daemon holds what a backend unlocked, as
// git's own credential cache does.
const DefaultTimeout = 15 * time.Minute

// ParseTimeout reads a --cache-timeout: a Go duration (15m, 1h, 90s) or, as
// git-credential-cache's --timeout, a number of seconds. 0 turns the cache
// off.
func ParseTimeout(s string) (time.Duration, error) {
	if secs, err := strconv.ParseUint(s, 10, 32); err == nil {
		return time.Duration(secs) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, errors.New("give a duration such as 15m or 1h, or a number of seconds (0 turns the cache off)")
	}
	return d, nil
}
