package main

import (
	"fmt"
	"os"
	"time"

	"github.com/git-credential-pat/git-credential-pat/store"
)

// netrcSource is the .netrc file curl reads for git over HTTPS.
type netrcSource struct{ path string }

// netrcSources is FILE, or ~/.netrc.
func netrcSources(file string) ([]source, error) {
	if file != "" {
		return []source{netrcSource{file}}, nil
	}
	p, err := store.DefaultNetrcPath()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(p); err != nil {
		return nil, fmt.Errorf("nothing to import: there is no %s; give the file's path", p)
	}
	return []source{netrcSource{p}}, nil
}

func (s netrcSource) String() string { return s.path }

func (s netrcSource) again() string {
	return "git-credential-pat import --from netrc " + pathArg(s.path)
}

func (s netrcSource) Read(now time.Time) ([]found, error) {
	data, err := os.ReadFile(s.path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the file to import: %w", err)
	}
	var items []found
	for _, n := range store.ReadNetrc(data, now) {
		items = append(items, found{entry: n.Entry, where: fmt.Sprintf("%s:%d", s.path, n.Line), problem: n.Problem, ref: n})
	}
	return items, nil
}

// Remove removes the imported entries. curl takes no lock on .netrc: git's
// lock convention keeps two imports apart, and the rename replaces the
// file whole under whatever reads it.
func (s netrcSource) Remove(env *environment, imported []found) error {
	var drop []store.NetrcEntry
	for _, it := range imported {
		drop = append(drop, it.ref.(store.NetrcEntry))
	}
	real, left, err := store.RemoveNetrcEntries(s.path, drop, plaintextLockTimeout())
	if err != nil {
		return fmt.Errorf("the tokens are in the vault, but %s was left unchanged: %w", s.path, err)
	}
	fmt.Fprintf(env.stdout, "Removed the imported entries from %s%s; %s.\n", real, throughLink(real, s.path), otherLeft(left, "entry", "entries"))
	return nil
}
