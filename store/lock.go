package store

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// errWouldBlock is returned by tryLock when another process holds the lock.
var errWouldBlock = errors.New("lock held by another process")

// lockFile takes an exclusive lock on path (created 0600 if missing),
// waiting up to timeout. The lock lives as long as the process holds the
// file open, so a writer that dies never leaves a stale lock behind.
func lockFile(path string, timeout time.Duration) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot open the lock file %s: %w", path, err)
	}
	deadline := time.Now().Add(timeout)
	delay := 2 * time.Millisecond
	for {
		err := tryLock(f)
		if err == nil {
			return func() { unlockFile(f); f.Close() }, nil
		}
		if !errors.Is(err, errWouldBlock) {
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
