//go:build unix

package harden

import "golang.org/x/sys/unix"

// LockedAlloc returns n bytes outside the Go heap, locked against swap where
// the system allows it and, on Linux, left out of core dumps. free wipes
// and releases them. Where mapping fails, the heap serves (still wiped).
func LockedAlloc(n int) (b []byte, free func()) {
	if n == 0 {
		return []byte{}, func() {}
	}
	page := unix.Getpagesize()
	size := (n + page - 1) / page * page
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		b := make([]byte, n)
		return b, func() { clear(b) }
	}
	locked := unix.Mlock(mem) == nil
	excludeFromCore(mem)
	return mem[:n], func() {
		clear(mem)
		if locked {
			unix.Munlock(mem)
		}
		unix.Munmap(mem)
	}
}

// Process keeps a process's memory, which holds tokens and the
// passphrase, out of core files: no core dumps at all and, where the system
// has it, no ptrace or /proc/PID/mem by other processes of the user.
func Process() error {
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0}); err != nil {
		return err
	}
	return forbidDumps()
}
