// Package harden keeps a process's memory out of core files and, where the
// system allows, out of reach of other processes of the same user (ptrace,
// /proc/PID/mem and /proc/PID/fd), from its first moments: a program that
// imports it is hardened as its packages initialize, before main, while
// the request the front handed over is still readable on its standard
// input.
package harden

func init() {
	// Failing that is no reason not to run; Process's callers that must
	// know check its error themselves.
	Process()
}
