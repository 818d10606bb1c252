package credential

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// DefaultWarnWithin is how long before its expiry get starts warning that a
// token needs renewing.
const DefaultWarnWithin = 7 * 24 * time.Hour

// WarnLog remembers which tokens get has warned about on which day, so that
// a token close to expiry costs one line of stderr a day, not one per git
// command.
type WarnLog interface {
	// FirstToday reports whether e has not been warned about on day
	// (YYYY-MM-DD) yet, and records that it now has. A renewed token, with
	// a new expiry, is warned about afresh.
	FirstToday(e Entry, day string) bool
}

// Expiry is when a token stops working, one of three states: a time, never
// (its owner or its host said it does not expire), or unknown (the zero
// Expiry: nobody said). A time is stored as an RFC 3339 time, or, past year
// 9999 where RFC 3339 ends, as the Unix seconds git sent:
// password_expiry_utc is an integer, and whatever integer git sends must
// come back unchanged. Never is stored as "never".
type Expiry struct {
	time.Time
	// Never is set for a token that does not expire; Time is then zero.
	Never bool
}

// ExpiryNever is the expiry of a token that does not expire.
var ExpiryNever = Expiry{Never: true}

// ExpiryAt is the expiry t.
func ExpiryAt(t time.Time) Expiry { return Expiry{Time: t} }

// Known reports whether the expiry was said: a time, or never.
func (x Expiry) Known() bool { return x.Never || !x.Time.IsZero() }

// IsZero reports whether the expiry is unknown: no time, and not never.
// (It is what encoding/json's omitzero asks.)
func (x Expiry) IsZero() bool { return !x.Known() }

// Dated reports whether the expiry is a time.
func (x Expiry) Dated() bool { return !x.Time.IsZero() }

// ParseDay reads an expiry as a person types it (--expires, the prompt):
// YYYY-MM-DD, the day a forge's page shows, which the token outlives until
// the end of that day in UTC, or never (or none).
func ParseDay(s string) (Expiry, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "never", "none":
		return ExpiryNever, nil
	}
	day, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Expiry{}, fmt.Errorf("%q is not a date of the form YYYY-MM-DD, nor never", s)
	}
	return EndOfDay(day), nil
}

// Day is x as a person types it: YYYY-MM-DD, never, or unknown.
func (x Expiry) Day() string {
	switch {
	case x.Never:
		return "never"
	case !x.Dated():
		return "unknown"
	}
	return x.UTC().Format(time.DateOnly)
}

// maxUnix is the last Unix second a time.Time holds without overflowing its
// Unix method: a later one would come back as another number.
const maxUnix = math.MaxInt64 - 62135596800

// errUnixRange is the one overflow rule of integer seconds: a number past
// maxUnix (or past int64) is refused, never wrapped into another time.
var errUnixRange = errors.New("is past the last second a time can hold")

// UnixExpiry reads an expiry given as integer Unix seconds: git's
// password_expiry_utc, and what String writes past year 9999. It is the
// one reader of such seconds, so that git's attribute, the vault's JSON,
// the cache's and pass's files agree on every number, and on which are
// too large (errUnixRange).
func UnixExpiry(s string) (Expiry, error) {
	secs, err := strconv.ParseInt(s, 10, 64)
	var numErr *strconv.NumError
	if errors.As(err, &numErr) && errors.Is(numErr.Err, strconv.ErrRange) || err == nil && secs > maxUnix {
		return Expiry{}, fmt.Errorf("%q %w", s, errUnixRange)
	}
	if err != nil {
		return Expiry{}, fmt.Errorf("%q is not a number of seconds", s)
	}
	return ExpiryAt(time.Unix(secs, 0).UTC()), nil
}

// rfc3339 reports whether x can be written in RFC 3339 (years 0 to 9999).
func (x Expiry) rfc3339() bool {
	y := x.UTC().Year()
	return y >= 0 && y <= 9999
}

// String is x in RFC 3339, or its Unix seconds when RFC 3339 cannot say it.
func (x Expiry) String() string {
	if x.Never {
		return "never"
	}
	if x.rfc3339() {
		return x.UTC().Format(time.RFC3339Nano)
	}
	return strconv.FormatInt(x.Unix(), 10)
}

// ParseExpiry reads what String wrote.
func ParseExpiry(s string) (Expiry, error) {
	if s == "never" {
		return ExpiryNever, nil
	}
	if x, err := UnixExpiry(s); err == nil || errors.Is(err, errUnixRange) {
		return x, err
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return Expiry{}, fmt.Errorf("%q is neither an RFC 3339 time, Unix seconds nor never", s)
	}
	return ExpiryAt(t), nil
}

// MarshalJSON writes a JSON string in RFC 3339, or a JSON number of Unix
// seconds past year 9999 (time.Time refuses to marshal those).
func (x Expiry) MarshalJSON() ([]byte, error) {
	if x.Never {
		return []byte(`"never"`), nil
	}
	if x.rfc3339() {
		return x.Time.MarshalJSON()
	}
	return strconv.AppendInt(nil, x.Unix(), 10), nil
}

// UnmarshalJSON reads either form MarshalJSON writes.
func (x *Expiry) UnmarshalJSON(b []byte) error {
	if string(b) == `"never"` {
		*x = ExpiryNever
		return nil
	}
	if len(b) == 0 || b[0] == '"' || string(b) == "null" {
		return x.Time.UnmarshalJSON(b)
	}
	u, err := UnixExpiry(string(b))
	if err != nil {
		return fmt.Errorf("expires %s is neither an RFC 3339 time nor Unix seconds: %w", b, err)
	}
	*x = u
	return nil
}

// ExpiresWithin reports whether the token, not expired yet, expires before
// now+window.
func (e Entry) ExpiresWithin(now time.Time, window time.Duration) bool {
	return e.Expires.Dated() && !e.Expired(now) && e.Expires.Before(now.Add(window))
}

// warnSoon prints one line when e expires inside the warning window, at most
// once a day per token when a WarnLog is set.
func (h *Helper) warnSoon(e Entry) {
	now := h.now()
	if h.WarnWithin <= 0 || !e.ExpiresWithin(now, h.WarnWithin) {
		return
	}
	if h.WarnLog != nil && !h.WarnLog.FirstToday(e, now.UTC().Format(time.DateOnly)) {
		return
	}
	h.notice("the token for %s expires %s (%s); %s",
		e.Target, WhenLeft(e, now), e.Expires.UTC().Format(time.DateOnly), RenewAdvice(e))
}

// WhenLeft says in words how soon e expires: "today", "tomorrow", "in 5 days".
func WhenLeft(e Entry, now time.Time) string {
	days, _ := e.DaysLeft(now)
	switch days {
	case 0:
		return "today"
	case 1:
		return "tomorrow"
	default:
		return fmt.Sprintf("in %d days", days)
	}
}

// maxDays is about the most days a time.Duration holds (292 years).
const maxDays = 100000

// ParseDays reads "14d" as 14 days, else a Go duration.
func ParseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		// Plain digits, no sign, no leading zero, and few enough days
		// for a time.Duration: what a person means by "14d".
		days, err := strconv.Atoi(n)
		if err != nil || days > maxDays || n != "0" && (n[0] < '1' || n[0] > '9') {
			return 0, errors.New("give a whole number of days, such as 14d")
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, errors.New("give days such as 14d, or a duration such as 72h")
	}
	return d, nil
}
