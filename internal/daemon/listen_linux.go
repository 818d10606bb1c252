package daemon

import (
	"errors"
	"net"
	"time"

	"golang.org/x/sys/unix"

	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// atOnceWait is how long the accepting goroutine waits for a request to be
// whole before it hands the connection to a goroutine of its own. The
// front writes its request within microseconds of connecting (it checks
// who listens first).
const atOnceWait = time.Millisecond

// netListener serves the socket through package net's poller. On Linux a
// relayed get or store whose request is whole within atOnceWait (the
// client wrote it and shut its side, as the front does at once) is
// answered by the accepting goroutine itself, as git's C daemon answers:
// no goroutine started, no thread woken to run it. Every other connection
// is served on a goroutine of its own. (Serving each connection on a
// thread blocked in the kernel, without the poller, was measured: each
// blocking call wakes the runtime's monitor thread, and the daemon spent
// more CPU per lookup, not less; see BENCHMARKS.md.)
type netListener struct{ *net.UnixListener }

func listen(socket string) (listener, error) {
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: socket, Net: "unix"})
	if err != nil {
		return nil, err
	}
	l.SetUnlinkOnClose(false)
	return netListener{l}, nil
}

func (l netListener) acceptLoop(d *daemon) {
	for {
		conn, err := l.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// EMFILE and the like: back off instead of spinning.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		// A client that hangs or trickles bytes holds its connection for
		// ConnTimeout at most.
		deadline := time.Now().Add(d.opts.ConnTimeout)
		conn.SetDeadline(deadline)
		c := netClient{conn}
		switch req, body, state := d.answerAtOnce(c, deadline); state {
		case answered:
			c.Close()
		case readOnly:
			// Anything else may send or take much: on its own goroutine.
			go func() {
				defer c.Close()
				d.finish(c, req, body)
			}()
		default:
			go d.serve(c)
		}
	}
}

// What answerAtOnce did with a connection.
const (
	notReady = iota // nothing: the request is not whole yet
	readOnly        // read its request, which is the caller's to carry out
	answered        // answered it (or refused it)
)

// answerAtOnce answers c on the accepting goroutine if that cannot wait for
// the client: its request is whole in the socket, it is git's get or store,
// and small, so its answer fits the socket's buffer. It reports what it
// did; it closes nothing.
func (d *daemon) answerAtOnce(c netClient, deadline time.Time) (*cache.Request, *lockedBuf, int) {
	raw, err := c.SyscallConn()
	if err != nil {
		return nil, nil, notReady
	}
	// POLLRDHUP: the client has shut its side, so everything it sent is
	// here, and reading to its end does not wait. The poller wakes this
	// goroutine as bytes or the end arrive, within atOnceWait.
	whole := false
	c.SetReadDeadline(time.Now().Add(atOnceWait))
	raw.Read(func(fd uintptr) bool {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLRDHUP}}
		n, err := unix.Poll(fds, 0)
		whole = err == nil && n > 0
		return whole
	})
	c.SetReadDeadline(deadline)
	if !whole {
		return nil, nil, notReady
	}
	if err := d.checkPeer(c); err != nil {
		d.reply(c, errorReply(err))
		return nil, nil, answered
	}
	req, body, ok := d.read(c)
	if !ok {
		return nil, nil, answered
	}
	if (req.Op == cache.OpGet || req.Op == cache.OpStore) && len(req.Body) <= smallMessage {
		d.finish(c, req, body)
		return nil, nil, answered
	}
	return req, body, readOnly
}
