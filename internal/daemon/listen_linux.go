package daemon

import (
	"time"

	"golang.org/x/sys/unix"

	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// atOnceWait is how long the accepting goroutine waits for a request to be
// whole before it hands the connection to a goroutine of its own. The
// front writes its request within microseconds of connecting (it checks
// who listens first).
const atOnceWait = time.Millisecond

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
