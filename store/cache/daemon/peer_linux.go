package daemon

import "golang.org/x/sys/unix"

// peerUID is the user id of the process at the other end of a Unix socket,
// as the kernel recorded it at connect (SO_PEERCRED).
func peerUID(fd uintptr) (int, error) {
	cred, err := unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	if err != nil {
		return -1, err
	}
	return int(cred.Uid), nil
}

const peerCheckAvailable = true
