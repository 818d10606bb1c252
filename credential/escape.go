package credential

import (
	"strconv"
	"unicode/utf8"
)

// Escape returns s safe to print to a terminal: each rune that is not
// printable (a control character such as ESC, BEL or the C1 CSI, a
// bidirectional override) is escaped as strconv.Quote escapes it, and each
// invalid UTF-8 byte as \xNN; the rest is left as is. Stored strings (host,
// path, user name, note, login) may come from an older version or a hand
// edit, and printed raw an ESC would drive the terminal: set its title,
// rewrite what is on screen.
func Escape(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !strconv.IsPrint(r) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s // the usual case: no copy
	}
	const hex = "0123456789abcdef"
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, '\\', 'x', hex[s[i]>>4], hex[s[i]&0xf])
		case !strconv.IsPrint(r):
			q := strconv.AppendQuoteRuneToASCII(nil, r) // '\x1b', with its quotes
			b = append(b, q[1:len(q)-1]...)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}
