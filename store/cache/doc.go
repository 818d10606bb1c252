// Package cache is the client side of the in-memory cache daemon and its
// one wire: requests, replies, entries and status in git's key=value line
// format (see ../FORMAT.md), the socket folder's rules, and a client that
// asks the daemon, starts it and stops it. The daemon, which holds what a
// backend unlocked (its entries, the vault's key) for an interval and
// answers git's get and store with the full program's decision, is package
// daemon below. This package imports nothing heavy (no net, no
// encoding/json, no crypto), because the front links it and runs on every
// git operation.
package cache
