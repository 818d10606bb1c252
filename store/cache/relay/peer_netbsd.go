//go:build !nopeercheck

package relay

// LOCAL_PEEREID (sys/un.h) at level 0, which unix(4) documents:
// struct unpcbid { pid_t unp_pid; uid_t unp_euid; gid_t unp_egid; }
const (
	peerLevel     = 0
	peerOption    = 0x0003
	peerUIDOffset = 4
)
