//go:build unix && !linux

package front

import (
	"os"
	"syscall"
)

// handOverSupported: the request read for the daemon can be handed on.
const handOverSupported = true

// handOver makes standard input a pipe holding the request the front read,
// so the full program, exec'd next, reads the same request. A request too
// large for the pipe's buffer (16 KiB and more on the BSDs and macOS; git's
// are far smaller) is fed to the full program run as a child instead, and
// this process exits as it does.
func handOver(name string, args []string, request []byte) error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	if err := syscall.SetNonblock(int(w.Fd()), true); err != nil {
		w.Close()
		return err
	}
	n, err := syscall.Write(int(w.Fd()), request)
	if err == nil && n == len(request) {
		w.Close()
		clear(request)
		return syscall.Dup2(int(r.Fd()), 0)
	}
	syscall.SetNonblock(int(w.Fd()), false)
	path, err := sibling(name)
	if err != nil {
		w.Close()
		return err
	}
	proc, err := os.StartProcess(path, append([]string{path}, args...), &os.ProcAttr{Files: []*os.File{r, os.Stdout, os.Stderr}})
	if err != nil {
		w.Close()
		return err
	}
	r.Close()
	w.Write(request[max(n, 0):])
	w.Close()
	clear(request)
	state, err := proc.Wait()
	if err != nil {
		return err
	}
	os.Exit(state.ExitCode())
	return nil
}
