package harden

import (
	"testing"

	"golang.org/x/sys/unix"
)

// The package's init has run by the time tests run: the process is no
// longer dumpable, so /proc/PID/fd/0 is closed to the user's other
// processes.
func TestImportingHardens(t *testing.T) {
	dumpable, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if dumpable != 0 {
		t.Fatalf("PR_GET_DUMPABLE = %d after init; want 0", dumpable)
	}
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &lim); err != nil || lim.Cur != 0 {
		t.Fatalf("RLIMIT_CORE = %+v, %v; want 0", lim, err)
	}
}
