package credential

import (
	"slices"
	"strconv"
	"strings"
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
	// Refused: the host refused the entry's token (it is quarantined): say
	// so, answer nothing, so git prompts.
	Refused
)

// CapabilityAuthType is the capability of git 2.46+ to send and take a
// pre-encoded credential (authtype and credential) instead of a password.
const CapabilityAuthType = "authtype"

// HasCapability reports whether the request announced capability c.
func (c *Credential) HasCapability(capability string) bool {
	return slices.Contains(c.Capability, capability)
}

// answerable reports whether e can answer req at all: an entry holding only
// a pre-encoded credential answers only a request that can take one.
func answerable(req *Credential, e Entry) bool {
	return e.holdsPassword() || req.HasCapability(CapabilityAuthType)
}

// holdsPassword reports whether e holds a password: every entry but one
// git stored with only a pre-encoded credential.
func (e Entry) holdsPassword() bool {
	return e.Token != "" || e.Credential == ""
}

// Decide is the one decision of what get answers, made by every program
// that answers git (the full program, and the cache daemon for the front),
// so they cannot differ. entries are the stored entries, or at least every
// entry of the request's host; i is the index of the entry that answers.
func Decide(req *Credential, entries []Entry, now time.Time, warnWithin time.Duration) (v Verdict, i int) {
	if !servable(req) {
		return Unservable, -1
	}
	i = Best(RequestOf(req), entries)
	if i >= 0 && !answerable(req, entries[i]) {
		// Leave out what this request cannot take, and look again.
		usable := make([]Entry, len(entries))
		for j, e := range entries {
			if answerable(req, e) {
				usable[j] = e
			} else {
				usable[j] = Entry{Target: Target{Host: "\x00"}} // matches nothing
			}
		}
		i = Best(RequestOf(req), usable)
	}
	switch {
	case i < 0:
		return NoMatch, -1
	case !entries[i].Refused.IsZero():
		return Refused, i
	case entries[i].Expired(now):
		return Expired, i
	case warnWithin > 0 && entries[i].ExpiresWithin(now, warnWithin):
		return ServeAndWarn, i
	}
	return Serve, i
}

// Answer is what get tells git for the entry e: its user name and password,
// and its pre-encoded credential only to a request that announced
// capability[]=authtype (announcing it back, as git's cache does). Nothing
// of the request's state[] or continue is echoed: this helper keeps no
// state across a multistage login.
func Answer(req *Credential, e Entry) *Credential {
	answer := &Credential{}
	authtype := req.HasCapability(CapabilityAuthType)
	if authtype {
		answer.Capability = []string{CapabilityAuthType}
	}
	if e.holdsPassword() {
		answer.Username, answer.HasUsername = DefaultUsername, true
		answer.Password, answer.HasPassword = e.Token, true
	}
	if e.HasUsername {
		answer.Username, answer.HasUsername = e.Username, true
	}
	if authtype && e.Credential != "" {
		answer.AuthType, answer.Credential = e.AuthType, e.Credential
	}
	if e.Expires.Dated() {
		answer.PasswordExpiryUTC = strconv.FormatInt(e.Expires.Unix(), 10)
	}
	answer.OAuthRefreshToken = e.OAuthRefreshToken
	return answer
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
	// StoreUpdate: the entry holds it, and git sent a new expiry or
	// refresh token for it: the entry takes them (Updated), as git's own
	// cache does.
	StoreUpdate
	// StoreReplace: the entry that answers the request was refused by the
	// host, and git reports a new credential working in its place (typed
	// at git's prompt): the entry takes it and loses the mark (Replaced).
	StoreReplace
	// StoreNew: nothing holds it: a new entry (NewEntry).
	StoreNew
)

// DecideStore is the one decision of what a store does, as Decide is of
// get; i is the index of the entry that holds the credential.
func DecideStore(req *Credential, entries []Entry, now time.Time) (v StoreVerdict, i int) {
	r := RequestOf(req)
	if r.Protocol != "https" || r.Host == "" || r.Invalid || req.Ephemeral {
		return StoreNothing, -1
	}
	// git stores a user name with a password, or a pre-encoded credential
	// (which needs no user name).
	password := req.HasUsername && req.HasPassword
	preEncoded := req.AuthType != "" && req.Credential != ""
	if !password && !preEncoded {
		return StoreNothing, -1
	}
	// A control character in what is kept would reach a terminal in
	// list and check: such a credential is not one of ours to keep.
	if !Printable(req.Username) || !Printable(r.Path) {
		return StoreNothing, -1
	}
	if expires, ok := expiryOf(req); ok && now.After(expires.Time) {
		return StoreNothing, -1
	}
	for _, i := range All(r, entries) {
		e := entries[i]
		if !holds(req, e) {
			continue
		}
		switch {
		case !e.Refused.IsZero():
			// git reports it working again: whatever refused it has passed.
			return StoreUpdate, i
		case newMetadata(req, e):
			return StoreUpdate, i
		case SameDay(e.LastUsed, now):
			return StoreHeld, i
		}
		return StoreMarkUsed, i
	}
	if i := refusedAnswer(r, entries); i >= 0 {
		return StoreReplace, i
	}
	return StoreNew, -1
}

// refusedAnswer is the index of the refused entry that answered the get
// this store follows, or -1. When nothing answers, git asks for a user name
// and a token together, so the store may carry a user name the get did not
// (alice, where the entry has none): the entry is looked up as for the
// request without it too. Either way only an entry that answers the
// request's host and a path under its target is replaced.
func refusedAnswer(r Request, entries []Entry) int {
	if i := Best(r, entries); i >= 0 && !entries[i].Refused.IsZero() {
		return i
	}
	if !r.HasUsername {
		return -1
	}
	r.Username, r.HasUsername = "", false
	if i := Best(r, entries); i >= 0 && !entries[i].Refused.IsZero() {
		return i
	}
	return -1
}

// holds reports whether e holds exactly the credential of a store request.
func holds(req *Credential, e Entry) bool {
	if req.HasPassword && (e.Token != req.Password || !e.holdsPassword()) {
		return false
	}
	if req.Credential != "" && (e.Credential != req.Credential || e.AuthType != req.AuthType) {
		return false
	}
	return req.HasPassword || req.Credential != ""
}

// newMetadata reports whether a store of what e holds brings an expiry or
// refresh token e does not have. A store without them leaves e's alone: an
// expiry a person gave add is not git's to drop.
func newMetadata(req *Credential, e Entry) bool {
	if expires, ok := expiryOf(req); ok && !expires.Equal(e.Expires.Time) {
		return true
	}
	return req.OAuthRefreshToken != "" && req.OAuthRefreshToken != e.OAuthRefreshToken
}

// Updated is e after a store of what it holds (StoreUpdate): with the
// request's new expiry and refresh token, no refusal, used now.
func Updated(req *Credential, e Entry, now time.Time) Entry {
	if expires, ok := expiryOf(req); ok {
		e.Expires = expires
	}
	if req.OAuthRefreshToken != "" {
		e.OAuthRefreshToken = req.OAuthRefreshToken
	}
	e.Refused = time.Time{}
	e.LastUsed = now
	return e
}

// Replaced is the refused entry entries[i] after git reports a new
// credential in its place (StoreReplace): its host and path, note and the
// rest, with the new credential, the user name typed with it and what git
// says of it, no refusal. What the host's API said of the old token no
// longer holds. The user name is the entry's own when the typed one is the
// stand-in for none (DefaultUsername), or when another entry is stored
// under the target it would make: that entry is not overwritten. Its
// Target differs from entries[i]'s when the user name changed: the caller
// removes the old one.
func Replaced(req *Credential, entries []Entry, i int, kind Kind, now time.Time) Entry {
	e := entries[i]
	n := NewEntry(req, nil, now)
	n.Target, n.Note, n.AllowHTTP, n.Added, n.APIURL = e.Target, e.Note, e.AllowHTTP, e.Added, e.APIURL
	n.FromGit = e.FromGit
	n.Kind = kind
	typed := e.Target
	switch {
	case !req.HasUsername:
	case !e.HasUsername && req.Username == DefaultUsername:
	default:
		typed.Username, typed.HasUsername = req.Username, true
	}
	if !slices.ContainsFunc(entries, func(o Entry) bool { return o.Target.Same(typed) && !o.Target.Same(e.Target) }) {
		n.Target = typed
	}
	return n
}

// NewEntry is the entry a store of a credential the store does not hold
// makes: what git gave, marked FromGit. A token typed for OWNER/REPO is
// stored for OWNER when the host has no entry for that owner yet: a
// personal access token serves its owner's repositories, so the next
// repository of the owner is not prompted for again. entries are the host's
// entries.
func NewEntry(req *Credential, entries []Entry, now time.Time) Entry {
	r := RequestOf(req)
	expires, _ := expiryOf(req)
	e := Entry{
		Target:            Target{Host: r.Host, Path: r.Path, Username: req.Username, HasUsername: req.HasUsername},
		Expires:           expires,
		OAuthRefreshToken: req.OAuthRefreshToken,
		AuthType:          req.AuthType,
		Credential:        req.Credential,
		FromGit:           true,
		Added:             now,
		LastUsed:          now,
	}
	if req.HasPassword {
		e.Token = req.Password
	}
	if owner, _, repo := strings.Cut(r.Path, "/"); repo && !ownerHeld(r.Host, owner, entries) {
		e.Path = owner
	}
	return e
}

// ownerHeld reports whether entries hold a token for owner on host, or for
// one of its repositories.
func ownerHeld(host, owner string, entries []Entry) bool {
	for _, e := range entries {
		first, _, _ := strings.Cut(e.Path, "/")
		if e.Host == host && e.Path != "" && SamePath(first, owner) {
			return true
		}
	}
	return false
}

// expiryOf reads password_expiry_utc; ok is false when there is none or it
// is not a number a time holds (git too reads such a number as no expiry).
func expiryOf(req *Credential) (Expiry, bool) {
	if req.PasswordExpiryUTC == "" {
		return Expiry{}, false
	}
	// A number git sends that no time holds is no expiry, as git treats
	// one it cannot parse.
	x, err := UnixExpiry(req.PasswordExpiryUTC)
	if err != nil {
		return Expiry{}, false
	}
	return x, true
}

// DecideErase is the decision of what an erase does, after a failed login:
// of the entries that hold what git refused (refusedBy), those a person
// added are quarantined (kept, marked Refused, withheld by get) when the
// request names the very token the host refused; the rest are removed, as
// git's own helpers remove them: what git stored from its prompt, and
// everything an erase without a password or credential names.
func DecideErase(req *Credential, entries []Entry) (quarantine, remove []int) {
	for _, i := range All(RequestOf(req), entries) {
		e := entries[i]
		switch {
		case !refusedBy(req, e):
		case !e.FromGit && (req.HasPassword || req.Credential != ""):
			quarantine = append(quarantine, i)
		default:
			remove = append(remove, i)
		}
	}
	return quarantine, remove
}

// refusedBy reports whether e holds what git refused in an erase request,
// as git's own credential_match does with match_password: the password,
// when git sent one, must be e's; the pre-encoded credential (git 2.46+),
// when git sent one, must be e's too. A refusal of one kind never touches
// an entry that holds only the other. A request with neither refuses
// whatever its other fields match.
func refusedBy(req *Credential, e Entry) bool {
	if req.HasPassword && (e.Token != req.Password || !e.holdsPassword()) {
		return false
	}
	return req.Credential == "" || e.Credential == req.Credential
}
