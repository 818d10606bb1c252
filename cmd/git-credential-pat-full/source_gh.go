package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store"
	"github.com/git-credential-pat/git-credential-pat/store/keyring"
)

// ghSource is GitHub CLI's logins: hosts.yml, and the OS keyring where gh
// 2.40 and later keep the tokens.
type ghSource struct{ path string }

func ghSources() ([]source, error) {
	dir, err := store.GHConfigDir()
	if err != nil {
		return nil, err
	}
	p := filepath.Join(dir, "hosts.yml")
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("nothing to import: GitHub CLI keeps no logins here (there is no %s); set GH_CONFIG_DIR to the folder gh uses", p)
	}
	return []source{ghSource{p}}, nil
}

func (s ghSource) String() string { return "GitHub CLI's logins (" + s.path + ")" }

func (s ghSource) again() string { return "git-credential-pat import --from gh" }

// ghRef is what removing a login from gh takes.
type ghRef struct{ host, user string }

func (s ghSource) Read(now time.Time) ([]found, error) {
	data, err := os.ReadFile(s.path)
	if err != nil {
		return nil, fmt.Errorf("cannot read GitHub CLI's logins: %w", err)
	}
	logins, err := store.ReadGHHosts(data)
	if err != nil {
		return nil, fmt.Errorf("cannot read GitHub CLI's logins in %s: %w; run gh auth status to see whether gh reads it", s.path, err)
	}
	timeout, err := keyring.TimeoutFromEnv()
	if err != nil {
		return nil, err
	}
	var items []found
	for _, l := range logins {
		it := found{where: fmt.Sprintf("%s:%d", s.path, l.Line), ref: ghRef{l.Host, l.User}}
		token := l.Token
		switch {
		case !credential.HostValid(l.Host) || credential.HostName(l.Host) == "":
			it.problem = "its host is not a host name"
		case token == "":
			// gh 2.40+: the keyring item of the account, and the active
			// account's under an empty name.
			for _, account := range uniqueStrings(l.User, "") {
				secret, ok, err := keyring.ReadForeignItem("gh:"+l.Host, account, timeout)
				if err != nil {
					it.problem = fmt.Sprintf("its token is in the OS keyring, which could not be read: %v", err)
					break
				}
				if ok {
					token = secret
					break
				}
			}
			if token == "" && it.problem == "" {
				it.problem = "gh keeps no token for it, in hosts.yml or in the OS keyring (service gh:" + l.Host + ")"
			}
		}
		if it.problem == "" {
			switch {
			case len(token) > credential.MaxLineLength:
				it.problem = "its token is longer than git can send"
			case !credential.Printable(token) || bytes.ContainsAny([]byte(token), " \t"):
				it.problem = "its token holds spaces or control characters"
			}
		}
		if it.problem == "" {
			it.entry = credential.Entry{
				Target: credential.Target{Host: credential.NormalizeHost("https", l.Host)},
				Token:  token,
				Note:   "imported from GitHub CLI",
				Added:  now.UTC(),
			}
			if l.User != "" {
				it.entry.Note += " (" + l.User + ")"
			}
		}
		items = append(items, it)
	}
	return items, nil
}

// Remove has gh log out of each host: gh owns hosts.yml and its keyring
// items, whose layout changes between its versions, so gh removes them
// itself. Logging out keeps the token valid at the host.
func (s ghSource) Remove(env *environment, imported []found) error {
	done := map[ghRef]bool{}
	for _, it := range imported {
		ref := it.ref.(ghRef)
		if done[ghRef{host: ref.host}] {
			continue
		}
		done[ghRef{host: ref.host}] = true
		cmd := exec.Command("gh", "auth", "logout", "--hostname", ref.host)
		cmd.Env = append(os.Environ(), "GH_PROMPT_DISABLED=1", "GH_NO_UPDATE_NOTIFIER=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("the tokens are in git-credential-pat's store, but gh auth logout --hostname %s failed (%w): %s; run it yourself", ref.host, err, bytes.TrimSpace(out))
		}
		say(env.stdout, "Logged GitHub CLI out of %s (gh auth logout --hostname %s); the token stays valid at the host.", ref.host, ref.host)
	}
	return nil
}

// uniqueStrings is its arguments without repeats, in order.
func uniqueStrings(s ...string) []string {
	var out []string
	for _, v := range s {
		dup := false
		for _, o := range out {
			dup = dup || o == v
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}
