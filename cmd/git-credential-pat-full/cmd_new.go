package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/store"
)

const newUsage = `Usage: git-credential-pat new TARGET [--expires-in DAYS|none] [--permission NAME=LEVEL]...
       [--classic [--scope LIST]...] [--fine-grained] [--name NAME] [--description TEXT]
       [--expires YYYY-MM-DD|never] [--username NAME] [--note TEXT] [--print] [--no-browser]
       [--verify] [--strict] [--no-format-check] [--api-url URL] [--timeout DURATION]

Creates a token for TARGET on its host's page, filled in, then stores it.
For github.com/OWNER (or a *.ghe.com host) it opens the page that creates a
fine-grained token with OWNER as its resource owner, a name and description
saying where it is used, the lifetime of --expires-in (default 90 days) and
the permission contents=write, plus each --permission. On that page you still
choose the repositories, then generate the token and copy it.
For a bare HOST, with --classic, or on GitHub Enterprise Server (which does
not document the fine-grained template; --fine-grained tries it anyway), it
opens the page that creates a classic token with the scope repo, plus each
--scope; its expiry is chosen on the page.

The address is printed, and opened with $BROWSER, else xdg-open, open or
rundll32; no browser is started on a machine without a display (no DISPLAY
nor WAYLAND_DISPLAY). The address holds names and permissions only.
Then the token is read as add reads it (asked for on the terminal without
echo, or from standard input when that is not a terminal), checked as add
checks it, and stored with the expiry the page was asked for: today plus
--expires-in days, unless --expires gives the date chosen on the page.
Nothing is stored when no token is given. --print only prints the address.
For GitLab (gitlab.com, or --forge gitlab) it opens the page that creates an
access token, its name, description and the scope write_repository filled
in, plus each --scope; its expiry is chosen on the page. Gitea, Bitbucket
and Azure DevOps have no page to fill in: new says where to create one.

`

// defaultExpiresIn is the lifetime asked for when none is given: longer than
// the page's own default of 30 days, so a token is not replaced monthly,
// and well within the year most organizations' policies allow.
const defaultExpiresIn = "90"

func (env *environment) newToken(args []string) error {
	fs := env.newFlags("new", newUsage)
	username := fs.String("username", "", "the user name git should send (default: the one in TARGET, else "+credential.DefaultUsername+")")
	classic := fs.Bool("classic", false, "create a classic token (scopes), even for HOST/OWNER")
	fineGrained := fs.Bool("fine-grained", false, "create a fine-grained token, even for a bare HOST or on GitHub Enterprise Server")
	expiresIn := fs.String("expires-in", defaultExpiresIn, "the fine-grained token's lifetime: 1 to 366 days, or none")
	expires := fs.String("expires", "", "the expiry date chosen on the page, YYYY-MM-DD or never, when not the one asked for")
	name := fs.String("name", "", "the token's name (classic: its note), at most 40 characters (default: git TARGET on MACHINE)")
	description := fs.String("description", "", "the fine-grained token's description (default: says where it is used)")
	note := fs.String("note", "", "a note for yourself, shown by list")
	printOnly := fs.Bool("print", false, "only print the address of the page; open nothing, store nothing")
	noBrowser := fs.Bool("no-browser", false, "print the address without opening a browser")
	permissions := []github.Permission{{Name: "contents", Level: "write"}}
	fs.Func("permission", "a fine-grained permission NAME=LEVEL (read, write or admin), such as pull_requests=write; repeatable", func(s string) error {
		p, err := github.ParsePermission(s)
		permissions = append(permissions, p)
		return err
	})
	scopes := []string{"repo"}
	fs.Func("scope", "more scopes for a classic token, such as workflow or read:org; repeatable, or comma-separated", func(s string) error {
		for _, one := range strings.Split(s, ",") {
			if err := github.CheckScope(strings.TrimSpace(one)); err != nil {
				return err
			}
			scopes = append(scopes, strings.TrimSpace(one))
		}
		return nil
	})
	forgeFlag := fs.String("forge", "", "the forge of a host not known by its name, such as gitlab")
	checks := defineTokenCheckFlags(fs.FlagSet, true)
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checks.check(); err != nil {
		return err
	}
	if len(positional) != 1 {
		return usagef("new takes one TARGET, such as github.com/OWNER; run git-credential-pat new --help")
	}
	told, err := parseForgeFlag(*forgeFlag)
	if err != nil {
		return err
	}
	target, err := parseTargetFlag(fs.FlagSet, positional[0], *username)
	if err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if f := cmp.Or(told, forge.ForHost(target.Host)); f != nil && f.Name() != "github" {
		return env.newForgeToken(f, target, given, forgePage{
			name: *name, description: *description, extraScopes: scopes[1:], note: *note,
			expires: *expires, printOnly: *printOnly, noBrowser: *noBrowser,
		}, checks)
	}

	owner, _, _ := strings.Cut(target.Path, "/")
	page := github.NewToken{Host: target.Host}
	switch {
	case *classic && *fineGrained:
		return usagef("--classic and --fine-grained contradict each other; give one")
	case *classic, *fineGrained:
		page.Classic = *classic
	case owner == "":
		page.Classic = true // a fine-grained token serves one owner: TARGET names none
	case !github.FineGrainedTemplates(target.Host):
		page.Classic = true
		fmt.Fprintf(env.stderr, "note: %s is not github.com: GitHub Enterprise Server does not document pre-filling the fine-grained token page, so the classic one is opened; --fine-grained tries the other.\n", target.Host)
	}
	page.Name = *name
	if !given["name"] {
		page.Name = github.DefaultTokenName(target.Location(), machineName())
	}
	days := 0
	if page.Classic {
		for _, f := range []string{"permission", "expires-in", "description"} {
			if given[f] {
				return usagef("--%s is for fine-grained tokens; the classic page takes scopes (--scope), and its expiry is chosen there", f)
			}
		}
		page.Scopes = scopes
	} else {
		if given["scope"] {
			return usagef("--scope is for classic tokens; a fine-grained token takes --permission NAME=LEVEL (or give --classic)")
		}
		page.Owner, page.Permissions = owner, permissions
		page.Description = *description
		if !given["description"] {
			page.Description = defaultDescription(target, machineName())
		}
		if days, err = parseExpiresIn(*expiresIn); err != nil {
			return err
		}
		page.ExpiresInDays = days
	}
	address, err := github.NewTokenURL(page)
	if err != nil {
		return usageError{err.Error()}
	}
	if *printOnly {
		_, err := fmt.Fprintln(env.stdout, address)
		return err
	}

	apiURL, err := checks.apiURLFor(target.Host)
	if err != nil {
		return err
	}
	now := env.now().UTC()
	entry := credential.Entry{Target: target, Note: *note, Added: now, APIURL: apiURL}
	switch {
	case days > 0:
		entry.Expires = credential.EndOfDay(now.AddDate(0, 0, days))
	case days == github.ExpiresNever:
		entry.Expires = credential.ExpiryNever
	}
	if x, err := parseExpires(*expires); err != nil {
		return err
	} else if x != nil {
		entry.Expires = *x
	}

	if page.Classic {
		fmt.Fprintf(env.stdout, "Create the classic token on this page (check its scopes and expiry there), then copy it:\n  %s\n", address)
	} else {
		fmt.Fprintf(env.stdout, "Create the token on this page: choose its repositories there, then generate it and copy it:\n  %s\n", address)
	}
	if !*noBrowser {
		settle := env.openBrowser(address)
		defer settle()
	}
	switch {
	case days > 0 && !given["expires"]:
		fmt.Fprintf(env.stdout, "It asks for %d days: the token expires on %s.\n", days, entry.Expires.Format(time.DateOnly))
	case page.Classic && !given["expires"] && !*checks.verify && !isTerminal(env.stdin):
		fmt.Fprintf(env.stderr, "note: the classic page sets the expiry, which is not known here: give it with --expires YYYY-MM-DD, or ask the host with --verify.\n")
	}
	addLater := "git-credential-pat add " + target.String()
	if entry.Expires.Dated() {
		addLater += " --expires " + entry.Expires.Format(time.DateOnly)
	}

	token, err := env.readToken(target)
	if err != nil {
		return fmt.Errorf("%w. Nothing was stored; once the token is created, store it with: %s", err, addLater)
	}
	if err := env.acceptFormat(token, checks, github.Forge{}); err != nil {
		return err
	}
	entry.Token, entry.Kind = token, github.KindOf(token)
	if want := github.KindFineGrained; !page.Classic && entry.Kind != want {
		fmt.Fprintf(env.stderr, "warning: this is a %s token, not the %s one the page creates (%s...).\n", entry.Kind, want, github.Prefix(want))
	}
	// The date the page was asked for is shown for the person to confirm
	// or correct; the host's own answer (--verify) or --expires needs no
	// question, nor does a token piped in by a script.
	if !given["expires"] && !*checks.verify && isTerminal(env.stdin) {
		if err := env.askExpiry(&entry); err != nil {
			return fmt.Errorf("%w. Nothing was stored", err)
		}
	}

	tokens, err := env.tokens()
	if err != nil {
		return err
	}
	if err := keepOnReplace(tokens, target, &entry, given); err != nil {
		return err
	}
	if *checks.verify {
		if err := env.verifyNew(tokens, target, &entry, checks, true); err != nil {
			return err
		}
	}
	return env.storeAdded(tokens, target, entry, now)
}

// askExpiry shows the expiry e will be stored with and lets the person
// change it to the date the page showed: Enter keeps it.
func (env *environment) askExpiry(e *credential.Entry) error {
	shown := e.Expires.Day()
	if !e.Expires.Known() {
		shown = "none"
	}
	for range 3 {
		answer, err := store.AskLine(fmt.Sprintf("Expiry date as the page showed it (YYYY-MM-DD or never) [%s]: ", shown))
		if err != nil {
			return err
		}
		if answer == "" || answer == shown {
			return nil
		}
		x, err := credential.ParseDay(answer)
		if err == nil {
			e.Expires = x
			return nil
		}
		fmt.Fprintf(env.stderr, "%v.\n", err)
	}
	return errors.New("no expiry date was given")
}

// parseExpiresIn reads --expires-in: a number of days, or none.
func parseExpiresIn(s string) (int, error) {
	if s == "none" || s == "never" {
		return github.ExpiresNever, nil
	}
	days, err := strconv.Atoi(s)
	if err != nil || days < 1 || days > github.MaxExpiresInDays {
		return 0, usagef("--expires-in %q: give 1 to %d days, or none", s, github.MaxExpiresInDays)
	}
	return days, nil
}

// defaultDescription says, in GitHub's list of tokens, where the token is
// used and what put it there.
func defaultDescription(target credential.Target, machine string) string {
	where := ""
	if machine != "" {
		where = " on " + machine
	}
	return fmt.Sprintf("git over HTTPS to %s%s, stored by git-credential-pat", target.Location(), where)
}

// machineName is the short host name of this machine, or "" when unknown.
func machineName() string {
	host, err := os.Hostname()
	if err != nil {
		return ""
	}
	host, _, _ = strings.Cut(host, ".")
	return host
}
