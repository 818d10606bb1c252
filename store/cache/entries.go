package cache

import (
	"bytes"
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
//	password=github_pat_...
//	host=github.com
//	path=acme
//	expires=2026-12-31T23:59:59Z
//
// The keys and the order are credential.Fields': the full program writes
// back what it reads, so a field the wire dropped would be lost from the
// store, and a field of Entry missing from the table fails
// credential.TestFieldsReachEveryField. An expired token is never sent:
// its entry comes with withheld=MASKED instead of its secret fields, so
// the daemon never holds a token past its expiry while the entry still
// takes part in matching.

// keyPassword is the token's key, which withheld replaces.
const keyPassword = "password"

// wireFields finds a field by its key: a map lookup of a line's key costs
// no copy of it.
var wireFields = func() map[string]*credential.Field {
	m := make(map[string]*credential.Field, len(credential.Fields))
	for i := range credential.Fields {
		m[credential.Fields[i].Key] = &credential.Fields[i]
	}
	return m
}()

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
	for i := range entries {
		e := &entries[i] // not a copy: the accessors take its address
		b = append(b, "entry=\n"...)
		withhold := e.Expired(now) || IsWithheld(e.Token)
		for j := range credential.Fields {
			f := &credential.Fields[j]
			if f.Secret && withhold {
				if f.Key == keyPassword {
					put("withheld", credential.Masked(e.Token))
				}
				continue
			}
			if !f.Written(e) {
				continue
			}
			switch f.Type {
			case credential.FieldString:
				put(f.Key, *f.Str(e))
			case credential.FieldBool:
				put(f.Key, "1")
			case credential.FieldTime:
				b = append(append(b, f.Key...), '=')
				b = append(f.Time(e).AppendFormat(b, time.RFC3339Nano), '\n')
			case credential.FieldExpiry:
				put(f.Key, f.Exp(e).String())
			case credential.FieldStrings:
				for _, v := range *f.List(e) {
					put(f.Key, v)
				}
			default:
				return b, fmt.Errorf("the cache cannot write %s, a field of type %d", f.Key, f.Type)
			}
		}
	}
	return b, err
}

// ParseEntries reads what AppendEntries wrote. With inPlace, the strings
// it returns are body's own bytes, not copies: the daemon keeps body in
// locked memory and must keep it, unchanged, as long as it uses them.
func ParseEntries(body []byte, inPlace bool) ([]credential.Entry, error) {
	var entries []credential.Entry
	err := parseEntries(body, inPlace, func() *credential.Entry {
		entries = append(entries, credential.Entry{})
		return &entries[len(entries)-1]
	}, nil)
	if err != nil {
		return nil, err
	}
	return entries, nil
}

// parseEntries reads body's entries, each into the zero Entry next gives,
// and hands each, once read, to done (when not nil) with where its lines
// lie in body. It is both ParseEntries and IndexEntries, so that the
// daemon's index and its decoding cannot tell an entry's bounds or host
// apart.
func parseEntries(body []byte, inPlace bool, next func() *credential.Entry, done func(e *credential.Entry, start, end int)) error {
	str := func(b []byte) string {
		if inPlace && len(b) > 0 {
			return unsafe.String(&b[0], len(b))
		}
		return string(b)
	}
	var e *credential.Entry
	open := -1 // where the entry being read starts
	for lineNo, pos := 1, 0; pos < len(body); lineNo++ {
		start := pos
		end := bytes.IndexByte(body[pos:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += pos
		}
		line := body[start:end]
		pos = min(end+1, len(body))
		eq := bytes.IndexByte(line, '=')
		if eq < 0 {
			return fmt.Errorf("entry line %d is not key=value", lineNo)
		}
		key, value := line[:eq], line[eq+1:]
		if string(key) == "entry" {
			if open >= 0 && done != nil {
				done(e, open, start)
			}
			e, open = next(), start
			continue
		}
		if open < 0 {
			return fmt.Errorf("entry line %d comes before any entry= line", lineNo)
		}
		if string(key) == "withheld" {
			e.Token = withheld(string(value))
			continue
		}
		f := wireFields[string(key)]
		if f == nil {
			continue // a key of a later build: the daemon answers only its own
		}
		var err error
		switch f.Type {
		case credential.FieldString:
			*f.Str(e) = str(value)
			if f.Has != nil {
				*f.Has(e) = true
			}
		case credential.FieldBool:
			*f.Bool(e) = string(value) == "1"
		case credential.FieldTime:
			*f.Time(e), err = time.Parse(time.RFC3339Nano, string(value))
		case credential.FieldExpiry:
			*f.Exp(e), err = credential.ParseExpiry(string(value))
		case credential.FieldStrings:
			*f.List(e) = append(*f.List(e), str(value))
		}
		if err != nil {
			return fmt.Errorf("entry line %d: malformed %s: %w", lineNo, f.Key, err)
		}
	}
	if open >= 0 && done != nil {
		done(e, open, len(body))
	}
	return nil
}

// withheldMark stands in for an expired token in an entry read from the
// daemon, so that the entry can be matched and its expiry reported while
// the token is not there. It holds a NUL, so it never equals a password git
// sends and can never be written to the wire or a store by mistake.
const withheldMark = "\x00"

// IsWithheld reports whether token is a withheld mark, not a token.
func IsWithheld(token string) bool { return strings.Contains(token, withheldMark) }

// withheld is the mark for a token whose masked form (credential.Masked)
// is masked: it masks the same way, and holds nothing more. It is as long
// as the shortest value whose last four characters Masked shows, with or
// without a prefix, so they show.
func withheld(masked string) string {
	prefix, last4, _ := strings.Cut(masked, "****")
	if last4 == "" {
		return prefix + withheldMark
	}
	return prefix + strings.Repeat(withheldMark, 16) + last4
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

// IndexEntries finds each entry of body and its host without keeping the
// rest, so that the daemon keeps a few words per entry and decodes only
// the entries of the host a request names. The host strings are body's
// bytes: keep body, unchanged, as long as they are used. It reads body as
// ParseEntries does, so it refuses what ParseEntries would refuse, and
// its spans and hosts are the entries ParseEntries gives.
func IndexEntries(body []byte) ([]EntrySpan, error) {
	if len(body) > MaxMessage {
		return nil, fmt.Errorf("%w: entries of %d bytes", ErrTooLarge, len(body))
	}
	var spans []EntrySpan
	var scratch credential.Entry
	next := func() *credential.Entry {
		scratch = credential.Entry{}
		return &scratch
	}
	err := parseEntries(body, true, next, func(e *credential.Entry, start, end int) {
		spans = append(spans, EntrySpan{Host: e.Host, Start: int32(start), End: int32(end)})
	})
	if err != nil {
		return nil, err
	}
	return spans, nil
}
