// Package daemon is the cache daemon, git-credential-pat-daemon: it holds
// what a backend unlocked (the entries a put handed it, and the vault's
// key) in locked memory for an interval, and answers on a Unix socket in a
// private folder, to processes of its own user only. For the get and store
// the front relays from git it reads the options, picks the backend and
// decides as the full program does (options, store/backend,
// credential.Decide), and answers, or defers to the full program.
package daemon
