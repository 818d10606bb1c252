//go:build unix

package daemon

import "syscall"

// withUmask runs fn with the process umask set to mask. Only the daemon
// calls it, before it serves anything.
func withUmask(mask int, fn func()) {
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	fn()
}
