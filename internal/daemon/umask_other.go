//go:build !unix

package daemon

func withUmask(_ int, fn func()) { fn() }
