package store

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store/backend"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// Cache puts the cache daemon in front of a backend: reads are answered
// from the daemon while it holds the backend's entries, and the key that
// unlocks the vault is kept there (KeyKeeper), so that only the first
// command of an interval pays for the unlock, and writes pay none. Writes go to the backend and keep the
// daemon consistent: what was removed is never served again.
//
// Consistency rests on the daemon's epoch: every write drops the held
// entries and starts a new epoch, and a reader hands the daemon the entries
// it read only under the epoch it saw before reading, so a reader that
// raced a write cannot put back what the write removed.
type Cache struct {
	backend Store
	id      backend.ID
	timeout time.Duration
	client  *cache.Client
	now     func() time.Time

	// held is what Serving got from the daemon, for the List after it.
	held []credential.Entry
	// testOnlyStamp, when set, stands for the backend's stamp, so tests
	// can change a vault behind the daemon's back as if it had not.
	testOnlyStamp string
}

// stamp identifies the backend's current state, as the daemon checks it.
func (c *Cache) stamp() string {
	if c.testOnlyStamp != "" {
		return c.testOnlyStamp
	}
	return backend.Stamp(c.id)
}

// NewCache returns a cache for the backend id holding things for timeout;
// a timeout of 0 or less turns reads from the cache off. Call Wrap with the
// backend.
func NewCache(id backend.ID, timeout time.Duration, client *cache.Client) *Cache {
	return &Cache{id: id, timeout: timeout, client: client, now: time.Now}
}

// Wrap sets the backend and returns the cache as a Store.
func (c *Cache) Wrap(b Store) *Cache {
	c.backend = b
	return c
}

var _ Store = (*Cache)(nil)

// String names the backend behind the cache, for messages.
func (c *Cache) String() string { return fmt.Sprint(c.backend) }

// Backend is the store behind the cache.
func (c *Cache) Backend() Store { return c.backend }

func (c *Cache) enabled() bool { return c.timeout > 0 && c.client != nil }

// Keys is the daemon as the vault's key keeper (vault.KeyKeeper): the key
// it holds is tried before the user is asked for the passphrase; a key the
// vault unwrapped goes to the daemon once the vault has opened with it.
func (c *Cache) Keys() HeldKeys { return HeldKeys{c} }

// HeldKeys is the vault's key as the cache daemon holds it.
type HeldKeys struct{ c *Cache }

// HeldKey returns the key the daemon holds, or nil.
func (k HeldKeys) HeldKey() []byte {
	c := k.c
	if !c.enabled() {
		return nil
	}
	reply, err := c.call(&cache.Request{Op: cache.OpSecret})
	if err != nil || reply.Status != cache.StatusOK || len(reply.Body) == 0 {
		return nil
	}
	return reply.Body
}

// KeepKey hands the daemon the key at once, so that a writer queued on
// the vault's lock behind this process finds it held. A daemon that is not
// running (none was yet, or it idled out while the user typed the
// passphrase) is started for it.
func (k HeldKeys) KeepKey(secret []byte) {
	c := k.c
	if !c.enabled() {
		return
	}
	req := &cache.Request{Op: cache.OpPutSecret, Timeout: c.timeout, Body: secret}
	if _, err := c.call(req); errors.Is(err, cache.ErrNotRunning) && c.client.Start() == nil {
		c.call(req)
	}
}

// ForgetKey drops the held key: it no longer opens the vault.
func (k HeldKeys) ForgetKey() {
	if k.c.client != nil {
		k.c.call(&cache.Request{Op: cache.OpForget})
	}
}

// call sends req about this cache's backend.
func (c *Cache) call(req *cache.Request) (*cache.Reply, error) {
	req.Backend = string(c.id)
	return c.client.Call(req)
}

// Serving reports whether the daemon holds the backend's entries, unchanged
// since they were read, without starting it; the next List answers with
// what it returned. It lets a caller choose this backend without asking
// the backend itself (a keyring round trip) whether it is usable.
func (c *Cache) Serving() bool {
	if !c.enabled() {
		return false
	}
	reply, err := c.call(&cache.Request{Op: cache.OpEntries, Stamp: c.stamp()})
	if err != nil || reply.Status != cache.StatusOK {
		return false
	}
	held, err := cache.ParseEntries(reply.Body, false)
	clear(reply.Body)
	if err != nil {
		return false
	}
	c.held = held
	return true
}

// List answers from the daemon when it holds the backend's entries; else it
// reads the backend and hands the daemon what it read.
func (c *Cache) List() ([]credential.Entry, error) {
	if !c.enabled() {
		return c.backend.List()
	}
	if held := c.held; held != nil {
		c.held = nil
		return held, nil
	}
	stamp := c.stamp()
	ask := &cache.Request{Op: cache.OpEntries, Stamp: stamp}
	reply, err := c.call(ask)
	if errors.Is(err, cache.ErrNotRunning) {
		// Read first: an empty store, or one that cannot be read (a
		// locked vault or keyring), has nothing for a daemon to hold,
		// and none is started for it.
		entries, readErr := c.backend.List()
		if readErr != nil || len(entries) == 0 {
			return entries, readErr
		}
		// A write may have come between that read and the daemon's
		// start, unseen by a daemon not yet running; so the daemon is
		// started, its epoch taken, and the entries it is handed are
		// read again under that epoch. A vault's key is held by then,
		// so the second read asks nothing.
		// Reading the vault may have started it already, to hold the
		// key: a second start would race the first.
		stamp = c.stamp()
		ask.Stamp = stamp
		reply, err = c.call(ask)
		if errors.Is(err, cache.ErrNotRunning) {
			if c.client.Start() != nil {
				return entries, nil
			}
			reply, err = c.call(ask)
		}
		if err != nil {
			return entries, nil
		}
	}
	if err == nil && reply.Status == cache.StatusOK {
		held, parseErr := cache.ParseEntries(reply.Body, false)
		clear(reply.Body)
		if parseErr == nil {
			return held, nil
		}
	}
	entries, readErr := c.backend.List()
	if readErr != nil {
		return nil, readErr
	}
	if err == nil {
		c.hand(stamp, entries, reply.Epoch)
	}
	return entries, nil
}

// ListHost answers a lookup with the entries for host.
func (c *Cache) ListHost(host string) ([]credential.Entry, error) {
	if !c.enabled() {
		if b, ok := c.backend.(credential.HostTokens); ok {
			return b.ListHost(host)
		}
	}
	entries, err := c.List()
	return HostEntries(entries, host), err
}

// HostEntries is the entries of one host, in their order.
func HostEntries(entries []credential.Entry, host string) []credential.Entry {
	return slices.DeleteFunc(slices.Clone(entries), func(e credential.Entry) bool { return e.Host != host })
}

// hand gives the daemon the entries read under epoch. The daemon refuses
// them when a write came in between.
func (c *Cache) hand(stamp string, entries []credential.Entry, epoch uint64) {
	now := c.now()
	body, err := cache.AppendEntries(nil, entries, now)
	if err == nil {
		c.call(&cache.Request{Op: cache.OpPut, Stamp: stamp, Epoch: epoch, Timeout: c.timeout, Until: cache.Earliest(entries, now), Body: body})
	}
	clear(body)
}

// ListMasked lists without secrets: straight from a backend that keeps its
// metadata apart (no unlock, no keyring call), else through the cache.
func (c *Cache) ListMasked() ([]Listing, error) {
	if m, ok := c.backend.(MaskedLister); ok {
		return m.ListMasked()
	}
	entries, err := c.List()
	if err != nil {
		return nil, err
	}
	return Masked(entries), nil
}

// Refresh restarts the interval of what the daemon holds for the backend,
// as git's own cache does on every store: git reports each credential it
// used successfully, so a helper in steady use does not ask for the
// passphrase again. Nothing held is a no-op.
func (c *Cache) Refresh() {
	if c.enabled() {
		c.call(&cache.Request{Op: cache.OpTouch, Timeout: c.timeout})
	}
}

// Get returns the entry stored under exactly target.
func (c *Cache) Get(target credential.Target) (credential.Entry, error) {
	entries, err := c.List()
	if err != nil {
		return credential.Entry{}, err
	}
	i := Find(entries, target)
	if i < 0 {
		return credential.Entry{}, fmt.Errorf("%s: %w", target, ErrNotFound)
	}
	if cache.IsWithheld(entries[i].Token) {
		// An expired token never travels from the daemon; whoever gets
		// one entry means to write it back (edit, rotate): read it whole.
		return c.backend.Get(target)
	}
	return entries[i], nil
}

// Add writes to the backend and keeps the daemon consistent.
func (c *Cache) Add(entries ...credential.Entry) error {
	if err := cache.CheckWritable(entries); err != nil {
		return err
	}
	return c.write(func() error { return c.backend.Add(entries...) })
}

// Delete removes from the backend and from the daemon.
func (c *Cache) Delete(targets ...credential.Target) error {
	return c.write(func() error { return c.backend.Delete(targets...) })
}

// write drops the daemon's entries before and after the backend changes
// (even when reads from the cache are off, so that no other helper can be
// served what this one removed), then hands the daemon the new entries.
func (c *Cache) write(change func() error) error {
	if c.client == nil {
		return change()
	}
	c.call(&cache.Request{Op: cache.OpDrop})
	if err := change(); err != nil {
		return err
	}
	drop := &cache.Request{Op: cache.OpDrop}
	reply, err := c.call(drop)
	if !c.enabled() {
		return nil
	}
	if errors.Is(err, cache.ErrNotRunning) && c.client.Start() == nil {
		reply, err = c.call(drop)
	}
	if err != nil || reply.Status != cache.StatusOK {
		return nil // the daemon holds nothing of this backend now
	}
	// The backend re-reads what it just wrote: no second unlock.
	stamp := c.stamp()
	if entries, err := c.backend.List(); err == nil {
		c.hand(stamp, entries, reply.Epoch)
	}
	return nil
}
