package main

import (
	"fmt"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	"github.com/git-credential-pat/git-credential-pat/store"
)

const rotateUsage = `Usage: git-credential-pat rotate TARGET [--expires YYYY-MM-DD|never] [--username NAME]
       [--verify] [--strict] [--no-format-check] [--api-url URL] [--timeout DURATION]

Replaces the token stored for TARGET with a new one, keeping what is known
about the entry: its user name, note, added date and API address. The new
token is read like add reads it: from standard input when that is not a
terminal, else asked for without echo. Its shape and checksum are checked as
add checks them. On a terminal its expiry is then asked for, as new asks for
it (Enter keeps the date shown, the old one); piped in, the old date is kept.
--expires gives the date, and --verify learns it from the host, without a
question.

`

func (env *environment) rotate(args []string) error {
	fs := env.newFlags("rotate", rotateUsage)
	username := fs.String("username", "", "the user name of the entry to rotate, when several share TARGET")
	expires := fs.String("expires", "", "the new token's expiration date, YYYY-MM-DD, or never")
	checks := defineTokenCheckFlags(fs.FlagSet, true)
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		return usagef("rotate takes one TARGET; run git-credential-pat list to see them")
	}
	if err := checks.check(); err != nil {
		return err
	}
	target, err := parseTargetFlag(fs.FlagSet, positional[0], *username)
	if err != nil {
		return err
	}
	newExpiry, err := parseExpires(*expires)
	if err != nil {
		return err
	}

	tokens, old, err := env.storedEntry(target, fmt.Errorf("no token is stored for %s to rotate; store one with: git-credential-pat add %s", target, target))
	if err != nil {
		return err
	}
	now := env.now()
	// On a terminal the new token's date is asked for: the stale one is
	// not carried over unasked.
	ask := newExpiry == nil && !*checks.verify && isTerminal(env.stdin)
	if newExpiry == nil && !*checks.verify && !ask && old.Expired(now) {
		return errStaleExpiry(old)
	}
	apiURL, err := checks.apiURLFor(old.Host)
	if err != nil {
		return err
	}
	token, err := env.readToken(old.Target)
	if err != nil {
		return err
	}
	given := givenFlags(fs)
	in := &intake{
		tokens: tokens, entry: credential.Entry{Target: old.Target, APIURL: apiURL},
		told: forge.ByName(old.Forge), given: given, checks: checks, rotated: &old,
		confirm: env.rotateConfirm(old, token, ask, newExpiry == nil && !*checks.verify, given, now),
	}
	if newExpiry != nil {
		in.entry.Expires = *newExpiry
	}
	e, err := env.takeIn(in, token)
	if err != nil {
		return err
	}
	if newExpiry == nil && !ask && e.Expired(now) {
		return errStaleExpiry(e)
	}
	// The store's Add replaces the entry; a cache in front of the store
	// evicts the old token as part of it.
	if err := saveMoved(tokens, []credential.Entry{e}, []credential.Target{old.Target}); err != nil {
		return err
	}
	env.sayRotated(tokens, old, e)
	return nil
}

// sayRotated says what rotate stored: e in the place of old.
func (env *environment) sayRotated(tokens store.Store, old, e credential.Entry) {
	if e.Token == old.Token {
		// Given again with a date (or --verify), the same token is kept,
		// with what was said of it: as edit does.
		say(env.stdout, "Kept the token %s for %s in %s; it expires %s.",
			credential.Masked(e.Token), e.Target, tokens, expiryText(e))
	} else {
		say(env.stdout, "Rotated the token for %s: %s replaced %s in %s.",
			e.Target, credential.Masked(e.Token), credential.Masked(old.Token), tokens)
	}
	if e.Expired(env.now()) {
		fmt.Fprintf(env.stderr, "warning: its expiry date %s has passed: git will not be given this token.\n", e.Expires.UTC().Format(time.DateOnly))
	}
}

// errStaleExpiry refuses to carry a passed expiry over to a new token, which
// get would then never hand to git.
func errStaleExpiry(e credential.Entry) error {
	return usagef("the stored expiry %s has passed and would keep the new token from git; give the new token's date with --expires YYYY-MM-DD (or never), or ask the host with --verify. Nothing was changed",
		e.Expires.UTC().Format(time.DateOnly))
}

// rotateConfirm is rotate's last word before the new token is taken in:
// the same token given again changes nothing (unchanged says nothing else
// would change either), and on a terminal (ask) the new token's expiry is
// asked for, as new asks.
func (env *environment) rotateConfirm(old credential.Entry, token string, ask, unchanged bool, given map[string]bool, now time.Time) func(e *credential.Entry) error {
	return func(e *credential.Entry) error {
		if token == old.Token && unchanged {
			return fmt.Errorf("that is the token stored already; nothing was changed. To change what is stored about it, run: git-credential-pat edit %s --expires YYYY-MM-DD (or --note TEXT)", credential.Escape(old.Target.String()))
		}
		if !ask {
			return nil
		}
		// The date shown is the old one, unless it has passed: Enter then
		// leaves the expiry unknown, not stale.
		if !old.Expired(now) {
			e.Expires = old.Expires
		}
		if err := env.askExpiry(e); err != nil {
			return fmt.Errorf("%w. Nothing was changed", err)
		}
		given["expires"] = true // what was answered replaces the old date
		return nil
	}
}
