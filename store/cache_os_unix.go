//go:build unix

package store

import "syscall"

// detached makes the daemon a session of its own, so that the terminal
// closing or git's process group being signalled does not stop it.
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }

// withUmask runs fn with the process umask set to mask. Only the daemon
// calls it, before it serves anything.
func withUmask(mask int, fn func()) {
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	fn()
}
