package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store/keyring"
)

// libsecretSource is what git's git-credential-libsecret stored in the
// Secret Service.
type libsecretSource struct{}

func (libsecretSource) String() string {
	return "git-credential-libsecret's passwords in the Secret Service"
}

func (libsecretSource) again() string { return "git-credential-pat import --from libsecret" }

func (libsecretSource) Read(now time.Time) ([]found, error) {
	timeout, err := keyring.TimeoutFromEnv()
	if err != nil {
		return nil, err
	}
	passwords, err := keyring.NetworkPasswords(timeout)
	if err != nil {
		return nil, err
	}
	var items []found
	for _, p := range passwords {
		it := found{where: fmt.Sprintf("the item %q", p.Label), ref: p.Item}
		it.entry, it.problem = libsecretEntry(p, now)
		items = append(items, it)
	}
	return items, nil
}

// libsecretEntry is what an item is imported as, or why it is not: its
// attributes are those git-credential-libsecret set from what git gave it
// (protocol, server, port, user, object), its secret the password, then,
// from git 2.41 on, lines of other fields.
func libsecretEntry(p keyring.NetworkPassword, now time.Time) (credential.Entry, string) {
	a := p.Attributes
	host := a["server"]
	if a["port"] != "" {
		host += ":" + a["port"]
	}
	token, _, _ := strings.Cut(p.Secret, "\n")
	switch {
	case p.Locked:
		return credential.Entry{}, "its keyring is locked: unlock it (" + keyring.UnlockSteps()[0] + ") and import again"
	case !credential.HostValid(host) || credential.HostName(host) == "":
		return credential.Entry{}, "its server is not a host name"
	case a["protocol"] != "https":
		return credential.Entry{}, fmt.Sprintf("its protocol is %s; tokens are kept for https only", credential.Escape(a["protocol"]))
	case token == "":
		return credential.Entry{}, "it holds no password"
	case strings.ContainsAny(token, "\r\x00") || len(token) > credential.MaxLineLength:
		return credential.Entry{}, "its password holds a control character or is longer than git can send"
	case !credential.Printable(a["user"]) || !credential.Printable(a["object"]):
		return credential.Entry{}, "its user name or path holds a control character"
	}
	return credential.Entry{
		Target: credential.Target{
			Host:        credential.NormalizeHost("https", host),
			Path:        credential.NormalizePath(a["object"]),
			Username:    a["user"],
			HasUsername: a["user"] != "",
		},
		Token: token,
		Note:  "imported from git-credential-libsecret",
		Added: now.UTC(),
		// git typed it at its prompt and the helper kept it: when the
		// host refuses it, it is erased as that helper would.
		FromGit: true,
	}, ""
}

// Remove deletes the imported items from the Secret Service, one by one:
// it deletes no more than one item at a time.
func (s libsecretSource) Remove(env *environment, imported []found) error {
	var paths []string
	for _, it := range imported {
		paths = append(paths, it.ref.(string))
	}
	timeout, err := keyring.TimeoutFromEnv()
	if err != nil {
		return err
	}
	if err := keyring.DeleteNetworkPasswords(paths, timeout); err != nil {
		return fmt.Errorf("the tokens are in git-credential-pat's store, but not every item was deleted: %w; run the import again to delete the rest", err)
	}
	fmt.Fprintf(env.stdout, "Deleted %d of git-credential-libsecret's items from the Secret Service.\n", len(paths))
	return nil
}
