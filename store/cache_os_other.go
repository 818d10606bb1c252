//go:build !unix

package store

import "syscall"

func detached() *syscall.SysProcAttr { return nil }

func withUmask(_ int, fn func()) { fn() }
