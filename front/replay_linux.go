package front

import (
	"io"

	"golang.org/x/sys/unix"
)

// replaySupported: the request read for the fast path can be handed on.
const replaySupported = true

// replayStdin makes standard input a memory-only file holding the bytes
// read from it so far, so the full program reads the request the front
// read. Input past what was read is never needed: a request ends at a
// blank line, and the front stops reading there or at an error it found
// in what it read, which the full program then finds too.
func replayStdin(consumed []byte) error {
	fd, err := unix.MemfdCreate("git-credential-pat-request", unix.MFD_CLOEXEC)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	for b := consumed; len(b) > 0; {
		n, err := unix.Write(fd, b)
		if err != nil {
			return err
		}
		b = b[n:]
	}
	if _, err := unix.Seek(fd, 0, io.SeekStart); err != nil {
		return err
	}
	return unix.Dup3(fd, 0, 0)
}
