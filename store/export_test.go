package store

import "github.com/git-credential-pat/git-credential-pat/credential"

// Hooks for the tests of package store_test, which open real vaults (and
// so cannot be in package store: the vault imports it).

// TestOnlyHand is hand, for a test that plays a slow reader.
func (c *Cache) TestOnlyHand(stamp string, entries []credential.Entry, epoch uint64) {
	c.hand(stamp, entries, epoch)
}

// TestOnlyStamp is the stamp the cache checks.
func (c *Cache) TestOnlyStamp() string { return c.stamp() }

// TestOnlyPinStamp fixes the stamp, as if the backend had not changed.
func (c *Cache) TestOnlyPinStamp(stamp string) { c.testOnlyStamp = stamp }
