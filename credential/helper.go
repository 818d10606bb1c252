package credential

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// Tokens is what the protocol actions need of a token store.
type Tokens interface {
	// List returns every stored entry, tokens included.
	List() ([]Entry, error)
	// Add inserts entries, replacing any with the same Target.
	Add(entries ...Entry) error
	// Delete removes the entries with these targets.
	Delete(targets ...Target) error
}

// HostTokens is implemented by a Tokens that can return one host's entries
// without decoding every other entry. The protocol actions only ever match
// entries of the request's host, so they use it when a store offers it.
type HostTokens interface {
	// ListHost returns the entries whose Host equals host (normalized, as
	// in Target), in the order List would give them.
	ListHost(host string) ([]Entry, error)
}

// Refresher is implemented by a Tokens that keeps what it unlocked for an
// interval (a cache): Store refreshes it whenever git reports a credential
// it holds in use.
type Refresher interface {
	Refresh()
}

// Helper answers git's get, store and erase from a Tokens store.
type Helper struct {
	Tokens Tokens
	// Stderr receives the few messages a user must act on (an expired
	// token, a missing useHttpPath). Nothing else is ever written there.
	Stderr io.Writer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Debug, when set, receives a trace of each request and answer with
	// secrets masked (GIT_CREDENTIAL_PAT_DEBUG=1).
	Debug io.Writer
	// WarnWithin is how long before a token's expiry get warns on Stderr;
	// zero turns the warning off. WarnLog, when set, limits it to once a day
	// per token.
	WarnWithin time.Duration
	WarnLog    WarnLog
	// KindOf names the kind of a token git asks to store for host, given
	// the host's stored entries (whose recorded forge may decide it): the
	// full program's forge resolution, which this package does not know.
	// nil leaves the entry's Kind empty.
	KindOf func(host, token string, hostEntries []Entry) Kind
}

func (h *Helper) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// Run reads one request from in and carries out action, writing any answer
// to out. An unknown action is ignored, as git expects of helpers.
func (h *Helper) Run(action string, in io.Reader, out io.Writer) error {
	switch action {
	case "get", "store", "erase":
	case "capability":
		// git 2.46+ asks what the helper can do; the answer is git's cache's.
		_, err := io.WriteString(out, "version 0\ncapability "+CapabilityAuthType+"\n")
		return err
	default:
		return nil
	}
	req, err := Read(in)
	if err != nil {
		return err
	}
	h.trace("%s request: %s", action, req.Redacted())
	switch action {
	case "get":
		answer, err := h.Get(req)
		if err != nil || answer == nil {
			h.trace("get answer: none")
			return err
		}
		h.trace("get answer: %s", answer.Redacted())
		return Write(out, answer)
	case "store":
		return h.Store(req)
	default:
		return h.Erase(req)
	}
}

// candidates returns every entry that could match a request for host: the
// host's entries when the store can list them alone, else all of them.
// Matching gives the same answer either way, as it requires an equal host
// and keeps the entries' order.
func (h *Helper) candidates(host string) ([]Entry, error) {
	if ht, ok := h.Tokens.(HostTokens); ok {
		return ht.ListHost(host)
	}
	return h.Tokens.List()
}

func (h *Helper) trace(format string, args ...any) {
	if h.Debug != nil {
		fmt.Fprintln(h.Debug, Escape("git-credential-pat: debug: "+fmt.Sprintf(format, args...)))
	}
}

// notice prints one line for the person at the terminal git runs in,
// escaped whole: it names stored strings (a host, a user name), which may
// come from an older version or a hand-edited file, and git shows it on
// every fetch.
func (h *Helper) notice(format string, args ...any) {
	fmt.Fprintln(h.Stderr, Escape("git-credential-pat: "+fmt.Sprintf(format, args...)))
}

// wider says, when the entry at i, which cannot serve, hides a wider one
// that would (acme/tools expired, acme valid: the longest match wins, and
// the person may not know the narrower one is there), which one and how
// to let it serve; "" otherwise.
func (h *Helper) wider(req *Credential, entries []Entry, i int) string {
	rest := slices.Delete(slices.Clone(entries), i, i+1)
	verdict, j := Decide(req, rest, h.now(), h.WarnWithin)
	if verdict != Serve && verdict != ServeAndWarn {
		return ""
	}
	return fmt.Sprintf("; the token for %s would serve here: to use it, remove the narrower one with: git-credential-pat remove %s",
		rest[j].Target, entries[i].Target)
}

// servable reports whether a request is one tokens could ever answer, so
// that the store is not even opened for others (ssh, file, cert requests).
func servable(req *Credential) bool {
	r := RequestOf(req)
	return (r.Protocol == "https" || r.Protocol == "http") && r.Host != "" && !r.Invalid
}

// Get finds the entry for req. It returns nil, nil when nothing answers.
func (h *Helper) Get(req *Credential) (*Credential, error) {
	if !servable(req) {
		return nil, nil
	}
	r := RequestOf(req)
	entries, err := h.candidates(r.Host)
	if err != nil {
		return nil, err
	}
	verdict, i := Decide(req, entries, h.now(), h.WarnWithin)
	switch verdict {
	case NoMatch:
		h.hintPath(r, entries)
		return nil, nil
	case Expired:
		e := entries[i]
		h.notice("the token for %s expired on %s; %s%s",
			e.Target, e.Expires.UTC().Format(time.DateOnly), ReplaceAdvice(e), h.wider(req, entries, i))
		return nil, nil
	case Refused:
		e := entries[i]
		h.notice("%s, the token for %s, was %s; replace it with: git-credential-pat rotate %s%s",
			Masked(e.Token), e.Target, RefusedWhen(e), e.Target, h.wider(req, entries, i))
		return nil, nil
	case ServeAndWarn:
		h.warnSoon(entries[i])
	case Serve:
	default:
		return nil, nil
	}
	return Answer(req, entries[i]), nil
}

// hintPath tells the user, once per failed lookup, that tokens for this host
// are stored per owner but git sent no path to choose among them.
func (h *Helper) hintPath(r Request, entries []Entry) {
	if r.Path != "" {
		return
	}
	for _, e := range entries {
		// Only a per-owner entry that would serve this request, had git sent
		// its owner's path, makes useHttpPath the fix: not one for another
		// protocol (plain http without --allow-http) or another user.
		withPath := r
		withPath.Path = e.Path
		if e.Path != "" && matchLength(withPath, e) >= 0 {
			h.notice("tokens for %s are stored per owner, but git sent no repository path; run: %s",
				r.Host, UseHTTPPathCommand(r.Protocol, r.Host))
			return
		}
	}
}

// UseHTTPPathCommand is the git config line that makes git send the
// repository path for a host.
func UseHTTPPathCommand(protocol, host string) string {
	if protocol == "" {
		protocol = "https"
	}
	return fmt.Sprintf("git config --global credential.%s://%s.useHttpPath true", protocol, host)
}

// Store saves a credential git used successfully, unless it is held already
// (then only its last-used day is brought up to date). Ephemeral and plain
// http credentials, and ones missing a user name or password, are not kept.
func (h *Helper) Store(req *Credential) error {
	if v, _ := DecideStore(req, nil, h.now()); v == StoreNothing {
		return nil // decided without opening the store
	}
	now := h.now().UTC()
	entries, err := h.candidates(RequestOf(req).Host)
	if err != nil {
		return err
	}
	verdict, i := DecideStore(req, entries, now)
	kind := Kind("")
	if h.KindOf != nil && req.HasPassword {
		kind = h.KindOf(RequestOf(req).Host, req.Password, entries)
	}
	switch verdict {
	case StoreHeld, StoreMarkUsed:
		if r, ok := h.Tokens.(Refresher); ok {
			r.Refresh()
		}
		if verdict == StoreHeld {
			return nil // held, and already marked used today: no rewrite
		}
		e := entries[i]
		e.LastUsed = now
		return h.Tokens.Add(e)
	case StoreUpdate:
		return h.Tokens.Add(Updated(req, entries[i], now))
	case StoreReplace:
		n := Replaced(req, entries, i, kind, now)
		if err := h.Tokens.Add(n); err != nil {
			return err
		}
		if old := entries[i].Target; !old.Same(n.Target) {
			// Added first: a failure between the two leaves the new
			// token stored, never neither.
			return h.Tokens.Delete(old)
		}
		return nil
	case StoreNew:
		e := NewEntry(req, entries, now)
		e.Kind = kind
		return h.Tokens.Add(e)
	}
	return nil
}

// SameDay reports whether a and b fall on one UTC day.
func SameDay(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}

// Erase acts on a failed login (DecideErase): a token a person added that
// the host refused is kept and marked refused, so get withholds it and says
// so; the other entries that hold what git refused are removed. A token is
// never touched because some other credential was refused.
func (h *Helper) Erase(req *Credential) error {
	if !servable(req) {
		return nil
	}
	r := RequestOf(req)
	entries, err := h.candidates(r.Host)
	if err != nil {
		return err
	}
	quarantine, remove := DecideErase(req, entries)
	var marked []Entry
	for _, i := range quarantine {
		if e := entries[i]; e.Refused.IsZero() {
			e.Refused = h.now().UTC()
			marked = append(marked, e)
		}
	}
	if len(marked) > 0 {
		if err := h.Tokens.Add(marked...); err != nil {
			return err
		}
	}
	var doomed []Target
	for _, i := range remove {
		doomed = append(doomed, entries[i].Target)
	}
	if len(doomed) == 0 {
		return nil
	}
	return h.Tokens.Delete(doomed...)
}

// RefusedWhen says when and by whom e's token was refused:
// "refused by github.com on 2026-11-25".
func RefusedWhen(e Entry) string {
	return fmt.Sprintf("refused by %s on %s", e.Host, e.Refused.UTC().Format(time.DateOnly))
}
