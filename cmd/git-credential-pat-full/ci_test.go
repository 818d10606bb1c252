package main

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// TestKeyringSessionQuiet: the session make test runs the keyring tests in
// adds nothing to their output (the bus daemon's fd limit, its reloads),
// and still shows what a failing command printed, with the bus's log.
func TestKeyringSessionQuiet(t *testing.T) {
	for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed; CI installs it", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
	// Inside the session make test runs in, this starts one of its own:
	// a private bus, home and keyring, as the outer one has.
	session := func(script string) (stdout, stderr string, err error) {
		var out, errOut bytes.Buffer
		cmd := exec.Command("../../.ci/keyring-session.sh", "sh", "-c", script)
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err = cmd.Run()
		return out.String(), errOut.String(), err
	}
	stdout, stderr, err := session("echo ran")
	if err != nil || stdout != "ran\n" || stderr != "" {
		t.Errorf("a quiet command in the session: err %v, stdout %q, stderr %q; want only ran", err, stdout, stderr)
	}
	_, stderr, err = session("echo failed >&2; exit 3")
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 3 || !bytes.HasPrefix([]byte(stderr), []byte("failed\n")) {
		t.Errorf("a failing command in the session: err %v, stderr %q; want exit 3 and its stderr first", err, stderr)
	}
}
