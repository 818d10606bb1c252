package cache

import "github.com/git-credential-pat/git-credential-pat/store/cache/relay"

// PeerUID is the user id of the process at the other end of a Unix socket,
// as the kernel recorded it: SO_PEERCRED on Linux and OpenBSD,
// LOCAL_PEERCRED on macOS and FreeBSD, LOCAL_PEEREID on NetBSD (see
// store/cache/relay, which the front shares).
func PeerUID(fd uintptr) (int, error) { return relay.PeerUID(int(fd)) }

// peerCheck is relay.PeerCheckAvailable, or what a test set.
var peerCheck = relay.PeerCheckAvailable

// PeerCheckAvailable reports whether PeerUID works on this system. Where it
// does not, no daemon runs and no client talks to one, or starts one:
// neither side could tell who is at the other end.
func PeerCheckAvailable() bool { return peerCheck }

// TestOnlyPeerCheck marks the peer check available or not, as a system
// without one would be, for tests; it returns what undoes it.
func TestOnlyPeerCheck(available bool) (restore func()) {
	was := peerCheck
	peerCheck = available
	return func() { peerCheck = was }
}
