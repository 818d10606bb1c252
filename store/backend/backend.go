// Package backend names the places tokens live and holds the one rule of
// which of them is in force. A backend's identity is typed ("vault:PATH",
// "keyring:INDEX", "pass:FOLDER"), never a message: the cache daemon keys what it holds by
// it, and the full program and the daemon both ask Choose which one a
// request means, so the two cannot disagree.
//
// It imports nothing heavy: the cache daemon links it.
package backend

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// Kinds of backend.
const (
	KindVault   = "vault"
	KindKeyring = "keyring"
	KindPass    = "pass"
)

// ID identifies one backend: its kind and the file that identifies it (the
// vault, or the keyring's index of what it holds).
type ID string

// Vault is the ID of the encrypted vault at path.
func Vault(path string) ID { return ID(KindVault + ":" + path) }

// Keyring is the ID of the OS keyring whose index is at path.
func Keyring(index string) ID { return ID(KindKeyring + ":" + index) }

// Kind is "vault" or "keyring"; "" for an ID that is not one.
func (id ID) Kind() string {
	kind, _, _ := strings.Cut(string(id), ":")
	return kind
}

// Path is the file that identifies the backend.
func (id ID) Path() string {
	_, path, _ := strings.Cut(string(id), ":")
	return path
}

// Describe names the backend in messages.
func (id ID) Describe() string {
	switch id.Kind() {
	case KindVault:
		return "the encrypted vault " + id.Path()
	case KindKeyring:
		return "the OS keyring"
	case KindPass:
		return "the password store folder " + id.Path()
	}
	return string(id)
}

// Stamp identifies the state of the backend's file cheaply: every write
// changes it, so what a cache holds is served only while it is unchanged.
func Stamp(id ID) string {
	if id.Kind() == KindPass {
		return passStamp(id.Path())
	}
	return files.VaultStamp(id.Path())
}

// The settings --backend and GIT_CREDENTIAL_PAT_BACKEND take.
const (
	SettingAuto    = "auto"
	SettingKeyring = "keyring"
	SettingFile    = "file"
	SettingPass    = "pass"
)

// ErrSetting is wrapped by Choose for a setting that names no backend.
var ErrSetting = errors.New("the backend must be auto, keyring, file or pass")

// Choice is what a setting means here and now.
type Choice struct {
	// ID is the backend in force.
	ID ID
	// Fallback, when set, is used instead of ID when ID (the OS keyring)
	// does not answer or is locked: only auto has one.
	Fallback ID
	// Why says why, for doctor.
	Why string
}

// Choose applies the rule of which backend a setting means, for an
// environment (getenv: the environment of the program that asks). file,
// keyring and pass mean themselves. auto means the backend remembered (see
// Remember: migrate and the first write that lands in pass or the keyring
// remember it); else where tokens are kept already: the OS keyring while
// its index lists any, else the vault when it exists; with neither, the
// keyring, falling back to the vault when the keyring is not usable. Once
// the keyring holds tokens or is remembered there is no fallback: locked
// or unreachable, it is said so, and a token git stores meanwhile never
// lands in the vault, stranded there once the keyring is back. Whether the
// keyring answers is for the caller to find out: this reads no secret and
// talks to no service.
func Choose(setting string, getenv func(string) string) (Choice, error) {
	vault, err := files.VaultPathFor(getenv)
	if err != nil {
		return Choice{}, err
	}
	index := files.KeyringIndexPathFor(vault)
	switch setting {
	case SettingFile:
		return Choice{ID: Vault(vault)}, nil
	case SettingKeyring:
		return Choice{ID: Keyring(index)}, nil
	case SettingPass:
		return choosePass(getenv, "")
	case "", SettingAuto:
	default:
		return Choice{}, fmt.Errorf("%w, not %q", ErrSetting, setting)
	}
	// pass is never guessed: only a choice remembered beside the vault
	// makes auto take it.
	remembered, err := Remembered(vault)
	if err != nil {
		return Choice{}, err
	}
	switch remembered {
	case SettingPass:
		return choosePass(getenv, "auto: pass was chosen and is remembered in "+RememberedPath(vault)+" (git-credential-pat migrate --to file or --to keyring changes it)")
	case SettingKeyring:
		return Choice{ID: Keyring(index), Why: "auto: the OS keyring holds the tokens and is remembered in " + RememberedPath(vault) + " (git-credential-pat migrate --to file or --to pass changes it)"}, nil
	}
	if exists(index) {
		return Choice{ID: Keyring(index), Why: "auto: the keyring index lists tokens"}, nil
	}
	if exists(vault) {
		return Choice{ID: Vault(vault), Why: "auto: the vault exists and the keyring index lists no token"}, nil
	}
	return Choice{ID: Keyring(index), Fallback: Vault(vault), Why: "auto: no token is stored yet"}, nil
}

// exists reports whether something is at path. Anything but "nothing
// there" counts, so that an unreadable file is looked at closer rather
// than ignored.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, fs.ErrNotExist)
}
