package front

import (
	"io"

	"golang.org/x/sys/unix"
)

// handOverSupported: the request read for the daemon can be handed on.
const handOverSupported = true

// handOver makes standard input a memory-only file holding the request the
// front read, so the full program, exec'd next, reads the same request.
// It leaves exit to the caller, which execs.
func handOver(_ string, _ []string, request []byte) error {
	fd, err := unix.MemfdCreate("git-credential-pat-request", unix.MFD_CLOEXEC)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	for b := request; len(b) > 0; {
		n, err := unix.Write(fd, b)
		if err != nil {
			return err
		}
		b = b[n:]
	}
	clear(request)
	if _, err := unix.Seek(fd, 0, io.SeekStart); err != nil {
		return err
	}
	return unix.Dup3(fd, 0, 0)
}
