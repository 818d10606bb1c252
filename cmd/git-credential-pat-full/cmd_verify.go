package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	"github.com/git-credential-pat/git-credential-pat/store"
)

const verifyUsage = `Usage: git-credential-pat verify [TARGET] [--username NAME] [--api-url URL] [--timeout DURATION]

Asks each token's host who the token belongs to (GET /user on the host's API:
https://api.github.com for github.com, https://HOST/api/v3 for GitHub
Enterprise Server, or --api-url), and records the login (also as the user
name when the entry has none), a classic token's scopes, and the expiry
GitHub reports. Without TARGET, every stored token is checked.
--api-url names one self-hosted host's API: it is refused for a host whose
API is known (github.com, gitlab.com, ...) and for tokens of several hosts.
Before a token is first sent to an address, verify says which.
A GitLab token is asked about at https://HOST/api/v4 (its scopes and
expires_at, recorded as its expiry; its login when it may read it), a
Gitea one at https://HOST/api/v1/user; Bitbucket and Azure DevOps cannot be
asked with a token alone, which is said and is no failure.
It trusts and proxies as git does for the same URL: http.sslCAInfo,
http.sslCAPath, http.proxy (else HTTPS_PROXY), GIT_SSL_CAINFO, GIT_SSL_CAPATH.
Exits 1 when a host refuses a token or cannot be asked, naming it. For a
host no forge is known for, asked at a guessed address (neither --api-url
nor add --forge given), a refusal says the token could not be verified.
This and add/rotate --verify are the only commands that use the network.

`

func (env *environment) verify(args []string) error {
	fs := env.newFlags("verify", verifyUsage)
	username := fs.String("username", "", "only the entry with this user name")
	checks := defineTokenCheckFlags(fs.FlagSet, false)
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) > 1 {
		return usagef("verify takes at most one TARGET; run git-credential-pat verify --help")
	}
	if err := checks.check(); err != nil {
		return err
	}
	tokens, err := env.tokens()
	if err != nil {
		return err
	}
	entries, err := tokens.List()
	if err != nil {
		return err
	}
	sortEntries(entries)
	all := entries
	if len(positional) == 1 {
		target, err := parseTargetFlag(fs.FlagSet, positional[0], *username)
		if err != nil {
			return err
		}
		if entries = selectEntries(entries, target); len(entries) == 0 {
			return fmt.Errorf("no token is stored for %s; run git-credential-pat list to see what is", target)
		}
	} else if len(entries) == 0 {
		fmt.Fprintln(env.stdout, "No tokens are stored yet. Add one with: git-credential-pat add github.com/OWNER --verify")
		return nil
	}

	apiURL, err := verifyAPIURL(entries, checks)
	if err != nil {
		return err
	}

	var updated []credential.Entry
	var oldTargets []credential.Target
	var failed []string
	for _, stored := range entries {
		e, ok, err := env.verifyStored(tokens, stored, forgeAmong(stored, all), apiURL, *checks.timeout)
		if err != nil {
			return err
		}
		switch {
		case !ok:
			failed = append(failed, credential.Escape(stored.Target.String()))
		case e != nil:
			updated = append(updated, *e)
			oldTargets = append(oldTargets, stored.Target)
		}
	}
	if err := saveMoved(tokens, updated, oldTargets); err != nil {
		return fmt.Errorf("the tokens were verified, but what the host said could not be saved: %w", err)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d tokens could not be verified: %s", len(failed), len(entries), strings.Join(failed, ", "))
	}
	return nil
}

// verifyStored asks the host of f about the stored entry, and says what it
// answered. It returns the entry as it is to be saved (nil when there is
// nothing to save), and ok false when the host refused the token or could
// not be asked.
func (env *environment) verifyStored(tokens store.Store, stored credential.Entry, f forge.Forge, apiURL string, timeout time.Duration) (*credential.Entry, bool, error) {
	e := stored
	var notes []string
	if apiURL != "" {
		e.APIURL = apiURL
	} else if e.APIURL != "" && knownAPIForge(e.Host) != nil {
		// An older build stored any address given; a known host's
		// tokens go to its own API only.
		notes = append(notes, fmt.Sprintf("the API address %s stored for it was dropped: %s's API address is known", e.APIURL, e.Host))
		e.APIURL = ""
	}
	env.sayAsking(&stored, e, f)
	id, err := env.askHost(e, f, timeout)
	guess, guessed := guessedAPI(f, e)
	switch {
	case errors.Is(err, forge.ErrUnauthorized) && guessed:
		fmt.Fprintf(env.stdout, "%s: %s\n", credential.Escape(e.Target.String()), unverifiedAtGuess(guess))
		return nil, false, nil
	case errors.Is(err, forge.ErrUnauthorized):
		fmt.Fprintln(env.stdout, deadTokenError(e.Target, true, err))
		return nil, false, nil
	case verifyNotPossible(err):
		// Nothing is known to be wrong, and nothing can be done
		// about it here: said, but no failure.
		fmt.Fprintf(env.stdout, "%s: not verified: %v\n", credential.Escape(e.Target.String()), err)
		return nil, true, nil
	case err != nil:
		fmt.Fprintf(env.stdout, "%s: could not be verified: %v\n", credential.Escape(e.Target.String()), err)
		return nil, false, nil
	}
	notes = append(notes, applyIdentity(&e, id, env.now())...)
	note, err := rekeyed(tokens, stored.Target, &e, false)
	if err != nil {
		return nil, false, err
	}
	if note != "" {
		notes = append(notes, note)
	}
	fmt.Fprintf(env.stdout, "%s: valid; %s.\n", credential.Escape(e.Target.String()), credential.Escape(describeIdentity(e, env.now())))
	for _, n := range notes {
		fmt.Fprintf(env.stdout, "  note: %s.\n", credential.Escape(n))
	}
	return &e, true, nil
}

// verifyAPIURL is --api-url checked against the entries verify asks about:
// it names one host's API, so the entries must be of one host, and one
// whose API address is not known already. Hosts are stored normalized
// (NormalizeHost), so equal hosts are equal strings.
func verifyAPIURL(entries []credential.Entry, checks *tokenCheckFlags) (string, error) {
	if *checks.apiURL == "" {
		return "", nil
	}
	var hosts []string
	for _, e := range entries {
		if !slices.ContainsFunc(hosts, func(h string) bool { return h == e.Host }) {
			hosts = append(hosts, e.Host)
		}
	}
	if len(hosts) > 1 {
		return "", usagef("--api-url is one host's API, but the tokens to verify are of %d hosts (%s); name the token it is for: git-credential-pat verify HOST/OWNER --api-url URL",
			len(hosts), credential.Escape(strings.Join(hosts, ", ")))
	}
	return checks.apiURLFor(hosts[0])
}

// sayAsking says which address e's token is about to be sent to, when it
// was never sent there: the first verify of a token, or one whose API
// address changed. stored is the entry as stored, nil for a new one.
func (env *environment) sayAsking(stored *credential.Entry, e credential.Entry, f forge.Forge) {
	to := apiAddress(askedForge(f), e)
	if stored != nil && !stored.Verified.IsZero() && apiAddress(askedForge(f), *stored) == to {
		return
	}
	fmt.Fprintf(env.stdout, "Asking %s about the token for %s.\n", credential.Escape(to), credential.Escape(e.Target.String()))
}

// selectEntries returns the entries target selects.
func selectEntries(entries []credential.Entry, target credential.Target) []credential.Entry {
	var out []credential.Entry
	for _, e := range entries {
		if target.Selects(e.Target) {
			out = append(out, e)
		}
	}
	return out
}

// verifyNew asks the host about a token being added or rotated in, and
// records what it says in e. A refused token stores nothing. replace is
// rekeyed's: whether e may take the place of an entry stored under the
// login.
func (env *environment) verifyNew(tokens store.Store, old credential.Target, e *credential.Entry, f forge.Forge, checks *tokenCheckFlags, replace bool) error {
	var stored *credential.Entry
	if s, err := tokens.Get(old); err == nil && s.Token == e.Token {
		stored = &s
	}
	env.sayAsking(stored, *e, f)
	id, err := env.askHost(*e, f, *checks.timeout)
	if guess, guessed := guessedAPI(f, *e); guessed && errors.Is(err, forge.ErrUnauthorized) {
		return fmt.Errorf("the token %s, so nothing was stored (%w)", unverifiedAtGuess(guess), err)
	}
	if errors.Is(err, forge.ErrUnauthorized) {
		return deadTokenError(e.Target, false, err)
	}
	if err != nil {
		return fmt.Errorf("the token could not be verified, so nothing was stored: %w; run again without --verify to store it unchecked", err)
	}
	notes := applyIdentity(e, id, env.now())
	note, err := rekeyed(tokens, old, e, replace)
	if err != nil {
		return err
	}
	if note != "" {
		notes = append(notes, note)
	}
	fmt.Fprintf(env.stdout, "Verified: the token %s.\n", credential.Escape(describeIdentity(*e, env.now())))
	for _, n := range notes {
		fmt.Fprintf(env.stdout, "  note: %s.\n", credential.Escape(n))
	}
	return nil
}
