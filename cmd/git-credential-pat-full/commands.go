package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/internal/options"
	"github.com/git-credential-pat/git-credential-pat/store"
)

// flags is a command's flag set and its usage text.
type flags struct {
	*flag.FlagSet
	env   *environment
	usage string
}

// newFlags makes a command's flag set. --help prints its usage on stdout;
// a flag it does not know is one line on stderr (see parseFlags).
func (env *environment) newFlags(name, usage string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {} // parseFlags says what is needed, once
	return &flags{FlagSet: fs, env: env, usage: usage}
}

// printUsage prints the usage text, its first line completed with every
// flag, and the flags as people type them (--name).
func (fs *flags) printUsage(w io.Writer) {
	synopsis, rest, _ := strings.Cut(fs.usage, "\n")
	// The value names the text gives ([--expires YYYY-MM-DD]) are kept.
	names := map[string]string{}
	for _, m := range flagInSynopsis.FindAllStringSubmatch(synopsis, -1) {
		names[m[1]] = m[2]
	}
	if i := strings.Index(synopsis, " [--"); i >= 0 {
		synopsis = synopsis[:i]
	}
	var b strings.Builder
	b.WriteString(synopsis)
	var options strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		if name, ok := names[f.Name]; ok {
			value = name
		}
		if value != "" {
			value = " " + strings.ToUpper(value)
		}
		fmt.Fprintf(&b, " [--%s%s]", f.Name, value)
		fmt.Fprintf(&options, "  --%s%s\n    \t%s\n", f.Name, value, usage)
	})
	fmt.Fprintf(w, "%s\n%s", b.String(), rest)
	if options.Len() > 0 {
		fmt.Fprintf(w, "Options:\n%s", options.String())
	}
}

// flagInSynopsis is one [--name VALUE] of a usage line.
var flagInSynopsis = regexp.MustCompile(`\[--([a-z-]+)(?: ([^\]|]+))?\]`)

// parseFlags parses flags that may stand before or after positional
// arguments, as people type them: add github.com/acme --expires 2026-12-31.
// --help prints the usage and returns flag.ErrHelp; a flag it does not
// know is a usage error of one line that says where help is.
func parseFlags(fs *flags, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.printUsage(fs.env.stdout)
				return nil, err
			}
			return nil, usagef("%s: %s; run git-credential-pat %s --help", fs.Name(), options.FlagMessage(err), fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

const addUsage = `Usage: git-credential-pat add TARGET [--username NAME] [--forge NAME] [--expires YYYY-MM-DD] [--note TEXT] [--allow-http] [--verify] [--strict]

Stores a token for TARGET: github.com, github.com/OWNER, github.com/OWNER/REPO,
HOST:PORT/..., or any of these as an https:// URL. The token is read from
standard input when that is not a terminal (printf %s "$TOKEN" | git-credential-pat add ...),
else asked for on the terminal without echo. It is never taken from the command line.
Adding to a target that holds a token already replaces it.
A GitHub token whose shape or checksum is wrong (a likely typo) is refused,
or kept only after confirming on the terminal. --verify asks the host's API
whose token it is (stored as the user name when none is given), its scopes
and its expiry; the host is only asked when --verify is given.
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
	now := env.now().UTC()
	entry := credential.Entry{Target: target, Note: *note, AllowHTTP: *allowHTTP, Added: now, APIURL: apiURL}
	if x, err := parseExpires(*expires); err != nil {
		return err
	} else if x != nil {
		entry.Expires = *x
	}

	token, err := env.readToken(target)
	if err != nil {
		return err
	}
	tokens, err := env.tokens()
	if err != nil {
		return err
	}
	f, err := pickForge(told, target, token, tokens)
	if err != nil {
		return err
	}
	if err := env.acceptFormat(token, checks, f); err != nil {
		return err
	}
	entry.Token = token
	if err := env.settleForge(f, &entry); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if err := keepOnReplace(tokens, target, &entry, given); err != nil {
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

// keepOnReplace carries over to entry, which is about to replace the one
// stored under target, what the person said of the old one and did not say
// again (given holds the flags given): its note, API address and
// --allow-http. The same token stored again also keeps what is known of
// it: its expiry, added date, last use and what the host reported.
func keepOnReplace(tokens store.Store, target credential.Target, entry *credential.Entry, given map[string]bool) error {
	old, err := tokens.Get(target)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !given["note"] {
		entry.Note = old.Note
	}
	if !given["api-url"] {
		entry.APIURL = old.APIURL
	}
	if !given["allow-http"] {
		entry.AllowHTTP = entry.AllowHTTP || old.AllowHTTP
	}
	if old.Token == entry.Token {
		if !given["expires"] {
			entry.Expires = old.Expires
		}
		entry.Added, entry.LastUsed = old.Added, old.LastUsed
		entry.Login, entry.Scopes, entry.Verified = old.Login, old.Scopes, old.Verified
	}
	return nil
}

// storeAdded stores the entry add (or new) made for target, and says what
// it did and what is left to do.
func (env *environment) storeAdded(tokens store.Store, target credential.Target, entry credential.Entry, now time.Time) error {
	token := entry.Token
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
		verb, entry.Kind, credential.Masked(token), target, tokens)
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

// hintPaths says, for each host where entries are stored per owner or
// repository, that git sends no repository path there until told to: until
// then, git is answered by the host's own token, or by none.
func (env *environment) hintPaths(entries []credential.Entry) {
	for _, u := range pathsOff(entries) {
		say(env.stdout, "git sends repository paths only when asked; turn that on for %s://%s with:", u.protocol, u.host)
		say(env.stdout, "  %s", credential.UseHTTPPathCommand(u.protocol, u.host))
	}
}

// hostURL is a protocol and host of stored entries.
type hostURL struct{ protocol, host string }

// pathsOff lists, once each, the protocols and hosts for which entries
// hold a path but git's credential.useHttpPath is off.
func pathsOff(entries []credential.Entry) []hostURL {
	var off []hostURL
	seen := map[hostURL]bool{}
	for _, e := range entries {
		if e.Path == "" {
			continue
		}
		protocols := []string{"https"}
		if e.AllowHTTP {
			protocols = append(protocols, "http")
		}
		for _, protocol := range protocols {
			u := hostURL{protocol, e.Host}
			if seen[u] {
				continue
			}
			seen[u] = true
			if !useHTTPPathEnabled(protocol, e.Host) {
				off = append(off, u)
			}
		}
	}
	return off
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

// useHTTPPathEnabled asks git whether credential.useHttpPath is on for host.
func useHTTPPathEnabled(protocol, host string) bool {
	out, err := exec.Command("git", "config", "--type=bool", "--get-urlmatch", "credential.useHttpPath", protocol+"://"+host+"/").Output()
	return err == nil && strings.TrimSpace(string(out)) == "true"
}

const listUsage = `Usage: git-credential-pat list [--json]

Shows the stored tokens, masked (kind prefix and last four characters),
with their expiry and days left. --json prints one JSON array for scripts;
it never holds a token either.

`

// listedEntry is one row of list --json.
type listedEntry struct {
	Target    string     `json:"target"`
	Host      string     `json:"host"`
	Path      string     `json:"path"`
	Username  *string    `json:"username"`
	Kind      string     `json:"kind"`
	Token     string     `json:"token_masked"`
	Expires   *string    `json:"expires"`
	DaysLeft  *int       `json:"days_left"`
	Expired   bool       `json:"expired"`
	Refused   *string    `json:"refused,omitempty"`
	Note      string     `json:"note"`
	AllowHTTP bool       `json:"allow_http"`
	Added     time.Time  `json:"added"`
	LastUsed  *time.Time `json:"last_used"`
	Login     string     `json:"login,omitempty"`
	Scopes    []string   `json:"scopes,omitempty"`
	Verified  *time.Time `json:"verified,omitempty"`
	APIURL    string     `json:"api_url,omitempty"`
	Forge     string     `json:"forge"` // "" when no forge is known for the entry
}

func (env *environment) list(args []string) error {
	fs := env.newFlags("list", listUsage)
	asJSON := fs.Bool("json", false, "print a JSON array")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 0 {
		return usagef("list takes no arguments")
	}
	tokens, err := env.tokens()
	if err != nil {
		return err
	}
	entries, err := store.ListMasked(tokens)
	if err != nil {
		return err
	}
	sortListings(entries)
	now := env.now()
	if *asJSON {
		rows := make([]listedEntry, 0, len(entries))
		for _, e := range entries {
			row := listedEntry{
				Target: e.Location(), Host: e.Host, Path: e.Path, Kind: string(e.Kind),
				Token: e.Masked, Expired: e.Expired(now), Note: e.Note,
				AllowHTTP: e.AllowHTTP, Added: e.Added,
				Login: e.Login, Scopes: e.Scopes, APIURL: e.APIURL,
				Forge: forgeName(forgeOfListing(e)),
			}
			if !e.Verified.IsZero() {
				row.Verified = &e.Verified
			}
			if !e.Refused.IsZero() {
				refused := credential.RefusedWhen(e.Entry)
				row.Refused = &refused
			}
			if e.HasUsername {
				row.Username = &e.Username
			}
			if days, ok := e.DaysLeft(now); ok {
				day := e.Expires.UTC().Format(time.DateOnly)
				row.Expires, row.DaysLeft = &day, &days
			}
			if !e.LastUsed.IsZero() {
				row.LastUsed = &e.LastUsed
			}
			rows = append(rows, row)
		}
		out, err := json.MarshalIndent(rows, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(env.stdout, "%s\n", out)
		return err
	}
	if len(entries) == 0 {
		fmt.Fprintf(env.stdout, "No tokens are stored yet. Add one with: git-credential-pat add github.com/OWNER\n")
		fmt.Fprintf(env.stderr, "(read from %s)\n", tokens)
		return nil
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tUSERNAME\tKIND\tTOKEN\tEXPIRES\tDAYS LEFT\tFORGE\tNOTE")
	for _, e := range entries {
		user := "-"
		if e.HasUsername {
			user = credential.Escape(e.Username)
		}
		expires, left := e.Expires.Day(), "-"
		if days, ok := e.DaysLeft(now); ok {
			expires = e.Expires.UTC().Format(time.DateOnly)
			left = fmt.Sprint(days)
			if e.Expired(now) {
				left = "expired"
			}
		}
		note := credential.Escape(e.Note)
		if !e.Refused.IsZero() {
			// git is not given it: say so where the eye goes first.
			left = "refused"
			note = strings.TrimSuffix(credential.RefusedWhen(e.Entry)+"; rotate it; "+note, "; ")
		}
		// Stored strings are escaped: one holding an ESC, from an older
		// version or a hand edit, would drive the terminal.
		forgeCell := "-"
		if f := forgeOfListing(e); f != nil {
			forgeCell = f.Name()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", credential.Escape(e.Location()), user, credential.Escape(string(e.Kind)),
			credential.Escape(e.Masked), expires, left, forgeCell, note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// Which backend answered goes to stderr: stdout stays the table that
	// scripts count and grep.
	fmt.Fprintf(env.stderr, "(%s, read from %s)\n", countTokens(len(entries)), tokens)
	return nil
}

// parseTargetFlag reads TARGET, with --username (when given) as its user name.
func parseTargetFlag(fs *flag.FlagSet, arg, username string) (credential.Target, error) {
	target, err := parseTarget(arg)
	if err != nil {
		return credential.Target{}, err
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "username" {
			target.Username, target.HasUsername = username, true
		}
	})
	return target, nil
}

// noteTarget says what a person may not expect of the target they typed:
// an http:// URL is kept as the host (the token answers https:// requests,
// and http:// ones only with --allow-http), and a host with no dot, such as
// github, is one git asks for only by that very name.
func (env *environment) noteTarget(typed string, t credential.Target, allowHTTP bool) {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(typed)), "http://") && !allowHTTP {
		say(env.stderr, "note: the token is stored for %s and answers https:// requests; plain http:// ones it answers only when added with --allow-http.", t.Location())
	}
	name := forge.HostName(t.Host)
	if strings.Contains(name, ".") || strings.HasPrefix(name, "[") || name == "localhost" {
		return
	}
	hint := ""
	for _, f := range forge.All() {
		for _, suffix := range []string{".com", ".org"} {
			if f.IsHost(name + suffix) {
				hint = fmt.Sprintf(" (did you mean %s?)", name+suffix)
			}
		}
	}
	say(env.stderr, "note: the host %s has no dot: git asks for this token only for URLs that name that very host%s.", name, hint)
}

// parseTarget reads TARGET as typed, refusing a path the host's forge
// does not have.
func parseTarget(arg string) (credential.Target, error) {
	target, err := credential.ParseTarget(arg)
	if err != nil {
		return credential.Target{}, usageError{err.Error()}
	}
	if f := forge.ForHost(target.Host); f != nil {
		if err := checkForgePath(f, target); err != nil {
			return credential.Target{}, err
		}
	}
	return target, nil
}

// storedEntry opens the store and returns the one entry target selects
// (see selectOne), for the commands that change an entry in place.
func (env *environment) storedEntry(target credential.Target, missing error) (store.Store, credential.Entry, error) {
	tokens, err := env.tokens()
	if err != nil {
		return nil, credential.Entry{}, err
	}
	entries, err := tokens.List()
	if err != nil {
		return nil, credential.Entry{}, err
	}
	stored := make([]credential.Target, len(entries))
	for i, e := range entries {
		stored[i] = e.Target
	}
	i, err := selectOne(target, stored, missing)
	if err != nil {
		return nil, credential.Entry{}, err
	}
	// Get reads the entry whole: a list from the cache withholds an
	// expired token, which an edit must write back.
	e, err := tokens.Get(entries[i].Target)
	return tokens, e, err
}

// selectOne returns the index of the one stored target that target
// selects: missing when there is none, a usage error naming them when
// there are several.
func selectOne(target credential.Target, stored []credential.Target, missing error) (int, error) {
	var hits []int
	for i, t := range stored {
		if target.Selects(t) {
			hits = append(hits, i)
		}
	}
	switch len(hits) {
	case 0:
		return -1, missing
	case 1:
		return hits[0], nil
	}
	names := make([]string, len(hits))
	for j, i := range hits {
		names[j] = stored[i].String()
	}
	return -1, usagef("%d tokens are stored for %s (%s); say which with --username", len(hits), target.Location(), strings.Join(names, ", "))
}

// countTokens says "1 token" or "N tokens".
func countTokens(n int) string {
	if n == 1 {
		return "1 token"
	}
	return fmt.Sprintf("%d tokens", n)
}

func sortListings(entries []store.Listing) {
	slices.SortStableFunc(entries, func(a, b store.Listing) int {
		return strings.Compare(a.Target.String(), b.Target.String())
	})
}

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
	tokens, err := env.tokens()
	if err != nil {
		return err
	}
	entries, err := store.ListMasked(tokens)
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

const importUsage = `Usage: git-credential-pat import [FILE] [--delete-plaintext]

Moves the https entries of git-credential-store's plaintext files into the
encrypted vault: FILE, or else each of the two git-credential-store reads,
~/.git-credentials and $XDG_CONFIG_HOME/git/credentials (default
~/.config/git/credentials), that exists. With --delete-plaintext, the
imported lines are then removed from the file as git-credential-store
rewrites it: under its lock (FILE.lock), atomically, and through a
symbolic link in the link's target, which git reads; lines that could not
be imported, and any git stored meanwhile, stay.

`

func (env *environment) importPlaintext(args []string) error {
	fs := env.newFlags("import", importUsage)
	deletePlaintext := fs.Bool("delete-plaintext", false, "remove the imported lines from FILE afterwards")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	var paths []string
	switch len(positional) {
	case 0:
		defaults, err := store.DefaultPlaintextPaths()
		if err != nil {
			return err
		}
		for _, p := range defaults {
			if _, err := os.Stat(p); err == nil {
				paths = append(paths, p)
			}
		}
		if len(paths) == 0 {
			return fmt.Errorf("nothing to import: git-credential-store keeps no file here (neither %s nor %s exists); give the file's path", defaults[0], defaults[1])
		}
	case 1:
		paths = positional
	default:
		return usagef("import takes at most one FILE")
	}
	env.warnPlaintextHelpers()
	for _, path := range paths {
		if err := env.importFile(path, *deletePlaintext); err != nil {
			return err
		}
	}
	return nil
}

// importFile imports one git-credential-store file.
func (env *environment) importFile(path string, deletePlaintext bool) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot read the file to import: %w", err)
	}
	lines := store.ReadPlaintext(data, env.now())
	var imported []credential.Entry
	var importedLines []string
	for _, l := range lines {
		if l.Problem != "" {
			say(env.stderr, "%s:%d: not imported: %s", path, l.Number, l.Problem)
			continue
		}
		imported = append(imported, l.Entry)
		importedLines = append(importedLines, l.Text)
	}
	if len(imported) == 0 {
		fmt.Fprintf(env.stdout, "Nothing to import from %s.\n", path)
		return nil
	}
	tokens, err := env.tokens()
	if err != nil {
		return err
	}
	for i := range imported {
		// The kind, as add decides it: by the host's forge, else the
		// token's.
		f, err := pickForge(nil, imported[i].Target, imported[i].Token, tokens)
		if err != nil {
			return err
		}
		imported[i].Kind = kindOf(f, imported[i].Token)
	}
	if err := tokens.Add(imported...); err != nil {
		return err
	}
	for _, e := range imported {
		say(env.stdout, "Imported the %s token %s for %s.", e.Kind, credential.Masked(e.Token), e.Target)
	}
	fmt.Fprintf(env.stdout, "Imported %d of %d entries from %s into %s.\n", len(imported), len(lines), path, tokens)
	env.hintPaths(imported)
	if !deletePlaintext {
		fmt.Fprintf(env.stdout, "The plaintext file still holds them; remove them with: git-credential-pat import %s --delete-plaintext\n", pathArg(path))
		return nil
	}
	// The lock is taken only now, not around the vault's write, which may
	// ask for a passphrase: git waits a second for it, then fails the
	// fetch that stores a credential.
	real, left, err := store.RemovePlaintextLines(path, importedLines, plaintextLockTimeout())
	if err != nil {
		return fmt.Errorf("the tokens are in the vault, but %s was left unchanged: %w", path, err)
	}
	through := ""
	if real != path {
		through = fmt.Sprintf(" (through the link %s)", path)
	}
	fmt.Fprintf(env.stdout, "Removed the imported lines from %s%s; %s.\n", real, through, otherLinesStay(left))
	return nil
}

// plaintextLockTimeout is how long git-credential-store waits for its lock
// here: git's credentialStore.lockTimeoutMS, else its default.
func plaintextLockTimeout() time.Duration {
	out, err := exec.Command("git", "config", "--type=int", "--get", "credentialstore.locktimeoutms").Output()
	if err != nil {
		return store.PlaintextLockTimeout
	}
	ms, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil || ms <= 0 {
		return store.PlaintextLockTimeout
	}
	return time.Duration(ms) * time.Millisecond
}

// otherLinesStay says how many lines are left in the file.
func otherLinesStay(n int) string {
	if n == 1 {
		return "1 other line stays"
	}
	return fmt.Sprintf("%d other lines stay", n)
}

const checkUsage = `Usage: git-credential-pat check [--within DURATION]

Exits 1 when a stored token has expired, expires within DURATION, or was
refused by its host
(default 7d; days as Nd, or any Go duration such as 72h), naming each one.
A token whose expiry is unknown (stored without --expires and never
verified) is named too, with how to learn its date, but is no failure.
Meant for cron and CI.

`

func (env *environment) check(args []string) error {
	fs := env.newFlags("check", checkUsage)
	within := fs.String("within", "7d", "the warning window")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 0 {
		return usagef("check takes no arguments")
	}
	window, err := credential.ParseDays(*within)
	if err != nil {
		return usagef("--within %q: %v", *within, err)
	}
	tokens, err := env.tokens()
	if err != nil {
		return err
	}
	entries, err := store.ListMasked(tokens)
	if err != nil {
		return err
	}
	sortListings(entries)
	if len(entries) == 0 {
		fmt.Fprintln(env.stdout, "No tokens are stored. Add one with: git-credential-pat add github.com/OWNER --expires YYYY-MM-DD")
		return nil
	}
	now := env.now()
	problems, unknown := 0, 0
	for _, e := range entries {
		days, ok := e.DaysLeft(now)
		target := credential.Escape(e.Target.String())
		switch {
		case !e.Refused.IsZero():
			problems++
			say(env.stdout, "%s: %s; replace it with: git-credential-pat rotate %s", target, credential.RefusedWhen(e.Entry), target)
		case !e.Expires.Known() && e.Verified.IsZero():
			// No date was given and the host was never asked: the token
			// may expire tomorrow. Never call it valid.
			unknown++
			say(env.stdout, "%s: expiry unknown; %s", target, learnExpiry(maskedEntry(e)))
		case !ok:
			// It never expires: so its owner said, or its host (an entry
			// verified before never was recorded reads as unknown).
		case e.Expired(now):
			problems++
			fmt.Fprintf(env.stdout, "%s: expired on %s; %s\n", target, e.Expires.UTC().Format(time.DateOnly), credential.Escape(credential.ReplaceAdvice(e.Entry)))
		case e.Expires.Before(now.Add(window)):
			problems++
			fmt.Fprintf(env.stdout, "%s: expires on %s, in %d days; %s\n", target, e.Expires.UTC().Format(time.DateOnly), days, credential.Escape(credential.RenewAdvice(e.Entry)))
		}
	}
	if problems > 0 {
		return fmt.Errorf("%d of %d tokens need renewing or replacing", problems, len(entries))
	}
	// An unknown expiry is no failure (exit 0): nothing is known to be
	// wrong, and a cron job would otherwise fail every day for a token
	// that never expires. It is named above, and counted here.
	valid := len(entries) - unknown
	switch {
	case unknown == 0 && valid == 1:
		fmt.Fprintf(env.stdout, "The token is valid for more than %s.\n", *within)
	case unknown == 0:
		fmt.Fprintf(env.stdout, "All %d tokens are valid for more than %s.\n", valid, *within)
	case valid == 0:
		fmt.Fprintf(env.stdout, "No token is known to be valid for more than %s: the expiry of %s is unknown (named above).\n", *within, countTokens(unknown))
	default:
		fmt.Fprintf(env.stdout, "%s valid for more than %s; the expiry of %s is unknown (named above).\n", isAre(valid), *within, countTokens(unknown))
	}
	return nil
}

// isAre says "1 token is" or "N tokens are".
func isAre(n int) string {
	if n == 1 {
		return "1 token is"
	}
	return fmt.Sprintf("%d tokens are", n)
}

func sortEntries(entries []credential.Entry) {
	slices.SortStableFunc(entries, func(a, b credential.Entry) int {
		return strings.Compare(a.Target.String(), b.Target.String())
	})
}
