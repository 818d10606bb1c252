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
	imported, importedLines, err := env.takeInLines(tokens, lines)
	env.sayNotImported(path, lines)
	if err != nil {
		return err
	}
	if len(imported) == 0 {
		fmt.Fprintf(env.stdout, "Nothing to import from %s.\n", path)
		return nil
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
	return env.removeImported(path, importedLines)
}

// takeInLines takes in the token of each importable line as add takes one
// in (its forge, its kind, what the entry it replaces knew), without a
// shape check or a question: there is no one to ask. A line its forge
// refuses (a path the forge has no repository under) gets a Problem and
// stays in the file.
func (env *environment) takeInLines(tokens store.Store, lines []store.PlaintextLine) ([]credential.Entry, []string, error) {
	var imported []credential.Entry
	var texts []string
	for i, l := range lines {
		if l.Problem != "" {
			continue
		}
		e, err := env.takeIn(&intake{tokens: tokens, entry: l.Entry, given: map[string]bool{}}, l.Entry.Token)
		var refused usageError
		if errors.As(err, &refused) {
			lines[i].Problem = refused.Error()
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		imported = append(imported, e)
		texts = append(texts, l.Text)
	}
	return imported, texts, nil
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
