package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"filippo.io/age"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// vaultFormat names the plaintext format; see FORMAT.md.
const vaultFormat = "git-credential-pat vault v1"

// DefaultScryptWorkFactor is log2 of scrypt's N for new vault files. On the
// 2-core machine the project is developed on, 2^17 costs about 0.36 s per
// unlock: deliberate for a guesser, and paid once per cache interval.
const DefaultScryptWorkFactor = 17

// DefaultLockTimeout is how long a writer waits for the vault lock. A queue
// of concurrent git processes, each paying two key derivations, needs
// minutes, not seconds.
const DefaultLockTimeout = 5 * time.Minute

// Errors a caller may want to tell apart.
var (
	ErrWrongPassphrase = errors.New("the passphrase does not unlock the vault")
	ErrLocked          = errors.New("the vault is locked and no passphrase is available")
)

// PassphraseFunc supplies the vault passphrase. create is true when the vault
// does not exist yet and the passphrase will protect a new one.
type PassphraseFunc func(create bool) ([]byte, error)

// VaultOptions configures a Vault. Zero values take the defaults.
type VaultOptions struct {
	Passphrase       PassphraseFunc
	ScryptWorkFactor int
	LockTimeout      time.Duration
}

// Vault is the encrypted file store: one age file holding every entry.
type Vault struct {
	path string
	opts VaultOptions

	// pass is the passphrase once asked, so one process asks at most once.
	pass []byte
	// raw and entries are the ciphertext last read or written and what it
	// decrypts to, so a read-modify-write in one process decrypts once.
	raw     []byte
	entries []credential.Entry
}

var _ Store = (*Vault)(nil)

// DefaultVaultPath is $XDG_DATA_HOME/git-credential-pat/vault.age, with
// XDG_DATA_HOME defaulting to ~/.local/share.
func DefaultVaultPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot find the vault: %w; set HOME or XDG_DATA_HOME", err)
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "git-credential-pat", "vault.age"), nil
}

// NewVault returns the vault at path. Nothing is read until it is used.
func NewVault(path string, opts VaultOptions) *Vault {
	if opts.ScryptWorkFactor == 0 {
		opts.ScryptWorkFactor = DefaultScryptWorkFactor
	}
	if opts.LockTimeout == 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	return &Vault{path: path, opts: opts}
}

// Path is the vault file's location.
func (v *Vault) Path() string { return v.path }

// String names the vault for messages.
func (v *Vault) String() string { return "the encrypted vault " + v.path }

// Exists reports whether the vault file is there.
func (v *Vault) Exists() bool {
	_, err := os.Stat(v.path)
	return err == nil
}

// List returns every entry. A vault that does not exist yet is empty and
// asks for no passphrase.
func (v *Vault) List() ([]credential.Entry, error) {
	raw, err := v.readRaw()
	if err != nil || raw == nil {
		return nil, err
	}
	entries, err := v.decrypt(raw)
	return slices.Clone(entries), err
}

// Get returns the entry stored under exactly target.
func (v *Vault) Get(target credential.Target) (credential.Entry, error) {
	entries, err := v.List()
	if err != nil {
		return credential.Entry{}, err
	}
	if i := find(entries, target); i >= 0 {
		return entries[i], nil
	}
	return credential.Entry{}, fmt.Errorf("%s: %w", target, ErrNotFound)
}

// Add inserts or replaces entries. The first Add creates the vault.
func (v *Vault) Add(entries ...credential.Entry) error {
	return v.update(func(old []credential.Entry) ([]credential.Entry, error) {
		return merge(old, entries...), nil
	})
}

// Delete removes the entries stored under targets.
func (v *Vault) Delete(targets ...credential.Target) error {
	if !v.Exists() {
		return nil
	}
	return v.update(func(old []credential.Entry) ([]credential.Entry, error) {
		return without(old, targets...), nil
	})
}

// Update runs change on the current entries under the vault's write lock
// and saves what it returns: a read-modify-write no concurrent writer can
// interleave with.
func (v *Vault) Update(change func([]credential.Entry) ([]credential.Entry, error)) error {
	return v.update(change)
}

func (v *Vault) update(change func([]credential.Entry) ([]credential.Entry, error)) error {
	dir := filepath.Dir(v.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create the vault folder: %w", err)
	}
	if err := checkPrivate(dir, true); err != nil {
		return err
	}
	unlock, err := lockFile(v.path+".lock", v.opts.LockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	removeStaleTemporaries(v.path)

	raw, err := v.readRaw()
	if err != nil {
		return err
	}
	var entries []credential.Entry
	if raw != nil {
		if entries, err = v.decrypt(raw); err != nil {
			return err
		}
	} else if v.pass == nil {
		if v.pass, err = v.passphrase(true); err != nil {
			return err
		}
	}
	entries, err = change(slices.Clone(entries))
	if err != nil {
		return err
	}
	ciphertext, err := v.encrypt(entries)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(v.path, ciphertext); err != nil {
		return fmt.Errorf("could not save the vault %s, which is unchanged: %w", v.path, err)
	}
	v.raw, v.entries = ciphertext, entries
	return nil
}

// readRaw returns the vault's bytes, or nil when it does not exist. It
// refuses a vault or folder other users can reach.
func (v *Vault) readRaw() ([]byte, error) {
	if err := checkPrivate(filepath.Dir(v.path), true); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	if err := checkPrivate(v.path, false); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	raw, err := os.ReadFile(v.path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the vault: %w", err)
	}
	return raw, nil
}

func (v *Vault) passphrase(create bool) ([]byte, error) {
	if v.opts.Passphrase == nil {
		return nil, ErrLocked
	}
	return v.opts.Passphrase(create)
}

const (
	ageHeader    = "age-encryption.org/v1\n"
	scryptStanza = "-> scrypt "
)

// decrypt opens raw, reusing the last result when raw has not changed.
func (v *Vault) decrypt(raw []byte) ([]credential.Entry, error) {
	if v.raw != nil && bytes.Equal(raw, v.raw) {
		return v.entries, nil
	}
	if !bytes.HasPrefix(raw, []byte(ageHeader)) {
		return nil, fmt.Errorf("%s is not a git-credential-pat vault (it is not an age file); it was left untouched: move it aside to start a new vault", v.path)
	}
	if !bytes.HasPrefix(raw[len(ageHeader):], []byte(scryptStanza)) {
		return nil, fmt.Errorf("%s is an age file that is not protected by a passphrase, so it is not a git-credential-pat vault; it was left untouched: move it aside to start a new vault", v.path)
	}
	if v.pass == nil {
		pass, err := v.passphrase(false)
		if err != nil {
			return nil, err
		}
		v.pass = pass
	}
	identity, err := age.NewScryptIdentity(string(v.pass))
	if err != nil {
		return nil, fmt.Errorf("cannot use the passphrase: %w", err)
	}
	r, err := age.Decrypt(bytes.NewReader(raw), identity)
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch):
		v.pass = nil
		return nil, fmt.Errorf("%w at %s: check the passphrase (GIT_CREDENTIAL_PAT_PASSPHRASE, or the one typed at the prompt); the vault was not changed", ErrWrongPassphrase, v.path)
	case err != nil:
		return nil, fmt.Errorf("the vault %s is damaged (%v); it was left untouched: restore it from a backup or move it aside", v.path, err)
	}
	plaintext, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("the vault %s is damaged or truncated (%v); it was left untouched: restore it from a backup or move it aside", v.path, err)
	}
	var file struct {
		Format  string             `json:"format"`
		Entries []credential.Entry `json:"entries"`
	}
	if err := json.Unmarshal(plaintext, &file); err != nil || file.Format != vaultFormat {
		return nil, fmt.Errorf("%s decrypts, but is not a %s file; it was left untouched: move it aside to start a new vault", v.path, vaultFormat)
	}
	v.raw, v.entries = raw, file.Entries
	return file.Entries, nil
}

func (v *Vault) encrypt(entries []credential.Entry) ([]byte, error) {
	if entries == nil {
		entries = []credential.Entry{}
	}
	plaintext, err := json.Marshal(struct {
		Format  string             `json:"format"`
		Entries []credential.Entry `json:"entries"`
	}{vaultFormat, entries})
	if err != nil {
		return nil, err
	}
	recipient, err := age.NewScryptRecipient(string(v.pass))
	if err != nil {
		return nil, fmt.Errorf("cannot use the passphrase: %w", err)
	}
	recipient.SetWorkFactor(v.opts.ScryptWorkFactor)
	var out bytes.Buffer
	w, err := age.Encrypt(&out, recipient)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// removeStaleTemporaries deletes temporary files a killed writer left
// behind. Called under the write lock, when no live writer has one open.
func removeStaleTemporaries(path string) {
	stale, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp"))
	for _, f := range stale {
		os.Remove(f)
	}
}

// writeFileAtomic replaces path with data so that a crash at any moment
// leaves either the old file or the new one: temporary file in the same
// folder, fsync, rename, fsync the folder.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}
