package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	_ "github.com/git-credential-pat/git-credential-pat/internal/forge/azure"
	_ "github.com/git-credential-pat/git-credential-pat/internal/forge/bitbucket"
	_ "github.com/git-credential-pat/git-credential-pat/internal/forge/gitea"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/gitlab"
	"github.com/git-credential-pat/git-credential-pat/store"
)

// The forges are chosen here, by the commands: credential and the cache
// daemon decide what git gets the same way for every forge.

// parseForgeFlag reads --forge: "" for none, else a forge's name.
func parseForgeFlag(name string) (forge.Forge, error) {
	if name == "" {
		return nil, nil
	}
	f := forge.ByName(name)
	if f == nil {
		return nil, usagef("--forge %q is not a forge this helper knows; give one of %s", name, strings.Join(forge.Names(), ", "))
	}
	return f, nil
}

// pickForge is the forge of a token being stored for target: the one told
// (--forge), else the host's own, else the one its prefix names, else the
// one of the host's other entries (told once and stored, or named by their
// tokens' prefixes); nil when none is known.
func pickForge(told forge.Forge, target credential.Target, token string, tokens store.Store) (forge.Forge, error) {
	if told != nil {
		return told, nil
	}
	if f := forge.ForHost(target.Host); f != nil {
		return f, nil
	}
	if f := forge.ForToken(token); f != nil {
		return f, nil
	}
	entries, err := store.ListMasked(tokens)
	if err != nil {
		return nil, err
	}
	for _, l := range entries {
		if l.Host == target.Host {
			if f := forgeOfListing(l); f != nil {
				return f, nil
			}
		}
	}
	return nil, nil
}

// maskedEntry is a listed entry with its masked token in place of the
// token, which a listing may lack: the masked form keeps the declared
// prefix that names a forge.
func maskedEntry(l store.Listing) credential.Entry {
	e := l.Entry
	e.Token = l.Masked
	return e
}

// forgeOfListing is the forge of a listed entry.
func forgeOfListing(l store.Listing) forge.Forge { return forge.For(maskedEntry(l)) }

// forgeName is f's name, or "" for none.
func forgeName(f forge.Forge) string {
	if f == nil {
		return ""
	}
	return f.Name()
}

// kindOf is token's kind as f names it; by its prefix alone without f.
func kindOf(f forge.Forge, token string) credential.Kind {
	if f == nil {
		return forge.KindOf(token)
	}
	return f.KindOf(token)
}

// checkFormat is f's shape check. Without a forge, GitHub's runs: it
// catches a GitHub prefix spoiled by a typo, and judges nothing else.
func checkFormat(f forge.Forge, token string) error {
	if f == nil {
		return github.CheckFormat(token)
	}
	return f.CheckFormat(token)
}

// settleForge records f in e and applies its path rule to a token being
// stored. The forge's name is stored only when neither the host nor the
// token names it (told with --forge, or taken from the host's entries),
// so the host's later entries and verify know it.
func (env *environment) settleForge(f forge.Forge, e *credential.Entry) error {
	if tf := forge.ForToken(e.Token); tf != nil && f != nil && tf.Name() != f.Name() {
		say(env.stderr, "warning: this looks like a %s token, but %s is taken for %s; git will send it all the same.", tf.Title(), e.Host, f.Title())
	}
	e.Kind = kindOf(f, e.Token)
	if f == nil {
		return nil
	}
	if err := checkForgePath(f, e.Target); err != nil {
		return err
	}
	if forge.ForHost(e.Host) == nil && forge.ForToken(e.Token) == nil {
		e.Forge = f.Name()
	}
	return nil
}

// defaultUsername gives e the user name f needs when the person gave none
// and verify named no account. It is stored, not supplied at get: the
// cache daemon and credential.Decide stay forge-neutral, and list shows
// what git is sent.
func defaultUsername(f forge.Forge, e *credential.Entry) {
	if f == nil || e.HasUsername {
		return
	}
	if name := f.DefaultUsername(e.Target, e.Kind); name != "" {
		e.Username, e.HasUsername = name, true
	}
}

// checkForgePath applies f's path rule to target (at most OWNER/REPO on
// GitHub, nested groups on GitLab, ...). credential knows no forge, so the
// commands apply it: for a forge's own host always, and for another host
// once its forge is known.
func checkForgePath(f forge.Forge, target credential.Target) error {
	if err := f.CheckPath(target.Path); err != nil {
		return usagef("the target %q %v", target.Location(), err)
	}
	return nil
}

// verifyNotPossible reports whether err says the forge cannot be asked.
func verifyNotPossible(err error) bool { return errors.Is(err, forge.ErrNoAPI) }

// forgePage is what new fills another forge's page with, and how.
type forgePage struct {
	name, description string
	extraScopes       []string // --scope, beyond the forge's default
	note, expires     string
	printOnly         bool
	noBrowser         bool
}

// newForgeToken is new for a forge other than GitHub: it opens f's
// creation page, filled in, then reads and stores the token as add does.
// The expiry is chosen on the page, so it is asked for (or learnt with
// --verify, or given with --expires).
func (env *environment) newForgeToken(f forge.Forge, target credential.Target, given map[string]bool, p forgePage, checks *tokenCheckFlags) error {
	for _, name := range []string{"classic", "fine-grained", "permission", "expires-in"} {
		if given[name] {
			return usagef("--%s is for GitHub's pages; %s's page takes a name, a description and scopes (--scope)", name, f.Title())
		}
	}
	page := forge.NewToken{Name: p.name, Description: p.description}
	if !given["name"] {
		page.Name = github.DefaultTokenName(target.Location(), machineName())
	}
	if !given["description"] {
		page.Description = defaultDescription(target, machineName())
	}
	if len(p.extraScopes) > 0 {
		// nil leaves the forge's default for git; the person's scopes
		// come on top of it.
		page.Scopes = append(forgeDefaultScopes(f), p.extraScopes...)
	}
	address, err := f.NewTokenURL(target.Host, page)
	if errors.Is(err, forge.ErrNoTokenPage) {
		return fmt.Errorf("%s: %w", f.Title(), err)
	}
	if err != nil {
		return usageError{err.Error()}
	}
	if p.printOnly {
		_, err := fmt.Fprintln(env.stdout, address)
		return err
	}
	apiURL, err := checks.apiURLFor(target.Host)
	if err != nil {
		return err
	}
	now := env.now().UTC()
	entry := credential.Entry{Target: target, Note: p.note, Added: now, APIURL: apiURL}
	if x, err := parseExpires(p.expires); err != nil {
		return err
	} else if x != nil {
		entry.Expires = *x
	}
	fmt.Fprintf(env.stdout, "Create the token on this page (check its scopes and expiry there), then copy it:\n  %s\n", address)
	if !p.noBrowser {
		settle := env.openBrowser(address)
		defer settle()
	}
	if !given["expires"] && !*checks.verify && !isTerminal(env.stdin) {
		fmt.Fprintf(env.stderr, "note: the page sets the expiry, which is not known here: give it with --expires YYYY-MM-DD, or ask the host with --verify.\n")
	}
	token, err := env.readToken(target)
	if err != nil {
		return fmt.Errorf("%w. Nothing was stored; once the token is created, store it with: git-credential-pat add %s", err, target)
	}
	if err := env.acceptFormat(token, checks, f); err != nil {
		return err
	}
	entry.Token = token
	if err := env.settleForge(f, &entry); err != nil {
		return err
	}
	if !given["expires"] && !*checks.verify && isTerminal(env.stdin) {
		if err := env.askExpiry(&entry); err != nil {
			return fmt.Errorf("%w. Nothing was stored", err)
		}
	}
	tokens, err := env.tokens()
	if err != nil {
		return err
	}
	if *checks.verify {
		if err := env.verifyNew(tokens, target, &entry, checks, true); err != nil {
			return err
		}
	}
	defaultUsername(f, &entry)
	return env.storeAdded(tokens, target, entry, now)
}

// forgeDefaultScopes are the scopes new asks f's page for when the person
// adds some of their own: what git over HTTPS needs.
func forgeDefaultScopes(f forge.Forge) []string {
	if f.Name() == "gitlab" {
		return []string{gitlab.ScopeGit}
	}
	return nil
}
