package main

import (
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

const addUsage = `Usage: git-credential-pat add TARGET [--username NAME] [--forge NAME] [--expires YYYY-MM-DD] [--note TEXT] [--allow-http] [--verify] [--strict]

Stores a token for TARGET: github.com, github.com/OWNER, github.com/OWNER/REPO,
HOST:PORT/..., or any of these as an https:// URL. The token is read from
standard input when that is not a terminal, else asked for on the terminal
without echo; it is never taken from the command line:
  printf %s "$TOKEN" | git-credential-pat add github.com/OWNER
Adding to a target that holds a token already replaces it.
A GitHub token whose shape or checksum is wrong (a likely typo) is refused,
or kept only after confirming on the terminal. A value of no shape the
forge's tokens have (a password, on github.com or gitlab.com, which take
tokens for git) is refused even on a terminal: --no-format-check stores it
all the same. --verify asks the host's API whose token it is (stored as the
user name when none is given), its scopes and its expiry; the host is only
asked when --verify is given.
The forge is known by the host (github.com, gitlab.com, bitbucket.org,
dev.azure.com, ...) or the token's prefix (glpat-, ghp_, ...); for any other
host, tell it once with --forge (github, gitlab, gitea or forgejo, bitbucket,
azure): it is remembered with the host's entries. The forge's rules apply:
its paths, its token shapes, and the user name it needs when none is given
(oauth2 for GitLab, x-bitbucket-api-token-auth or x-token-auth for
Bitbucket, the organization for Azure DevOps).

`

func (env *environment) add(args []string) error {
	fs := env.newFlags("add", addUsage)
	username := fs.String("username", "", "the user name git should send (default: the one in TARGET, else "+credential.DefaultUsername+")")
	expires := fs.String("expires", "", "the token's expiration date, YYYY-MM-DD, as GitHub showed it")
	note := fs.String("note", "", "a note for yourself, shown by list")
	allowHTTP := fs.Bool("allow-http", false, "also answer plain http:// requests (for local test servers only)")
	forgeFlag := fs.String("forge", "", "the forge of a host not known by its name: "+strings.Join(forge.Names(), ", "))
	checks := defineTokenCheckFlags(fs.FlagSet, true)
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checks.check(); err != nil {
		return err
	}
	if len(positional) != 1 {
		return usagef("add takes one TARGET, such as github.com/OWNER; run git-credential-pat add --help")
	}
	told, err := parseForgeFlag(*forgeFlag)
	if err != nil {
		return err
	}
	target, err := parseTargetFlag(fs.FlagSet, positional[0], *username)
	if err != nil {
		return err
	}
	env.noteTarget(positional[0], target, *allowHTTP)
	apiURL, err := checks.apiURLFor(target.Host)
	if err != nil {
		return err
	}
	entry := credential.Entry{Target: target, Note: *note, AllowHTTP: *allowHTTP, Added: env.now().UTC(), APIURL: apiURL}
	if x, err := parseExpires(*expires); err != nil {
		return err
	} else if x != nil {
		entry.Expires = *x
	}
	return env.takeInTyped(&intake{entry: entry, told: told, given: givenFlags(fs), checks: checks}, nil)
}
