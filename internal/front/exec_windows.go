package front

import (
	"errors"
	"os"
	"os/exec"
)

// run runs the program name with the same arguments, environment and
// standard streams, and exits as it does: Windows has no exec.
func run(name string, args []string) int {
	path, err := sibling(name)
	if err != nil {
		return fail("cannot find " + name + ": " + err.Error())
	}
	cmd := exec.Command(path+".exe", args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	case errors.Is(err, os.ErrNotExist):
		return fail(path + ".exe is missing: git-credential-pat needs its three programs in one folder; install them with go install (see the README)")
	}
	return fail("cannot run " + path + ".exe: " + err.Error())
}
