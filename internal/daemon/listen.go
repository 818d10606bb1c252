package daemon

import (
	"errors"
	"net"
	"time"
)

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
