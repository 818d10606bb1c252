//go:build unix

// Command floor is the least a Go credential helper can do for a cached
// get: read git's request, hand it to git's own cache daemon over its Unix
// socket, and print the answer. It links only package syscall, talks to
// the same daemon git-credential-cache does, and takes no options.
//
// The bench times it beside git-credential-cache get, which does the same
// in C, so that what Go's start-up alone costs is measured rather than
// assumed. It is a measuring instrument, not part of the helper.
package main

import "syscall"

func main() {
	var req [8192]byte
	n := 0
	for n < len(req) {
		m, err := syscall.Read(0, req[n:])
		if m <= 0 || err != nil {
			break
		}
		n += m
		if n >= 2 && req[n-1] == '\n' && req[n-2] == '\n' {
			break
		}
	}
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		syscall.Exit(1)
	}
	socket := syscall.SockaddrUnix{Name: homeDir() + "/.cache/git/credential/socket"}
	if syscall.Connect(fd, &socket) != nil {
		syscall.Exit(0) // no daemon: no answer, as git-credential-cache
	}
	msg := append([]byte("action=get\ntimeout=900\n"), req[:n]...)
	if _, err := syscall.Write(fd, msg); err != nil {
		syscall.Exit(1)
	}
	syscall.Shutdown(fd, syscall.SHUT_WR)
	var out [4096]byte
	for {
		m, err := syscall.Read(fd, out[:])
		if m <= 0 || err != nil {
			break
		}
		syscall.Write(1, out[:m])
	}
}

func homeDir() string {
	home, _ := syscall.Getenv("HOME")
	return home
}
