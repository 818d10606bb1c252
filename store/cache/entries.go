package cache

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// Entries travel between the full program and the daemon in git's line
// format, one key=value line per field, each entry opened by an "entry="
// line:
//
//	entry=
//	host=github.com
//	path=acme
//	password=github_pat_...
//	expires=2026-12-31T23:59:59Z
//
// Every field of credential.Entry has a key (TestEntryLinesKeepEveryField
// holds that to be so): the full program writes back what it reads, so a
// field the wire dropped would be lost from the store. An expired token is
// never sent: its entry comes with withheld=1 and no password, so the
// daemon never holds a token past its expiry while the entry still takes
// part in matching.

// AppendEntries renders entries. It fails on a value holding a line break
// or NUL, which the store's own checks keep out.
func AppendEntries(b []byte, entries []credential.Entry, now time.Time) ([]byte, error) {
	var err error
	put := func(key, value string) {
		if strings.ContainsAny(value, "\n\r\x00") {
			err = fmt.Errorf("the %s of an entry holds a line break or NUL", key)
		}
		b = append(append(append(append(b, key...), '='), value...), '\n')
	}
	putTime := func(key string, t time.Time) {
		if !t.IsZero() {
			put(key, t.Format(time.RFC3339Nano))
		}
	}
	for _, e := range entries {
		b = append(b, "entry=\n"...)
		put("host", e.Host)
		if e.Path != "" {
			put("path", e.Path)
		}
		if e.HasUsername {
			put("username", e.Username)
		}
		if e.Expired(now) || IsWithheld(e.Token) {
			put("withheld", credential.Masked(e.Token))
		} else {
			put("password", e.Token)
			if e.OAuthRefreshToken != "" {
				put("oauth_refresh_token", e.OAuthRefreshToken)
			}
			if e.Credential != "" {
				put("credential", e.Credential)
			}
		}
		if e.AuthType != "" {
			put("authtype", e.AuthType)
		}
		if e.FromGit {
			put("from_git", "1")
		}
		putTime("refused", e.Refused)
		if e.Kind != "" {
			put("kind", string(e.Kind))
		}
		if e.Forge != "" {
			put("forge", e.Forge)
		}
		if e.Expires.Known() {
			// RFC 3339, Unix seconds past year 9999, or never.
			put("expires", e.Expires.String())
		}
		if e.Note != "" {
			put("note", e.Note)
		}
		if e.AllowHTTP {
			put("allow_http", "1")
		}
		putTime("added", e.Added)
		putTime("last_used", e.LastUsed)
		if e.Login != "" {
			put("login", e.Login)
		}
		for _, s := range e.Scopes {
			put("scope", s)
		}
		putTime("verified", e.Verified)
		if e.APIURL != "" {
			put("api_url", e.APIURL)
		}
	}
	return b, err
}

// ParseEntries reads what AppendEntries wrote. With inPlace, the strings
// it returns are body's own bytes, not copies: the daemon keeps body in
// locked memory and must keep it, unchanged, as long as it uses them.
func ParseEntries(body []byte, inPlace bool) ([]credential.Entry, error) {
	str := func(b []byte) string {
		if inPlace && len(b) > 0 {
			return unsafe.String(&b[0], len(b))
		}
		return string(b)
	}
	var entries []credential.Entry
	var e *credential.Entry
	for lineNo := 1; len(body) > 0; lineNo++ {
		end := 0
		for end < len(body) && body[end] != '\n' {
			end++
		}
		line := body[:end]
		body = body[min(end+1, len(body)):]
		eq := 0
		for eq < len(line) && line[eq] != '=' {
			eq++
		}
		if eq == len(line) {
			return nil, fmt.Errorf("entry line %d is not key=value", lineNo)
		}
		key, value := string(line[:eq]), line[eq+1:]
		if key == "entry" {
			entries = append(entries, credential.Entry{})
			e = &entries[len(entries)-1]
			continue
		}
		if e == nil {
			return nil, fmt.Errorf("entry line %d comes before any entry= line", lineNo)
		}
		var err error
		parseTime := func(t *time.Time) {
			*t, err = time.Parse(time.RFC3339Nano, string(value))
		}
		switch key {
		case "host":
			e.Host = str(value)
		case "path":
			e.Path = str(value)
		case "username":
			e.Username, e.HasUsername = str(value), true
		case "password":
			e.Token = str(value)
		case "withheld":
			e.Token = withheld(string(value))
		case "oauth_refresh_token":
			e.OAuthRefreshToken = str(value)
		case "kind":
			e.Kind = credential.Kind(value)
		case "forge":
			e.Forge = str(value)
		case "expires":
			e.Expires, err = credential.ParseExpiry(string(value))
		case "authtype":
			e.AuthType = str(value)
		case "credential":
			e.Credential = str(value)
		case "from_git":
			e.FromGit = string(value) == "1"
		case "refused":
			parseTime(&e.Refused)
		case "note":
			e.Note = str(value)
		case "allow_http":
			e.AllowHTTP = string(value) == "1"
		case "added":
			parseTime(&e.Added)
		case "last_used":
			parseTime(&e.LastUsed)
		case "login":
			e.Login = str(value)
		case "scope":
			e.Scopes = append(e.Scopes, str(value))
		case "verified":
			parseTime(&e.Verified)
		case "api_url":
			e.APIURL = str(value)
		}
		if err != nil {
			return nil, fmt.Errorf("entry line %d: malformed %s: %w", lineNo, key, err)
		}
	}
	return entries, nil
}

// withheldMark stands in for an expired token in an entry read from the
// daemon, so that the entry can be matched and its expiry reported while
// the token is not there. It holds a NUL, so it never equals a password git
// sends and can never be written to the wire or a store by mistake.
const withheldMark = "\x00"

// IsWithheld reports whether token is a withheld mark, not a token.
func IsWithheld(token string) bool { return strings.Contains(token, withheldMark) }

// withheld is the mark for a token whose masked form (credential.Masked)
// is masked: it masks the same way, and holds nothing more.
func withheld(masked string) string {
	prefix, last4, _ := strings.Cut(masked, "****")
	if last4 == "" {
		return prefix + withheldMark
	}
	return prefix + strings.Repeat(withheldMark, 8) + last4
}

// errWithheld is returned for a write of an entry read without its token.
var errWithheld = errors.New("the entry came from the cache without its expired token and cannot be saved back")

// CheckWritable refuses entries that hold a withheld mark.
func CheckWritable(entries []credential.Entry) error {
	for _, e := range entries {
		if IsWithheld(e.Token) {
			return fmt.Errorf("%s: %w", e.Target, errWithheld)
		}
	}
	return nil
}

// Earliest is the first expiry after now among entries: what is held for
// them must be gone by then, so that no token is held past its expiry.
func Earliest(entries []credential.Entry, now time.Time) time.Time {
	var first time.Time
	for _, e := range entries {
		if e.Expires.Dated() && e.Expires.After(now) && (first.IsZero() || e.Expires.Before(first)) {
			first = e.Expires.Time
		}
	}
	return first
}

// EntrySpan is where one entry's lines lie in a body of entries, and the
// host they name (the body's own bytes, not a copy).
type EntrySpan struct {
	Host       string
	Start, End int32 // a message is at most MaxMessage bytes
}

// IndexEntries finds each entry of body and its host without decoding
// the rest, so that the daemon keeps a few words per entry and decodes only
// the entries of the host a request names. The host strings are body's
// bytes: keep body, unchanged, as long as they are used. It refuses what
// ParseEntries would refuse.
func IndexEntries(body []byte) ([]EntrySpan, error) {
	if len(body) > MaxMessage {
		return nil, fmt.Errorf("%w: entries of %d bytes", ErrTooLarge, len(body))
	}
	if _, err := ParseEntries(body, true); err != nil {
		return nil, err
	}
	var spans []EntrySpan
	for pos := 0; pos < len(body); {
		end := pos
		for end < len(body) && body[end] != '\n' {
			end++
		}
		line := body[pos:end]
		switch {
		case string(line) == "entry=":
			if n := len(spans); n > 0 {
				spans[n-1].End = int32(pos)
			}
			spans = append(spans, EntrySpan{Start: int32(pos)})
		case len(line) > len("host=") && string(line[:len("host=")]) == "host=":
			v := line[len("host="):]
			spans[len(spans)-1].Host = unsafe.String(&v[0], len(v))
		}
		pos = min(end+1, len(body))
	}
	if n := len(spans); n > 0 {
		spans[n-1].End = int32(len(body))
	}
	return spans, nil
}
