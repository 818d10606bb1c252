package cache

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Status is what the daemon tells about itself: never a secret. On the
// wire it is the body of the status reply, in git's line format:
//
//	pid=4242
//	socket=/run/user/1000/git-credential-pat/socket
//	backend=vault:/home/alice/.local/share/git-credential-pat/vault.age
//	secret_until=2026-11-29T10:15:00Z
//	entries_until=2026-11-29T10:15:00Z
//	target=github.com/acme
type Status struct {
	PID    int
	Build  string // the daemon's BuildID, from its reply
	Socket string
	Stores []Held
}

// Held is what the daemon holds for one backend.
type Held struct {
	Backend string // a backend.ID
	// SecretUntil is when the held secret is wiped; zero when none.
	SecretUntil time.Time
	// EntriesUntil is when the held entries are wiped; zero when none.
	EntriesUntil time.Time
	Targets      []string
}

// Count is how many things are held: the secret and the entries.
func (h Held) Count() int {
	n := len(h.Targets)
	if !h.SecretUntil.IsZero() {
		n++
	}
	return n
}

// AppendStatus renders st as the status reply's body.
func AppendStatus(b []byte, st *Status) []byte {
	put := func(key, value string) {
		b = append(append(append(append(b, key...), '='), oneLine(value)...), '\n')
	}
	put("pid", strconv.Itoa(st.PID))
	put("socket", st.Socket)
	for _, h := range st.Stores {
		put("backend", h.Backend)
		if !h.SecretUntil.IsZero() {
			put("secret_until", h.SecretUntil.Format(time.RFC3339Nano))
		}
		if !h.EntriesUntil.IsZero() {
			put("entries_until", h.EntriesUntil.Format(time.RFC3339Nano))
		}
		for _, t := range h.Targets {
			put("target", t)
		}
	}
	return b
}

// ParseStatus reads what AppendStatus wrote.
func ParseStatus(body []byte) (*Status, error) {
	st := &Status{}
	for _, line := range strings.Split(strings.TrimSuffix(string(body), "\n"), "\n") {
		if line == "" {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("malformed status line %q", oneLine(line))
		}
		var err error
		h := &Held{}
		if n := len(st.Stores); n > 0 {
			h = &st.Stores[n-1]
		}
		switch key {
		case "pid":
			st.PID, err = strconv.Atoi(value)
		case "socket":
			st.Socket = value
		case "backend":
			st.Stores = append(st.Stores, Held{Backend: value})
		case "secret_until":
			h.SecretUntil, err = time.Parse(time.RFC3339Nano, value)
		case "entries_until":
			h.EntriesUntil, err = time.Parse(time.RFC3339Nano, value)
		case "target":
			h.Targets = append(h.Targets, value)
		}
		if err != nil {
			return nil, fmt.Errorf("malformed status line %q: %w", oneLine(line), err)
		}
	}
	return st, nil
}

// Status asks the daemon what it holds. It fails with an error wrapping
// ErrNotRunning when no daemon runs.
func (c *Client) Status() (*Status, error) {
	reply, err := c.Call(&Request{Op: OpStatus})
	if err != nil {
		return nil, err
	}
	st, err := ParseStatus(reply.Body)
	if err != nil {
		return nil, err
	}
	st.Build = reply.Build
	return st, nil
}
