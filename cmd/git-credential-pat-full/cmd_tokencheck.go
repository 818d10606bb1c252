package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/store"
)

// testOnlyGitHubAPI, when set, replaces https://api.github.com as the API
// of github.com, so tests can answer for it from a local server. Tests set it
// in TestMain; no flag or variable of the program reaches it.
var testOnlyGitHubAPI string

// defaultVerifyTimeout bounds one request to a host's API.
const defaultVerifyTimeout = 10 * time.Second

// tokenCheckFlags are the flags of the commands that take in a token (add,
// rotate) or ask the host about one (verify).
type tokenCheckFlags struct {
	verify        *bool
	strict        *bool
	noFormatCheck *bool
	apiURL        *string
	timeout       *time.Duration
}

// defineTokenCheckFlags adds the flags to fs. takesToken adds those about a
// token being read: --verify, --strict and --no-format-check.
func defineTokenCheckFlags(fs *flag.FlagSet, takesToken bool) *tokenCheckFlags {
	f := &tokenCheckFlags{verify: new(bool), strict: new(bool), noFormatCheck: new(bool)}
	if takesToken {
		fs.BoolVar(f.verify, "verify", false, "ask the host's API whose token it is, its scopes and expiry, before storing it")
		fs.BoolVar(f.strict, "strict", false, "refuse a token whose shape or checksum is wrong, even on a terminal")
		fs.BoolVar(f.noFormatCheck, "no-format-check", false, "store a token whose shape or checksum looks wrong (a format newer than this helper), or a value of no shape the forge's tokens have")
	}
	f.apiURL = fs.String("api-url", "", "the API base `URL` of a self-hosted host, such as https://HOST/api/v3 (default: from the host); remembered for the entry")
	f.timeout = fs.Duration("timeout", defaultVerifyTimeout, "how long to wait for the host's API")
	return f
}

// check refuses contradictory or unsafe flag values.
func (f *tokenCheckFlags) check() error {
	if *f.strict && *f.noFormatCheck {
		return usagef("--strict and --no-format-check contradict each other; give one")
	}
	if *f.apiURL != "" {
		if err := github.CheckBaseURL(*f.apiURL); err != nil {
			return usageError{"--api-url: " + err.Error()}
		}
	}
	if *f.timeout <= 0 {
		return usagef("--timeout must be positive, such as 10s")
	}
	return nil
}

// apiURLFor is --api-url checked for host: "" when none was given. A host
// whose forge is known by its name (github.com, gitlab.com, ...) has an API
// address this helper knows, so none other is taken for it: a token sent
// to a mistyped or hostile address is a token given away.
func (f *tokenCheckFlags) apiURLFor(host string) (string, error) {
	if *f.apiURL == "" {
		return "", nil
	}
	if known := knownAPIForge(host); known != nil {
		return "", usagef("--api-url is for a self-hosted server: %s is %s's own host, whose API address is known, so its tokens are sent to no other",
			credential.Escape(host), known.Title())
	}
	return *f.apiURL, nil
}

// knownAPIForge is the forge whose own host host is (github.com,
// gitlab.com, ...), whose API address this helper knows; nil for any other
// host, whose API address may be given (--api-url) and remembered.
func knownAPIForge(host string) forge.Forge {
	return forge.ForHost(host)
}

// acceptFormat settles a token that looks mistyped (err, from checkFormat):
// it is never kept silently: on a terminal the user confirms it; piped in,
// or with --strict, it is refused; --no-format-check keeps it with a
// warning.
func (env *environment) acceptFormat(err error, f *tokenCheckFlags) error {
	switch {
	case *f.noFormatCheck:
		fmt.Fprintf(env.stderr, "warning: %v; kept because of --no-format-check.\n", err)
		return nil
	case *f.strict:
		return fmt.Errorf("%w. Nothing was stored: copy the token again (--strict refuses it)", err)
	case !isTerminal(env.stdin):
		return fmt.Errorf("%w. Nothing was stored: copy the token again; to keep it as it is, run the command on a terminal to confirm, or pass --no-format-check", err)
	}
	fmt.Fprintf(env.stderr, "warning: %v.\n", err)
	keep, cerr := store.Confirm("Store it anyway? [y/N] ")
	if cerr != nil {
		return fmt.Errorf("%w. Nothing was stored: %w", err, cerr)
	}
	if !keep {
		return errors.New("nothing was stored; copy the token again")
	}
	return nil
}

// apiBase is the API base e's token is checked under: the entry's own when
// one was given, else "" for the host's default. An address stored on a
// host whose API is known (as an older build could store) is never used.
func apiBase(e credential.Entry) string {
	if e.Host == "github.com" && testOnlyGitHubAPI != "" {
		return testOnlyGitHubAPI
	}
	if knownAPIForge(e.Host) != nil {
		return ""
	}
	return e.APIURL
}

// apiAddress is the address askHost sends e's token to.
func apiAddress(f forge.Forge, e credential.Entry) string {
	base := apiBase(e)
	if base == "" {
		if f.Name() == "github" {
			return github.UserURL(e.Host)
		}
		return "https://" + e.Host + "/"
	}
	return base
}

// askedForge is the forge whose API a token of forge f is asked about: a
// host no forge is known for is asked as a GitHub Enterprise Server, as
// before forges were told apart.
func askedForge(f forge.Forge) forge.Forge {
	if f == nil {
		return github.Forge{}
	}
	return f
}

// askHost asks the API of e's forge f (see askedForge) who its token
// belongs to.
func (env *environment) askHost(e credential.Entry, f forge.Forge, timeout time.Duration) (forge.Identity, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	f = askedForge(f)
	client := forge.NewClient(timeout, "git-credential-pat/"+version)
	// The token goes where git's own settings for the host say it is safe
	// to, and through git's proxy: those for the API's address, else the
	// git host's.
	tr, err := readGitHTTPSettings(apiAddress(f, e), e.Host).transport()
	if err != nil {
		return forge.Identity{}, err
	}
	client.HTTP.Transport = tr
	id, err := forge.Ask(ctx, f, client, e.Host, apiBase(e), e.Token)
	if err != nil {
		if hint := untrustedHint(err); hint != "" {
			return id, fmt.Errorf("%w%s", err, hint)
		}
	}
	return id, err
}

// guessedAPI is the address e's token was sent to when that address was a
// guess: no forge is known for the host (f is nil) and no API address was
// given. A refusal there may be of the address, not of the token.
func guessedAPI(f forge.Forge, e credential.Entry) (string, bool) {
	if f != nil || apiBase(e) != "" {
		return "", false
	}
	return apiAddress(askedForge(f), e), true
}

// unverifiedAtGuess is what a refusal at a guessed API address (see
// guessedAPI) means: the token could not be verified there.
func unverifiedAtGuess(address string) string {
	return fmt.Sprintf("could not be verified at %s: the host refused the token there, which may not be its API; give the API address with --api-url or the forge with add --forge", address)
}

// deadTokenError is the message for a token the host refused; refusal is
// the host's error, which wraps forge.ErrUnauthorized and may say why.
func deadTokenError(target credential.Target, stored bool, refusal error) error {
	if stored {
		return fmt.Errorf("the token for %s is dead: %w: it was revoked, has expired or was mistyped. Replace it with: %s",
			credential.Escape(target.String()), refusal, credential.Escape(credential.NewCommand(credential.Entry{Target: target})))
	}
	return fmt.Errorf("%w: it was revoked, has expired or was mistyped. Nothing was stored; check the token, or create a new one and run the command again", refusal)
}

// applyIdentity records what the host said of e's token: its login (also as
// the user name when e has none), its scopes and its expiry. It returns
// notes for the user about what differs from what was stored.
func applyIdentity(e *credential.Entry, id forge.Identity, now time.Time) []string {
	var notes []string
	e.Login, e.Scopes, e.Verified = id.Login, id.Scopes, now.UTC()
	switch {
	case id.Login == "":
		// The API did not name the account (a GitLab token that cannot
		// read its user): the user name stays as it was.
	case !e.HasUsername:
		e.Username, e.HasUsername = id.Login, true
	case e.Username != id.Login:
		notes = append(notes, fmt.Sprintf("the token belongs to %s, but is stored for the user name \"%s\", which git will send", id.Login, credential.Escape(e.Username)))
	}
	switch {
	case !id.Expires.IsZero():
		if e.Expires.Dated() && !sameDate(e.Expires.Time, id.Expires) {
			notes = append(notes, fmt.Sprintf("the host says the token expires on %s, not %s; the host's date is kept", id.Expires.Format(time.DateOnly), e.Expires.UTC().Format(time.DateOnly)))
		}
		e.Expires = credential.ExpiryAt(id.Expires)
	case id.ExpiryUnread != "":
		notes = append(notes, fmt.Sprintf("the host's expiry date \"%s\" could not be read; set it with --expires", credential.Escape(id.ExpiryUnread)))
	case !e.Expires.Known():
		// The host names no expiry: the token does not expire.
		e.Expires = credential.ExpiryNever
	}
	return notes
}

func sameDate(a, b time.Time) bool {
	return a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly)
}

// describeIdentity is one line on a verified entry.
func describeIdentity(e credential.Entry, now time.Time) string {
	parts := []string{"belongs to " + e.Login}
	if e.Login == "" {
		parts = []string{"belongs to an account the host does not name"}
	}
	if e.Scopes != nil {
		scopes := "none"
		if len(e.Scopes) > 0 {
			scopes = strings.Join(e.Scopes, ", ")
		}
		parts = append(parts, "scopes: "+scopes)
	}
	if e.Expires.Never {
		parts = append(parts, "no expiry")
	} else if !e.Expires.Dated() {
		parts = append(parts, "expiry unknown")
	} else {
		parts = append(parts, fmt.Sprintf("expires %s (%s)", credential.WhenLeft(e, now), e.Expires.UTC().Format(time.DateOnly)))
	}
	return strings.Join(parts, "; ")
}

// rekeyed settles where an entry goes when the login became its user name.
// When another entry holds that target already, replace says whether the
// entry takes its place (add: the same account's token for the same place is
// being replaced); otherwise it stays under its old target, so no entry is
// replaced behind the user's back.
func rekeyed(tokens store.Store, old credential.Target, e *credential.Entry, replace bool) (note string, err error) {
	if e.Target.Same(old) || replace {
		return "", nil
	}
	if _, err := tokens.Get(e.Target); err == nil {
		taken := e.Target
		e.Target = old
		return fmt.Sprintf("%s holds another token already, so this one stays under %s", taken, old), nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	return "", nil
}

// saveMoved stores entries, then deletes the old targets of those whose
// target changed. Adding first means a failure in between leaves a
// duplicate, never a lost token.
func saveMoved(tokens store.Store, entries []credential.Entry, oldTargets []credential.Target) error {
	if len(entries) == 0 {
		return nil
	}
	if err := tokens.Add(entries...); err != nil {
		return err
	}
	var gone []credential.Target
	for i, e := range entries {
		if !e.Target.Same(oldTargets[i]) && !slices.ContainsFunc(entries, func(o credential.Entry) bool { return o.Target.Same(oldTargets[i]) }) {
			gone = append(gone, oldTargets[i])
		}
	}
	if len(gone) == 0 {
		return nil
	}
	return tokens.Delete(gone...)
}
