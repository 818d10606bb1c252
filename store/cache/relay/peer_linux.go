//go:build !nopeercheck

package relay

import "syscall"

// PeerUID is the user id of the process at the other end of a Unix socket,
// as the kernel recorded it at connect or listen (SO_PEERCRED).
func PeerUID(fd int) (int, error) {
	cred, err := syscall.GetsockoptUcred(fd, syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	if err != nil {
		return -1, err
	}
	return int(cred.Uid), nil
}

// PeerCheckAvailable reports whether PeerUID works on this system.
const PeerCheckAvailable = true
