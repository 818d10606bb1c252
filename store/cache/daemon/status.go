package daemon

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// Status is what the daemon tells about itself: never a secret.
type Status struct {
	PID    int       `json:"pid"`
	Socket string    `json:"socket"`
	Stores []Backend `json:"stores"`
}

// Backend is what the daemon holds for one backend.
type Backend struct {
	Name string `json:"name"`
	// PassphraseUntil is when the held passphrase is wiped; zero when none.
	PassphraseUntil time.Time `json:"passphrase_until,omitzero"`
	// EntriesUntil is when the held entries are wiped; zero when none.
	EntriesUntil time.Time       `json:"entries_until,omitzero"`
	Entries      []SnapshotEntry `json:"entries,omitempty"`
}

// SnapshotEntry describes one held entry for status.
type SnapshotEntry struct {
	Target       string    `json:"target"`
	TokenExpires time.Time `json:"token_expires,omitzero"`
}

// Count is how many things are held: passphrase and entries.
func (b Backend) Count() int {
	n := len(b.Entries)
	if !b.PassphraseUntil.IsZero() {
		n++
	}
	return n
}

func (d *daemon) status() Status {
	st := Status{PID: os.Getpid(), Socket: d.listener.Addr().String(), Stores: []Backend{}}
	for key, h := range d.stores {
		b := Backend{Name: key}
		if h.pass != nil {
			b.PassphraseUntil = h.passUntil
		}
		if h.snap != nil {
			b.EntriesUntil, b.Entries = h.snapUntil, h.snapIndex.status()
		}
		st.Stores = append(st.Stores, b)
	}
	slices.SortFunc(st.Stores, func(a, b Backend) int { return strings.Compare(a.Name, b.Name) })
	return st
}

// AskStatus asks the daemon c reaches what it holds. It fails with
// cache.ErrNotRunning when no daemon runs.
func AskStatus(c *cache.Client) (*Status, error) {
	_, _, body, err := c.Call(&cache.Request{Op: cache.OpStatus})
	if err != nil {
		return nil, err
	}
	var st Status
	if err := json.Unmarshal(body, &st); err != nil {
		return nil, fmt.Errorf("the cache daemon's status is unreadable: %w", err)
	}
	return &st, nil
}

// appendJSON appends st as json.Marshal writes it. The daemon writes status
// by hand so that it links no encoding/json: the daemon lives for a whole
// cache interval, and the encoder's code would be resident memory all that
// time. AskStatus, in the full program, reads it with encoding/json.
func (st Status) appendJSON(b []byte) []byte {
	b = append(b, `{"pid":`...)
	b = strconv.AppendInt(b, int64(st.PID), 10)
	b = append(b, `,"socket":`...)
	b = appendJSONString(b, st.Socket)
	b = append(b, `,"stores":[`...)
	for i, s := range st.Stores {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendJSONString(b, s.Name)
		b = appendJSONTime(b, `,"passphrase_until":`, s.PassphraseUntil)
		b = appendJSONTime(b, `,"entries_until":`, s.EntriesUntil)
		if len(s.Entries) > 0 {
			b = append(b, `,"entries":[`...)
			for j, e := range s.Entries {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"target":`...)
				b = appendJSONString(b, e.Target)
				b = appendJSONTime(b, `,"token_expires":`, e.TokenExpires)
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendJSONTime appends key and t as time.Time's MarshalJSON writes it,
// or nothing for the zero time (omitzero).
func appendJSONTime(b []byte, key string, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	b = append(append(b, key...), '"')
	return append(t.AppendFormat(b, time.RFC3339Nano), '"')
}

// appendJSONString appends s quoted as json.Marshal quotes it: invalid
// UTF-8 becomes U+FFFD, and <, >, &, U+2028 and U+2029 are escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\f':
				b = append(b, '\\', 'f')
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = utf8.AppendRune(b, utf8.RuneError)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
