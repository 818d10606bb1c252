package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/daemon"
	"github.com/git-credential-pat/git-credential-pat/store/backend"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// testOnlyCacheIdleExit, when non-zero, replaces how long an empty cache
// daemon stays up, so scripts can watch it leave. Tests set it.
var testOnlyCacheIdleExit time.Duration

const cacheUsage = `Usage: git-credential-pat cache status|exit

The cache daemon keeps what the vault unlocked in memory for --cache-timeout
(default 15m; 0 turns it off), so only the first git operation of an interval
asks for the passphrase. It starts by itself when needed.

  status   say whether it runs, its pid, and what it holds until when
           (never a token)
  exit     stop it; it wipes what it holds
  daemon   run the daemon in the foreground (what starts by itself)

`

// cacheClient opens the client of the default cache folder.
func (env *environment) cacheClient() (*cache.Client, error) {
	return cache.NewClient()
}

func (env *environment) cache(args []string) error {
	fs := env.newFlags("cache", cacheUsage)
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		return usagef("cache takes one of status, exit or daemon; run git-credential-pat cache --help")
	}
	client, err := env.cacheClient()
	if err != nil {
		return err
	}
	switch positional[0] {
	case "daemon":
		return daemon.Run(client.Dir, daemon.Options{IdleExit: testOnlyCacheIdleExit})
	case "exit":
		err := client.Exit()
		if errors.Is(err, cache.ErrNotRunning) {
			fmt.Fprintln(env.stdout, "The cache daemon is not running.")
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(env.stdout, "The cache daemon has stopped and wiped what it held.")
		return nil
	case "status":
		return env.cacheStatus(client)
	default:
		return usagef("cache %s: unknown; use status, exit or daemon", positional[0])
	}
}

func (env *environment) cacheStatus(client *cache.Client) error {
	st, err := client.Status()
	if errors.Is(err, cache.ErrNotRunning) {
		fmt.Fprintf(env.stdout, "The cache daemon is not running (socket %s).\n", client.Socket())
		return nil
	}
	if err != nil {
		return err
	}
	now := env.now()
	fmt.Fprintf(env.stdout, "The cache daemon is running: pid %d, socket %s, build %s.\n", st.PID, st.Socket, credential.Escape(st.Build))
	if len(st.Stores) == 0 {
		fmt.Fprintln(env.stdout, "It holds nothing, and will exit soon.")
	}
	for _, h := range st.Stores {
		if h.Count() == 0 {
			fmt.Fprintf(env.stdout, "It holds nothing of %s.\n", backend.ID(h.Backend).Describe())
			continue
		}
		fmt.Fprintf(env.stdout, "It holds %s of %s:\n", countItems(h.Count()), backend.ID(h.Backend).Describe())
		if !h.SecretUntil.IsZero() {
			// What unlocks the backend: the vault's key.
			fmt.Fprintf(env.stdout, "  vault key  until %s\n", until(h.SecretUntil, now))
		}
		for _, t := range h.Targets {
			fmt.Fprintf(env.stdout, "  %s  until %s\n", credential.Escape(t), until(h.EntriesUntil, now))
		}
	}
	return nil
}

// countItems says "1 item" or "N items": a token or the vault's key.
func countItems(n int) string {
	if n == 1 {
		return "1 item"
	}
	return fmt.Sprintf("%d items", n)
}

// until renders a moment as a time of day and how far away it is.
func until(t, now time.Time) string {
	return fmt.Sprintf("%s (in %s)", t.Local().Format(time.DateTime), t.Sub(now).Round(time.Second))
}
