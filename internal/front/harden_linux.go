package front

import "syscall"

// hardenProcess is internal/harden.Process in plain system calls (that
// package links golang.org/x/sys/unix): no core file, and no ptrace or
// /proc/PID/mem access by the user's other processes.
func hardenProcess() {
	syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{})
	const prSetDumpable = 4 // PR_SET_DUMPABLE, linux/prctl.h
	syscall.RawSyscall6(syscall.SYS_PRCTL, prSetDumpable, 0, 0, 0, 0, 0)
}
