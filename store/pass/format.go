package pass

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// The keys of an entry's lines after the token, in the order they are
// written. username is the key browserpass, gopass and pass-git-helper
// read a user name from; the account the host's API named is "account", not
// "login", which those tools would take for the user name.
const (
	keyUsername = "username"
	keyHost     = "host"
	keyPath     = "path"
	keyKind     = "kind"
	keyForge    = "forge"
	keyExpires  = "expires"
	keyRefresh  = "oauth_refresh_token"
	keyNote     = "note"
	keyHTTP     = "allow_http"
	keyAdded    = "added"
	keyLastUsed = "last_used"
	keyAccount  = "account"
	keyScope    = "scope"
	keyVerified = "verified"
	keyAPIURL   = "api_url"
	keyAuthType = "authtype"
	keyCred     = "credential"
	keyFromGit  = "from_git"
	keyRefused  = "refused"
)

// shown are the keys whose values commands print: a line that does not
// print as it is, is refused. Secrets and times are not printed, and
// lines of unknown keys are ignored.
var shown = map[string]bool{
	keyUsername: true, keyPath: true, keyKind: true, keyForge: true, keyNote: true,
	keyAccount: true, keyScope: true, keyAPIURL: true, keyAuthType: true,
}

// encode writes an entry in pass's own convention: the token on the first
// line, so that pass show -c and every other pass tool take it as the
// password, then one "key: value" line per field that is set. A scope is a
// line of its own, so no scope needs quoting.
func encode(e credential.Entry) ([]byte, error) {
	var b strings.Builder
	var bad []string
	line := func(key, value string) {
		if strings.ContainsAny(value, "\n\r") {
			bad = append(bad, key)
		}
		b.WriteString(key)
		b.WriteString(":")
		if value != "" {
			b.WriteString(" ")
			b.WriteString(value)
		}
		b.WriteString("\n")
	}
	when := func(key string, t time.Time) {
		if !t.IsZero() {
			line(key, t.UTC().Format(time.RFC3339Nano))
		}
	}
	if strings.ContainsAny(e.Token, "\n\r") {
		bad = append(bad, "token")
	}
	b.WriteString(e.Token)
	b.WriteString("\n")
	if e.HasUsername {
		line(keyUsername, e.Username)
	}
	line(keyHost, e.Host)
	if e.Path != "" {
		line(keyPath, e.Path)
	}
	if e.Kind != "" {
		line(keyKind, string(e.Kind))
	}
	if e.Forge != "" {
		line(keyForge, e.Forge)
	}
	if e.Expires.Known() {
		line(keyExpires, e.Expires.String()) // RFC 3339, Unix seconds past year 9999, or never
	}
	if e.OAuthRefreshToken != "" {
		line(keyRefresh, e.OAuthRefreshToken)
	}
	if e.Note != "" {
		line(keyNote, e.Note)
	}
	if e.AllowHTTP {
		line(keyHTTP, "true")
	}
	when(keyAdded, e.Added)
	when(keyLastUsed, e.LastUsed)
	if e.Login != "" {
		line(keyAccount, e.Login)
	}
	for _, s := range e.Scopes {
		line(keyScope, s)
	}
	when(keyVerified, e.Verified)
	if e.APIURL != "" {
		line(keyAPIURL, e.APIURL)
	}
	if e.AuthType != "" {
		line(keyAuthType, e.AuthType)
	}
	if e.Credential != "" {
		line(keyCred, e.Credential)
	}
	if e.FromGit {
		line(keyFromGit, "true")
	}
	when(keyRefused, e.Refused)
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s: the %s holds a line break, which a pass entry cannot keep", e.Target, strings.Join(bad, " and "))
	}
	return []byte(b.String()), nil
}

// decode reads what encode wrote. Lines it does not know (a person may add
// some with pass edit) are ignored; a line without a colon is an error.
// The target's host is what the entry says, else what named is.
func decode(data []byte, named credential.Target) (credential.Entry, error) {
	text := strings.TrimSuffix(string(data), "\n")
	token, rest, _ := strings.Cut(text, "\n")
	e := credential.Entry{Token: strings.TrimSuffix(token, "\r")}
	var hasHost bool
	for n, l := range strings.Split(rest, "\n") {
		l = strings.TrimSuffix(l, "\r")
		if l == "" {
			continue
		}
		key, value, ok := strings.Cut(l, ":")
		if !ok {
			return credential.Entry{}, fmt.Errorf("line %d is not \"key: value\"", n+2)
		}
		value = strings.TrimPrefix(value, " ")
		when := func() (time.Time, error) {
			t, err := time.Parse(time.RFC3339Nano, value)
			if err != nil {
				return t, fmt.Errorf("line %d: %s is not a time: %w", n+2, key, err)
			}
			return t, nil
		}
		// A pass entry is a file anyone may edit: what it says is checked
		// here, where it enters, as a target typed or a host's answer is.
		// A host is what HostValid accepts; every other field is shown by
		// list, get's warnings, doctor..., and must not drive a terminal.
		switch {
		case key == keyHost && !credential.HostValid(value):
			return credential.Entry{}, fmt.Errorf("line %d: host %s is not a host name", n+2, credential.Escape(value))
		case shown[key] && !credential.Printable(value):
			return credential.Entry{}, fmt.Errorf("line %d: %s %s holds a control character or invalid UTF-8", n+2, key, credential.Escape(value))
		}
		var err error
		switch key {
		case keyUsername:
			e.Username, e.HasUsername = value, true
		case keyHost:
			e.Host, hasHost = value, true
		case keyPath:
			e.Path = value
		case keyKind:
			e.Kind = credential.Kind(value)
		case keyForge:
			e.Forge = value
		case keyExpires:
			if e.Expires, err = credential.ParseExpiry(value); err != nil {
				err = fmt.Errorf("line %d: %s: %w", n+2, key, err)
			}
		case keyRefresh:
			e.OAuthRefreshToken = value
		case keyNote:
			e.Note = value
		case keyHTTP:
			e.AllowHTTP = value == "true"
		case keyAdded:
			e.Added, err = when()
		case keyLastUsed:
			e.LastUsed, err = when()
		case keyAccount:
			e.Login = value
		case keyScope:
			e.Scopes = append(e.Scopes, value)
		case keyVerified:
			e.Verified, err = when()
		case keyAPIURL:
			e.APIURL = value
		case keyAuthType:
			e.AuthType = value
		case keyCred:
			e.Credential = value
		case keyFromGit:
			e.FromGit = value == "true"
		case keyRefused:
			e.Refused, err = when()
		}
		if err != nil {
			return credential.Entry{}, err
		}
	}
	if !hasHost {
		// Written by hand (pass insert): the name says the target.
		e.Target = named
	}
	return e, nil
}

// nameOf is the pass name of a target's entry, below our folder: its
// credential.Key, [USER@]HOST[/PATH] (host and path lower-cased in ASCII,
// the user name as it is), every part escaped so that two keys never share
// a name on any file system: bytes other than lower-case ASCII letters,
// digits, "-", "_", ":" and an inner "." are written %XX (upper case
// letters too, for case-insensitive file systems).
func nameOf(t credential.Target) string {
	key := t.Key()
	var b strings.Builder
	if key.HasUsername {
		b.WriteString(escape(key.Username))
		b.WriteString("@")
	}
	// A host holds no "/": the first segment is the host, the rest the path.
	for i, seg := range strings.Split(key.Location, "/") {
		if i > 0 {
			b.WriteString("/")
		}
		b.WriteString(escape(seg))
	}
	return b.String()
}

// targetOf reads a name nameOf wrote back into a target. The path comes
// back lower-cased: the entry itself keeps it as it was typed.
func targetOf(name string) (credential.Target, error) {
	first, path, _ := strings.Cut(name, "/")
	var t credential.Target
	user, host, hasUser := strings.Cut(first, "@")
	if !hasUser {
		host, user = user, ""
	}
	var err error
	if t.Host, err = url.PathUnescape(host); err != nil || t.Host == "" {
		return t, fmt.Errorf("%q does not name a host", name)
	}
	if hasUser {
		if t.Username, err = url.PathUnescape(user); err != nil {
			return t, fmt.Errorf("%q does not name a user", name)
		}
		t.HasUsername = true
	}
	if path != "" {
		segs := strings.Split(path, "/")
		for i, s := range segs {
			if segs[i], err = url.PathUnescape(s); err != nil {
				return t, fmt.Errorf("%q does not name a path", name)
			}
		}
		t.Path = strings.Join(segs, "/")
	}
	if !credential.HostValid(t.Host) || !credential.Printable(t.Path+t.Username) {
		return t, fmt.Errorf("%q names a target with a control character", name)
	}
	return t, nil
}

func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == ':' || c == '.' && i > 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
