//go:build unix

package front

import "syscall"

// run replaces this process with the program name, same arguments,
// same environment, same standard streams: git waits on the same process.
func run(name string, args []string) int {
	path, err := sibling(name)
	if err != nil {
		return fail("cannot find " + name + ": " + err.Error())
	}
	err = syscall.Exec(path, append([]string{path}, args...), syscall.Environ())
	return fail(cannotRun(path, err))
}

func cannotRun(path string, err error) string {
	if err == syscall.ENOENT {
		return path + " is missing: git-credential-pat needs its three programs in one folder; install them with make install, or with go install (see the README)"
	}
	return "cannot run " + path + ": " + err.Error()
}
