package store

import (
	"errors"
	"fmt"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
	"github.com/git-credential-pat/git-credential-pat/store/cache/daemon"
)

// DefaultCacheTimeout is how long the cache holds what a backend unlocked.
const DefaultCacheTimeout = cache.DefaultTimeout

// Cache puts the cache daemon in front of a backend: reads are answered
// from the daemon while it holds the backend's entries, and the key that
// unlocks the vault is kept there, so that only the first command of an
// interval pays for the unlock, and a write within it for none. Writes go
// to the backend and keep the daemon consistent: what was removed is never
// served again.
//
// Consistency rests on the daemon's epoch: every write drops the held
// entries and starts a new epoch, and a reader hands the daemon the entries
// it read only under the epoch it saw before reading, so a reader that
// raced a write cannot put back what the write removed.
type Cache struct {
	backend Store
	key     string
	timeout time.Duration
	client  *cache.Client
	now     func() time.Time

	// held is what Serving got from the daemon, for the List after it.
	held []credential.Entry
}

// NewCache returns a cache for the backend named key (its String, which
// tells backends apart in the daemon) holding things for timeout; a timeout
// of 0 or less turns reads from the cache off. Call Wrap with the backend.
func NewCache(key string, timeout time.Duration, client *cache.Client) *Cache {
	return &Cache{key: key, timeout: timeout, client: client, now: time.Now}
}

// Wrap sets the backend and returns the cache as a Store.
func (c *Cache) Wrap(backend Store) *Cache {
	c.backend = backend
	return c
}

var _ Store = (*Cache)(nil)

// String names the backend behind the cache, for messages.
func (c *Cache) String() string { return fmt.Sprint(c.backend) }

// Backend is the store behind the cache.
func (c *Cache) Backend() Store { return c.backend }

func (c *Cache) enabled() bool { return c.timeout > 0 && c.client != nil }

// KeyKeeper is the daemon as the vault's KeyKeeper: the key it holds
// (under the op that holds what unlocks a backend) is tried before the user
// is asked for the passphrase; a key the vault unwrapped goes to the
// daemon once the vault has opened with it.
func (c *Cache) KeyKeeper() KeyKeeper { return cacheKeys{c} }

type cacheKeys struct{ c *Cache }

func (k cacheKeys) HeldKey() []byte {
	c := k.c
	if !c.enabled() {
		return nil
	}
	status, _, key, err := c.client.Call(&cache.Request{Op: cache.OpPass, Key: c.key})
	if err != nil || status != cache.ReplyOK || len(key) == 0 {
		return nil
	}
	return key
}

// KeepKey hands the daemon the key at once, so that a writer queued on
// the vault's lock behind this process finds it held. A daemon that is not
// running (none was yet, or it idled out while the user typed the
// passphrase) is started for it.
func (k cacheKeys) KeepKey(secret []byte) {
	c := k.c
	if !c.enabled() {
		return
	}
	req := &cache.Request{Op: cache.OpPutPass, Key: c.key, TimeoutMS: c.timeout.Milliseconds(), Body: secret}
	if _, _, _, err := c.client.Call(req); errors.Is(err, cache.ErrNotRunning) && c.client.Start() == nil {
		c.client.Call(req)
	}
}

func (k cacheKeys) ForgetKey() {
	if k.c.client != nil {
		k.c.client.Call(&cache.Request{Op: cache.OpForget, Key: k.c.key})
	}
}

// Serving reports whether the daemon holds the backend's entries, unchanged
// since they were read, without starting it; the next List answers with
// what it returned. It lets a caller choose this backend without asking
// the backend itself (a keyring round trip) whether it is usable.
func (c *Cache) Serving() bool {
	if !c.enabled() {
		return false
	}
	status, _, body, err := c.client.Call(&cache.Request{Op: cache.OpGet, Key: c.key})
	defer clear(body)
	if err != nil || status != cache.ReplyOK {
		return false
	}
	held, decodeErr := cache.DecodeSnapshot(body)
	if decodeErr != nil || held.Stamp != c.stamp() {
		return false
	}
	c.held = held.Entries
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
	status, epoch, body, err := c.client.Call(&cache.Request{Op: cache.OpGet, Key: c.key})
	if errors.Is(err, cache.ErrNotRunning) {
		// Start the daemon before reading, so the epoch this reader
		// works under predates its read.
		if c.client.Start() == nil {
			status, epoch, body, err = c.client.Call(&cache.Request{Op: cache.OpGet, Key: c.key})
		}
	}
	if err == nil && status == cache.ReplyOK {
		held, decodeErr := cache.DecodeSnapshot(body)
		if decodeErr == nil && held.Stamp == stamp {
			clear(body)
			return held.Entries, nil
		}
		clear(body)
	}
	entries, readErr := c.backend.List()
	if readErr != nil {
		return nil, readErr
	}
	if err == nil {
		c.hand(stamp, entries, epoch)
	}
	return entries, nil
}

// ListHost answers a lookup with the entries for host: from the daemon,
// which sends that host's entries alone, when it holds the backend's;
// else as List does, which reads the backend and hands the daemon all.
func (c *Cache) ListHost(host string) ([]credential.Entry, error) {
	if !c.enabled() {
		if b, ok := c.backend.(credential.HostTokens); ok {
			return b.ListHost(host)
		}
		entries, err := c.backend.List()
		return cache.HostEntries(entries, host), err
	}
	if held := c.held; held != nil {
		c.held = nil
		return cache.HostEntries(held, host), nil
	}
	stamp := c.stamp()
	status, _, body, err := c.client.Call(&cache.Request{Op: cache.OpGetHost, Key: c.key, Meta: []byte(host)})
	if err == nil && status == cache.ReplyOK {
		held, decodeErr := cache.DecodeSnapshot(body)
		ok := decodeErr == nil && held.Stamp == stamp
		clear(body)
		if ok {
			return cache.HostEntries(held.Entries, host), nil
		}
	}
	entries, err := c.List()
	return cache.HostEntries(entries, host), err
}

// stamper is a backend whose stored state has a cheap identity, such as
// the vault file's size and modification time.
type stamper interface{ Stamp() string }

// stamp identifies the backend's current state. Entries are served from the
// daemon only while it is unchanged, so a vault restored from a backup,
// synced from elsewhere or damaged is read again, not answered for from
// memory.
func (c *Cache) stamp() string {
	if s, ok := c.backend.(stamper); ok {
		return s.Stamp()
	}
	return ""
}

// hand gives the daemon the entries read under epoch. The daemon refuses
// them when a write came in between.
func (c *Cache) hand(stamp string, entries []credential.Entry, epoch uint64) {
	ms := c.timeout.Milliseconds()
	body, meta, capAt, err := daemon.EncodeSnapshot(stamp, entries, c.now())
	if err != nil {
		return
	}
	req := &cache.Request{Op: cache.OpPut, Key: c.key, Epoch: epoch, TimeoutMS: ms, Meta: meta, Body: body}
	if !capAt.IsZero() {
		req.CapMS = capAt.UnixMilli()
	}
	c.client.Call(req)
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
	return masked(entries), nil
}

// Refresh restarts the interval of what the daemon holds for the backend,
// as git's own cache does on every store: git reports each credential it
// used successfully, so a helper in steady use does not ask for the
// passphrase again. Nothing held is a no-op.
func (c *Cache) Refresh() {
	if c.enabled() {
		c.client.Call(&cache.Request{Op: cache.OpTouch, Key: c.key, TimeoutMS: c.timeout.Milliseconds()})
	}
}

// Get returns the entry stored under exactly target.
func (c *Cache) Get(target credential.Target) (credential.Entry, error) {
	entries, err := c.List()
	if err != nil {
		return credential.Entry{}, err
	}
	if i := find(entries, target); i >= 0 {
		return entries[i], nil
	}
	return credential.Entry{}, fmt.Errorf("%s: %w", target, ErrNotFound)
}

// Add writes to the backend and keeps the daemon consistent.
func (c *Cache) Add(entries ...credential.Entry) error {
	for _, e := range entries {
		if cache.IsWithheld(e.Token) {
			return fmt.Errorf("the entry for %s came from the cache without its expired token and cannot be saved back", e.Target)
		}
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
	c.client.Call(&cache.Request{Op: cache.OpDrop, Key: c.key})
	if err := change(); err != nil {
		return err
	}
	status, epoch, _, err := c.client.Call(&cache.Request{Op: cache.OpDrop, Key: c.key})
	if !c.enabled() {
		return nil
	}
	if errors.Is(err, cache.ErrNotRunning) && c.client.Start() == nil {
		status, epoch, _, err = c.client.Call(&cache.Request{Op: cache.OpDrop, Key: c.key})
	}
	if err != nil || status != cache.ReplyOK {
		return nil // the daemon holds nothing of this backend now
	}
	// The backend re-reads what it just wrote: no second unlock.
	stamp := c.stamp()
	if entries, err := c.backend.List(); err == nil {
		c.hand(stamp, entries, epoch)
	}
	return nil
}
