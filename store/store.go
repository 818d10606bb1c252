// Package store keeps tokens. Every backend implements one small interface,
// Store, and is a package of its own: store/vault (the encrypted vault, the
// default, which works anywhere) and store/keyring (the OS keyring). Cache
// puts the cache daemon in front of any of them; store/backend says which
// is in force.
package store

import (
	"errors"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// Store is what every backend implements.
type Store interface {
	// Add inserts entries, replacing any stored under the same target.
	Add(entries ...credential.Entry) error
	// Delete removes the entries stored under these targets. Targets that
	// hold nothing are ignored.
	Delete(targets ...credential.Target) error
	// Get returns the entry stored under exactly this target, or an error
	// wrapping ErrNotFound.
	Get(target credential.Target) (credential.Entry, error)
	// List returns every entry, tokens included.
	List() ([]credential.Entry, error)
}

// ErrNotFound is wrapped by Get when nothing is stored under a target.
var ErrNotFound = errors.New("no token is stored for that target")

// Find returns the index of the entry stored under target, or -1.
func Find(entries []credential.Entry, target credential.Target) int {
	for i, e := range entries {
		if e.Target.Same(target) {
			return i
		}
	}
	return -1
}

// Merge applies Add's semantics to a slice: replace in place, else append.
func Merge(entries []credential.Entry, added ...credential.Entry) []credential.Entry {
	for _, a := range added {
		if i := Find(entries, a.Target); i >= 0 {
			entries[i] = a
		} else {
			entries = append(entries, a)
		}
	}
	return entries
}

// Without applies Delete's semantics to a slice.
func Without(entries []credential.Entry, targets ...credential.Target) []credential.Entry {
	out := entries[:0:0]
	for _, e := range entries {
		keep := true
		for _, t := range targets {
			if e.Target.Same(t) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, e)
		}
	}
	return out
}
