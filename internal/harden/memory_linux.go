package harden

import "golang.org/x/sys/unix"

func excludeFromCore(mem []byte) { unix.Madvise(mem, unix.MADV_DONTDUMP) }

// forbidDumps marks the process non-dumpable: no core file, and no ptrace
// or /proc/PID/mem access by other processes of the same user.
func forbidDumps() error { return unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0) }
