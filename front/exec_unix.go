//go:build unix

package front

import (
	"errors"
	"os"
	"syscall"
)

// runFull replaces this process with the full program, same arguments,
// same environment, same standard streams: git waits on the same process.
func runFull(args []string) int {
	full, err := fullProgram()
	if err != nil {
		return fail("cannot find " + FullProgram + ": " + err.Error())
	}
	err = syscall.Exec(full, append([]string{full}, args...), os.Environ())
	return fail(missingFull(full, err))
}

func missingFull(full string, err error) string {
	if errors.Is(err, os.ErrNotExist) {
		return full + " is missing: git-credential-pat needs both of its programs in one folder; install them with make install, or with go install for both (see the README)"
	}
	return "cannot run " + full + ": " + err.Error()
}
