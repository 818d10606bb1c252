package daemon

import (
	"net"

	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// netClient is a connection accepted through package net.
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
