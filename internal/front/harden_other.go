//go:build unix && !linux

package front

import "github.com/git-credential-pat/git-credential-pat/internal/harden"

func hardenProcess() { harden.Process() }
