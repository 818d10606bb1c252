//go:build !(linux || darwin || freebsd || openbsd || netbsd) || nopeercheck

package relay

import "errors"

// PeerCheckAvailable reports whether PeerUID works on this system. Where it
// does not, no daemon runs and no client talks to one, or starts one:
// neither side could tell who is at the other end. The nopeercheck build
// tag makes any system one of these, so that Linux tests can prove it.
const PeerCheckAvailable = false

// PeerUID always fails here.
func PeerUID(int) (int, error) {
	return -1, errors.New("this system cannot tell who is at the other end of a socket")
}
