// Package front is the program git runs as its credential helper. On
// Windows no cache daemon runs (the system cannot tell who is at the other
// end of a socket the way the daemon checks), so the front runs the full
// program with every request untouched.
package front

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/git-credential-pat/git-credential-pat/internal/harden"
)

// The programs the front hands over to, installed in the same folder.
const (
	FullProgram   = "git-credential-pat-full"
	DaemonProgram = "git-credential-pat-daemon"
)

// Main runs git-credential-pat with args (without the program name) and
// returns its exit code.
func Main(args []string) int {
	harden.Process()
	if len(args) == 2 && args[0] == "cache" && args[1] == "daemon" {
		return run(DaemonProgram, args)
	}
	return run(FullProgram, args)
}

// run runs the program name with the same arguments, environment and
// standard streams, and exits as it does: Windows has no exec.
func run(name string, args []string) int {
	exe, err := os.Executable()
	if err != nil {
		return fail("cannot find " + name + ": " + err.Error())
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	path := filepath.Join(filepath.Dir(exe), name)
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

func fail(msg string) int {
	io.WriteString(os.Stderr, "git-credential-pat: "+msg+"\n")
	return 1
}
