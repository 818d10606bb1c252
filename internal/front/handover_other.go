//go:build unix && !linux

package front

import "syscall"

// handOver: see handOverPipe.
func handOver(name string, args []string, request []byte) error {
	return handOverPipe(name, args, request)
}

// dupTo makes newfd a copy of oldfd.
func dupTo(oldfd, newfd int) error { return syscall.Dup2(oldfd, newfd) }
