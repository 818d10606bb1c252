package main

import (
	"fmt"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

const removeUsage = `Usage: git-credential-pat remove TARGET [--username NAME]

Deletes the token stored for TARGET. When several users have tokens for the
same TARGET, say which with --username (or USER@ in TARGET).

`

func (env *environment) remove(args []string) error {
	fs := env.newFlags("remove", removeUsage)
	username := fs.String("username", "", "the user name of the entry to remove")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		return usagef("remove takes one TARGET; run git-credential-pat list to see them")
	}
	target, err := parseTargetFlag(fs.FlagSet, positional[0], *username)
	if err != nil {
		return err
	}
	tokens, entries, err := env.listings()
	if err != nil {
		return err
	}
	var matches []credential.Target
	for _, e := range entries {
		matches = append(matches, e.Target)
	}
	i, err := selectOne(target, matches, fmt.Errorf("no token is stored for %s; run git-credential-pat list to see what is", target))
	if err != nil {
		return err
	}
	removed := entries[i]
	if err := tokens.Delete(removed.Target); err != nil {
		return err
	}
	say(env.stdout, "Removed the %s token %s for %s from %s.", removed.Kind, removed.Masked, removed.Target, tokens)
	return nil
}
