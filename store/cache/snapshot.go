package cache

import (
	"slices"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// HostEntries returns the entries whose Host is host, in order.
func HostEntries(entries []credential.Entry, host string) []credential.Entry {
	return slices.DeleteFunc(slices.Clone(entries), func(e credential.Entry) bool { return e.Host != host })
}

// Snapshot is what the daemon holds of a backend: its entries and the
// backend's stamp when they were read.
type Snapshot struct {
	Stamp   string             `json:"stamp"`
	Entries []credential.Entry `json:"entries"`
}

// withheldMark replaces an expired token in the daemon: an expired token is
// never held past its expiry, while its entry still takes part in matching
// (git is told it expired instead of being given a broader token). The mark
// holds a NUL, so it never equals a password git sends, and it masks like
// the token it replaces.
const withheldMark = "\x00"

// IsWithheld reports whether token is a withheld mark, not a token.
func IsWithheld(token string) bool { return strings.Contains(token, withheldMark) }

// Withhold returns the mark that stands in for an expired token.
func Withhold(token string) string {
	prefix := credential.MaskPrefix(token)
	if len(token) < len(prefix)+12 {
		return prefix + withheldMark
	}
	return prefix + strings.Repeat(withheldMark, 8) + token[len(token)-4:]
}
