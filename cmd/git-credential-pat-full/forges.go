package main

import (
	"errors"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	_ "github.com/git-credential-pat/git-credential-pat/internal/forge/azure"
	_ "github.com/git-credential-pat/git-credential-pat/internal/forge/bitbucket"
	_ "github.com/git-credential-pat/git-credential-pat/internal/forge/gitea"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
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

// resolveForge is forge.Resolve for a token being taken in for target
// (token "" before there is one). The store is opened, and the host's
// other entries read, only when neither told, the host's name nor the
// token's prefix names the forge.
func (env *environment) resolveForge(told forge.Forge, target credential.Target, token string) (forge.Forge, error) {
	return forge.Resolve(told, target, token, func() ([]credential.Entry, error) {
		_, listed, err := env.listings()
		if err != nil {
			return nil, err
		}
		entries := make([]credential.Entry, len(listed))
		for i, l := range listed {
			entries[i] = maskedEntry(l)
		}
		return entries, nil
	})
}

// forgeAmong is the forge of the stored entry e, resolved as a token taken
// in for it would be: what was recorded with it, its host's, its token's,
// else that of its host's other entries among all.
func forgeAmong(e credential.Entry, all []credential.Entry) forge.Forge {
	f, _ := forge.Resolve(forge.ByName(e.Forge), e.Target, e.Token, func() ([]credential.Entry, error) { return all, nil })
	return f
}

// storedKind is the kind git's store gives a token it stores for host:
// the resolved forge's, as add would give it.
func storedKind(host, token string, hostEntries []credential.Entry) credential.Kind {
	f, _ := forge.Resolve(nil, credential.Target{Host: host}, token, func() ([]credential.Entry, error) { return hostEntries, nil })
	return forge.Kind(f, token)
}

// maskedEntry is a listed entry with its masked token in place of the
// token, which a listing may lack: the masked form keeps the declared
// prefix that names a forge.
func maskedEntry(l store.Listing) credential.Entry {
	e := l.Entry
	e.Token = l.Masked
	return e
}

// forgeName is f's name, or "" for none.
func forgeName(f forge.Forge) string {
	if f == nil {
		return ""
	}
	return f.Name()
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
	e.Kind = forge.Kind(f, e.Token)
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
