package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

const checkUsage = `Usage: git-credential-pat check [--within DURATION]

Exits 1 when a stored token has expired, expires within DURATION (default
7d; days as Nd, or any Go duration such as 72h), or was refused by its host,
naming each one.
A token whose expiry is unknown (stored without --expires and never
verified) is named too, with how to learn its date, but is no failure.
Meant for cron and CI.

`

func (env *environment) check(args []string) error {
	fs := env.newFlags("check", checkUsage)
	within := fs.String("within", "7d", "the warning window: days as Nd, or any Go duration such as 72h")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 0 {
		return usagef("check takes no arguments")
	}
	window, err := credential.ParseDays(*within)
	if err != nil {
		return usagef("--within %q: %v", *within, err)
	}
	_, entries, err := env.listings()
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		fmt.Fprintln(env.stdout, "No tokens are stored. Add one with: git-credential-pat add github.com/OWNER --expires YYYY-MM-DD")
		return nil
	}
	now := env.now()
	problems, unknown := 0, 0
	for _, e := range entries {
		days, ok := e.DaysLeft(now)
		target := credential.Escape(e.Target.String())
		switch {
		case !e.Refused.IsZero():
			problems++
			say(env.stdout, "%s: %s; replace it with: git-credential-pat rotate %s", target, credential.RefusedWhen(e.Entry), target)
		case !e.Expires.Known() && e.Verified.IsZero():
			// No date was given and the host was never asked: the token
			// may expire tomorrow. Never call it valid.
			unknown++
			say(env.stdout, "%s: expiry unknown; %s", target, learnExpiry(maskedEntry(e)))
		case !ok:
			// It never expires: so its owner said, or its host (an entry
			// verified before never was recorded reads as unknown).
		case e.Expired(now):
			problems++
			fmt.Fprintf(env.stdout, "%s: expired on %s; %s\n", target, e.Expires.UTC().Format(time.DateOnly), credential.Escape(credential.ReplaceAdvice(e.Entry)))
		case e.Expires.Before(now.Add(window)):
			problems++
			fmt.Fprintf(env.stdout, "%s: expires on %s, in %d days; %s\n", target, e.Expires.UTC().Format(time.DateOnly), days, credential.Escape(credential.RenewAdvice(e.Entry)))
		}
	}
	if problems > 0 {
		return fmt.Errorf("%d of %d tokens need renewing or replacing", problems, len(entries))
	}
	// An unknown expiry is no failure (exit 0): nothing is known to be
	// wrong, and a cron job would otherwise fail every day for a token
	// that never expires. It is named above, and counted here.
	valid := len(entries) - unknown
	switch {
	case unknown == 0 && valid == 1:
		fmt.Fprintf(env.stdout, "The token is valid for more than %s.\n", *within)
	case unknown == 0:
		fmt.Fprintf(env.stdout, "All %d tokens are valid for more than %s.\n", valid, *within)
	case valid == 0:
		fmt.Fprintf(env.stdout, "No token is known to be valid for more than %s: the expiry of %s is unknown (named above).\n", *within, countTokens(unknown))
	default:
		fmt.Fprintf(env.stdout, "%s valid for more than %s; the expiry of %s is unknown (named above).\n", isAre(valid), *within, countTokens(unknown))
	}
	return nil
}

// isAre says "1 token is" or "N tokens are".
func isAre(n int) string {
	if n == 1 {
		return "1 token is"
	}
	return fmt.Sprintf("%d tokens are", n)
}

func sortEntries(entries []credential.Entry) {
	slices.SortStableFunc(entries, func(a, b credential.Entry) int {
		return strings.Compare(a.Target.String(), b.Target.String())
	})
}
