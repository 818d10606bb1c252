//go:build unix

package front

import "syscall"

// handOverPipe makes standard input a pipe holding the request the front
// read, so the full program, exec'd next, reads the same request. A
// request too large for the pipe's buffer (16 KiB and more on the BSDs and
// macOS, 64 KiB on Linux; git's are far smaller) is fed to the full program
// run as a child instead, and this process exits as it does.
func handOverPipe(name string, args []string, request []byte) error {
	var p [2]int
	syscall.ForkLock.RLock()
	err := syscall.Pipe(p[:])
	if err == nil {
		syscall.CloseOnExec(p[0])
		syscall.CloseOnExec(p[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return err
	}
	r, w := p[0], p[1]
	defer syscall.Close(r)
	if err := syscall.SetNonblock(w, true); err != nil {
		syscall.Close(w)
		return err
	}
	n, err := syscall.Write(w, request)
	if err == nil && n == len(request) {
		syscall.Close(w)
		clear(request)
		return dupTo(r, 0)
	}
	syscall.SetNonblock(w, false)
	path, err := sibling(name)
	if err != nil {
		syscall.Close(w)
		return err
	}
	pid, err := syscall.ForkExec(path, append([]string{path}, args...), &syscall.ProcAttr{
		Env:   syscall.Environ(),
		Files: []uintptr{uintptr(r), 1, 2},
	})
	if err != nil {
		syscall.Close(w)
		return err
	}
	writeAll(w, request[max(n, 0):])
	syscall.Close(w)
	clear(request)
	var status syscall.WaitStatus
	for {
		_, err = syscall.Wait4(pid, &status, 0, nil)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return err
	}
	code := status.ExitStatus()
	if status.Signaled() {
		code = 128 + int(status.Signal())
	}
	syscall.Exit(code)
	return nil
}
