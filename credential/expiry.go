package credential

import (
	"errors"
	"fmt"
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

// ExpiresWithin reports whether the token, not expired yet, expires before
// now+window.
func (e Entry) ExpiresWithin(now time.Time, window time.Duration) bool {
	return !e.Expires.IsZero() && !e.Expired(now) && e.Expires.Before(now.Add(window))
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
	fmt.Fprintf(h.Stderr, "git-credential-pat: the token for %s expires %s (%s); %s\n",
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
