package pass

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Recipient is one key the folder's entries are encrypted to, as the
// .gpg-id file names it and, when the key is in this GnuPG home, whose it
// is.
type Recipient struct {
	ID   string // as .gpg-id has it: a key ID, fingerprint or e-mail
	User string // the key's first user ID; "" when this home lacks the key
}

// Recipients reads who can read the entries: the .gpg-id pass encrypts the
// folder to (its own, made by pass init -p, else the nearest one above
// it), each key named after its user ID where gpg knows it. Several keys
// mean a team shares the tokens: each of them decrypts with their own.
func (s *Store) Recipients() (gpgID string, recipients []Recipient, err error) {
	for dir := s.Folder(); ; dir = filepath.Dir(dir) {
		gpgID = filepath.Join(dir, ".gpg-id")
		ids, err := readGPGID(gpgID)
		if err == nil {
			for _, id := range ids {
				recipients = append(recipients, Recipient{ID: id, User: s.userOf(id)})
			}
			return gpgID, recipients, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return gpgID, nil, err
		}
		if filepath.Clean(dir) == filepath.Clean(s.dir) || filepath.Dir(dir) == dir {
			return "", nil, fmt.Errorf("the password store %s has no .gpg-id: initialize it with: pass init KEY", s.dir)
		}
	}
}

// readGPGID reads a .gpg-id file as pass does: one key per line, with
// blank lines and "#" comments left out.
func readGPGID(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ids []string
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		line, _, _ := strings.Cut(lines.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			ids = append(ids, line)
		}
	}
	return ids, lines.Err()
}

// userOf is the first user ID of the public key id in this GnuPG home, or
// "" when it has none.
func (s *Store) userOf(id string) string {
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.Timeout)
	defer cancel()
	out, err := s.runIn(ctx, "gpg", nil, "--batch", "--with-colons", "--list-keys", "--", id)
	if err != nil {
		return ""
	}
	for line := range strings.SplitSeq(string(out), "\n") {
		if fields := strings.Split(line, ":"); len(fields) > 9 && fields[0] == "uid" {
			return unescapeColons(fields[9])
		}
	}
	return ""
}

// unescapeColons undoes gpg's --with-colons escaping (\x3a for ":" and
// the like) of a user ID.
func unescapeColons(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if c, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(c))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
