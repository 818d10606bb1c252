package pass

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// An entry's lines after the token follow credential.Fields: each field's
// Pass key, in the table's order. Its keys are pass's own where the
// table says so (the host's account is "account": browserpass, gopass and
// pass-git-helper would take "login" for the user name).

// passFields finds a field by its pass key.
var passFields = func() map[string]*credential.Field {
	m := make(map[string]*credential.Field, len(credential.Fields))
	for i := range credential.Fields {
		if f := &credential.Fields[i]; f.Pass != "" {
			m[f.Pass] = f
		}
	}
	return m
}()

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
	if strings.ContainsAny(e.Token, "\n\r") {
		bad = append(bad, "token")
	}
	b.WriteString(e.Token)
	b.WriteString("\n")
	for i := range credential.Fields {
		f := &credential.Fields[i]
		if f.Pass == "" || !f.Written(&e) {
			continue // the token is the first line
		}
		switch f.Type {
		case credential.FieldString:
			line(f.Pass, *f.Str(&e))
		case credential.FieldBool:
			line(f.Pass, "true")
		case credential.FieldTime:
			line(f.Pass, f.Time(&e).UTC().Format(time.RFC3339Nano))
		case credential.FieldExpiry:
			line(f.Pass, f.Exp(&e).String()) // RFC 3339, Unix seconds past year 9999, or never
		case credential.FieldStrings:
			for _, v := range *f.List(&e) {
				line(f.Pass, v)
			}
		default:
			return nil, fmt.Errorf("%s: a pass entry cannot hold %s, a field of type %d", e.Target, f.Pass, f.Type)
		}
	}
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
		f := passFields[key]
		if f == nil {
			continue
		}
		// A pass entry is a file anyone may edit: what it says is checked
		// here, where it enters, as a target typed or a host's answer is.
		// A host is what HostValid accepts; every other field is shown by
		// list, get's warnings, doctor..., and must not drive a terminal.
		switch {
		case f.Key == keyHost && !credential.HostValid(value):
			return credential.Entry{}, fmt.Errorf("line %d: host %s is not a host name", n+2, credential.Escape(value))
		case f.Shown && !credential.Printable(value):
			return credential.Entry{}, fmt.Errorf("line %d: %s %s holds a control character or invalid UTF-8", n+2, key, credential.Escape(value))
		}
		hasHost = hasHost || f.Key == keyHost
		var err error
		switch f.Type {
		case credential.FieldString:
			*f.Str(&e) = value
			if f.Has != nil {
				*f.Has(&e) = true
			}
		case credential.FieldBool:
			*f.Bool(&e) = value == "true"
		case credential.FieldTime:
			if *f.Time(&e), err = time.Parse(time.RFC3339Nano, value); err != nil {
				err = fmt.Errorf("line %d: %s is not a time: %w", n+2, key, err)
			}
		case credential.FieldExpiry:
			if *f.Exp(&e), err = credential.ParseExpiry(value); err != nil {
				err = fmt.Errorf("line %d: %s: %w", n+2, key, err)
			}
		case credential.FieldStrings:
			*f.List(&e) = append(*f.List(&e), value)
		}
		if err != nil {
			return credential.Entry{}, err
		}
	}
	if !hasHost {
		// Written by hand (pass insert): the name says the target, and a
		// username: line the user name when the name has none.
		user, hasUser := e.Username, e.HasUsername
		e.Target = named
		if !named.HasUsername && hasUser {
			e.Username, e.HasUsername = user, true
		}
	}
	return e, nil
}

// unknownLines are the lines of an entry after its token that are none of
// the fields' "key: value" lines: what a person added by hand (pass's own
// convention: "url: ...", "comment: ..."), kept when the entry is written
// again.
func unknownLines(data []byte) []string {
	text := strings.TrimSuffix(string(data), "\n")
	_, rest, _ := strings.Cut(text, "\n")
	var kept []string
	for l := range strings.SplitSeq(rest, "\n") {
		l = strings.TrimSuffix(l, "\r")
		key, _, ok := strings.Cut(l, ":")
		if l == "" || ok && passFields[key] != nil {
			continue
		}
		kept = append(kept, l)
	}
	return kept
}

// keyHost is the host's key, which decode checks as a host name and
// without which the entry's name says its target.
const keyHost = "host"

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
