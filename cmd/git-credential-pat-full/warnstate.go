package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// warnState is the WarnLog of get's expiry warnings: a small file under
// $XDG_STATE_HOME/git-credential-pat (default ~/.local/state) with one line
// "KEY DAY" per token warned about today. KEY is warnKey, a hash:
// the file holds no token and no host name. It is rewritten only when a
// warning is printed, so the vault is never rewritten for it.
type warnState struct{ path string }

// defaultWarnState places the file; ok is false when there is no home.
func defaultWarnState() (*warnState, bool) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, false
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return &warnState{path: filepath.Join(dir, "git-credential-pat", "expiry-warnings")}, true
}

// FirstToday implements credential.WarnLog. When the file cannot be read or
// written it answers true: a warning too many beats a silent expiry.
func (s *warnState) FirstToday(e credential.Entry, day string) bool {
	return s.firstToday(warnKey(e), day)
}

// warnKey names an entry in the state file without revealing it: a hash of its
// target and expiry, so a renewed token with a new expiry is warned about
// afresh. No token goes into it.
func warnKey(e credential.Entry) string {
	sum := sha256.Sum256([]byte("git-credential-pat warning\x00" + e.Target.String() + "\x00" + e.Expires.UTC().Format(time.RFC3339)))
	return hex.EncodeToString(sum[:16])
}

func (s *warnState) firstToday(key, day string) bool {
	data, err := os.ReadFile(s.path)
	if err != nil && !os.IsNotExist(err) {
		return true
	}
	var kept bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, d, ok := strings.Cut(sc.Text(), " ")
		if !ok || d != day {
			continue // another day's warnings are done with
		}
		if k == key {
			return false
		}
		fmt.Fprintf(&kept, "%s %s\n", k, d)
	}
	fmt.Fprintf(&kept, "%s %s\n", key, day)
	_ = s.write(kept.Bytes())
	return true
}

// write replaces the file atomically, so concurrent readers never see half
// of it.
func (s *warnState) write(data []byte) error {
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".expiry-warnings-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.path)
}
