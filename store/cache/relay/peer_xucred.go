//go:build (darwin || freebsd) && !nopeercheck

package relay

import "golang.org/x/sys/unix"

// PeerUID is the user id of the process at the other end of a Unix socket,
// as getpeereid(3) reads it here (LOCAL_PEERCRED, a struct xucred).
func PeerUID(fd int) (int, error) {
	cred, err := unix.GetsockoptXucred(fd, unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	if err != nil {
		return -1, err
	}
	return int(cred.Uid), nil
}

// PeerCheckAvailable reports whether PeerUID works on this system.
const PeerCheckAvailable = true
