package files

import (
	"os"

	"golang.org/x/sys/windows"
)

// rename replaces to with from, and returns once the move is on disk.
// os.Rename's MoveFileEx gets MOVEFILE_REPLACE_EXISTING only, which may
// leave the move in the system's cache; MOVEFILE_WRITE_THROUGH waits for
// it to be flushed, which is what the folder's fsync does on Unix (Windows
// has none).
func rename(from, to string) error {
	f, err := windows.UTF16PtrFromString(from)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	t, err := windows.UTF16PtrFromString(to)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	if err := windows.MoveFileEx(f, t, windows.MOVEFILE_REPLACE_EXISTING|windows.MOVEFILE_WRITE_THROUGH); err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}
