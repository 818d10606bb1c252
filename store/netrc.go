package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// NetrcEntry is one machine (or default) entry of a .netrc file as curl,
// and so git over HTTPS, reads it.
type NetrcEntry struct {
	// Line is the line of its machine or default keyword.
	Line int
	// Machine is the host name it serves; "" for default.
	Machine  string
	Default  bool
	Login    string
	Password string
	HasLogin bool
	// Start and End are the bytes the entry takes in the file, with the
	// blanks and comment that share its first and last lines: what is
	// removed with it.
	Start, End int
	// Entry is what it is imported as, when Problem is "".
	Entry credential.Entry
	// Problem says why it cannot be imported; "" when it can. It never
	// quotes the password.
	Problem string
}

// DefaultNetrcPath is the file curl reads when git gives it none: ~/.netrc,
// or on Windows ~/_netrc when there is no .netrc (curl 7.66+), HOME being
// what curl takes it from.
func DefaultNetrcPath() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find ~/.netrc: %w; give the file's path", err)
	}
	p := filepath.Join(home, ".netrc")
	if runtime.GOOS == "windows" {
		if _, err := os.Stat(p); err != nil {
			return filepath.Join(home, "_netrc"), nil
		}
	}
	return p, nil
}

// netrcToken is one word of a .netrc file.
type netrcToken struct {
	text       string
	start, end int
	line       int
}

// netrcSpace is what separates words, as curl's ISSPACE.
func netrcSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// ReadNetrc parses a .netrc file by curl's rules (lib/netrc.c, 7.84 and
// later): words are separated by white space, a word starting with # ends
// its line, a word starting with a double quote runs to the closing quote
// with \" \\ \n \r \t escapes (one left open on its line makes curl refuse
// the whole file), keywords are matched in any case; "machine NAME" starts
// an entry, "default" one that serves every host, "login" and "password"
// give its values, "account" takes a value that is ignored, and "macdef"
// skips to the next empty line. Entries it cannot import are returned with
// a Problem, never an error: they stay in the file.
func ReadNetrc(data []byte, now time.Time) []NetrcEntry {
	var entries []NetrcEntry
	var cur *NetrcEntry
	var syntax string
	closeEntry := func() {
		if cur != nil {
			entries = append(entries, *cur)
			cur = nil
		}
	}
	expect := "" // the keyword whose value comes next
	line := 1
	i := 0
	inMacdef := false
	for i < len(data) {
		if inMacdef {
			// Skip lines up to and including an empty one.
			lineStart := i
			nl := bytes.IndexByte(data[i:], '\n')
			if nl < 0 {
				break // the macro runs to the end of the file
			}
			i += nl + 1
			line++
			if text := strings.TrimSuffix(string(data[lineStart:i-1]), "\r"); text == "" {
				inMacdef = false
			}
			continue
		}
		c := data[i]
		if c == '\n' {
			line++
			i++
			continue
		}
		if netrcSpace(c) {
			i++
			continue
		}
		if c == '#' {
			// A comment runs to the end of the line.
			for i < len(data) && data[i] != '\n' {
				i++
			}
			continue
		}
		tok := netrcToken{start: i, line: line}
		if c == '"' {
			var b strings.Builder
			i++
			closed := false
			for i < len(data) && data[i] != '\n' {
				if data[i] == '"' {
					closed = true
					i++
					break
				}
				if data[i] == '\\' && i+1 < len(data) && data[i+1] != '\n' {
					i++
					switch data[i] {
					case 'n':
						b.WriteByte('\n')
					case 'r':
						b.WriteByte('\r')
					case 't':
						b.WriteByte('\t')
					default:
						b.WriteByte(data[i])
					}
					i++
					continue
				}
				b.WriteByte(data[i])
				i++
			}
			if !closed && syntax == "" {
				syntax = fmt.Sprintf("curl refuses the whole file: line %d opens a quoted string it does not close", line)
			}
			tok.text = b.String()
		} else {
			for i < len(data) && !netrcSpace(data[i]) {
				i++
			}
			tok.text = string(data[tok.start:i])
		}
		tok.end = i
		if expect != "" {
			if cur != nil {
				switch expect {
				case "machine":
					cur.Machine = tok.text
				case "login":
					cur.Login, cur.HasLogin = tok.text, true
				case "password":
					cur.Password = tok.text
				}
				cur.End = tok.end
			}
			expect = ""
			continue
		}
		switch strings.ToLower(tok.text) {
		case "machine":
			closeEntry()
			cur = &NetrcEntry{Line: tok.line, Start: tok.start, End: tok.end}
			expect = "machine"
		case "default":
			closeEntry()
			cur = &NetrcEntry{Line: tok.line, Default: true, Start: tok.start, End: tok.end}
		case "macdef":
			closeEntry()
			inMacdef = true
			// The rest of this line is the macro's name.
			for i < len(data) && data[i] != '\n' {
				i++
			}
			if i < len(data) {
				i++
				line++
			}
		case "login", "password", "account":
			if cur != nil {
				cur.End = tok.end
			}
			expect = strings.ToLower(tok.text)
		default:
			// A word curl ignores.
			if cur != nil {
				cur.End = tok.end
			}
		}
	}
	closeEntry()
	for k := range entries {
		e := &entries[k]
		e.Start, e.End = widenToLines(data, e.Start, e.End)
		e.Entry, e.Problem = netrcEntry(e, now)
		if syntax != "" {
			e.Problem = syntax
		}
	}
	// curl takes the first entry for a host (and login): a later one for
	// the same never served git.
	// An entry this reader refuses is still the one curl takes: it counts
	// as the first, as RemoveNetrcEntries counts it.
	seen := map[string]int{}
	for k := range entries {
		e := &entries[k]
		key := netrcKey(*e)
		if first, ok := seen[key]; ok {
			if e.Problem == "" {
				e.Problem = fmt.Sprintf("curl uses the entry on line %d for the same host and login", first)
			}
			continue
		}
		seen[key] = e.Line
	}
	return entries
}

// netrcKey is what curl tells entries apart by: the machine (or default)
// and the login.
func netrcKey(e NetrcEntry) string {
	return fmt.Sprintf("%t\x00%s\x00%t\x00%s", e.Default, strings.ToLower(e.Machine), e.HasLogin, e.Login)
}

// widenToLines takes into an entry's span the blanks before it on its
// first line, and the blanks, comment and line break after it on its last,
// when nothing else shares those lines.
func widenToLines(data []byte, start, end int) (int, int) {
	s := start
	for s > 0 && (data[s-1] == ' ' || data[s-1] == '\t') {
		s--
	}
	if s == 0 || data[s-1] == '\n' {
		start = s
	}
	e := end
	for e < len(data) && (data[e] == ' ' || data[e] == '\t' || data[e] == '\r') {
		e++
	}
	if e < len(data) && data[e] == '#' {
		for e < len(data) && data[e] != '\n' {
			e++
		}
	}
	switch {
	case e == len(data):
		end = e
	case data[e] == '\n':
		end = e + 1
	}
	return start, end
}

// netrcEntry is what an entry is imported as, or why it is not.
func netrcEntry(n *NetrcEntry, now time.Time) (credential.Entry, string) {
	switch {
	case n.Default:
		return credential.Entry{}, "a default entry serves every host that has no machine entry; store its token for each host with: git-credential-pat add HOST"
	case n.Machine == "":
		return credential.Entry{}, "its machine has no name"
	case strings.Contains(n.Machine, ":") || strings.Contains(n.Machine, "/"):
		return credential.Entry{}, "curl compares the machine with the host name alone: a port or path never matches"
	case !credential.HostValid(n.Machine):
		return credential.Entry{}, "its machine is not a host name"
	case n.Password == "":
		return credential.Entry{}, "it holds no password"
	case strings.ContainsAny(n.Password, "\n\r\x00"):
		return credential.Entry{}, "its password holds a control character"
	case len(n.Password) > credential.MaxLineLength:
		return credential.Entry{}, "its password is longer than git can send"
	case !credential.Printable(n.Login) || strings.ContainsAny(n.Login, "\n\r\x00"):
		return credential.Entry{}, "its login holds a control character"
	}
	target := credential.Target{
		Host:        credential.NormalizeHost("https", n.Machine),
		Username:    n.Login,
		HasUsername: n.HasLogin && n.Login != "",
	}
	return credential.Entry{
		Target: target,
		Token:  n.Password,
		Note:   "imported from .netrc",
		Added:  now.UTC(),
	}, ""
}

// RemoveNetrcEntries removes from the .netrc file at path every entry with
// the machine, login and password of one in drop, with the blanks and
// comment on its lines, and the later entries for the same machine and
// login, which curl never used: with the first gone, the next would serve
// git in its place. curl keeps no lock on .netrc: the file is rewritten by
// git's lockfile convention (files.RewriteUnderGitLock), which keeps two
// runs of git-credential-pat apart and replaces the file in one rename, so
// curl reads either the old file or the new one, never half of it. It
// returns the file rewritten and the number of entries left in it.
func RemoveNetrcEntries(path string, drop []NetrcEntry, timeout time.Duration) (string, int, error) {
	dropped := make(map[string]bool, len(drop))
	for _, d := range drop {
		dropped[netrcKey(d)+"\x00"+d.Password] = true
	}
	left := 0
	real, err := files.RewriteUnderGitLock(path, timeout, func(old []byte) ([]byte, error) {
		var b bytes.Buffer
		left = 0
		at := 0
		first := map[string]bool{} // machines and logins seen
		gone := map[string]bool{}  // those whose first entry goes
		for _, e := range ReadNetrc(old, time.Time{}) {
			k := netrcKey(e)
			if !first[k] {
				first[k] = true
				gone[k] = dropped[k+"\x00"+e.Password]
			}
			if !gone[k] || e.Start < at {
				left++
				continue
			}
			b.Write(old[at:e.Start])
			at = e.End
		}
		b.Write(old[at:])
		return b.Bytes(), nil
	})
	return real, left, err
}
