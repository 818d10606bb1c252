package main

import (
	"os"
	"os/exec"

	"github.com/rogpeppe/go-internal/testscript"
)

// The tools other than git that scripts run for real: GitHub CLI (gh),
// git-lfs and the go command. CI installs them (.ci/run).
func init() {
	scriptCmds["needs"] = cmdNeeds
}

// cmdNeeds fails a script in CI when a program it runs is not installed;
// elsewhere the script skips itself with testscript's condition:
//
//	needs PROGRAM...
//	[!exec:PROGRAM] skip 'PROGRAM is not installed'
func cmdNeeds(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: needs PROGRAM...")
	}
	for _, p := range args {
		if _, err := exec.LookPath(p); err != nil && os.Getenv("CI") == "true" {
			ts.Fatalf("CI must run this script, but %s is not installed: add its package to .ci/run", p)
		}
	}
}
