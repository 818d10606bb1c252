package files

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrGitLockHeld is wrapped by the error RewriteUnderGitLock returns when
// another process holds git's lock on the file until the timeout.
var ErrGitLockHeld = errors.New("locked by another git process")

// gitLinkDepth is how many symbolic links in a row git's lockfile.c follows
// (MAXDEPTH) before it locks what it has reached.
const gitLinkDepth = 5

// ResolveGitLink is the file git locks and replaces when asked to update
// path: git's hold_lock_file_for_update follows a symbolic link in the last
// element (up to five in a row, a relative one read from the link's folder,
// uncleaned as git joins it), locks TARGET.lock and renames that over
// TARGET, so the link stays and its target changes. A chain longer than git
// follows is refused: git would replace the link it stopped at.
func ResolveGitLink(path string) (string, error) {
	for range gitLinkDepth {
		to, err := os.Readlink(path)
		if err != nil {
			return path, nil // not a link (or not there): git locks it as it is
		}
		if filepath.IsAbs(to) {
			path = to
		} else {
			// git replaces the last element and keeps the rest as written:
			// "a/../b" through a linked folder a is not "b".
			path = path[:strings.LastIndexAny(path, `/`+string(filepath.Separator))+1] + to
		}
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return "", fmt.Errorf("%s is %w after %d links in a row, more than git follows; point the first link at the real file", path, ErrLink, gitLinkDepth)
	}
	return path, nil
}

// RewriteUnderGitLock replaces the file at path by rewrite's answer to what
// it holds, by git's lockfile convention, as git-credential-store does: the
// file is that of ResolveGitLink; FILE.lock is created exclusively (waiting
// up to timeout while another git holds it), the old content is read under
// that lock so that nothing written before it is lost, the new content goes
// into the lock file (mode 0600), which is synced and renamed over the
// file. On any failure the file is untouched and the lock file removed. It
// returns the path of the file it rewrote.
func RewriteUnderGitLock(path string, timeout time.Duration, rewrite func(old []byte) ([]byte, error)) (string, error) {
	real, err := ResolveGitLink(path)
	if err != nil {
		return path, err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return real, err
	}
	if !fi.Mode().IsRegular() {
		return real, fmt.Errorf("%s is not a regular file", real)
	}
	lockPath := real + ".lock"
	lock, err := createGitLock(lockPath, timeout)
	if err != nil {
		return real, err
	}
	committed := false
	defer func() {
		if !committed {
			lock.Close()
			os.Remove(lockPath)
		}
	}()
	old, err := os.ReadFile(real)
	if err != nil {
		return real, err
	}
	data, err := rewrite(old)
	if err != nil {
		return real, err
	}
	if err := lock.Chmod(0o600); err != nil {
		return real, err
	}
	if _, err := lock.Write(data); err != nil {
		return real, err
	}
	if err := lock.Sync(); err != nil {
		return real, err
	}
	if err := lock.Close(); err != nil {
		return real, err
	}
	if err := rename(lockPath, real); err != nil {
		return real, err
	}
	committed = true
	return real, SyncDir(filepath.Dir(real))
}

// createGitLock creates lockPath as git does, failing where anything is
// there already (a link included), and retries with a growing delay while
// it exists, up to timeout: git holds it for milliseconds.
func createGitLock(lockPath string, timeout time.Duration) (*os.File, error) {
	deadline := time.Now().Add(timeout)
	delay := time.Millisecond
	for {
		f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("cannot create the lock file %s: %w", lockPath, err)
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s is %w (its lock file %s stayed for %s); try again, and if no git is running, one that stopped left it behind: remove %s",
				strings.TrimSuffix(lockPath, ".lock"), ErrGitLockHeld, lockPath, timeout, lockPath)
		}
		time.Sleep(delay)
		delay = min(delay*2, 100*time.Millisecond)
	}
}
