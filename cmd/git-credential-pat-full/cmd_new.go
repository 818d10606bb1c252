package main

import (
	"errors"
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
       [--expires YYYY-MM-DD|never] [--username NAME] [--forge NAME] [--note TEXT] [--print] [--no-browser]
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

// newOptions are new's flags.
type newOptions struct {
	username, expiresIn, expires, forge        *string
	name, description, note                    *string
	classic, fineGrained, printOnly, noBrowser *bool
	permissions                                []github.Permission
	scopes                                     []string
	checks                                     *tokenCheckFlags
	given                                      map[string]bool // the flags given, once parsed
}

// newTokenFlags defines new's flags.
func (env *environment) newTokenFlags() (*flags, *newOptions) {
	fs := env.newFlags("new", newUsage)
	o := &newOptions{
		username:    fs.String("username", "", "the user name git should send (default: the one in TARGET, else "+credential.DefaultUsername+")"),
		classic:     fs.Bool("classic", false, "create a classic token (scopes), even for HOST/OWNER"),
		fineGrained: fs.Bool("fine-grained", false, "create a fine-grained token, even for a bare HOST or on GitHub Enterprise Server"),
		expiresIn:   fs.String("expires-in", defaultExpiresIn, "the fine-grained token's lifetime: 1 to 366 days, or none"),
		expires:     fs.String("expires", "", "the expiry date chosen on the page, YYYY-MM-DD or never, when not the one asked for"),
		name:        fs.String("name", "", "the token's name (classic: its note), at most 40 characters (default: git TARGET on MACHINE)"),
		description: fs.String("description", "", "the fine-grained token's description (default: says where it is used)"),
		note:        fs.String("note", "", "a note for yourself, shown by list"),
		printOnly:   fs.Bool("print", false, "only print the address of the page; open nothing, store nothing"),
		noBrowser:   fs.Bool("no-browser", false, "print the address without opening a browser"),
		permissions: []github.Permission{{Name: "contents", Level: "write"}},
		scopes:      []string{"repo"},
	}
	fs.Func("permission", "a fine-grained permission NAME=LEVEL (read, write or admin), such as pull_requests=write; repeatable", func(s string) error {
		p, err := github.ParsePermission(s)
		o.permissions = append(o.permissions, p)
		return err
	})
	fs.Func("scope", "more scopes for a classic token, such as workflow or read:org; repeatable, or comma-separated", func(s string) error {
		for _, one := range strings.Split(s, ",") {
			if err := github.CheckScope(strings.TrimSpace(one)); err != nil {
				return err
			}
			o.scopes = append(o.scopes, strings.TrimSpace(one))
		}
		return nil
	})
	o.forge = fs.String("forge", "", "the forge of a host not known by its name, such as gitlab")
	o.checks = defineTokenCheckFlags(fs.FlagSet, true)
	return fs, o
}

func (env *environment) newToken(args []string) error {
	fs, o := env.newTokenFlags()
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := o.checks.check(); err != nil {
		return err
	}
	if len(positional) != 1 {
		return usagef("new takes one TARGET, such as github.com/OWNER; run git-credential-pat new --help")
	}
	told, err := parseForgeFlag(*o.forge)
	if err != nil {
		return err
	}
	target, err := parseTargetFlag(fs.FlagSet, positional[0], *o.username)
	if err != nil {
		return err
	}
	o.given = givenFlags(fs)
	// The page is the forge's that add would take the token for: told,
	// the host's own, or the one told once for the host's other entries.
	f, err := env.resolveForge(told, target, "")
	if err != nil {
		return err
	}
	if f != nil && f.Name() != "github" {
		return env.newForgeToken(f, target, o)
	}
	return env.newGitHubToken(told, target, o)
}

// githubPage is what new fills GitHub's page with: the fine-grained
// token's page for HOST/OWNER on github.com and *.ghe.com, else the
// classic one, unless --classic or --fine-grained says otherwise.
func (env *environment) githubPage(target credential.Target, o *newOptions) (github.NewToken, error) {
	owner, _, _ := strings.Cut(target.Path, "/")
	page := github.NewToken{Host: target.Host, Name: *o.name}
	switch {
	case *o.classic && *o.fineGrained:
		return page, usagef("--classic and --fine-grained contradict each other; give one")
	case *o.classic, *o.fineGrained:
		page.Classic = *o.classic
	case owner == "":
		page.Classic = true // a fine-grained token serves one owner: TARGET names none
	case !github.FineGrainedTemplates(target.Host):
		page.Classic = true
		fmt.Fprintf(env.stderr, "note: %s is not github.com: GitHub Enterprise Server does not document pre-filling the fine-grained token page, so the classic one is opened; --fine-grained tries the other.\n", target.Host)
	}
	if !o.given["name"] {
		page.Name = github.DefaultTokenName(target.Location(), machineName())
	}
	if page.Classic {
		for _, f := range []string{"permission", "expires-in", "description"} {
			if o.given[f] {
				return page, usagef("--%s is for fine-grained tokens; the classic page takes scopes (--scope), and its expiry is chosen there", f)
			}
		}
		page.Scopes = o.scopes
		return page, nil
	}
	if o.given["scope"] {
		return page, usagef("--scope is for classic tokens; a fine-grained token takes --permission NAME=LEVEL (or give --classic)")
	}
	page.Owner, page.Permissions = owner, o.permissions
	page.Description = *o.description
	if !o.given["description"] {
		page.Description = defaultDescription(target, machineName())
	}
	days, err := parseExpiresIn(*o.expiresIn)
	page.ExpiresInDays = days
	return page, err
}

// newGitHubToken is new for GitHub: it opens the page that creates the
// token, filled in, then takes the token in as add does, with the expiry
// the page was asked for.
func (env *environment) newGitHubToken(told forge.Forge, target credential.Target, o *newOptions) error {
	page, err := env.githubPage(target, o)
	if err != nil {
		return err
	}
	address, err := github.NewTokenURL(page)
	if err != nil {
		return usageError{err.Error()}
	}
	if *o.printOnly {
		_, err := fmt.Fprintln(env.stdout, address)
		return err
	}
	now := env.now().UTC()
	var asked credential.Expiry
	switch days := page.ExpiresInDays; {
	case days > 0:
		asked = credential.EndOfDay(now.AddDate(0, 0, days))
	case days == github.ExpiresNever:
		asked = credential.ExpiryNever
	}
	entry, err := o.entry(target, now, asked)
	if err != nil {
		return err
	}
	if page.Classic {
		fmt.Fprintf(env.stdout, "Create the classic token on this page (check its scopes and expiry there), then copy it:\n  %s\n", address)
	} else {
		fmt.Fprintf(env.stdout, "Create the token on this page: choose its repositories there, then generate it and copy it:\n  %s\n", address)
	}
	if !*o.noBrowser {
		settle := env.openBrowser(address)
		defer settle()
	}
	switch {
	case page.ExpiresInDays > 0 && !o.given["expires"]:
		fmt.Fprintf(env.stdout, "It asks for %d days: the token expires on %s.\n", page.ExpiresInDays, entry.Expires.Format(time.DateOnly))
	case page.Classic && !o.given["expires"] && !*o.checks.verify && !isTerminal(env.stdin):
		fmt.Fprintf(env.stderr, "note: the classic page sets the expiry, which is not known here: give it with --expires YYYY-MM-DD, or ask the host with --verify.\n")
	}
	addLater := "git-credential-pat add " + target.String()
	if entry.Expires.Dated() {
		addLater += " --expires " + entry.Expires.Format(time.DateOnly)
	}
	in := &intake{entry: entry, told: told, given: o.given, checks: o.checks, confirm: func(e *credential.Entry) error {
		if want := github.KindFineGrained; !page.Classic && e.Kind != want {
			fmt.Fprintf(env.stderr, "warning: this is a %s token, not the %s one the page creates (%s...).\n", e.Kind, want, github.Prefix(want))
		}
		return env.confirmExpiry(o, e)
	}}
	return env.takeInTyped(in, func(err error) error {
		return fmt.Errorf("%w. Nothing was stored; once the token is created, store it with: %s", err, addLater)
	})
}

// entry is what new knows of the token before it is created: its target,
// note and API address, and its expiry: --expires, else asked (the one
// the page was asked for).
func (o *newOptions) entry(target credential.Target, now time.Time, asked credential.Expiry) (credential.Entry, error) {
	apiURL, err := o.checks.apiURLFor(target.Host)
	if err != nil {
		return credential.Entry{}, err
	}
	e := credential.Entry{Target: target, Note: *o.note, Added: now, APIURL: apiURL, Expires: asked}
	if x, err := parseExpires(*o.expires); err != nil {
		return e, err
	} else if x != nil {
		e.Expires = *x
	}
	return e, nil
}

// confirmExpiry shows the date the page was asked for, for the person to
// confirm or correct; the host's own answer (--verify) or --expires needs
// no question, nor does a token piped in by a script.
func (env *environment) confirmExpiry(o *newOptions, e *credential.Entry) error {
	if o.given["expires"] || *o.checks.verify || !isTerminal(env.stdin) {
		return nil
	}
	if err := env.askExpiry(e); err != nil {
		return fmt.Errorf("%w. Nothing was stored", err)
	}
	return nil
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
