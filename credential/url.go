package credential

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// URLParts is a URL split into what a credential request holds.
type URLParts struct {
	Protocol, Host, Path string
	Username, Password   string
	HasUsername          bool
	HasPassword          bool
}

// SplitURL splits a URL as git's credential_from_url does: the protocol
// before "://"; a user name, and a password after a colon, before an "@"
// that comes before the first slash; the host up to that slash; and the
// rest as the path, without its leading and trailing slashes. Every part
// but the protocol is percent-decoded, and nothing else is: git splits the
// URLs it sends this way, so a helper that parsed them by another rule
// could look up another host. (It is also why the protocol package does
// not link net/url, whose initialization would cost every git operation.)
//
// It fails only when there is no protocol. Whether the parts make sense is
// the caller's question: see HostValid.
func SplitURL(raw string) (URLParts, bool) {
	protocol, rest, ok := strings.Cut(raw, "://")
	if !ok || protocol == "" {
		return URLParts{}, false
	}
	p := URLParts{Protocol: strings.ToLower(protocol)}
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		slash = len(rest)
	}
	host := rest[:slash]
	if at := strings.IndexByte(rest, '@'); at >= 0 && at < slash {
		user := rest[:at]
		host = rest[at+1 : slash]
		p.HasUsername = true
		if name, password, ok := strings.Cut(user, ":"); ok {
			p.Username, p.Password, p.HasPassword = percentDecode(name), percentDecode(password), true
		} else {
			p.Username = percentDecode(user)
		}
	}
	p.Host = percentDecode(host)
	p.Path = strings.TrimRight(percentDecode(strings.TrimLeft(rest[slash:], "/")), "/")
	return p, true
}

// percentDecode replaces each %XX with the byte it stands for, as git's
// url_decode does; a "%" not followed by two hex digits stays as it is.
func percentDecode(s string) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for ; i >= 0; i = strings.IndexByte(s, '%') {
		b = append(b, s[:i]...)
		s = s[i:]
		if len(s) >= 3 && isHex(s[1]) && isHex(s[2]) {
			b = append(b, unhex(s[1])<<4|unhex(s[2]))
			s = s[3:]
		} else {
			b = append(b, '%')
			s = s[1:]
		}
	}
	return string(append(b, s...))
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// schemeValid reports whether s is a URL scheme as RFC 3986 spells one: a
// letter, then letters, digits, "+", "-" or ".". A target's scheme goes
// into an error message, which must not carry control characters.
func schemeValid(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

// HostValid reports whether host is a host name or address with an
// optional numeric port: non-empty before the port, and made only of what
// a URL's host may hold (a name, a bracketed IPv6 address, or a name in
// another script, as valid UTF-8 of printable runes). A space, a slash or
// an "@" in a host means the URL was not split where its writer meant, and
// a lookup would go astray; a C1 control or a bidirectional override would
// reach the terminal, and an invalid byte would be changed on its way to a
// JSON file, so that cache and file disagree.
//
// It is the one host check: every way a host enters (a target typed, a
// request from git, a line imported, a file read back) goes through it.
func HostValid(host string) bool {
	if !utf8.ValidString(host) || strings.ContainsFunc(host, func(r rune) bool { return !strconv.IsPrint(r) }) {
		return false
	}
	name, port, ok := SplitHostPort(host)
	if !ok {
		return false
	}
	if strings.HasPrefix(host, "[") {
		for i := 0; i < len(name); i++ {
			if c := name[i]; !isHex(c) && c != ':' && c != '.' {
				return false
			}
		}
	} else {
		for i := 0; i < len(name); i++ {
			c := name[i]
			if c < 0x80 && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=", c) >= 0) {
				return false
			}
		}
	}
	n := 0
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
		if n = n*10 + int(port[i]-'0'); n > 65535 {
			return false
		}
	}
	return name != ""
}

// SplitHostPort splits host, as a Target and git's requests hold it (a
// name, an IPv4 address or a bracketed IPv6 address, then an optional
// ":PORT"), into the name, without brackets, and the port, without its
// colon. ok is false when a bracket is left open or followed by anything
// but ":PORT". Neither part is checked (see HostValid).
//
// It is the one split of a host: the forges' host rules (github.com,
// *.ghe.com, gitlab.com, ...) compare its name, so that a port never
// makes a forge's host another's, nor another host a forge's.
func SplitHostPort(host string) (name, port string, ok bool) {
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return host, "", false
		}
		name, rest := host[1:end], host[end+1:]
		if rest == "" {
			return name, "", true
		}
		if rest[0] != ':' {
			return name, "", false
		}
		return name, rest[1:], true
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		return host[:i], host[i+1:], true
	}
	return host, "", true
}

// HostName is host without its port (SplitHostPort's name).
func HostName(host string) string {
	name, _, _ := SplitHostPort(host)
	return name
}
