//go:build unix

package files

import (
	"os"
	"strconv"
	"syscall"
)

// appendIdentity appends the file's inode number and change time to a
// stamp: a file renamed in has another inode, and nothing short of changing
// the clock sets a file's change time back.
func appendIdentity(b []byte, fi os.FileInfo) []byte {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return b
	}
	ino, sec, nsec := inodeAndCtime(st)
	b = strconv.AppendUint(append(b, '.'), ino, 10)
	b = strconv.AppendInt(append(b, '.'), sec, 10)
	b = strconv.AppendInt(append(b, '.'), nsec, 10)
	return b
}
