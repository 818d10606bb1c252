// Command git-credential-pat is a git credential helper for personal access
// tokens: git runs it as `git credential-pat get|store|erase` once
// credential.helper is set to "pat", and people run it to add, list,
// remove, import and check their tokens.
//
// This program is the small front git starts on every fetch and push: it
// answers from the cache daemon, and runs it, and hands everything else to
// git-credential-pat-full (./cmd/git-credential-pat-full), installed beside
// it. It links no os (see internal/front): its arguments and exit go
// through the runtime and syscall.
package main

import (
	"syscall"

	"github.com/git-credential-pat/git-credential-pat/internal/front"
)

func main() {
	syscall.Exit(front.Main(front.Args()))
}
