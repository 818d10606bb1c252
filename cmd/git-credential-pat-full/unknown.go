package main

import (
	"bufio"
	"io"
	"strings"
)

// commandNames are the actions and commands run knows, for "did you mean".
var commandNames = []string{
	"get", "store", "erase",
	"new", "add", "list", "remove", "import", "check", "verify", "rotate", "edit",
	"cache", "migrate", "doctor", "help", "version",
}

// synonyms are the words other tools use for a command, which no edit
// distance finds: rm and delete are remove, status is cache status.
var synonyms = map[string]string{
	"rm": "remove", "delete": "remove", "del": "remove",
	"ls": "list", "show": "list",
	"status": "cache status", "stop": "cache exit",
	"create": "new", "renew": "rotate", "test": "verify", "login": "add",
}

// unknownAction decides about an action run does not know. git passes its
// helpers actions it may add in the future, with a request on standard
// input and nothing after the action; git-credential(1) asks helpers to
// ignore those, so that is nil (exit 0). Anything else is a person's or a
// script's mistake, a usage error: a cron job with a typo must not succeed
// in silence.
func unknownAction(action string, rest []string, stdin io.Reader) error {
	if cmd, ok := synonyms[strings.ToLower(action)]; ok {
		return usagef("unknown command %q; did you mean %s? Run git-credential-pat --help", action, cmd)
	}
	if near := closestCommands(action); len(near) > 0 {
		return usagef("unknown command %q; did you mean %s? Run git-credential-pat --help", action, strings.Join(near, " or "))
	}
	switch {
	case strings.HasPrefix(action, "-") || isTerminal(stdin):
		return usagef("unknown command %q; run git-credential-pat --help", action)
	case len(rest) > 0:
		return usagef("unknown command %q (git sends its actions without arguments); run git-credential-pat --help", action)
	case !holdsRequest(stdin):
		return usagef("unknown command %q (git sends its actions with a request on standard input, and there is none); run git-credential-pat --help", action)
	}
	return nil
}

// holdsRequest reports whether r starts like a request of git's: a
// key=value line before a blank line or the end. It reads no further than
// that line, so a writer that keeps its end open does not hold it up. What
// it reads is consumed; nothing else is done with an unknown action's
// request.
func holdsRequest(r io.Reader) bool {
	lines := bufio.NewScanner(io.LimitReader(r, 1<<20))
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		if line == "" {
			return false
		}
		if key, _, ok := strings.Cut(line, "="); ok && key != "" {
			return true
		}
	}
	return false
}

// closestCommands are the known commands action is a likely typo of: the
// nearest, when at most one edit away for names of up to four letters, two
// for longer ones (a swap of neighbours counts as one edit; case counts as
// none).
func closestCommands(action string) []string {
	action = strings.ToLower(action)
	limit := 1
	if len(action) > 4 {
		limit = 2
	}
	var near []string
	best := limit + 1
	for _, name := range commandNames {
		switch d := editDistance(action, name); {
		case d < best:
			near, best = []string{name}, d
		case d == best:
			near = append(near, name)
		}
	}
	return near
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbouring letters.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
