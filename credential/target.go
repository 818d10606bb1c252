package credential

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DefaultUsername is what get answers for a token stored without a user
// name. GitHub ignores the user name of a token login; git needs one.
const DefaultUsername = "x-access-token"

// Target says which requests a token serves: a host (with ":port" when not
// the default), an optional path prefix of whole segments (an owner "acme",
// or "acme/repo") and an optional user name. Together they identify an entry.
type Target struct {
	Host        string `json:"host"`
	Path        string `json:"path,omitempty"`
	Username    string `json:"username,omitempty"`
	HasUsername bool   `json:"has_username,omitempty"`
}

// String renders the target as people type it: host[/path], with "user@"
// in front when a user name is part of it.
func (t Target) String() string {
	s := t.Host
	if t.Path != "" {
		s += "/" + t.Path
	}
	if t.HasUsername {
		s = t.Username + "@" + s
	}
	return s
}

// Selects reports whether a target as a user typed it names the entry
// stored under stored: same key location (host and path), and the same
// user name when the typed target has one.
func (t Target) Selects(stored Target) bool {
	return t.Key().Location == stored.Key().Location &&
		(!t.HasUsername || stored.HasUsername && stored.Username == t.Username)
}

// Key is the identity of an entry: two targets name the same entry exactly
// when their keys are equal (==). Every backend names and finds an entry by
// it: the keyring's item, the pass file, the vault's and the cache's entry
// (through Same). The target itself keeps the path as it was typed, for
// display; the key never does.
type Key struct {
	// Location is host[:port][/path] with the ASCII letters of host and
	// path lower-cased and nothing else changed: forges treat owner and
	// repository names case-insensitively in ASCII, and only in ASCII (see
	// NormalizeHost): "acme" and "ACME" are one entry, while a path with a
	// Kelvin sign (U+212A) is another than the same path with "k".
	Location string
	// Username is the user name exactly as given. It is not folded: git
	// picks a credential by comparing user names byte for byte, and some
	// hosts tell "Alice" from "alice", so folding could hand one person's
	// token to another.
	Username    string
	HasUsername bool
}

// Key returns the target's Key. It is the one place that decides which
// targets are one entry; Same and Selects compare through it.
func (t Target) Key() Key {
	return Key{
		Location:    Target{Host: asciiLower(t.Host), Path: asciiLower(t.Path)}.Location(),
		Username:    t.Username,
		HasUsername: t.HasUsername,
	}
}

// Location is the target without its user name: host[/path].
func (t Target) Location() string {
	if t.Path == "" {
		return t.Host
	}
	return t.Host + "/" + t.Path
}

// Same reports whether two targets name the same entry: their keys are
// equal.
func (t Target) Same(o Target) bool { return t.Key() == o.Key() }

// ParseTarget reads a target as a user types it: "github.com",
// "github.com/acme", "github.com:8443/acme/repo", "alice@github.com/acme", or
// any of these as an https:// URL. A trailing ".git" and slashes are dropped.
func ParseTarget(s string) (Target, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return Target{}, errors.New("the target is empty: give a host such as github.com, or github.com/OWNER")
	}
	if ssh, ok := scpAddress(raw); ok {
		return Target{}, fmt.Errorf("that is an SSH address, and personal access tokens work only for git over HTTPS: give %s (and switch the remote with git remote set-url)", ssh)
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	// Refusals name the target with everything before its last "@" left
	// out: git's rule ends the user part at the first "@", so a password
	// could hide in what it calls the host.
	u, ok := SplitURL(raw)
	if !ok || !schemeValid(u.Protocol) {
		return Target{}, fmt.Errorf("%q is not a host or URL: give a host such as github.com, or github.com/OWNER", redactURL(raw))
	}
	if u.Protocol != "https" && u.Protocol != "http" {
		return Target{}, fmt.Errorf("%s URLs cannot use tokens: personal access tokens work only for git over HTTPS", u.Protocol)
	}
	if port, ok := badPort(u.Host); ok {
		return Target{}, fmt.Errorf("the target %q has the port %s, which is no port (they run from 1 to 65535): give HOST:PORT with the server's port, or the host alone for 443", redactURL(raw), port)
	}
	if u.HasPassword {
		return Target{}, errors.New("the target holds a password: never put a token in a URL; give it on standard input or at the prompt")
	}
	if strings.ContainsAny(raw, "?#") {
		return Target{}, fmt.Errorf("the target %q has a query or fragment: give a host with an optional OWNER[/REPO] path", redactURL(raw))
	}
	// A URL holds no space; one in a target is a paste or quoting gone
	// wrong ("github.com/a b"), not a path to store as it came.
	if i := strings.IndexFunc(raw, unicode.IsSpace); i >= 0 {
		return Target{}, fmt.Errorf("the target %q has a space in it: give a host with an optional OWNER[/REPO] path, without spaces", redactURL(raw))
	}
	if !HostValid(u.Host) {
		return Target{}, fmt.Errorf("the target %q names no host, or one that is not a host name: give a host such as github.com, or github.com/OWNER", redactURL(raw))
	}
	// SplitURL drops the path's leading slashes, so look for "//" in what
	// the user typed too: never store "github.com//x" as github.com/x.
	if _, rest, _ := strings.Cut(raw, "://"); strings.Contains(strings.TrimRight(rest, "/"), "//") {
		return Target{}, fmt.Errorf("the target %q has an empty path segment (\"//\"): give a host with an optional OWNER[/REPO] path", redactURL(raw))
	}
	if err := pathValid(strings.TrimSuffix(strings.Trim(u.Path, "/"), ".git")); err != nil {
		return Target{}, fmt.Errorf("the target %q %w: give a host with an optional OWNER[/REPO] path", redactURL(raw), err)
	}
	t := Target{Host: NormalizeHost(u.Protocol, u.Host), Path: NormalizePath(u.Path), Username: u.Username, HasUsername: u.HasUsername}
	// Percent-encoding decodes to any byte: a line break in a user name
	// or path would break the protocol's lines and forge lines of output.
	for _, part := range []string{t.Host, t.Path, t.Username} {
		if !Printable(part) {
			return Target{}, fmt.Errorf("the target %q encodes a control character or invalid UTF-8: give a host with an optional OWNER[/REPO] path", redactURL(raw))
		}
	}
	return t, nil
}

// scpAddress reports whether s is git's scp-like SSH address
// (git@github.com:acme/x.git: a colon before any slash, and no "://"), and
// gives the HTTPS URL of the same repository.
func scpAddress(s string) (https string, ok bool) {
	if strings.Contains(s, "://") {
		return "", false
	}
	hostPart, path, found := strings.Cut(s, ":")
	if !found || strings.Contains(hostPart, "/") || path == "" || path[0] >= '0' && path[0] <= '9' {
		return "", false // no colon, or host:PORT
	}
	if !Printable(s) || strings.ContainsAny(s, " \t") {
		return "", false // the URL rule refuses it, in words that print
	}
	if strings.Contains(path, "@") {
		// user:PASSWORD@host, not an SSH address: the URL rule reads it,
		// and its message leaves the password out.
		return "", false
	}
	if at := strings.LastIndexByte(hostPart, '@'); at >= 0 {
		hostPart = hostPart[at+1:]
	}
	if hostPart == "" || strings.HasPrefix(hostPart, "[") {
		return "", false
	}
	return "https://" + hostPart + "/" + strings.TrimLeft(path, "/"), true
}

// badPort returns the port of host when it is all digits but no port
// number (0, or over 65535), so the message blames the port, not the host.
func badPort(host string) (string, bool) {
	i := strings.LastIndexByte(host, ':')
	if i < 0 || strings.HasSuffix(host, "]") {
		return "", false
	}
	port := host[i+1:]
	if port == "" || strings.Trim(port, "0123456789") != "" {
		return "", false
	}
	n, err := strconv.Atoi(port)
	if err == nil && n >= 1 && n <= 65535 {
		return "", false
	}
	return port, true
}

// Printable reports whether s is valid UTF-8 without control characters,
// so that it can be printed on a line of its own or of the protocol.
func Printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// NormalizeHost lower-cases a host's ASCII letters and drops the
// protocol's default port, so "GitHub.com:443" and "github.com" are one host.
//
// Only ASCII is folded, as DNS does: strings.ToLower would turn "gİthub.com"
// (U+0130, another domain: xn--github-qyd.com) or a Kelvin sign into ASCII
// letters and hand a look-alike host github.com's token. A host with other
// letters is compared byte for byte, so it never equals an ASCII one.
func NormalizeHost(protocol, host string) string {
	host = asciiLower(host)
	switch {
	case protocol == "https" && strings.HasSuffix(host, ":443"):
		host = strings.TrimSuffix(host, ":443")
	case protocol == "http" && strings.HasSuffix(host, ":80"):
		host = strings.TrimSuffix(host, ":80")
	}
	return host
}

// SamePath reports whether two paths name the same owner or repository.
// GitHub, GitLab and the other forges treat owner and repository names
// case-insensitively, in ASCII only (see NormalizeHost for why no more).
func SamePath(a, b string) bool { return asciiEqualFold(a, b) }

// pathValid refuses a path with an empty, "." or ".." segment: git's own
// URLs never hold one, and a lookup by prefix would take
// "acme/../globex/r" for one of acme's repositories.
func pathValid(p string) error {
	if p == "" {
		return nil
	}
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "":
			return errors.New("has an empty path segment (\"//\")")
		case ".", "..":
			return fmt.Errorf("has a %q path segment", seg)
		}
	}
	return nil
}

// asciiLower lower-cases the ASCII letters of s and leaves every other
// byte as it is.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// asciiEqualFold is strings.EqualFold for ASCII letters only: "K" and the
// Kelvin sign, equal to EqualFold, differ here.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// NormalizePath trims slashes and a final ".git", so "/acme/repo.git/"
// becomes "acme/repo".
func NormalizePath(p string) string {
	p = strings.Trim(p, "/")
	p = strings.TrimSuffix(p, ".git")
	return strings.Trim(p, "/")
}

// Kind names what sort of token an entry holds, as the forge that issues
// it calls it ("classic", "fine-grained", ...; see internal/forge/github, which tells
// GitHub's apart by their prefixes). It is stored and shown as it is: this
// package gives it no meaning.
type Kind string

// Entry is one stored token and what is known about it.
type Entry struct {
	Target
	Token             string    `json:"token"`
	Kind              Kind      `json:"kind"`
	Forge             string    `json:"forge,omitempty"`  // the forge told for its host (add --forge); "" when known by host or token
	Expires           Expiry    `json:"expires,omitzero"` // when the token stops working
	OAuthRefreshToken string    `json:"oauth_refresh_token,omitempty"`
	Note              string    `json:"note,omitempty"`
	AllowHTTP         bool      `json:"allow_http,omitempty"`
	Added             time.Time `json:"added"`
	LastUsed          time.Time `json:"last_used,omitzero"`

	// A pre-encoded credential git stored (git 2.46+, capability[]=authtype):
	// an Authorization scheme such as Bearer and its value. An entry holds
	// a password (Token), a credential, or both.
	AuthType   string `json:"authtype,omitempty"`
	Credential string `json:"credential,omitempty"`

	// FromGit marks an entry git stored from its prompt (store), not one a
	// person added: when the host refuses it, it is erased as git's own
	// helpers erase, where a person's entry is kept and marked Refused.
	FromGit bool `json:"from_git,omitempty"`
	// Refused is when the host refused the token (git erased it after a
	// failed login): get withholds it until rotate or add replaces it.
	Refused time.Time `json:"refused,omitzero"`

	// What the host's API said of the token when last verified.
	Login    string    `json:"login,omitempty"`   // the account the token belongs to
	Scopes   []string  `json:"scopes,omitempty"`  // a classic token's OAuth scopes
	Verified time.Time `json:"verified,omitzero"` // when the host last confirmed it
	APIURL   string    `json:"api_url,omitempty"` // the API base, when not the host's default
}

// EndOfDay is the last second of a calendar day in UTC: a token whose
// expiry date is that day still works until then.
func EndOfDay(day time.Time) Expiry {
	y, m, d := day.Date()
	return ExpiryAt(time.Date(y, m, d, 23, 59, 59, 0, time.UTC))
}

// Expired reports whether the token's expiry has passed at now.
func (e Entry) Expired(now time.Time) bool {
	return e.Expires.Dated() && now.After(e.Expires.Time)
}

// DaysLeft is the number of calendar days (UTC) from now until the expiry
// day: 0 on the day itself, negative once past. ok is false with no expiry.
func (e Entry) DaysLeft(now time.Time) (days int, ok bool) {
	if !e.Expires.Dated() {
		return 0, false
	}
	day := func(t time.Time) time.Time {
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return int(day(e.Expires.Time).Sub(day(now)).Hours() / 24), true
}

// Masked shows a token as its prefix (see MaskPrefix) and its last four
// characters, enough to tell tokens apart and never enough to use one.
//
// A value no forge declared a prefix for (a Gitea or Azure DevOps token, a
// token from before the prefixes) shows its last four characters too, so
// that list tells such tokens apart, when it is long enough to be a token
// (unprefixedShownLength): a shorter one is more likely a password someone
// chose or may reuse, and is masked whole, as is a short prefixed one.
func Masked(token string) string {
	prefix := MaskPrefix(token)
	switch {
	case prefix == "" && len(token) < unprefixedShownLength,
		prefix != "" && len(token) < len(prefix)+12:
		return prefix + "****"
	}
	return prefix + "****" + token[len(token)-4:]
}

// unprefixedShownLength is the shortest value of no declared prefix whose
// last four characters Masked shows: the length of the shortest tokens
// issued without a prefix (GitLab's older ones); Gitea's have 40
// characters, Azure DevOps' 52 or more.
const unprefixedShownLength = 20

// tokenPrefixes are the prefixes forges put in front of the tokens they
// issue to tell their kinds apart ("ghp_", "github_pat_"). A forge's
// package declares its own (DeclareTokenPrefixes) as it is linked in; the
// protocol knows none by itself.
var tokenPrefixes []string

// DeclareTokenPrefixes adds prefixes Masked may show: they are no secret.
// Forge packages call it from init.
func DeclareTokenPrefixes(prefixes ...string) {
	tokenPrefixes = append(tokenPrefixes, prefixes...)
}

// MaskPrefix is the part of token that Masked shows before the stars: the
// longest declared token prefix it starts with, else nothing. Only a
// declared prefix is shown: the start of any other secret, a password
// "correct_horse", say, is part of the secret.
func MaskPrefix(token string) string {
	best := ""
	for _, p := range tokenPrefixes {
		if len(p) > len(best) && strings.HasPrefix(token, p) {
			best = p
		}
	}
	return best
}
