package daemon

import (
	"errors"
	"io"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// maxClients bounds the connections served at once: each holds an OS
// thread while it blocks in the kernel. Past it, connections wait in the
// listen queue; 256 helpers at once are far inside it.
const maxClients = 1024

// listenBacklog is the listen queue asked for; the kernel caps it at
// net.core.somaxconn, as package net's listeners are.
const listenBacklog = 4096

// rawListener serves the socket in plain system calls, as git's own C
// daemon does, without the runtime's network poller: each lookup through
// the poller cost the daemon three times git's CPU, most of it waking
// threads. The goroutine blocked in accept is woken by the kernel, serves
// the connection it accepted on its own thread at once (reads and writes
// that block in the kernel, bounded by SO_RCVTIMEO and SO_SNDTIMEO), and
// leaves accepting to a new goroutine: no hand-over between threads on the
// way to the answer.
type rawListener struct {
	fd     int
	closed atomic.Bool
	slots  chan struct{}
}

func listen(socket string) (listener, error) {
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: socket}); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	if err := syscall.Listen(fd, listenBacklog); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	return &rawListener{fd: fd, slots: make(chan struct{}, maxClients)}, nil
}

// Close stops accepting: shutdown wakes the goroutine blocked in accept,
// which closes the socket (closing it under a blocked accept would not
// wake it, and its number could be reused meanwhile).
func (l *rawListener) Close() error {
	if l.closed.Swap(true) {
		return nil
	}
	return syscall.Shutdown(l.fd, syscall.SHUT_RDWR)
}

// acceptLoop accepts one connection and serves it, having started the
// next acceptor; only one goroutine accepts at a time.
func (l *rawListener) acceptLoop(d *daemon) {
	for {
		l.slots <- struct{}{}
		fd, _, err := syscall.Accept4(l.fd, syscall.SOCK_CLOEXEC)
		if l.closed.Load() {
			if err == nil {
				syscall.Close(fd)
			}
			<-l.slots
			syscall.Close(l.fd)
			return
		}
		if err != nil {
			<-l.slots
			if err != syscall.EINTR && err != syscall.ECONNABORTED {
				// EMFILE and the like: back off instead of spinning.
				time.Sleep(10 * time.Millisecond)
			}
			continue
		}
		go l.acceptLoop(d)
		d.serve(newRawClient(fd, d.opts.ConnTimeout))
		<-l.slots
		return
	}
}

// errTimeout: the client did not send or take its bytes in time.
var errTimeout = errors.New("the connection timed out")

// rawClient is a blocking connection, read and written with plain system
// calls, for ConnTimeout after the accept at most. The kernel wakes a call
// that waits for a stalled client every tick (SO_RCVTIMEO, SO_SNDTIMEO, set
// once), and a call past the deadline fails: a connection ends within a
// tick of its deadline, without a system call per read to reset a timeout.
type rawClient struct {
	fd       int
	deadline time.Time
}

func newRawClient(fd int, timeout time.Duration) *rawClient {
	c := &rawClient{fd: fd, deadline: time.Now().Add(timeout)}
	tv := syscall.NsecToTimeval(max(timeout/8, time.Millisecond).Nanoseconds())
	syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_RCVTIMEO, &tv)
	syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_SNDTIMEO, &tv)
	return c
}

// retry reports whether a call that failed with err is to be made again:
// interrupted, or woken by its tick before the deadline.
func (c *rawClient) retry(err error) (bool, error) {
	switch {
	case err == syscall.EINTR:
		return true, nil
	case err == syscall.EAGAIN && time.Now().Before(c.deadline):
		return true, nil
	case err == syscall.EAGAIN:
		return false, errTimeout
	}
	return false, err
}

func (c *rawClient) Read(p []byte) (int, error) {
	for {
		// A client that trickles its bytes is cut off too.
		if !time.Now().Before(c.deadline) {
			return 0, errTimeout
		}
		n, err := syscall.Read(c.fd, p)
		if err != nil {
			again, err := c.retry(err)
			if again {
				continue
			}
			return 0, err
		}
		if n == 0 && len(p) > 0 {
			return 0, io.EOF
		}
		return n, nil
	}
}

func (c *rawClient) write(bufs ...[]byte) error {
	for {
		// As a connection's deadline in package net: nothing is sent
		// once it passed, so a client that stalled hears nothing.
		if !time.Now().Before(c.deadline) {
			return errTimeout
		}
		n, err := unix.Writev(c.fd, bufs)
		if err != nil {
			again, err := c.retry(err)
			if again {
				continue
			}
			return err
		}
		for len(bufs) > 0 && n >= len(bufs[0]) {
			n -= len(bufs[0])
			bufs = bufs[1:]
		}
		if len(bufs) == 0 {
			return nil
		}
		bufs[0] = bufs[0][n:]
	}
}

func (c *rawClient) peerUID() (int, error) { return cache.PeerUID(uintptr(c.fd)) }

func (c *rawClient) Close() error { return syscall.Close(c.fd) }
