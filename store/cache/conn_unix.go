//go:build unix

package cache

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// socketConn is a connection to the daemon made with plain system calls:
// a blocking socket with kernel timeouts. The net package would register
// it with the runtime's poller, and its initialization and that setup cost
// a cached lookup more than the lookup itself.
type socketConn struct{ fd int }

// dialSocket connects to the Unix socket at path; every read and write
// gives up after timeout.
func dialSocket(path string, timeout time.Duration) (*socketConn, error) {
	// Not inherited by a program this process starts (SOCK_CLOEXEC is
	// not on every Unix).
	syscall.ForkLock.RLock()
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	tv := syscall.NsecToTimeval(timeout.Nanoseconds())
	syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_RCVTIMEO, &tv)
	syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_SNDTIMEO, &tv)
	for {
		err = syscall.Connect(fd, &syscall.SockaddrUnix{Name: path})
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		syscall.Close(fd)
		return nil, os.NewSyscallError("connect", err)
	}
	// Whoever listens gets the vault's key and tokens: only a daemon of
	// this user will do. A check of the folder before connecting cannot
	// promise that (a link can be swapped in between); the kernel's record
	// of the listener can.
	uid, err := PeerUID(uintptr(fd))
	if err == nil && uid != os.Geteuid() {
		err = fmt.Errorf("%w: %s is served by another user (uid %d); refusing to talk to it: remove that socket's folder, and check who can write to %s", ErrForeignSocket, path, uid, filepath.Dir(filepath.Dir(path)))
	}
	if err != nil {
		syscall.Close(fd)
		return nil, err
	}
	return &socketConn{fd: fd}, nil
}

func (c *socketConn) Read(p []byte) (int, error) {
	for {
		n, err := syscall.Read(c.fd, p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, os.NewSyscallError("read", err)
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (c *socketConn) Write(p []byte) (int, error) {
	written := 0
	for written < len(p) {
		n, err := syscall.Write(c.fd, p[written:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return written, os.NewSyscallError("write", err)
		}
		written += n
	}
	return written, nil
}

// CloseWrite tells the daemon the request is whole.
func (c *socketConn) CloseWrite() error {
	return os.NewSyscallError("shutdown", syscall.Shutdown(c.fd, syscall.SHUT_WR))
}

func (c *socketConn) Close() error { return syscall.Close(c.fd) }
