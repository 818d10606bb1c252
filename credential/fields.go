package credential

import "time"

// FieldType is how a field of an Entry is written in the formats that give
// each field a key and one line per value: the cache daemon's wire and
// pass entries. The vault and the keyring's index are JSON of the Entry
// itself, under its struct tags, which Field.JSON names.
type FieldType uint8

const (
	// FieldString is written as it is, when not empty.
	FieldString FieldType = iota
	// FieldBool is written when true: "1" on the wire, "true" in pass.
	FieldBool
	// FieldTime is RFC 3339 with nanoseconds, when not zero.
	FieldTime
	// FieldExpiry is Expiry.String (RFC 3339, Unix seconds past year 9999,
	// or never), when known.
	FieldExpiry
	// FieldStrings is one line per value, in order, none when empty.
	FieldStrings
)

// Field describes one field of an Entry once, for every format that lists
// an entry's fields: each codec walks Fields, in order, instead of naming
// the fields itself, so that a field added to Entry and to Fields is kept
// by all of them at once (TestFieldsReachEveryField fails until it is in
// Fields). A Field has the one accessor its Type asks for.
type Field struct {
	// Key is the field's key on the cache wire, and in pass unless Pass
	// says otherwise.
	Key string
	// Pass is the key of its "key: value" line in a pass entry. The token
	// has none: it is the entry's first line, as every pass tool expects.
	Pass string
	// JSON is the field's key in the vault and the keyring's index (the
	// Entry's struct tag). A field with Has also writes "has_" + JSON.
	JSON string
	Type FieldType
	// Secret fields are the keyring item's secret, in Fields' order, and
	// blank in its index; the cache wire withholds them once the token
	// has expired.
	Secret bool
	// Shown fields are printed by commands (list, doctor, get's warnings):
	// one read from a file a person may edit must print as it is.
	Shown bool
	// Always is written even when empty: an entry always has a host, and
	// the wire always has a password line.
	Always bool

	// Str reaches a FieldString; when Has is set too, the string is
	// written when *Has is, even empty, and reading it sets *Has (a user
	// name "" is part of a target, no user name is not).
	Str  func(*Entry) *string
	Has  func(*Entry) *bool
	Bool func(*Entry) *bool
	Time func(*Entry) *time.Time
	Exp  func(*Entry) *Expiry
	List func(*Entry) *[]string
}

// Fields are the fields of an Entry, in the order pass entries have
// always listed them (the token, then the user name before the host);
// the cache wire follows the same order.
var Fields = []Field{
	{Key: "password", JSON: "token", Type: FieldString, Secret: true, Always: true,
		Str: func(e *Entry) *string { return &e.Token }},
	{Key: "username", Pass: "username", JSON: "username", Type: FieldString, Shown: true,
		Str: func(e *Entry) *string { return &e.Username }, Has: func(e *Entry) *bool { return &e.HasUsername }},
	{Key: "host", Pass: "host", JSON: "host", Type: FieldString, Always: true,
		Str: func(e *Entry) *string { return &e.Host }},
	{Key: "path", Pass: "path", JSON: "path", Type: FieldString, Shown: true,
		Str: func(e *Entry) *string { return &e.Path }},
	{Key: "kind", Pass: "kind", JSON: "kind", Type: FieldString, Shown: true,
		Str: func(e *Entry) *string { return (*string)(&e.Kind) }},
	{Key: "forge", Pass: "forge", JSON: "forge", Type: FieldString, Shown: true,
		Str: func(e *Entry) *string { return &e.Forge }},
	{Key: "expires", Pass: "expires", JSON: "expires", Type: FieldExpiry,
		Exp: func(e *Entry) *Expiry { return &e.Expires }},
	{Key: "oauth_refresh_token", Pass: "oauth_refresh_token", JSON: "oauth_refresh_token", Type: FieldString, Secret: true,
		Str: func(e *Entry) *string { return &e.OAuthRefreshToken }},
	{Key: "note", Pass: "note", JSON: "note", Type: FieldString, Shown: true,
		Str: func(e *Entry) *string { return &e.Note }},
	{Key: "allow_http", Pass: "allow_http", JSON: "allow_http", Type: FieldBool,
		Bool: func(e *Entry) *bool { return &e.AllowHTTP }},
	{Key: "added", Pass: "added", JSON: "added", Type: FieldTime,
		Time: func(e *Entry) *time.Time { return &e.Added }},
	{Key: "last_used", Pass: "last_used", JSON: "last_used", Type: FieldTime,
		Time: func(e *Entry) *time.Time { return &e.LastUsed }},
	// browserpass, gopass and pass-git-helper take a pass entry's "login"
	// line for the user name: there the host's account is "account".
	{Key: "login", Pass: "account", JSON: "login", Type: FieldString, Shown: true,
		Str: func(e *Entry) *string { return &e.Login }},
	{Key: "scope", Pass: "scope", JSON: "scopes", Type: FieldStrings, Shown: true,
		List: func(e *Entry) *[]string { return &e.Scopes }},
	{Key: "verified", Pass: "verified", JSON: "verified", Type: FieldTime,
		Time: func(e *Entry) *time.Time { return &e.Verified }},
	{Key: "api_url", Pass: "api_url", JSON: "api_url", Type: FieldString, Shown: true,
		Str: func(e *Entry) *string { return &e.APIURL }},
	{Key: "authtype", Pass: "authtype", JSON: "authtype", Type: FieldString, Shown: true,
		Str: func(e *Entry) *string { return &e.AuthType }},
	{Key: "credential", Pass: "credential", JSON: "credential", Type: FieldString, Secret: true,
		Str: func(e *Entry) *string { return &e.Credential }},
	{Key: "from_git", Pass: "from_git", JSON: "from_git", Type: FieldBool,
		Bool: func(e *Entry) *bool { return &e.FromGit }},
	{Key: "refused", Pass: "refused", JSON: "refused", Type: FieldTime,
		Time: func(e *Entry) *time.Time { return &e.Refused }},
}

// Written reports whether a format that omits what is not set writes the
// field of e.
func (f *Field) Written(e *Entry) bool {
	if f.Always {
		return true
	}
	switch f.Type {
	case FieldString:
		if f.Has != nil {
			return *f.Has(e)
		}
		return *f.Str(e) != ""
	case FieldBool:
		return *f.Bool(e)
	case FieldTime:
		return !f.Time(e).IsZero()
	case FieldExpiry:
		return f.Exp(e).Known()
	case FieldStrings:
		return len(*f.List(e)) > 0
	}
	return false
}

// Clear sets the field of e to its zero value.
func (f *Field) Clear(e *Entry) {
	switch f.Type {
	case FieldString:
		*f.Str(e) = ""
		if f.Has != nil {
			*f.Has(e) = false
		}
	case FieldBool:
		*f.Bool(e) = false
	case FieldTime:
		*f.Time(e) = time.Time{}
	case FieldExpiry:
		*f.Exp(e) = Expiry{}
	case FieldStrings:
		*f.List(e) = nil
	}
}

// SecretFields are the Secret fields, in order: what a keyring item holds.
var SecretFields = func() []*Field {
	var out []*Field
	for i := range Fields {
		if Fields[i].Secret {
			out = append(out, &Fields[i])
		}
	}
	return out
}()
