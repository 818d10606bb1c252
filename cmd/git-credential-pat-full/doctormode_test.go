package main

import "testing"

// On Windows Go reports made-up modes (0666 for a writable file, 0777 for
// a folder): doctor reads no meaning into them there, and does elsewhere.
func TestDoctorModesOnWindowsFlagNothing(t *testing.T) {
	if modesTell("windows") {
		t.Error("doctor reads Windows modes, which Go makes up: every file would be flagged open to others")
	}
	for _, goos := range []string{"linux", "darwin", "freebsd", "openbsd", "netbsd"} {
		if !modesTell(goos) {
			t.Errorf("doctor ignores the modes on %s", goos)
		}
	}
}
