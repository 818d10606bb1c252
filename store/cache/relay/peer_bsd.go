//go:build (openbsd || netbsd) && !nopeercheck

package relay

import (
	"encoding/binary"
	"errors"

	"golang.org/x/sys/unix"
)

// PeerUID is the user id of the process at the other end of a Unix socket,
// as getpeereid(3) reads it here: SO_PEERCRED on OpenBSD (struct
// sockpeercred: uid, gid, pid) and LOCAL_PEEREID on NetBSD (struct unpcbid:
// pid, euid, egid). golang.org/x/sys/unix has no typed call for either, and
// a raw getsockopt is not allowed on OpenBSD (system calls go through
// libc); GetsockoptIPv6Mreq is its public getsockopt into a 20-byte buffer,
// and both kernels copy out only the option's 12 bytes, reporting the
// length, which is checked.
func PeerUID(fd int) (int, error) {
	buf, err := unix.GetsockoptIPv6Mreq(fd, peerLevel, peerOption)
	if err != nil {
		return -1, err
	}
	raw := buf.Multiaddr[:]
	uid := binary.NativeEndian.Uint32(raw[peerUIDOffset:])
	// A kernel that copied nothing leaves zeros, which would read as
	// root: that is never taken for an answer.
	if binary.NativeEndian.Uint32(raw[0:]) == 0 && binary.NativeEndian.Uint32(raw[4:]) == 0 && binary.NativeEndian.Uint32(raw[8:]) == 0 {
		return -1, errors.New("the system told nothing of the peer")
	}
	return int(uid), nil
}

// PeerCheckAvailable reports whether PeerUID works on this system.
const PeerCheckAvailable = true
