package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store"
)

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
	if !slices.ContainsFunc(lines, func(l store.PlaintextLine) bool { return l.Problem == "" }) {
		env.sayNotImported(path, lines)
		fmt.Fprintf(env.stdout, "Nothing to import from %s.\n", path)
		return nil
	}
	tokens, err := env.tokens()
	if err != nil {
		return err
	}
	taken, err := env.takeInLines(path, tokens, lines)
	env.sayNotImported(path, lines)
	if err != nil {
		return err
	}
	if len(taken.imported) == 0 && taken.stored == 0 {
		fmt.Fprintf(env.stdout, "Nothing to import from %s.\n", path)
		return nil
	}
	if len(taken.imported) == 0 {
		fmt.Fprintf(env.stdout, "Nothing new to import from %s: %s already stored in %s.\n", path, entriesCount(taken.stored), tokens)
	} else {
		if err := tokens.Add(taken.imported...); err != nil {
			return err
		}
		for _, e := range taken.imported {
			say(env.stdout, "Imported the %s token %s for %s.", e.Kind, credential.Masked(e.Token), e.Target)
		}
		also := ""
		if taken.stored > 0 {
			also = fmt.Sprintf("; %s already stored", entriesCount(taken.stored))
		}
		fmt.Fprintf(env.stdout, "Imported %d of %d entries from %s into %s%s.\n", len(taken.imported), len(lines), path, tokens, also)
		env.hintPaths(taken.imported)
	}
	// A line whose token is stored already is in the vault as much as
	// one imported now: --delete-plaintext removes both.
	importedLines := append(taken.importedLines, taken.storedLines...)
	if !deletePlaintext {
		fmt.Fprintf(env.stdout, "The plaintext file still holds them; remove them with: git-credential-pat import %s --delete-plaintext\n", pathArg(path))
		return nil
	}
	return env.removeImported(path, importedLines)
}

// takenLines is what import made of a file's lines.
type takenLines struct {
	// imported are the entries to store, from the lines importedLines.
	imported      []credential.Entry
	importedLines []string
	// stored counts the lines whose token is stored already for their
	// target, storedLines.
	stored      int
	storedLines []string
}

// takeInLines takes in the token of each importable line of the file at
// path as add takes one in (its forge, its kind, what the entry it
// replaces knew), with no question: there is no one to ask. A token whose
// shape looks wrong is kept with a warning naming its line. A line whose
// token is the one stored already for its target is counted, not imported
// again. A line its forge refuses (a path the forge has no repository
// under) gets a Problem and stays in the file.
func (env *environment) takeInLines(path string, tokens store.Store, lines []store.PlaintextLine) (takenLines, error) {
	var taken takenLines
	for i, l := range lines {
		if l.Problem != "" {
			continue
		}
		warn := func(problem error) {
			say(env.stderr, "%s:%d: warning: %v; imported as git-credential-store held it, since git has been sending it: if the host refuses it, replace it with: git-credential-pat rotate %s",
				path, l.Number, problem, credential.Escape(l.Entry.Target.String()))
		}
		e, err := env.takeIn(&intake{tokens: tokens, entry: l.Entry, given: map[string]bool{}, warn: warn}, l.Entry.Token)
		var refused usageError
		if errors.As(err, &refused) {
			lines[i].Problem = refused.Error()
			continue
		}
		if err != nil {
			return taken, err
		}
		same, err := storedAlready(tokens, e, l.Entry.Target)
		if err != nil {
			return taken, err
		}
		if same {
			taken.stored++
			taken.storedLines = append(taken.storedLines, l.Text)
			continue
		}
		taken.imported = append(taken.imported, e)
		taken.importedLines = append(taken.importedLines, l.Text)
	}
	return taken, nil
}

// storedAlready reports whether e's token is the one stored under e's
// target, or under typed, the line's own target (before the forge's user
// name was given to it).
func storedAlready(tokens store.Store, e credential.Entry, typed credential.Target) (bool, error) {
	for _, t := range []credential.Target{e.Target, typed} {
		old, err := tokens.Get(t)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, err
		}
		if old.Token == e.Token {
			return true, nil
		}
	}
	return false, nil
}

// entriesCount is "1 entry" or "N entries".
func entriesCount(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}

// sayNotImported names the lines that stay in the file, and why.
func (env *environment) sayNotImported(path string, lines []store.PlaintextLine) {
	for _, l := range lines {
		if l.Problem != "" {
			say(env.stderr, "%s:%d: not imported: %s", path, l.Number, l.Problem)
		}
	}
}

// removeImported removes the imported lines from the file at path.
func (env *environment) removeImported(path string, importedLines []string) error {
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
