//go:build !unix

package cache

import "syscall"

func detached() *syscall.SysProcAttr { return nil }

// keepInheritedFilesFromDaemon has nothing to do where the daemon does not run.
func keepInheritedFilesFromDaemon() {}

// OpenNoFollow: no daemon runs here, so nothing opens its files.
const OpenNoFollow = 0
