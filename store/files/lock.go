package files

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// ErrWouldBlock is returned by TryLock when another process holds the lock.
var ErrWouldBlock = errors.New("lock held by another process")

// LockFile takes an exclusive lock on path (created 0600 if missing),
// waiting up to timeout. The lock lives as long as the process holds the
// file open, so a writer that dies never leaves a stale lock behind. A
// symbolic link at path is refused (ErrLink): opening it would create or
// lock a file elsewhere.
func LockFile(path string, timeout time.Duration) (unlock func(), err error) {
	f, err := openNoFollow(path, os.O_RDWR|os.O_CREATE, 0o600, "remove the link; the lock file is created again when needed")
	if err != nil {
		if errors.Is(err, ErrLink) {
			return nil, err
		}
		return nil, fmt.Errorf("cannot open the lock file %s: %w", path, err)
	}
	deadline := time.Now().Add(timeout)
	delay := 2 * time.Millisecond
	for {
		err := TryLock(f)
		if err == nil {
			return func() { unlockFile(f); f.Close() }, nil
		}
		if !errors.Is(err, ErrWouldBlock) {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("gave up after %s waiting for the lock %s: another git-credential-pat is writing the vault; try again, or find the process that holds it with: fuser %s", timeout, path, path)
		}
		time.Sleep(delay)
		delay = min(delay*2, 100*time.Millisecond)
	}
}

// DefaultLockTimeout is how long a writer waits for a lock on a file of ours (the vault, the keyring index). A queue
// of concurrent git processes, each of which may pay a key derivation when
// the cache daemon holds no key, needs minutes, not seconds.
const DefaultLockTimeout = 5 * time.Minute
