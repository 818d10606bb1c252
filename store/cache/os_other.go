//go:build !unix

package cache

import "syscall"

func detached() *syscall.SysProcAttr { return nil }

func withUmask(_ int, fn func()) { fn() }

// keepInheritedFilesFromDaemon has nothing to do where the daemon does not run.
func keepInheritedFilesFromDaemon() {}
