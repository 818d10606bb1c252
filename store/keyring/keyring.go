// Package keyring is the OS keyring backend (Secret Service, macOS
// Keychain, Windows Credential Manager): one keyring item per token, every
// call under a timeout, and an index file of what it holds that holds no
// secret, since keyrings cannot list their items.
package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store"
	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// keyringIndexFormat names the index file's format.
const keyringIndexFormat = "git-credential-pat keyring index v1"

// keyringServicePrefix starts the service name of every keyring item.
const keyringServicePrefix = "git-credential-pat:"

// keyringAnyUser is the account of an item stored without a user name.
// User names starting with "*" are stored with one more "*" in front, so no
// user name can collide with it.
const keyringAnyUser = "*"

// Keyring keeps each token as one item of the OS keyring (Secret Service on
// Linux, the Keychain on macOS, Credential Manager on Windows) and what list
// shows about it in an index file beside the vault: the keyring libraries
// cannot list items, and list must not unlock every secret.
//
// The index never claims a token the keyring does not hold for long: Add
// writes the item before its row, Delete removes the item before its row,
// and a row whose item was deleted behind our back is dropped by List and
// reported by Verify.
type Keyring struct {
	index   string
	opts    Options
	secrets secretStore
}

// Options configures a Keyring. Zero values take the defaults.
type Options struct {
	// Timeout bounds every keyring call (DefaultTimeout).
	Timeout time.Duration
	// LockTimeout bounds the wait for the index lock (files.DefaultLockTimeout).
	LockTimeout time.Duration
}

var _ store.Store = (*Keyring)(nil)

// DefaultIndexPath is keyring-index.json in the vault's folder.
func DefaultIndexPath() (string, error) { return files.KeyringIndexPath() }

// New returns the keyring backend whose index is at indexPath.
// Nothing is read until it is used.
func New(indexPath string, opts Options) *Keyring {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = files.DefaultLockTimeout
	}
	return &Keyring{index: indexPath, opts: opts, secrets: osKeyring{timeout: opts.Timeout}}
}

// String names the backend for messages.
func (k *Keyring) String() string {
	return "the OS keyring (" + strings.TrimPrefix(keyringSystemName, "the ") + ")"
}

// IndexPath is the index file's location.
func (k *Keyring) IndexPath() string { return k.index }

// Timeout is how long one keyring call may take.
func (k *Keyring) Timeout() time.Duration { return k.opts.Timeout }

// indexRow is what the index keeps of an entry: everything but the
// secrets, which stay blank here, and the token masked for list.
type indexRow struct {
	credential.Entry
	Masked string `json:"token_masked"`
}

type indexFile struct {
	Format  string     `json:"format"`
	Entries []indexRow `json:"entries"`
}

func rowOf(e credential.Entry) indexRow {
	masked := credential.Masked(e.Token)
	if e.Token == "" && e.Credential != "" {
		masked = credential.Masked(e.Credential)
	}
	for _, f := range credential.SecretFields {
		f.Clear(&e)
	}
	return indexRow{Entry: e, Masked: masked}
}

// entry puts a row and its item's secret back together.
func (r indexRow) entry(secret string) credential.Entry {
	e := r.Entry
	// The last secret field takes the rest, line breaks and all, as it
	// always has.
	for i, v := range strings.SplitN(secret, "\n", len(credential.SecretFields)) {
		*credential.SecretFields[i].Str(&e) = v
	}
	return e
}

// secretOf is what an entry's keyring item holds: its secret fields
// (credential.Fields: the token, the OAuth refresh token, the pre-encoded
// credential of git 2.46+), one a line, up to the last that is set, so
// that a token alone is the whole secret, as any other tool reading the
// item expects. None can hold a line break, which git's protocol forbids.
func secretOf(e credential.Entry) string {
	var lines []string
	for _, f := range credential.SecretFields {
		lines = append(lines, *f.Str(&e))
	}
	for len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// itemKey is the service and account of a target's keyring item, named by
// its credential.Key: whatever case the path was typed in, an entry has one
// item.
func itemKey(t credential.Target) (service, account string) {
	key := t.Key()
	account = keyringAnyUser
	if key.HasUsername {
		account = key.Username
		if strings.HasPrefix(account, keyringAnyUser) {
			account = keyringAnyUser + account
		}
	}
	return keyringServicePrefix + key.Location, account
}

// legacyService is the service releases before credential.Key named t's
// item by: the path as typed. "" when that is the item's name today.
func legacyService(t credential.Target) string {
	service, _ := itemKey(t)
	if legacy := keyringServicePrefix + t.Location(); legacy != service {
		return legacy
	}
	return ""
}

// readItem reads the secret of the entry stored under row: its item, or,
// for an entry no write has touched since releases that named items by the
// path as typed, the item under that name.
func (k *Keyring) readItem(row credential.Target) (string, error) {
	service, account := itemKey(row)
	secret, err := k.secrets.Get(service, account)
	if legacy := legacyService(row); errors.Is(err, errItemNotFound) && legacy != "" {
		return k.secrets.Get(legacy, account)
	}
	return secret, err
}

// ListMasked reads the index only: no keyring call, no unlock prompt.
func (k *Keyring) ListMasked() ([]store.Listing, error) {
	rows, err := k.readIndex()
	if err != nil {
		return nil, err
	}
	out := make([]store.Listing, 0, len(rows))
	for _, r := range rows {
		out = append(out, store.Listing{Entry: r.entry(""), Masked: r.Masked})
	}
	return out, nil
}

// HasEntries reports whether the index lists at least one token. It reads
// no secret; an unreadable index counts as holding entries, so that callers
// deciding where tokens live look closer rather than ignore it.
func (k *Keyring) HasEntries() bool {
	rows, err := k.readIndex()
	return err != nil || len(rows) > 0
}

// List returns every entry, reading each token from the keyring. A row whose
// item is gone (deleted outside git-credential-pat) is left out, and dropped
// from the index.
func (k *Keyring) List() ([]credential.Entry, error) {
	rows, err := k.readIndex()
	if err != nil {
		return nil, err
	}
	entries := make([]credential.Entry, 0, len(rows))
	var missing []credential.Target
	for _, r := range rows {
		secret, err := k.readItem(r.Target)
		if errors.Is(err, errItemNotFound) {
			missing = append(missing, r.Target)
			continue
		}
		if err != nil {
			return nil, err
		}
		entries = append(entries, r.entry(secret))
	}
	if len(missing) > 0 {
		// Best effort: the answer is right either way, and a read must not
		// fail because the index could not be tidied.
		_, _ = k.dropMissing(missing)
	}
	return entries, nil
}

// Get returns the entry stored under exactly target.
func (k *Keyring) Get(target credential.Target) (credential.Entry, error) {
	rows, err := k.readIndex()
	if err != nil {
		return credential.Entry{}, err
	}
	i := slices.IndexFunc(rows, func(r indexRow) bool { return r.Target.Same(target) })
	if i < 0 {
		return credential.Entry{}, fmt.Errorf("%s: %w", target, store.ErrNotFound)
	}
	secret, err := k.readItem(rows[i].Target)
	if errors.Is(err, errItemNotFound) {
		_, _ = k.dropMissing([]credential.Target{rows[i].Target})
		return credential.Entry{}, fmt.Errorf("%s: its keyring item was deleted outside git-credential-pat: %w", target, store.ErrNotFound)
	}
	if err != nil {
		return credential.Entry{}, err
	}
	return rows[i].entry(secret), nil
}

// Add stores each entry's secrets as a keyring item, then its row. When
// the index cannot be written, the items just created are taken back out.
// Once the index names the new item, the items the entry had under names in
// another case (see dropOldItems) are deleted: never before, so that a
// failed write leaves the old token where it was.
func (k *Keyring) Add(entries ...credential.Entry) error {
	var created []credential.Target
	var written []oldItems
	undo := func() {
		for _, t := range created {
			_ = k.secrets.Delete(itemKey(t))
		}
	}
	err := k.updateIndex(func(rows []indexRow) ([]indexRow, error) {
		created, written = nil, nil
		for _, e := range entries {
			i := slices.IndexFunc(rows, func(r indexRow) bool { return r.Target.Same(e.Target) })
			service, account := itemKey(e.Target)
			if err := k.secrets.Set(service, account, secretOf(e)); err != nil {
				undo()
				return nil, err
			}
			old := oldItems{entry: e, names: []string{legacyService(e.Target)}}
			if i < 0 {
				created = append(created, e.Target)
			} else {
				old.names = append(old.names, legacyService(rows[i].Target))
			}
			written = append(written, old)
			rows = mergeRow(rows, rowOf(e))
		}
		return rows, nil
	}, undo)
	if err != nil {
		return err
	}
	var errs []error
	for _, old := range written {
		errs = append(errs, k.dropOldItems(old))
	}
	return errors.Join(errs...)
}

// oldItems is an entry just written, and the services its item may have
// had before: releases that named items by the path as typed wrote one
// per case a path was typed in. "" is no name.
type oldItems struct {
	entry credential.Entry
	names []string
}

// dropOldItems deletes the items of old.entry under a service other than
// its own that differs from it only in case. Where the keyring can search
// (the Secret Service), it finds every such item; elsewhere it knows only
// the names the index and the target give. On a keyring whose names ignore
// case (Windows), such a name reaches the item just written: one holding
// the secret just written is never deleted for that reason.
func (k *Keyring) dropOldItems(old oldItems) error {
	service, account := itemKey(old.entry.Target)
	services, searched, err := k.secrets.Services(account)
	if err != nil {
		return fmt.Errorf("%s: the token was saved, but the keyring could not be searched for its items under another case: %w", old.entry.Target, err)
	}
	var doomed []string
	if searched {
		doomed = slices.DeleteFunc(services, func(s string) bool { return !otherCase(s, service) })
	} else {
		for _, name := range old.names {
			if name == "" || slices.Contains(doomed, name) {
				continue
			}
			secret, err := k.secrets.Get(name, account)
			if errors.Is(err, errItemNotFound) || err == nil && secret == secretOf(old.entry) {
				continue
			}
			if err != nil {
				return fmt.Errorf("%s: the token was saved, but its old item under another case could not be read: %w", old.entry.Target, err)
			}
			doomed = append(doomed, name)
		}
	}
	for _, name := range doomed {
		if err := k.secrets.Delete(name, account); err != nil && !errors.Is(err, errItemNotFound) {
			return fmt.Errorf("%s: the token was saved, but its old keyring item %q, which holds the token it replaced, could not be deleted (the next add or remove of %s tries again): %w", old.entry.Target, name, old.entry.Target, err)
		}
	}
	return nil
}

// otherCase reports whether found is the service of the same entry as
// service, an item's own, written in another case.
func otherCase(found, service string) bool {
	location, ok := strings.CutPrefix(found, keyringServicePrefix)
	if !ok || found == service {
		return false
	}
	host, path, _ := strings.Cut(location, "/")
	return keyringServicePrefix+credential.Target{Host: host, Path: path}.Key().Location == service
}

// Delete removes each target's keyring item, and its items under another
// case (see dropOldItems), then its row. An item that is already gone is no
// error: the row goes all the same.
func (k *Keyring) Delete(targets ...credential.Target) error {
	if _, err := os.Stat(k.index); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return k.updateIndex(func(rows []indexRow) ([]indexRow, error) {
		for _, t := range targets {
			i := slices.IndexFunc(rows, func(r indexRow) bool { return r.Target.Same(t) })
			if i < 0 {
				continue
			}
			if err := k.deleteItems(rows[i].Target, t); err != nil {
				// Save the rows of the items deleted so far: the index
				// must not claim tokens that are gone.
				return rows, &partialError{err}
			}
			rows = slices.Delete(rows, i, i+1)
		}
		return rows, nil
	}, nil)
}

// deleteItems deletes the item of the entry stored under row, then those
// it has under another case: typed, the target as given this time, may
// name one more. With its own item gone, none of those names can reach it,
// even on a keyring whose names ignore case.
func (k *Keyring) deleteItems(row, typed credential.Target) error {
	service, account := itemKey(row)
	if err := k.secrets.Delete(service, account); err != nil && !errors.Is(err, errItemNotFound) {
		return err
	}
	names := []string{legacyService(row), legacyService(typed)}
	services, searched, err := k.secrets.Services(account)
	if err != nil {
		return err
	}
	if searched {
		names = slices.DeleteFunc(services, func(s string) bool { return !otherCase(s, service) })
	}
	for _, name := range names {
		if name == "" {
			continue
		}
		if err := k.secrets.Delete(name, account); err != nil && !errors.Is(err, errItemNotFound) {
			return err
		}
	}
	return nil
}

// Problem is something Verify found wrong, and what it did about it.
type Problem struct {
	Target credential.Target
	What   string
}

// Verify reads every item the index lists, drops the rows whose item is
// gone, and reports each. Doctor runs it; List repairs silently.
func (k *Keyring) Verify() ([]Problem, error) {
	rows, err := k.readIndex()
	if err != nil {
		return nil, err
	}
	var missing []credential.Target
	for _, r := range rows {
		_, err := k.readItem(r.Target)
		if errors.Is(err, errItemNotFound) {
			missing = append(missing, r.Target)
		} else if err != nil {
			return nil, err
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	dropped, err := k.dropMissing(missing)
	var problems []Problem
	for _, t := range dropped {
		problems = append(problems, Problem{t, "its keyring item had been deleted outside git-credential-pat, so its index row was removed; add the token again with: git-credential-pat add " + t.String()})
	}
	return problems, err
}

// dropMissing removes the rows of targets whose items are gone, checking
// again under the lock: another process may have added one back meanwhile.
func (k *Keyring) dropMissing(targets []credential.Target) (dropped []credential.Target, err error) {
	err = k.updateIndex(func(rows []indexRow) ([]indexRow, error) {
		dropped = nil
		for _, t := range targets {
			i := slices.IndexFunc(rows, func(r indexRow) bool { return r.Target.Same(t) })
			if i < 0 {
				continue
			}
			if _, err := k.readItem(rows[i].Target); !errors.Is(err, errItemNotFound) {
				continue
			}
			rows = slices.Delete(rows, i, i+1)
			dropped = append(dropped, t)
		}
		return rows, nil
	}, nil)
	return dropped, err
}

func mergeRow(rows []indexRow, row indexRow) []indexRow {
	if i := slices.IndexFunc(rows, func(r indexRow) bool { return r.Target.Same(row.Target) }); i >= 0 {
		rows[i] = row
		return rows
	}
	return append(rows, row)
}

// partialError carries the error that stopped an update whose rows so far
// must still be saved.
type partialError struct{ err error }

func (p *partialError) Error() string { return p.err.Error() }
func (p *partialError) Unwrap() error { return p.err }

// readIndex returns the index's rows; a missing index is empty. It refuses
// an index or folder other users can reach.
func (k *Keyring) readIndex() ([]indexRow, error) {
	for _, p := range []struct {
		path  string
		isDir bool
	}{{filepath.Dir(k.index), true}, {k.index, false}} {
		if err := files.CheckPrivate(p.path, p.isDir); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil
			}
			return nil, err
		}
	}
	data, err := os.ReadFile(k.index)
	if err != nil {
		return nil, fmt.Errorf("cannot read the keyring index: %w", err)
	}
	var file indexFile
	if err := json.Unmarshal(data, &file); err != nil || file.Format != keyringIndexFormat {
		return nil, fmt.Errorf("%s is not a %s file; it was left untouched: move it aside (the tokens stay in the keyring, but must be added again to be listed)", k.index, keyringIndexFormat)
	}
	return file.Entries, nil
}

// updateIndex runs change on the rows under the index lock and saves what
// it returns. A partialError from change saves the rows and returns the
// error. onSaveFailure, when set, runs if the index could not be written.
func (k *Keyring) updateIndex(change func([]indexRow) ([]indexRow, error), onSaveFailure func()) error {
	dir := filepath.Dir(k.index)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create the folder of the keyring index: %w", err)
	}
	if err := files.CheckPrivate(dir, true); err != nil {
		return err
	}
	unlock, err := files.LockFile(k.index+".lock", k.opts.LockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	rows, err := k.readIndex()
	if err != nil {
		return err
	}
	rows, changeErr := change(slices.Clone(rows))
	var partial *partialError
	if changeErr != nil && !errors.As(changeErr, &partial) {
		return changeErr
	}
	if len(rows) == 0 {
		// An index exists only while the keyring holds tokens, so its
		// absence alone tells git-credential-pat's front that the vault
		// is in use, without reading it.
		if err := os.Remove(k.index); err != nil && !errors.Is(err, fs.ErrNotExist) {
			if onSaveFailure != nil {
				onSaveFailure()
			}
			return fmt.Errorf("could not remove the empty keyring index %s: %w", k.index, err)
		}
		files.SyncDir(dir)
		return changeErr
	}
	data, err := json.MarshalIndent(indexFile{keyringIndexFormat, rows}, "", "  ")
	if err != nil {
		return err
	}
	if err := files.WriteAtomic(k.index, append(data, '\n')); err != nil {
		if onSaveFailure != nil {
			onSaveFailure()
		}
		return fmt.Errorf("could not save the keyring index %s, which is unchanged: %w", k.index, err)
	}
	return changeErr
}
