package credential

import (
	"strconv"
	"time"
)

// Verdict is what Decide says of a get.
type Verdict int

const (
	// Unservable: not a request a token answers (ssh, a host that is not
	// one): answer nothing, say nothing.
	Unservable Verdict = iota
	// NoMatch: no entry answers; git prompts. There may be a hint to give.
	NoMatch
	// Serve: answer with the entry.
	Serve
	// ServeAndWarn: answer with the entry, whose token expires within the
	// warning window: warn, at most once a day.
	ServeAndWarn
	// Expired: the entry that answers has expired: say so, answer nothing.
	Expired
)

// Decide is the one decision of what get answers, made by every program
// that answers git (the full program, and the cache daemon for the front),
// so they cannot differ. entries are the stored entries, or at least every
// entry of the request's host; i is the index of the entry that answers.
func Decide(req *Credential, entries []Entry, now time.Time, warnWithin time.Duration) (v Verdict, i int) {
	if !servable(req) {
		return Unservable, -1
	}
	i = Best(RequestOf(req), entries)
	switch {
	case i < 0:
		return NoMatch, -1
	case entries[i].Expired(now):
		return Expired, i
	case warnWithin > 0 && entries[i].ExpiresWithin(now, warnWithin):
		return ServeAndWarn, i
	}
	return Serve, i
}

// StoreVerdict is what DecideStore says of a store.
type StoreVerdict int

const (
	// StoreNothing: the credential is not kept (ephemeral, plain http,
	// without user name or password, or expired).
	StoreNothing StoreVerdict = iota
	// StoreHeld: the entry holds it and was marked used today: only a
	// cache's interval restarts.
	StoreHeld
	// StoreMarkUsed: the entry holds it; its last-used day is brought up
	// to date.
	StoreMarkUsed
	// StoreNew: nothing holds it: a new entry (NewEntry).
	StoreNew
)

// DecideStore is the one decision of what a store does, as Decide is of
// get; i is the index of the entry that holds the credential.
func DecideStore(req *Credential, entries []Entry, now time.Time) (v StoreVerdict, i int) {
	r := RequestOf(req)
	if r.Protocol != "https" || r.Host == "" || r.Invalid || req.Ephemeral || !req.HasUsername || !req.HasPassword {
		return StoreNothing, -1
	}
	// A control character in what is kept would reach a terminal in
	// list and check: such a credential is not one of ours to keep.
	if !Printable(req.Username) || !Printable(r.Path) {
		return StoreNothing, -1
	}
	if expires, ok := expiryOf(req); ok && now.After(expires) {
		return StoreNothing, -1
	}
	for _, i := range All(r, entries) {
		if entries[i].Token != req.Password {
			continue
		}
		if SameDay(entries[i].LastUsed, now) {
			return StoreHeld, i
		}
		return StoreMarkUsed, i
	}
	return StoreNew, -1
}

// NewEntry is the entry a store of a credential the store does not hold
// makes: exactly what git gave. Its kind is the forge's to name.
func NewEntry(req *Credential, now time.Time) Entry {
	r := RequestOf(req)
	expires, _ := expiryOf(req)
	return Entry{
		Target:            Target{Host: r.Host, Path: r.Path, Username: req.Username, HasUsername: true},
		Token:             req.Password,
		Expires:           expires,
		OAuthRefreshToken: req.OAuthRefreshToken,
		Added:             now,
		LastUsed:          now,
	}
}

// expiryOf reads password_expiry_utc; ok is false when there is none or it
// is not a number.
func expiryOf(req *Credential) (time.Time, bool) {
	if req.PasswordExpiryUTC == "" {
		return time.Time{}, false
	}
	secs, err := strconv.ParseInt(req.PasswordExpiryUTC, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(secs, 0).UTC(), true
}
