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
	"github.com/git-credential-pat/git-credential-pat/store/cache"
	"github.com/git-credential-pat/git-credential-pat/store/files"
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
	ErrLocked          = errors.New("the vault is locked")
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
	// raw is the ciphertext last read or written, so a read-modify-write in
	// one process decrypts once. What it decrypts to is kept as plain,
	// undecoded, until something needs every entry: then as entries.
	raw     []byte
	plain   []byte
	entries []credential.Entry
	decoded bool
}

var _ Store = (*Vault)(nil)

// DefaultVaultPath is $XDG_DATA_HOME/git-credential-pat/vault.age, with
// XDG_DATA_HOME defaulting to ~/.local/share.
func DefaultVaultPath() (string, error) { return files.VaultPath() }

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

// Stamp identifies the vault file's current state cheaply (files.VaultStamp).
func (v *Vault) Stamp() string { return files.VaultStamp(v.path) }

// String names the vault for messages.
func (v *Vault) String() string { return files.VaultName(v.path) }

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

// ListHost returns the entries whose Host is host, in List's order. Only
// those are decoded: a lookup among many entries pays for one host's.
func (v *Vault) ListHost(host string) ([]credential.Entry, error) {
	raw, err := v.readRaw()
	if err != nil || raw == nil {
		return nil, err
	}
	if err := v.open(raw); err != nil {
		return nil, err
	}
	if !v.decoded {
		var out []credential.Entry
		var bad bool
		whole := eachEntry(v.plain, func(item []byte) bool {
			if is, known := itemHostIs(item, host); known && !is {
				return true
			}
			var e credential.Entry
			if json.Unmarshal(item, &e) != nil {
				bad = true
				return false
			}
			if e.Host == host {
				out = append(out, e)
			}
			return true
		})
		if whole && !bad {
			return out, nil
		}
		// Not as encrypt writes it: decode it all, which finds any fault.
	}
	entries, err := v.decrypt(raw)
	if err != nil {
		return nil, err
	}
	return cache.HostEntries(entries, host), nil
}

// itemHostIs tells, without decoding it, whether an encoded entry's host is
// host. json.Marshal writes an Entry's "host" first, as a plain key; a host
// of printable ASCII without a quote or backslash is written as its own
// bytes, and such bytes decode to themselves. Anything else (an entry
// edited by hand, an escaped host) is not known here: the caller decodes
// the entry.
func itemHostIs(item []byte, host string) (is, known bool) {
	const prefix = `{"host":"`
	if !bytes.HasPrefix(item, []byte(prefix)) {
		return false, false
	}
	rest := item[len(prefix):]
	for i, c := range rest {
		switch {
		case c == '"':
			return string(rest[:i]) == host, true
		case c < 0x20 || c >= 0x7f || c == '\\':
			return false, false
		}
	}
	return false, false
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
	if err := files.CheckPrivate(dir, true); err != nil {
		return err
	}
	unlock, err := files.LockFile(v.path+".lock", v.opts.LockTimeout)
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
	v.raw, v.plain, v.entries, v.decoded = ciphertext, nil, entries, true
	return nil
}

// readRaw returns the vault's bytes, or nil when it does not exist. It
// refuses a vault or folder other users can reach.
func (v *Vault) readRaw() ([]byte, error) {
	if err := files.CheckPrivate(filepath.Dir(v.path), true); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	if err := files.CheckPrivate(v.path, false); err != nil {
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

// decrypt opens raw and decodes every entry, reusing the last result when
// raw has not changed.
func (v *Vault) decrypt(raw []byte) ([]credential.Entry, error) {
	if err := v.open(raw); err != nil {
		return nil, err
	}
	if !v.decoded {
		var file struct {
			Format  string             `json:"format"`
			Entries []credential.Entry `json:"entries"`
		}
		if err := json.Unmarshal(v.plain, &file); err != nil || file.Format != vaultFormat {
			return nil, v.notVault()
		}
		v.plain, v.entries, v.decoded = nil, file.Entries, true
	}
	return v.entries, nil
}

// open decrypts raw, leaving its entries undecoded, unless raw is what was
// opened or written last.
func (v *Vault) open(raw []byte) error {
	if v.raw != nil && bytes.Equal(raw, v.raw) {
		return nil
	}
	if !bytes.HasPrefix(raw, []byte(ageHeader)) {
		return fmt.Errorf("%s is not a git-credential-pat vault (it is not an age file); it was left untouched: move it aside to start a new vault", v.path)
	}
	if !bytes.HasPrefix(raw[len(ageHeader):], []byte(scryptStanza)) {
		return fmt.Errorf("%s is an age file that is not protected by a passphrase, so it is not a git-credential-pat vault; it was left untouched: move it aside to start a new vault", v.path)
	}
	if v.pass == nil {
		pass, err := v.passphrase(false)
		if err != nil {
			return err
		}
		v.pass = pass
	}
	identity, err := age.NewScryptIdentity(string(v.pass))
	if err != nil {
		return fmt.Errorf("cannot use the passphrase: %w", err)
	}
	// Decrypting at an offset into a buffer of the plaintext's size costs
	// one allocation, where reading a stream costs one per chunk and more.
	r, size, err := age.DecryptReaderAt(bytes.NewReader(raw), int64(len(raw)), identity)
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch):
		v.pass = nil
		return fmt.Errorf("%w at %s: check the passphrase (GIT_CREDENTIAL_PAT_PASSPHRASE, or the one typed at the prompt); the vault was not changed", ErrWrongPassphrase, v.path)
	case err != nil:
		return fmt.Errorf("the vault %s is damaged (%v); it was left untouched: restore it from a backup or move it aside", v.path, err)
	}
	plain := make([]byte, size)
	if n, err := r.ReadAt(plain, 0); n != len(plain) || err != nil && err != io.EOF {
		return fmt.Errorf("the vault %s is damaged or truncated (%v); it was left untouched: restore it from a backup or move it aside", v.path, err)
	}
	v.raw, v.plain, v.entries, v.decoded = raw, plain, nil, false
	return nil
}

// vaultPrefix is how json.Marshal begins every vault this program writes.
const vaultPrefix = `{"format":"` + vaultFormat + `","entries":[`

// eachEntry calls fn with each entry of a plaintext exactly as encrypt
// writes it, undecoded, until fn returns false. encoding/json would spend
// more on checking every entry than a lookup spends on all the rest.
// Inside a JSON string json.Marshal escapes every quote and backslash, so
// skipping strings and counting brackets finds each entry's end; entries
// are checked when decoded. It reports false for anything unlike
// encrypt's output (a vault written by hand): the caller decodes it all.
func eachEntry(plain []byte, fn func(item []byte) bool) bool {
	rest, ok := bytes.CutPrefix(plain, []byte(vaultPrefix))
	if !ok {
		return false
	}
	if string(rest) == "]}" {
		return true
	}
	for {
		n := objectLength(rest)
		if n == 0 || !fn(rest[:n:n]) {
			return false
		}
		rest = rest[n:]
		switch {
		case len(rest) > 0 && rest[0] == ',':
			rest = rest[1:]
		case string(rest) == "]}":
			return true
		default:
			return false
		}
	}
}

// objectLength is the length of the JSON object at the start of b, or 0
// when b does not start with a whole one.
func objectLength(b []byte) int {
	if len(b) == 0 || b[0] != '{' {
		return 0
	}
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			// Skip the string: a backslash escapes the byte after it.
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return 0
}

func (v *Vault) notVault() error {
	return fmt.Errorf("%s decrypts, but is not a %s file; it was left untouched: move it aside to start a new vault", v.path, vaultFormat)
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
	return files.SyncDir(dir)
}
