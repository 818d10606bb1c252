package cache

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// DecodeSnapshot decodes a snapshot body, or the part of one the daemon
// sends for a host, as json.Unmarshal would. It exists for the front: the
// first json.Unmarshal into an Entry builds its decoder by reflection, which
// costs a cached lookup more than everything else it does. It reads exactly
// the JSON json.Marshal writes (and refuses what is not JSON); keys are
// matched exactly, unknown ones skipped.
func DecodeSnapshot(body []byte) (Snapshot, error) {
	d := &decoder{b: body}
	var snap Snapshot
	err := d.object(func(key string) error {
		switch fold(key, "stamp", "entries") {
		case "stamp":
			return d.str(&snap.Stamp)
		case "entries":
			return d.array(func() error {
				var e credential.Entry
				if err := d.entry(&e); err != nil {
					return err
				}
				snap.Entries = append(snap.Entries, e)
				return nil
			})
		}
		return d.skip(0)
	})
	if err == nil {
		err = d.end()
	}
	if err != nil {
		return Snapshot{}, err
	}
	return snap, nil
}

// DescribedEntry is one entry of a snapshot's description, which the full
// program sends beside the snapshot: what cache status shows of it, and
// where it lies in the snapshot's body. A daemon that does not know At and
// Len ignores them.
type DescribedEntry struct {
	Target       string    `json:"target"`
	TokenExpires time.Time `json:"token_expires,omitzero"`
	Host         string    `json:"host,omitempty"`
	At           int       `json:"at,omitempty"`
	Len          int       `json:"len,omitempty"`
}

// DecodeDescription decodes a snapshot's description as json.Unmarshal
// would. The daemon decodes one on every put; with this it links no
// encoding/json, whose code would otherwise stay resident for as long as
// the daemon runs.
func DecodeDescription(meta []byte) ([]DescribedEntry, error) {
	d := &decoder{b: meta}
	if d.null() {
		return nil, d.end()
	}
	described := []DescribedEntry{}
	err := d.array(func() error {
		var e DescribedEntry
		err := d.object(func(key string) error {
			switch fold(key, "target", "token_expires", "host", "at", "len") {
			case "target":
				return d.str(&e.Target)
			case "token_expires":
				return d.time(&e.TokenExpires)
			case "host":
				return d.str(&e.Host)
			case "at":
				return d.integer(&e.At)
			case "len":
				return d.integer(&e.Len)
			}
			return d.skip(0)
		})
		described = append(described, e)
		return err
	})
	if err == nil {
		err = d.end()
	}
	if err != nil {
		return nil, err
	}
	return described, nil
}

// entry decodes one credential.Entry by its JSON field names.
func (d *decoder) entry(e *credential.Entry) error {
	return d.object(func(key string) error {
		switch fold(key, entryKeys...) {
		case "host":
			return d.str(&e.Host)
		case "path":
			return d.str(&e.Path)
		case "username":
			return d.str(&e.Username)
		case "has_username":
			return d.boolean(&e.HasUsername)
		case "token":
			return d.str(&e.Token)
		case "kind":
			var k string
			err := d.str(&k)
			e.Kind = credential.Kind(k)
			return err
		case "expires":
			return d.time(&e.Expires)
		case "oauth_refresh_token":
			return d.str(&e.OAuthRefreshToken)
		case "note":
			return d.str(&e.Note)
		case "allow_http":
			return d.boolean(&e.AllowHTTP)
		case "added":
			return d.time(&e.Added)
		case "last_used":
			return d.time(&e.LastUsed)
		case "login":
			return d.str(&e.Login)
		case "scopes":
			if d.null() {
				e.Scopes = nil
				return nil
			}
			e.Scopes = []string{}
			return d.array(func() error {
				var s string
				err := d.str(&s)
				e.Scopes = append(e.Scopes, s)
				return err
			})
		case "verified":
			return d.time(&e.Verified)
		case "api_url":
			return d.str(&e.APIURL)
		}
		return d.skip(0)
	})
}

// entryKeys are the JSON names of credential.Entry's fields.
var entryKeys = []string{"host", "path", "username", "has_username", "token", "kind", "expires",
	"oauth_refresh_token", "note", "allow_http", "added", "last_used", "login", "scopes", "verified", "api_url"}

// fold returns the name among names that key stands for: itself, or the
// one it equals but for case, as encoding/json matches names.
func fold(key string, names ...string) string {
	for _, n := range names {
		if key == n {
			return n
		}
	}
	for _, n := range names {
		if strings.EqualFold(key, n) {
			return n
		}
	}
	return key
}

// decoder reads JSON from b at i.
type decoder struct {
	b []byte
	i int
}

func (d *decoder) fail(what string) error {
	return errors.New("the cache daemon sent malformed JSON: " + what + " at offset " + strconv.Itoa(d.i))
}

// end fails unless only space is left.
func (d *decoder) end() error {
	d.space()
	if d.i != len(d.b) {
		return d.fail("data after the value")
	}
	return nil
}

func (d *decoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next byte that is not space, or 0 at the end.
func (d *decoder) peek() byte {
	d.space()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *decoder) consume(c byte) bool {
	if d.peek() == c {
		d.i++
		return true
	}
	return false
}

func (d *decoder) literal(word string) bool {
	d.space()
	if len(d.b)-d.i >= len(word) && string(d.b[d.i:d.i+len(word)]) == word {
		d.i += len(word)
		return true
	}
	return false
}

// null consumes a null, if one is next.
func (d *decoder) null() bool { return d.literal("null") }

// object calls field for each key of an object (or nothing for null), with
// the decoder at the key's value.
func (d *decoder) object(field func(key string) error) error {
	if d.null() {
		return nil
	}
	if !d.consume('{') {
		return d.fail("want an object")
	}
	if d.consume('}') {
		return nil
	}
	for {
		var key string
		if err := d.str(&key); err != nil {
			return err
		}
		if !d.consume(':') {
			return d.fail("want a colon")
		}
		if err := field(key); err != nil {
			return err
		}
		if d.consume(',') {
			continue
		}
		if d.consume('}') {
			return nil
		}
		return d.fail("want a comma or the object's end")
	}
}

// array calls item for each element of an array (or nothing for null).
func (d *decoder) array(item func() error) error {
	if d.null() {
		return nil
	}
	if !d.consume('[') {
		return d.fail("want an array")
	}
	if d.consume(']') {
		return nil
	}
	for {
		if err := item(); err != nil {
			return err
		}
		if d.consume(',') {
			continue
		}
		if d.consume(']') {
			return nil
		}
		return d.fail("want a comma or the array's end")
	}
}

// integer decodes a JSON number that is a whole int, as json.Unmarshal
// into an int does: no fraction, no exponent, no leading zero or plus.
func (d *decoder) integer(v *int) error {
	if d.null() {
		return nil
	}
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.b) && '0' <= d.b[d.i] && d.b[d.i] <= '9' {
		d.i++
	}
	if d.i == digits || d.b[digits] == '0' && d.i > digits+1 {
		return d.fail("want a number")
	}
	if d.i < len(d.b) && (d.b[d.i] == '.' || d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		return d.fail("want a whole number")
	}
	n, err := strconv.Atoi(string(d.b[start:d.i]))
	if err != nil {
		return d.fail("a number out of range")
	}
	*v = n
	return nil
}

func (d *decoder) boolean(v *bool) error {
	switch {
	case d.literal("true"):
		*v = true
	case d.literal("false"):
		*v = false
	case d.null():
	default:
		return d.fail("want true or false")
	}
	return nil
}

// time decodes a time as time.Time's UnmarshalJSON does: RFC 3339.
func (d *decoder) time(v *time.Time) error {
	if d.null() {
		return nil
	}
	var s string
	if err := d.str(&s); err != nil {
		return err
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return d.fail("a time not in RFC 3339")
	}
	*v = t
	return nil
}

// str decodes a string, or leaves v as it is for null.
func (d *decoder) str(v *string) error {
	if d.null() {
		return nil
	}
	if !d.consume('"') {
		return d.fail("want a string")
	}
	start := d.i
	// The common case, as json.Marshal writes tokens and hosts: no escape.
	for d.i < len(d.b) {
		c := d.b[d.i]
		if c == '"' {
			s := d.b[start:d.i]
			if !utf8.Valid(s) {
				break
			}
			*v = string(s)
			d.i++
			return nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		d.i++
	}
	out := append([]byte(nil), d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			*v = string(out)
			return nil
		case c < 0x20:
			return d.fail("a control character in a string")
		case c == '\\':
			if d.i+1 >= len(d.b) {
				return d.fail("a cut escape")
			}
			d.i += 2
			switch e := d.b[d.i-1]; e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := d.hex4()
				if !ok {
					return d.fail("a bad \\u escape")
				}
				if utf16.IsSurrogate(r) {
					// A pair makes one rune; anything else is U+FFFD,
					// as encoding/json decodes it.
					save := d.i
					if d.i+1 < len(d.b) && d.b[d.i] == '\\' && d.b[d.i+1] == 'u' {
						d.i += 2
						if r2, ok := d.hex4(); ok {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								out = utf8.AppendRune(out, dec)
								continue
							}
						}
					}
					d.i = save
					r = utf8.RuneError
				}
				out = utf8.AppendRune(out, r)
			default:
				return d.fail("an unknown escape")
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			d.i++
		default:
			r, size := utf8.DecodeRune(d.b[d.i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError) // as encoding/json does
			} else {
				out = append(out, d.b[d.i:d.i+size]...)
			}
			d.i += size
		}
	}
	return d.fail("a string without its end")
}

func (d *decoder) hex4() (rune, bool) {
	if d.i+4 > len(d.b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d.b[d.i:d.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	d.i += 4
	return rune(n), true
}

// skip passes over a value of a field this decoder does not know.
func (d *decoder) skip(depth int) error {
	if depth > 64 {
		return d.fail("nesting too deep")
	}
	switch d.peek() {
	case '{':
		return d.object(func(string) error { return d.skip(depth + 1) })
	case '[':
		return d.array(func() error { return d.skip(depth + 1) })
	case '"':
		var s string
		return d.str(&s)
	case 't', 'f', 'n':
		if d.literal("true") || d.literal("false") || d.literal("null") {
			return nil
		}
	default:
		start := d.i
		for d.i < len(d.b) && (d.b[d.i] >= '0' && d.b[d.i] <= '9' || d.b[d.i] == '-' || d.b[d.i] == '+' || d.b[d.i] == '.' || d.b[d.i] == 'e' || d.b[d.i] == 'E') {
			d.i++
		}
		if _, err := strconv.ParseFloat(string(d.b[start:d.i]), 64); err == nil {
			return nil
		}
	}
	return d.fail("want a value")
}
