// Package cache is the in-memory cache daemon and its client: the daemon
// holds what a backend unlocked (its entries, the vault's passphrase) for
// an interval, on a Unix socket only its own user can reach, and the client
// asks it, starts it and stops it. It imports nothing heavy, so that the
// helper's fast path for a cached get, and the daemon itself, stay small.
package cache
