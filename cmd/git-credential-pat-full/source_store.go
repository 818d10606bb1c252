package main

import (
	"fmt"
	"os"
	"time"

	"github.com/git-credential-pat/git-credential-pat/store"
)

// plaintextSource is a git-credential-store file.
type plaintextSource struct{ path string }

// plaintextSources is FILE, or each file git-credential-store reads that
// exists.
func plaintextSources(file string) ([]source, error) {
	if file != "" {
		return []source{plaintextSource{file}}, nil
	}
	defaults, err := store.DefaultPlaintextPaths()
	if err != nil {
		return nil, err
	}
	var sources []source
	for _, p := range defaults {
		if _, err := os.Stat(p); err == nil {
			sources = append(sources, plaintextSource{p})
		}
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("nothing to import: git-credential-store keeps no file here (neither %s nor %s exists); give the file's path", defaults[0], defaults[1])
	}
	return sources, nil
}

func (s plaintextSource) String() string { return s.path }

func (s plaintextSource) again() string { return "git-credential-pat import " + pathArg(s.path) }

func (s plaintextSource) Read(now time.Time) ([]found, error) {
	data, err := os.ReadFile(s.path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the file to import: %w", err)
	}
	var items []found
	for _, l := range store.ReadPlaintext(data, now) {
		items = append(items, found{entry: l.Entry, where: fmt.Sprintf("%s:%d", s.path, l.Number), problem: l.Problem, ref: l.Text})
	}
	return items, nil
}

// Remove removes the imported lines as git-credential-store rewrites its
// file. The lock is taken only now, not around the store's write, which
// may ask for a passphrase: git waits a second for it, then fails the
// fetch that stores a credential.
func (s plaintextSource) Remove(env *environment, imported []found) error {
	var texts []string
	for _, it := range imported {
		texts = append(texts, it.ref.(string))
	}
	real, left, err := store.RemovePlaintextLines(s.path, texts, plaintextLockTimeout())
	if err != nil {
		return fmt.Errorf("the tokens are in the vault, but %s was left unchanged: %w", s.path, err)
	}
	fmt.Fprintf(env.stdout, "Removed the imported lines from %s%s; %s.\n", real, throughLink(real, s.path), otherLeft(left, "line", "lines"))
	return nil
}
