package main

import (
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store"
)

const importUsage = `Usage: git-credential-pat import [FILE] [--from SOURCE] [--delete-source]

Moves the https tokens another store keeps into git-credential-pat's store,
through the same checks as add (the host's forge, the token's kind, what
an entry it replaces knew). SOURCE is one of:

  store      git-credential-store's plaintext file (the default): FILE, or
             each of the two it reads, ~/.git-credentials and
             $XDG_CONFIG_HOME/git/credentials (default
             ~/.config/git/credentials), that exists
  netrc      the .netrc file curl reads for git over HTTPS: FILE, or
             ~/.netrc (machine, login, password; a default entry serves
             every host and is not imported)
  libsecret  what git's git-credential-libsecret stored in the Secret
             Service (items labelled "Git: URL")
  gh         GitHub CLI's logins: $GH_CONFIG_DIR/hosts.yml (default
             ~/.config/gh/hosts.yml) and, for gh 2.40 and later, the
             tokens it keeps in the OS keyring under gh:HOST

A token stored already is said to be so and not counted as imported.
Tokens are shown masked. The source is left as it is unless
--delete-source is given; then what was imported (or was stored already)
is removed from it:
  store      the lines go as git-credential-store rewrites its file: under
             its lock (FILE.lock), atomically, through a symbolic link in
             the link's target; other lines, and any git stored meanwhile,
             stay
  netrc      the entries go the same way; curl keeps no lock on .netrc,
             so the lock keeps out only another import, and the file is
             replaced in one rename
  libsecret  the items are deleted from the Secret Service, one by one
  gh         gh auth logout --hostname HOST is run for each login, so gh
             removes it from its own files and the keyring; the token
             itself stays valid at the host
--delete-plaintext is the older name of --delete-source.

`

// found is one credential a source holds.
type found struct {
	// entry is what it is imported as: its target, token, note and
	// whether git stored it.
	entry credential.Entry
	// where names it in messages (FILE:LINE, an item's label): never its
	// token.
	where string
	// problem says why it is not imported; "" when it can be.
	problem string
	// ref is what the source needs to remove it.
	ref any
}

// source is a store tokens are imported from.
type source interface {
	// String names the source in messages.
	String() string
	// Read lists the credentials it holds.
	Read(now time.Time) ([]found, error)
	// Remove removes from the source the credentials given, now in
	// git-credential-pat's store, and says what it did.
	Remove(env *environment, imported []found) error
	// again is the import command that reads this source again.
	again() string
}

// sourceNames are the sources import --from takes.
var sourceNames = []string{"store", "netrc", "libsecret", "gh"}

func (env *environment) importCmd(args []string) error {
	fs := env.newFlags("import", importUsage)
	from := fs.String("from", "store", "the store to import from: "+strings.Join(sourceNames, ", "))
	deleteSource := fs.Bool("delete-source", false, "remove what was imported from the source afterwards")
	deletePlaintext := fs.Bool("delete-plaintext", false, "the older name of --delete-source")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	sources, err := env.openSources(*from, positional)
	if err != nil {
		return err
	}
	if *from == "store" {
		env.warnPlaintextHelpers()
	}
	for _, src := range sources {
		if err := env.importFrom(src, *deleteSource || *deletePlaintext); err != nil {
			return err
		}
	}
	return nil
}

// openSources are the sources --from names, read from FILE where it takes
// one.
func (env *environment) openSources(from string, positional []string) ([]source, error) {
	if len(positional) > 1 {
		return nil, usagef("import takes at most one FILE")
	}
	file := ""
	if len(positional) == 1 {
		file = positional[0]
	}
	switch from {
	case "store":
		return plaintextSources(file)
	case "netrc":
		return netrcSources(file)
	case "libsecret", "gh":
		if file != "" {
			return nil, usagef("import --from %s takes no FILE", from)
		}
		if from == "gh" {
			return ghSources()
		}
		return []source{libsecretSource{}}, nil
	}
	return nil, usagef("import --from takes %s, not %q", strings.Join(sourceNames, ", "), from)
}

// importFrom imports what src holds: each credential goes through takeIn,
// as add takes a token in, without a shape check or a question (there is
// no one to ask); one whose token is stored already for its target is
// said to be, and is not stored again.
func (env *environment) importFrom(src source, deleteSource bool) error {
	items, err := src.Read(env.now())
	if err != nil {
		return err
	}
	importable := 0
	for _, it := range items {
		if it.problem == "" {
			importable++
		}
	}
	if importable == 0 {
		env.sayNotImported(items)
		fmt.Fprintf(env.stdout, "Nothing to import from %s.\n", src)
		return nil
	}
	tokens, err := env.tokens()
	if err != nil {
		return err
	}
	imported, taken, already, err := env.takeInFound(tokens, items)
	if err != nil {
		return err
	}
	env.sayNotImported(items)
	if len(taken) == 0 {
		fmt.Fprintf(env.stdout, "Nothing to import from %s.\n", src)
		return nil
	}
	if len(imported) == 0 {
		say(env.stdout, "Nothing new to import from %s: %s already stored in %s.", src, entriesCount(already), tokens)
	} else {
		if err := tokens.Add(imported...); err != nil {
			return err
		}
		for _, e := range imported {
			say(env.stdout, "Imported the %s token %s for %s.", e.Kind, credential.Masked(e.Token), e.Target)
		}
		stored := ""
		if already > 0 {
			stored = fmt.Sprintf("; %s already stored", entriesCount(already))
		}
		say(env.stdout, "Imported %d of %d entries from %s into %s%s.", len(imported), len(items), src, tokens, stored)
		env.hintPaths(imported)
	}
	if !deleteSource {
		say(env.stdout, "They stay in %s too; remove them from it with: %s --delete-source", src, src.again())
		return nil
	}
	return src.Remove(env, taken)
}

// takeInFound takes in each importable credential of a source as add takes
// one in, with no question (there is no one to ask). It returns those to
// store, those imported or stored already (what --delete-source removes),
// and how many were stored already; one it refuses gets a problem and
// stays in the source.
func (env *environment) takeInFound(tokens store.Store, items []found) (imported []credential.Entry, taken []found, already int, err error) {
	seen := map[string]string{}
	for i, it := range items {
		if it.problem != "" {
			continue
		}
		// There is no one to ask: a token whose shape looks wrong comes
		// in as the source held it, with a warning naming where.
		warn := func(problem error) {
			say(env.stderr, "%s: warning: %v; imported as it was stored there, since it has been in use: if the host refuses it, replace it with: git-credential-pat rotate %s",
				it.where, problem, credential.Escape(it.entry.Target.String()))
		}
		e, err := env.takeIn(&intake{tokens: tokens, entry: it.entry, given: map[string]bool{}, warn: warn}, it.entry.Token)
		var refused usageError
		if errors.As(err, &refused) {
			items[i].problem = refused.Error()
			continue
		}
		if err != nil {
			return nil, nil, 0, err
		}
		key := e.Target.String()
		if first, ok := seen[key]; ok {
			items[i].problem = fmt.Sprintf("%s, before it, is imported for %s", first, key)
			continue
		}
		seen[key] = it.where
		same, other, err := storedAlready(tokens, e, it.entry.Target)
		if err != nil {
			return nil, nil, 0, err
		}
		if other {
			// Which of the two is the live one, the source cannot say:
			// the stored token is never replaced behind the person's
			// back, and this one stays in the source.
			items[i].problem = fmt.Sprintf("another token is stored for %s already, and is kept; to replace it with this one: git-credential-pat rotate %s",
				credential.Escape(e.Target.String()), credential.Escape(e.Target.String()))
			continue
		}
		if same {
			say(env.stdout, "Already stored: the %s token %s for %s.", e.Kind, credential.Masked(e.Token), e.Target)
			already++
		} else {
			imported = append(imported, e)
		}
		taken = append(taken, items[i])
	}
	return imported, taken, already, nil
}

// storedAlready reports whether e's token is the one stored under e's
// target, or under typed, the source's own target (before the forge's user
// name was given to it): same; or whether another token is stored there:
// other.
func storedAlready(tokens store.Store, e credential.Entry, typed credential.Target) (same, other bool, err error) {
	for _, t := range []credential.Target{e.Target, typed} {
		old, err := tokens.Get(t)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, false, err
		}
		if old.Token == e.Token {
			return true, false, nil
		}
		other = true
	}
	return false, other, nil
}

// entriesCount is "1 entry" or "N entries".
func entriesCount(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}

// sayNotImported names what stays in the source, and why.
func (env *environment) sayNotImported(items []found) {
	for _, it := range items {
		if it.problem != "" {
			say(env.stderr, "%s: not imported: %s", it.where, it.problem)
		}
	}
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

// otherLeft says how many lines or entries are left in a file.
func otherLeft(n int, one, many string) string {
	if n == 1 {
		return "1 other " + one + " stays"
	}
	return fmt.Sprintf("%d other %s stay", n, many)
}

// throughLink words a file rewritten through a link.
func throughLink(real, path string) string {
	if real != path {
		return fmt.Sprintf(" (through the link %s)", path)
	}
	return ""
}
