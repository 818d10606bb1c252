//go:build !linux && !darwin

package store

const peerCheckAvailable = false

func peerUID(uintptr) (int, error) { return -1, errNoPeerCheck }
