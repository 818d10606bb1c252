package cache

import "golang.org/x/sys/unix"

// PeerUID is the user id of the process at the other end of a Unix socket,
// as getpeereid(3) reads it (LOCAL_PEERCRED).
func PeerUID(fd uintptr) (int, error) {
	cred, err := unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	if err != nil {
		return -1, err
	}
	return int(cred.Uid), nil
}

// PeerCheckAvailable reports whether PeerUID works on this system.
const PeerCheckAvailable = true
