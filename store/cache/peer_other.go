//go:build !linux && !darwin

package cache

const peerCheckAvailable = false

func peerUID(uintptr) (int, error) { return -1, errNoPeerCheck }
