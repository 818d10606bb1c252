//go:build !linux

package daemon

import (
	"errors"
	"net"
	"time"
)

// netListener serves the socket through package net and its poller.
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
		conn.SetDeadline(time.Now().Add(d.opts.ConnTimeout))
		go d.serve(netClient{conn})
	}
}
