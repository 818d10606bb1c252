//go:build !linux && !darwin

package cache

import "errors"

// PeerCheckAvailable reports whether PeerUID works on this system. Where it
// does not, no daemon runs and no client talks to one: neither side could
// tell who is at the other end.
const PeerCheckAvailable = false

// PeerUID always fails here.
func PeerUID(uintptr) (int, error) {
	return -1, errors.New("this system cannot tell who is at the other end of a socket")
}
