package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// say prints one line, escaped whole by credential.Escape. Messages that
// name what is stored (a host, user name, kind, note, login) are printed
// through here: such a string may come from an older version, a hand-edited
// file or a host's answer, and an ESC in it would drive the terminal.
// Escape leaves printable text as it is, so a part escaped already is not
// escaped again.
func say(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, credential.Escape(fmt.Sprintf(format, args...)))
}

// escapeLines is s with each of its lines escaped: an error's message may
// span lines, and may name anything stored.
func escapeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = credential.Escape(l)
	}
	return strings.Join(lines, "\n")
}
