//go:build !nopeercheck

package relay

import "golang.org/x/sys/unix"

// struct sockpeercred { uid_t uid; gid_t gid; pid_t pid; }
const (
	peerLevel     = unix.SOL_SOCKET
	peerOption    = unix.SO_PEERCRED
	peerUIDOffset = 0
)
