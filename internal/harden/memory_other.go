//go:build !unix

package harden

// LockedAlloc uses the heap where memory cannot be locked; free wipes it.
func LockedAlloc(n int) (b []byte, free func()) {
	b = make([]byte, n)
	return b, func() { clear(b) }
}

// Process has no core-dump control to set on this system.
func Process() error { return nil }
