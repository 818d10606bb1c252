//go:build !linux

package daemon

import (
	"errors"
	"net"
	"time"

	"github.com/git-credential-pat/git-credential-pat/store/cache"
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

type netClient struct{ *net.UnixConn }

func (c netClient) peerUID() (int, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	uid := -1
	var credErr error
	if err := raw.Control(func(fd uintptr) { uid, credErr = cache.PeerUID(fd) }); err != nil {
		return -1, err
	}
	return uid, credErr
}

func (c netClient) write(bufs ...[]byte) error {
	b := net.Buffers(bufs)
	_, err := b.WriteTo(c.UnixConn)
	return err
}
