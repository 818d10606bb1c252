package front

import (
	"errors"
	"os"
	"os/exec"
)

// runFull runs the full program with the same arguments, environment and
// standard streams, and exits as it does: Windows has no exec.
func runFull(args []string) int {
	full, err := fullProgram()
	if err != nil {
		return fail("cannot find " + FullProgram + ": " + err.Error())
	}
	cmd := exec.Command(full+".exe", args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	case errors.Is(err, os.ErrNotExist):
		return fail(full + ".exe is missing: git-credential-pat needs both of its programs in one folder; install them with go install for both (see the README)")
	}
	return fail("cannot run " + full + ".exe: " + err.Error())
}
