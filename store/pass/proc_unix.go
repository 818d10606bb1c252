//go:build unix

package pass

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd the leader of a process group of its own, and its
// cancellation kill the whole group: pass runs gpg, which would otherwise
// outlive it holding the output pipes.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
