//go:build !linux && !darwin

package daemon

const peerCheckAvailable = false

func peerUID(uintptr) (int, error) { return -1, errNoPeerCheck }
