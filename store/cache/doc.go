// Package cache is the client side of the in-memory cache daemon: the
// wire format, the socket folder's rules, a client that asks the daemon,
// starts it and stops it, and a decoder for the snapshots it sends. The
// daemon, which holds what a backend unlocked (its entries, the vault's
// key) for an interval, is package daemon below. This package
// imports nothing heavy (no net, no encoding/json, no crypto), because the
// front links it and runs on every git operation.
package cache
