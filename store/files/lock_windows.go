//go:build windows

package files

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

func TryLock(f *os.File) error {
	var ol windows.Overlapped
	err := windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return ErrWouldBlock
	}
	return err
}

func unlockFile(f *os.File) {
	var ol windows.Overlapped
	windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ol)
}

// SyncDir is a no-op: Windows has no folder fsync. The renames it would
// follow are made durable as they happen instead: rename (rename_windows.go)
// calls MoveFileEx with MOVEFILE_WRITE_THROUGH, which os.Rename does not.
func SyncDir(string) error { return nil }
