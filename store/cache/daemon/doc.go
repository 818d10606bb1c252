// Package daemon is the cache daemon, git-credential-pat-daemon: it holds
// what a backend unlocked, a snapshot of entries and the vault's key,
// in locked memory for an interval, and answers lookups on a
// Unix socket in a private folder, to processes of its own user only. It
// also renders the snapshots clients hand it (EncodeSnapshot), with the
// description that lets it answer for one host without a copy on its heap.
package daemon
