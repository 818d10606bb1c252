package store

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/store/files"

	"github.com/git-credential-pat/git-credential-pat/credential"
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

// DefaultPlaintextPaths are the files git-credential-store reads when
// given no --file, in its order: ~/.git-credentials, then
// $XDG_CONFIG_HOME/git/credentials (XDG_CONFIG_HOME defaulting to
// ~/.config).
func DefaultPlaintextPaths() ([]string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, fmt.Errorf("cannot find ~/.git-credentials: %w; give the file's path", err)
	}
	config := os.Getenv("XDG_CONFIG_HOME")
	if config == "" || !filepath.IsAbs(config) {
		config = filepath.Join(home, ".config")
	}
	return []string{filepath.Join(home, ".git-credentials"), filepath.Join(config, "git", "credentials")}, nil
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

// parsePlaintextLine reads one line of git-credential-store's file by
// git's own rule (credential.SplitURL, as credential_from_url splits what
// that helper wrote): another parser could take a user name, host or path
// other than the one git reads from the same line.
func parsePlaintextLine(text string, now time.Time) (credential.Entry, string) {
	u, ok := credential.SplitURL(text)
	if !ok || credential.HostName(u.Host) == "" {
		return credential.Entry{}, "it is not a URL with a host"
	}
	// The one host check every other way in applies: percent-encoding
	// puts any byte into a host (a C1 control, or a lone 0x80 the vault's
	// JSON would turn into U+FFFD, an entry no lookup and no remove could
	// reach again).
	if !credential.HostValid(u.Host) {
		return credential.Entry{}, "its host is not a host name"
	}
	if u.Protocol != "https" {
		return credential.Entry{}, fmt.Sprintf("its protocol is %s; tokens are kept for https only", credential.Escape(u.Protocol))
	}
	if !u.HasUsername {
		return credential.Entry{}, "it holds no user name and password"
	}
	if !u.HasPassword || u.Password == "" {
		return credential.Entry{}, "it holds no password"
	}
	if strings.ContainsAny(u.Password, "\n\r\x00") {
		return credential.Entry{}, "its password holds a control character"
	}
	target := credential.Target{
		Host:        credential.NormalizeHost(u.Protocol, u.Host),
		Path:        credential.NormalizePath(u.Path),
		Username:    u.Username,
		HasUsername: true,
	}
	if !credential.Printable(target.Username) || !credential.Printable(target.Path) {
		return credential.Entry{}, "its user name or path encodes a control character"
	}
	return credential.Entry{
		Target: target,
		Token:  u.Password,
		Note:   "imported from git-credential-store",
		Added:  now.UTC(),
		// git typed it at its prompt and git-credential-store kept it:
		// when the host refuses it, it is erased as that helper would.
		FromGit: true,
	}, ""
}

// PlaintextLockTimeout is how long git-credential-store waits for its
// lock by default (credentialStore.lockTimeoutMS).
const PlaintextLockTimeout = time.Second

// RemovePlaintextLines removes every line whose text is in drop from
// git-credential-store's file at path, under git's lock and as git rewrites
// it (files.RewriteUnderGitLock: through a link, the link's target). The
// file is read again under the lock, so a line git stored since it was
// imported stays. Blank lines go. It returns the file rewritten and the
// number of lines left in it.
func RemovePlaintextLines(path string, drop []string, timeout time.Duration) (string, int, error) {
	dropped := make(map[string]bool, len(drop))
	for _, d := range drop {
		dropped[d] = true
	}
	left := 0
	real, err := files.RewriteUnderGitLock(path, timeout, func(old []byte) ([]byte, error) {
		var b bytes.Buffer
		left = 0
		// Split, not a Scanner: a line of any length is kept whole.
		for _, line := range strings.Split(string(old), "\n") {
			text := strings.TrimSuffix(line, "\r")
			if strings.TrimSpace(text) == "" || dropped[text] {
				continue
			}
			b.WriteString(text)
			b.WriteByte('\n')
			left++
		}
		return b.Bytes(), nil
	})
	return real, left, err
}
