package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store"
	"github.com/git-credential-pat/git-credential-pat/store/backend"
	"github.com/git-credential-pat/git-credential-pat/store/keyring"
	"github.com/git-credential-pat/git-credential-pat/store/vault"
)

// openBackend opens the store the options name, by the rule both the full
// program and the cache daemon follow (backend.Choose): auto takes where
// tokens are kept already, and the OS keyring when it answers and is
// unlocked, else the encrypted vault; never a plaintext file. It says why,
// for doctor; the protocol actions never print it. A keyring in force that
// holds tokens, or is remembered, is kept even when it is locked or
// unreachable: env.keyringDown says so, for git's actions and doctor.
func (env *environment) openBackend() (store.Store, backend.ID, string, error) {
	choice, err := backend.Choose(env.options.Backend, os.Getenv)
	if err != nil {
		return nil, "", "", usageError{err.Error()}
	}
	why := choice.Why
	if env.options.Backend != backend.SettingAuto {
		why = "chosen with " + env.options.BackendSource
	}
	open := func(id backend.ID) (store.Store, error) {
		switch id.Kind() {
		case backend.KindKeyring:
			k, err := env.keyringAt(id.Path())
			if err != nil {
				return nil, err
			}
			return rememberingKeyring{k}, nil
		case backend.KindPass:
			p, err := env.passStore()
			if err != nil || env.options.Backend != backend.SettingPass {
				return p, err
			}
			return remembering{p}, nil
		}
		return env.vault()
	}
	s, err := open(choice.ID)
	if err != nil || choice.ID.Kind() != backend.KindKeyring {
		return s, choice.ID, why, err
	}
	// A cache holding what the keyring answered is its own proof the
	// keyring was usable: a cached lookup makes no keyring round trip.
	k := s.(rememberingKeyring)
	if env.cacheFor(choice.ID).Wrap(k).Serving() {
		if choice.Fallback != "" {
			why = "auto: the cache holds what the OS keyring answered"
		}
		return k, choice.ID, why, nil
	}
	probe := keyring.Probe(k.Timeout())
	switch {
	case probe == nil:
		if choice.Fallback != "" {
			why = "auto: the OS keyring answers and is unlocked"
		}
		return k, choice.ID, why, nil
	case choice.Fallback != "":
		// Nothing is stored yet, and nothing remembered: the vault.
		v, verr := open(choice.Fallback)
		return v, choice.Fallback, "auto: the OS keyring is not usable: " + probe.Error(), verr
	}
	listed, err := k.ListMasked()
	if err != nil {
		return nil, "", "", err
	}
	env.keyringDown = keyring.NotUsable(len(listed), probe)
	env.keyringListed = listed
	return k, choice.ID, why, nil
}

// keyring opens the OS keyring backend.
func (env *environment) keyring() (*keyring.Keyring, error) {
	index, err := keyring.DefaultIndexPath()
	if err != nil {
		return nil, err
	}
	return env.keyringAt(index)
}

// keyringAt opens the OS keyring backend whose index is at index.
func (env *environment) keyringAt(index string) (*keyring.Keyring, error) {
	timeout, err := keyring.TimeoutFromEnv()
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return keyring.New(index, keyring.Options{Timeout: timeout}), nil
}

const migrateUsage = `Usage: git-credential-pat migrate --to keyring|file|pass

Moves every token into the OS keyring (keyring), the encrypted vault
(file) or the pass password store (pass) from the others. Each token is
copied, read back and compared, and only then deleted from where it was:
if migrate stops halfway, every token is still readable in at least one
place, and running it again finishes the move. A target holding different
tokens in two places is left in both and reported.

--to pass or --to keyring also remembers that backend as the one auto
means, in a file beside the vault that holds no secret (the first token
added there remembers it too); --to file forgets it. auto keeps to a
remembered keyring when it is locked or unreachable: git is told to
unlock it, and no token goes to the vault meanwhile.

`

func (env *environment) migrate(args []string) error {
	fs := env.newFlags("migrate", migrateUsage)
	to := fs.String("to", "", "where the tokens go: keyring, file or pass")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 0 {
		return usagef("migrate takes no arguments; say where with --to keyring, --to file or --to pass")
	}
	vault, err := env.vault()
	if err != nil {
		return err
	}
	kr, err := env.keyring()
	if err != nil {
		return err
	}
	dest, err := env.migrateDest(*to, vault, kr)
	if err != nil {
		return err
	}
	sources, err := env.migrateSources(*to, vault, kr)
	if err != nil {
		return err
	}
	if kr.HasEntries() || *to == backend.SettingKeyring {
		if err := keyring.Probe(kr.Timeout()); err != nil {
			return fmt.Errorf("cannot migrate, nothing was moved: %w", err)
		}
	}
	var total, conflicted int
	var empty []string
	for _, src := range sources {
		from := src.store
		moved, conflicts, err := migrateTokens(from, dest)
		for _, e := range moved {
			say(env.stdout, "Moved the %s token %s for %s.", e.Kind, credential.Masked(e.Token), e.Target)
		}
		if err != nil {
			return fmt.Errorf("migrate stopped after moving %s; the others are still in %s: %w; run it again to finish", countTokens(total+len(moved)), from, err)
		}
		for _, t := range conflicts {
			say(env.stderr, "%s: %s and %s hold different tokens; both were kept: remove the one you do not want (git-credential-pat --backend=%s remove %s), then run migrate again",
				t, from, dest, src.setting, t)
		}
		if len(moved) > 0 {
			fmt.Fprintf(env.stdout, "Moved %s from %s to %s.\n", countTokens(len(moved)), from, dest)
		} else if len(conflicts) == 0 {
			empty = append(empty, fmt.Sprint(from))
		}
		total += len(moved)
		conflicted += len(conflicts)
	}
	if total == 0 && conflicted == 0 {
		holds := "holds"
		if len(empty) > 1 {
			holds = "hold"
		}
		fmt.Fprintf(env.stdout, "Nothing to move: %s %s no tokens. Tokens are in %s.\n", strings.Join(empty, " and "), holds, dest)
	}
	if err := rememberMigration(*to, env.stdout); err != nil {
		return err
	}
	if conflicted > 0 {
		return fmt.Errorf("%d targets hold different tokens in both places and were not moved", conflicted)
	}
	return nil
}

// migrateDest is the store migrate --to names.
func (env *environment) migrateDest(to string, vault, kr store.Store) (store.Store, error) {
	switch to {
	case backend.SettingKeyring:
		return kr, nil
	case backend.SettingFile:
		return vault, nil
	case backend.SettingPass:
		p, err := env.passStore()
		if err != nil {
			return nil, err
		}
		// Prove the key before the first token moves: an empty folder
		// has no entry whose reading would.
		if err := p.Probe(); err != nil {
			return nil, fmt.Errorf("cannot migrate, nothing was moved: %w", err)
		}
		return p, nil
	}
	return nil, usagef("migrate needs --to keyring, --to file or --to pass")
}

// rememberMigration remembers where the tokens went, so that auto finds
// them there, and says so.
func rememberMigration(to string, stdout io.Writer) error {
	remember := to
	if remember == backend.SettingFile {
		remember = "" // auto finds the vault by itself
	}
	if err := backend.Remember(os.Getenv, remember); err != nil {
		return err
	}
	switch to {
	case backend.SettingPass:
		fmt.Fprintf(stdout, "From now on auto means pass (remembered in %s).\n", rememberedPath())
	case backend.SettingKeyring:
		fmt.Fprintf(stdout, "From now on auto means the OS keyring, locked or not (remembered in %s).\n", rememberedPath())
	}
	return nil
}

// rememberedPath is where the choice of pass or the keyring is remembered.
func rememberedPath() string {
	vault, err := vault.DefaultPath()
	if err != nil {
		return "?"
	}
	return backend.RememberedPath(vault)
}

// migrateTokens copies every entry of from into dest, reads each back, and
// only then deletes them from from. A target dest holds with a different
// token is a conflict: neither copy is touched.
func migrateTokens(from, dest store.Store) (moved []credential.Entry, conflicts []credential.Target, err error) {
	entries, err := from.List()
	if err != nil {
		return nil, nil, err
	}
	var copies []credential.Entry
	for _, e := range entries {
		there, err := dest.Get(e.Target)
		switch {
		case errors.Is(err, store.ErrNotFound):
			copies = append(copies, e)
		case err != nil:
			return nil, nil, err
		case there.Token != e.Token || there.OAuthRefreshToken != e.OAuthRefreshToken:
			conflicts = append(conflicts, e.Target)
		default:
			copies = append(copies, e) // an earlier run copied it already
		}
	}
	if len(copies) == 0 {
		return nil, conflicts, nil
	}
	if err := dest.Add(copies...); err != nil {
		return nil, conflicts, err
	}
	var done []credential.Target
	for _, e := range copies {
		got, err := dest.Get(e.Target)
		if err != nil {
			return nil, conflicts, fmt.Errorf("reading %s back from %s failed (%w), so it was not deleted from %s", e.Target, dest, err, from)
		}
		if got.Token != e.Token || got.OAuthRefreshToken != e.OAuthRefreshToken {
			return nil, conflicts, fmt.Errorf("%s read back from %s differs from the original, so it was not deleted from %s", e.Target, dest, from)
		}
		done = append(done, e.Target)
	}
	if err := from.Delete(done...); err != nil {
		return nil, conflicts, fmt.Errorf("the tokens are copied, but could not be deleted from %s: %w", from, err)
	}
	return copies, conflicts, nil
}
