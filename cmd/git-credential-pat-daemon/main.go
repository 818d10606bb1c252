// Command git-credential-pat-daemon is git-credential-pat's cache daemon:
// it holds what the vault or the keyring unlocked, in locked memory, for an
// interval, and answers lookups on a socket only its own user can reach.
// git-credential-pat starts it when needed; it is a program of its own so
// that it links only what it needs and holds little memory.
package main

import (
	// Hardened early, as the packages initialize, before main reads
	// the request handed over on standard input.
	_ "github.com/git-credential-pat/git-credential-pat/internal/harden"

	"os"

	"github.com/git-credential-pat/git-credential-pat/internal/daemon"
)

func main() {
	os.Exit(daemon.Main(os.Args[1:], daemon.Options{}))
}
