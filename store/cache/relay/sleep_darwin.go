package relay

import "syscall"

// Sleep waits ns nanoseconds. macOS's package syscall has no nanosleep;
// a select on no descriptors waits as long.
func Sleep(ns int64) {
	tv := syscall.NsecToTimeval(ns)
	syscall.Select(0, nil, nil, nil, &tv)
}
