package main

import (
	"errors"
	"os"
	"os/exec"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"
)

// The commands testscripts have beyond testscript's own.
func init() {
	scriptCmds["exits"] = cmdExits
	scriptCmds["perm"] = cmdPerm
	scriptCmds["gitserver"] = cmdGitServer
	scriptCmds["gitrepo"] = cmdGitRepo
}

// cmdExits runs a program like exec and asserts its exit code, which exec
// cannot (it only tells zero from non-zero):
//
//	exits CODE PROGRAM [ARGS...]
//
// stdout and stderr are kept for the commands that follow, as after exec.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %q is not an exit code", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		got = exitErr.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// cmdPerm asserts a file's permission bits:
//
//	perm 0600 FILE
func cmdPerm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: [!] perm MODE FILE")
	}
	want, err := strconv.ParseUint(args[0], 8, 32)
	if err != nil {
		ts.Fatalf("perm: %q is not an octal mode", args[0])
	}
	fi, err := os.Stat(ts.MkAbs(args[1]))
	ts.Check(err)
	got := fi.Mode().Perm()
	if (got == os.FileMode(want)) == neg {
		ts.Fatalf("%s has mode %04o; want %s%04o", args[1], got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}
