package main

import (
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/store"
)

// intake is a token being taken in by add, new (GitHub's page or another
// forge's), rotate or import. They share one pipeline (takeIn) so that the
// forge, the kind, the shape check, what the replaced entry knew and
// --verify are decided the same way whichever command a token came through.
type intake struct {
	// tokens is the store; nil opens it when it is first needed.
	tokens store.Store
	// entry is what is known before the token: its target (an entry it
	// replaces is stored under the same), what the person said (note,
	// expiry, API address, --allow-http) and when it was added.
	entry credential.Entry
	// told is the forge --forge named, or the one recorded with the entry
	// a rotation replaces; nil for none.
	told forge.Forge
	// given holds the names of the flags given: what the person said
	// again is not carried over from the replaced entry.
	given map[string]bool
	// checks are the token check flags; nil for import, which has no one
	// to confirm a doubtful shape with and asks no host.
	checks *tokenCheckFlags
	// warn, for import, is told of a token whose shape looks wrong: it
	// is kept all the same (see checkShape).
	warn func(error)
	// rotated is, for rotate, the entry the token succeeds, whose own rule
	// of what is carried over applies (keepForSuccessor).
	rotated *credential.Entry
	// confirm, when set, runs once the token's forge is settled and its
	// shape accepted, before anything is carried over or the host asked:
	// new asks for the date the page showed, rotate refuses the token
	// stored already.
	confirm func(e *credential.Entry) error
}

// takeIn makes the entry that stores token: it resolves the forge, checks
// the token's shape, settles the forge's kind and path rule, carries over
// what the replaced entry knew, asks the host when --verify was given, and
// gives the forge's default user name. Nothing is stored: the caller
// stores the entry and says what it did.
func (env *environment) takeIn(in *intake, token string) (credential.Entry, error) {
	if in.tokens == nil {
		tokens, err := env.tokens()
		if err != nil {
			return credential.Entry{}, err
		}
		in.tokens = tokens
	}
	e := in.entry
	e.Token = token
	f, err := env.resolveForge(in.told, e.Target, token)
	if err != nil {
		return e, err
	}
	if err := env.checkShape(in, f, e.Target, token); err != nil {
		return e, err
	}
	if err := env.settleForge(f, &e); err != nil {
		return e, err
	}
	if in.confirm != nil {
		if err := in.confirm(&e); err != nil {
			return e, err
		}
	}
	if err := in.keep(&e, f); err != nil {
		return e, err
	}
	if in.checks != nil && *in.checks.verify {
		// A rotation keeps its entry where it is; a token added may take
		// the place of the entry stored under the login the host names.
		if err := env.verifyNew(in.tokens, in.entry.Target, &e, f, in.checks, in.rotated == nil); err != nil {
			return e, err
		}
	}
	defaultUsername(f, &e)
	return e, nil
}

// checkShape judges token by the shapes of forge f's tokens. A shape that
// looks mistyped (a wrong checksum, a token cut short) is kept or refused
// as acceptFormat says. A value of no shape f's tokens have on the host (a
// password for github.com) is refused, even on a terminal: --no-format-check
// is the one way past. Import keeps either with a warning: the value is
// what git has been sending, and left out it would stay in the plaintext
// file.
func (env *environment) checkShape(in *intake, f forge.Forge, target credential.Target, token string) error {
	typo := checkFormat(f, token)
	var unknown error
	if typo == nil && f != nil {
		unknown = f.UnknownShape(target.Host, token)
	}
	problem := cmp.Or(typo, unknown)
	switch {
	case problem == nil:
		return nil
	case in.checks == nil:
		if in.warn != nil {
			in.warn(problem)
		}
		return nil
	case unknown == nil:
		return env.acceptFormat(typo, in.checks)
	case *in.checks.noFormatCheck:
		fmt.Fprintf(env.stderr, "warning: %v; stored because of --no-format-check.\n", unknown)
		return nil
	}
	return fmt.Errorf("%w. Nothing was stored: create a token (%s opens the page that does) and store it; to store this value all the same, give --no-format-check",
		unknown, credential.Escape(credential.NewCommand(credential.Entry{Target: target})))
}

// takeInTyped is add's and new's pipeline: it reads the token (readToken),
// takes it in and stores it. unread, when set, words the error when no
// token could be read.
func (env *environment) takeInTyped(in *intake, unread func(error) error) error {
	token, err := env.readToken(in.entry.Target)
	if err != nil {
		if unread != nil {
			return unread(err)
		}
		return err
	}
	e, err := env.takeIn(in, token)
	if err != nil {
		return err
	}
	return env.storeAdded(in.tokens, in.entry.Target, e, env.now().UTC())
}

// keep carries over to e what the entry it replaces knew. That entry is
// stored under the target as typed, or under it with the user name f
// gives when none is typed (oauth2 on GitLab, ...), as storeAdded finds it.
func (in *intake) keep(e *credential.Entry, f forge.Forge) error {
	if in.rotated != nil {
		keepForSuccessor(*in.rotated, e, in.given)
		return nil
	}
	named := *e
	defaultUsername(f, &named)
	for _, t := range []credential.Target{in.entry.Target, named.Target} {
		old, err := in.tokens.Get(t)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		keepOnReplace(old, e, in.given)
		return nil
	}
	return nil
}

// keepOnReplace carries over to e, which is about to replace old, what the
// person said of old and did not say again (given holds the flags given):
// its note, API address and --allow-http. The same token stored again also
// keeps what is known of it: its expiry, added date, last use and what the
// host reported.
func keepOnReplace(old credential.Entry, e *credential.Entry, given map[string]bool) {
	if !given["note"] {
		e.Note = old.Note
	}
	if !given["api-url"] {
		e.APIURL = old.APIURL
	}
	if !given["allow-http"] {
		e.AllowHTTP = e.AllowHTTP || old.AllowHTTP
	}
	if old.Token == e.Token {
		if !given["expires"] {
			e.Expires = old.Expires
		}
		e.Added, e.LastUsed = old.Added, old.LastUsed
		e.Login, e.Scopes, e.Verified = old.Login, old.Scopes, old.Verified
	}
}

// keepForSuccessor is rotate's rule: the new token takes old's place with
// everything known of the entry (user name, note, added date, API address,
// the account, its expiry unless --expires was given), but nothing learnt
// of the old token (last use, scopes, when it was verified) unless it is
// the same token, and no refusal.
func keepForSuccessor(old credential.Entry, e *credential.Entry, given map[string]bool) {
	next := old
	next.Token, next.Kind, next.Refused = e.Token, e.Kind, time.Time{}
	if e.Forge != "" {
		next.Forge = e.Forge
	}
	if e.Token != old.Token {
		next.LastUsed, next.Scopes, next.Verified = time.Time{}, nil, time.Time{}
	}
	if given["expires"] {
		next.Expires = e.Expires
	}
	if e.APIURL != "" {
		next.APIURL = e.APIURL
	}
	*e = next
}

// storeAdded stores the entry add (or new) made for target, and says what
// it did and what is left to do.
func (env *environment) storeAdded(tokens store.Store, target credential.Target, entry credential.Entry, now time.Time) error {
	verb, respelled := "Added", ""
	for _, t := range []credential.Target{target, entry.Target} {
		if old, err := tokens.Get(t); err == nil {
			verb = "Replaced"
			if old.Target.String() != entry.Target.String() && old.Target.Same(entry.Target) {
				// Owners and repositories are the same whatever their
				// case: one entry, now spelled as typed.
				respelled = old.Target.String()
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if err := saveMoved(tokens, []credential.Entry{entry}, []credential.Target{target}); err != nil {
		return err
	}
	target = entry.Target
	say(env.stdout, "%s the %s token %s for %s in %s.",
		verb, entry.Kind, credential.Masked(entry.Token), target, tokens)
	if respelled != "" {
		say(env.stdout, "It replaced the token stored for %s: owner and repository names are the same in any case.", respelled)
	}
	if entry.Expired(now) {
		fmt.Fprintf(env.stderr, "warning: its expiry date %s has passed: git will not be given this token.\n", entry.Expires.UTC().Format(time.DateOnly))
	}
	if entry.Kind == github.KindFineGrained && target.Path == "" {
		say(env.stderr, "note: a fine-grained token serves one resource owner only; to use several owners on %s, store each with: git-credential-pat add %s/OWNER", target.Host, target.Host)
	}
	env.hintPaths([]credential.Entry{entry})
	env.warnPlaintextHelpers()
	return nil
}

// readToken reads the token from stdin when it is not a terminal, else asks
// on the terminal without echo.
func (env *environment) readToken(target credential.Target) (string, error) {
	var raw []byte
	if isTerminal(env.stdin) {
		secret, err := store.PromptSecret(fmt.Sprintf("Token for %s: ", target))
		if err != nil {
			return "", err
		}
		raw = secret
	} else {
		data, err := io.ReadAll(io.LimitReader(env.stdin, credential.MaxLineLength+2))
		if err != nil {
			return "", fmt.Errorf("cannot read the token from standard input: %w", err)
		}
		raw = data
	}
	token := string(bytes.TrimRight(raw, "\r\n"))
	token = strings.TrimSpace(token)
	switch {
	case token == "":
		return "", errors.New("no token was given: pipe it on standard input, or run add from a terminal to be asked for it")
	case len(token) > credential.MaxLineLength:
		return "", errors.New("the token is longer than git can send; check what was piped in")
	case strings.ContainsAny(token, "\n\r\x00 \t"):
		return "", errors.New("the token holds spaces, line breaks or NUL bytes; give exactly one token")
	}
	return token, nil
}

// givenFlags holds the names of the flags given on the command line.
func givenFlags(fs *flags) map[string]bool {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	return given
}
