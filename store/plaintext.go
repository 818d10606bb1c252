package store

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/store/files"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/forge/github"
)

// PlaintextLine is one line of git-credential-store's file
// (https://user:password@host/path, percent-encoded) and what it held.
type PlaintextLine struct {
	Number int
	Text   string
	Entry  credential.Entry
	// Problem says why the line cannot be imported; "" when it can.
	Problem string
}

// DefaultPlaintextPath is where git-credential-store keeps its file.
func DefaultPlaintextPath() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find ~/.git-credentials: %w; give the file's path", err)
	}
	return filepath.Join(home, ".git-credentials"), nil
}

// ReadPlaintext parses git-credential-store's file. Lines it cannot import
// are returned with a Problem, never an error: they stay in the file. A
// problem never quotes the line, which holds a password.
func ReadPlaintext(data []byte, now time.Time) []PlaintextLine {
	var lines []PlaintextLine
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), credential.MaxLineLength+1)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		line := PlaintextLine{Number: n, Text: text}
		line.Entry, line.Problem = parsePlaintextLine(text, now)
		lines = append(lines, line)
	}
	return lines
}

func parsePlaintextLine(text string, now time.Time) (credential.Entry, string) {
	u, err := url.Parse(text)
	if err != nil || u.Hostname() == "" {
		return credential.Entry{}, "it is not a URL with a host"
	}
	// The one host check every other way in applies: url.Parse lets
	// percent-encoding put any byte from %08 up into a host (a C1 control,
	// or a lone 0x80 the vault's JSON would turn into U+FFFD, an entry no
	// lookup and no remove could reach again).
	if !credential.HostValid(u.Host) {
		return credential.Entry{}, "its host is not a host name"
	}
	if u.Scheme != "https" {
		return credential.Entry{}, fmt.Sprintf("its protocol is %s; tokens are kept for https only", u.Scheme)
	}
	if u.User == nil {
		return credential.Entry{}, "it holds no user name and password"
	}
	password, ok := u.User.Password()
	if !ok || password == "" {
		return credential.Entry{}, "it holds no password"
	}
	if strings.ContainsAny(password, "\n\r\x00") {
		return credential.Entry{}, "its password holds a control character"
	}
	target := credential.Target{
		Host:        credential.NormalizeHost(u.Scheme, u.Host),
		Path:        credential.NormalizePath(u.Path),
		Username:    u.User.Username(),
		HasUsername: true,
	}
	if !credential.Printable(target.Username) || !credential.Printable(target.Path) {
		return credential.Entry{}, "its user name or path encodes a control character"
	}
	return credential.Entry{
		Target: target,
		Token:  password,
		Kind:   github.KindOf(password),
		Note:   "imported from git-credential-store",
		Added:  now.UTC(),
		// git typed it at its prompt and git-credential-store kept it:
		// when the host refuses it, it is erased as that helper would.
		FromGit: true,
	}, ""
}

// RewritePlaintext replaces the file at path with only the kept lines,
// atomically. The new file is 0600 whatever the old one was: it still holds
// passwords.
func RewritePlaintext(path string, kept []string) error {
	var b strings.Builder
	for _, k := range kept {
		b.WriteString(k)
		b.WriteByte('\n')
	}
	return files.WriteAtomic(path, []byte(b.String()))
}
