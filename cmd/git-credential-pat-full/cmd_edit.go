package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store"
)

const editUsage = `Usage: git-credential-pat edit TARGET [--expires YYYY-MM-DD|never] [--note TEXT] [--username NAME]

Changes what is stored about the token for TARGET, leaving the token itself
as it is: its expiry date (never clears it), its note (--note '' clears it),
or the user name git sends with it (--username '' goes back to the default,
` + credential.DefaultUsername + `). When several users hold tokens for TARGET, say
which with USER@ in TARGET, such as alice@github.com/acme.
To replace the token itself, use rotate.

`

func (env *environment) edit(args []string) error {
	fs := env.newFlags("edit", editUsage)
	expires := fs.String("expires", "", "the token's expiration date, YYYY-MM-DD, or never")
	note := fs.String("note", "", "a note for yourself, shown by list")
	username := fs.String("username", "", "the user name git should send with the token")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		return usagef("edit takes one TARGET; run git-credential-pat list to see them")
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if !given["expires"] && !given["note"] && !given["username"] {
		return usagef("edit changes nothing without --expires, --note or --username; run git-credential-pat edit --help")
	}
	target, err := parseTarget(positional[0])
	if err != nil {
		return err
	}
	newExpiry, err := parseExpires(*expires)
	if err != nil {
		return err
	}

	tokens, old, err := env.storedEntry(target, fmt.Errorf("no token is stored for %s; run git-credential-pat list to see what is", target))
	if err != nil {
		return err
	}
	e := old
	var changes []string
	if newExpiry != nil {
		e.Expires = *newExpiry
		changes = append(changes, "expires "+expiryText(e))
	}
	if given["note"] {
		e.Note = *note
		changes = append(changes, fmt.Sprintf("note \"%s\"", e.Note))
	}
	if given["username"] {
		e.Username, e.HasUsername = *username, *username != ""
		shown := credential.DefaultUsername + " (the default)"
		if e.HasUsername {
			shown = e.Username
		}
		changes = append(changes, "user name "+shown)
		if !e.Target.Same(old.Target) {
			if _, err := tokens.Get(e.Target); err == nil {
				return fmt.Errorf("%s holds another token already; nothing was changed: remove that one first (git-credential-pat remove %s), or choose another user name", credential.Escape(e.Target.String()), credential.Escape(e.Target.String()))
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
	}
	if err := saveMoved(tokens, []credential.Entry{e}, []credential.Target{old.Target}); err != nil {
		return err
	}
	say(env.stdout, "Updated the %s token %s for %s in %s: %s.",
		e.Kind, credential.Masked(e.Token), e.Target, tokens, strings.Join(changes, ", "))
	if e.Expired(env.now()) {
		fmt.Fprintf(env.stderr, "warning: its expiry date %s has passed: git will not be given this token.\n", e.Expires.UTC().Format(time.DateOnly))
	}
	return nil
}

// parseExpires reads --expires YYYY-MM-DD or never: nil when not given.
func parseExpires(s string) (*credential.Expiry, error) {
	if s == "" {
		return nil, nil
	}
	x, err := credential.ParseDay(s)
	if err != nil {
		return nil, usagef("--expires %v", err)
	}
	return &x, nil
}

// expiryText is e's expiry date, never, or unknown.
func expiryText(e credential.Entry) string { return e.Expires.Day() }
