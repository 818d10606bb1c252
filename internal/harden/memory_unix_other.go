//go:build unix && !linux

package harden

func excludeFromCore([]byte) {}

// forbidDumps has nothing more to do where RLIMIT_CORE is the only control.
func forbidDumps() error { return nil }
