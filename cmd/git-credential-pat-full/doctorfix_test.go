package main

import (
	"regexp"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	scriptCmds["runfixes"] = cmdRunFixes
}

// fixLine is a doctor line holding one fix: a command to run.
var fixLine = regexp.MustCompile(`(?m)^ +fix: (.+)$`)

// cmdRunFixes runs, with sh, every command on a "fix:" line of the last
// command's stdout, as a person following doctor's advice would, and fails
// when one fails:
//
//	runfixes
func cmdRunFixes(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: runfixes")
	}
	fixes := fixLine.FindAllStringSubmatch(ts.ReadFile("stdout"), -1)
	if len(fixes) == 0 {
		ts.Fatalf("runfixes: no fix: line in stdout")
	}
	for _, fix := range fixes {
		ts.Logf("running the fix: %s", fix[1])
		if err := ts.Exec("sh", "-c", fix[1]); err != nil {
			ts.Fatalf("runfixes: %s: %v", fix[1], err)
		}
	}
}
