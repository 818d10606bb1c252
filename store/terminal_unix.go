//go:build !windows

package store

const terminalPath = "/dev/tty"
