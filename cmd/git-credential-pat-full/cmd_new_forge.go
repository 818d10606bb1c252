package main

import (
	"errors"
	"fmt"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/gitlab"
)

// newForgeToken is new for a forge other than GitHub: it opens f's
// creation page, filled in, then takes the token in as add does. The
// expiry is chosen on the page, so it is asked for (or learnt with
// --verify, or given with --expires).
func (env *environment) newForgeToken(f forge.Forge, target credential.Target, o *newOptions) error {
	for _, name := range []string{"classic", "fine-grained", "permission", "expires-in"} {
		if o.given[name] {
			return usagef("--%s is for GitHub's pages; %s's page takes a name, a description and scopes (--scope)", name, f.Title())
		}
	}
	page := forge.NewToken{Name: *o.name, Description: *o.description}
	if !o.given["name"] {
		page.Name = github.DefaultTokenName(target.Location(), machineName())
	}
	if !o.given["description"] {
		page.Description = defaultDescription(target, machineName())
	}
	if extra := o.scopes[1:]; len(extra) > 0 {
		// nil leaves the forge's default for git; the person's scopes
		// come on top of it.
		page.Scopes = append(forgeDefaultScopes(f), extra...)
	}
	address, err := f.NewTokenURL(target.Host, page)
	if errors.Is(err, forge.ErrNoTokenPage) {
		return fmt.Errorf("%s: %w", f.Title(), err)
	}
	if err != nil {
		return usageError{err.Error()}
	}
	if *o.printOnly {
		_, err := fmt.Fprintln(env.stdout, address)
		return err
	}
	entry, err := o.entry(target, env.now().UTC(), credential.Expiry{})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "Create the token on this page (check its scopes and expiry there), then copy it:\n  %s\n", address)
	if !*o.noBrowser {
		settle := env.openBrowser(address)
		defer settle()
	}
	if !o.given["expires"] && !*o.checks.verify && !isTerminal(env.stdin) {
		fmt.Fprintf(env.stderr, "note: the page sets the expiry, which is not known here: give it with --expires YYYY-MM-DD, or ask the host with --verify.\n")
	}
	in := &intake{entry: entry, told: f, given: o.given, checks: o.checks, confirm: func(e *credential.Entry) error {
		return env.confirmExpiry(o, e)
	}}
	return env.takeInTyped(in, func(err error) error {
		return fmt.Errorf("%w. Nothing was stored; once the token is created, store it with: git-credential-pat add %s", err, target)
	})
}

// forgeDefaultScopes are the scopes new asks f's page for when the person
// adds some of their own: what git over HTTPS needs.
func forgeDefaultScopes(f forge.Forge) []string {
	if f.Name() == "gitlab" {
		return []string{gitlab.ScopeGit}
	}
	return nil
}
