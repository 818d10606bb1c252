//go:build unix

package cache

import (
	"os"
	"strconv"
	"syscall"
)

// detached makes the daemon a session of its own, so that the terminal
// closing or git's process group being signalled does not stop it.
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }

// keepInheritedFilesFromDaemon marks every descriptor this process
// inherited without close-on-exec (a terminal a test harness or a shell
// handed down, a pipe of git's) to close when the daemon is started. A
// daemon holding them would keep whoever waits on them waiting for as long
// as it lives. Descriptors Go opened itself are close-on-exec already.
func keepInheritedFilesFromDaemon() {
	entries, err := os.ReadDir("/proc/self/fd")
	if err == nil {
		for _, e := range entries {
			if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
				syscall.CloseOnExec(fd)
			}
		}
		return
	}
	// No /proc (macOS, the BSDs): walk the usual range.
	for fd := 3; fd < 1024; fd++ {
		syscall.CloseOnExec(fd)
	}
}

// OpenNoFollow makes an open fail on a symbolic link: files in the cache
// folder are never reached through one.
const OpenNoFollow = syscall.O_NOFOLLOW
