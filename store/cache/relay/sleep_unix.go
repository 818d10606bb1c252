//go:build unix && !darwin

package relay

import "syscall"

// Sleep waits ns nanoseconds, without package time.
func Sleep(ns int64) {
	ts := syscall.NsecToTimespec(ns)
	syscall.Nanosleep(&ts, nil)
}
