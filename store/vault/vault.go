// Package vault is the encrypted vault backend: every entry in one age
// file encrypted to an X25519 key, the key kept beside it under the
// passphrase (see ../FORMAT.md), so that stock age can always open it. It
// is the default where no OS keyring answers: headless servers, CI.
package vault

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
	"strings"
	"time"

	"filippo.io/age"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store"
	"github.com/git-credential-pat/git-credential-pat/store/backend"
	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// vaultFormat names the plaintext format; see FORMAT.md.
const vaultFormat = "git-credential-pat vault v1"

// DefaultScryptWorkFactor is log2 of scrypt's N for new key files. On the
// 2-core machine the project is developed on, 2^17 costs about 0.36 s per
// unlock: deliberate for a guesser, and paid once per cache interval.
const DefaultScryptWorkFactor = 17

// Errors a caller may want to tell apart.
var (
	ErrWrongPassphrase = errors.New("the passphrase does not unlock the vault")
	ErrLocked          = errors.New("the vault is locked")
)

// PassphraseFunc supplies the vault passphrase. create is true when the vault
// does not exist yet and the passphrase will protect a new one.
type PassphraseFunc func(create bool) ([]byte, error)

// KeyKeeper holds what unlocks a vault between processes, so that a
// process that finds it there derives no key from the passphrase: the cache
// daemon does, in locked memory, for its interval (see Cache.KeyKeeper).
// What it holds is the vault's key, as age-keygen writes it
// (AGE-SECRET-KEY-1...), or, for a vault written before vaults had keys,
// the passphrase.
type KeyKeeper interface {
	// HeldKey returns what is held for the vault, or nil.
	HeldKey() []byte
	// KeepKey is given what unlocked the vault in this process, once it
	// has: to hold in place of whatever was held.
	KeepKey(secret []byte)
	// ForgetKey is told that what is held does not unlock the vault (it
	// was replaced): the keeper drops it, and the user is asked.
	ForgetKey()
}

// Options configures a Vault. Zero values take the defaults.
type Options struct {
	Passphrase PassphraseFunc
	// Keys, when set, is asked for the vault's key before the user is
	// asked for the passphrase, and given the key once it is unwrapped.
	Keys             KeyKeeper
	ScryptWorkFactor int
	LockTimeout      time.Duration
	// PassphraseTries is how many passphrases Passphrase may be asked for
	// before a wrong one is final: a person at a terminal mistypes, a
	// variable does not get better by asking again. Zero means one.
	PassphraseTries int
	// Notices, when set, is told what the person must know of what the
	// vault did on its own: a key file set aside. Nil says nothing.
	Notices io.Writer
}

// Vault is the encrypted file store: one age file holding every entry,
// encrypted to an X25519 key that a second age file beside it keeps under
// the passphrase (see FORMAT.md). Only unwrapping that key costs a key
// derivation, so a process given the key by the cache daemon reads and
// writes the vault in microseconds of cryptography.
type Vault struct {
	path string
	opts Options

	// key opens the vault once unwrapped or handed over, so one process
	// asks at most once. pass is the passphrase while it is still needed:
	// to open a vault from before keys, or to wrap a new key.
	key  *age.X25519Identity
	pass []byte
	// fromKeeper is set while key or pass is what opts.Keys held, and
	// keeperTried once opts.Keys was asked (once per process); handOver is
	// what opts.Keys is to be given once the vault has opened with it.
	fromKeeper, keeperTried bool
	handOver                []byte
	// tries counts the passphrases asked for and found wrong.
	tries int
	// raw is the ciphertext last read or written, so a read-modify-write in
	// one process decrypts once. What it decrypts to is kept as plain,
	// undecoded, until something needs every entry: then as entries.
	raw     []byte
	plain   []byte
	entries []credential.Entry
	decoded bool
}

var _ store.Store = (*Vault)(nil)

// DefaultPath is $XDG_DATA_HOME/git-credential-pat/vault.age, with
// XDG_DATA_HOME defaulting to ~/.local/share.
func DefaultPath() (string, error) { return files.VaultPath() }

// New returns the vault at path. Nothing is read until it is used.
func New(path string, opts Options) *Vault {
	if opts.ScryptWorkFactor == 0 {
		opts.ScryptWorkFactor = DefaultScryptWorkFactor
	}
	if opts.LockTimeout == 0 {
		opts.LockTimeout = files.DefaultLockTimeout
	}
	return &Vault{path: path, opts: opts}
}

// Path is the vault file's location.
func (v *Vault) Path() string { return v.path }

// KeyPath is the location of the key file, beside the vault: vault.age's is
// vault.key.age.
func (v *Vault) KeyPath() string {
	return strings.TrimSuffix(v.path, ".age") + ".key.age"
}

// String names the vault for messages.
func (v *Vault) String() string { return backend.Vault(v.path).Describe() }

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
// those are decoded, and the vault is decrypted as a stream: a lookup among
// many entries pays for one host's, and touches little memory beyond what
// one lookup among few does.
func (v *Vault) ListHost(host string) ([]credential.Entry, error) {
	f, err := v.openFile()
	if err != nil || f == nil {
		return nil, err
	}
	defer f.Close()
	var out []credential.Entry
	var bad bool
	whole, err := v.eachEntryOf(f, func(item []byte) bool {
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
	if err != nil {
		return nil, err
	}
	if whole && !bad {
		return out, nil
	}
	// Not as encrypt writes it: decode it all, which finds any fault.
	entries, err := v.List()
	if err != nil {
		return nil, err
	}
	return store.HostEntries(entries, host), nil
}

// eachEntryOf decrypts the vault file f as a stream and calls fn with each
// entry, undecoded (see entryStream). It reads to the end, so a truncated
// or altered file is an error even after fn has seen every entry. whole is
// false when the plaintext is not as encrypt writes it.
func (v *Vault) eachEntryOf(f *os.File, fn func(item []byte) bool) (whole bool, err error) {
	fi, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("cannot read the vault: %w", err)
	}
	head := make([]byte, len(ageHeader)+len(x25519Stanza))
	n, _ := f.ReadAt(head, 0)
	// Decrypting at offsets, a window at a time, touches far less fresh
	// memory than age's stream reader, which allocates every chunk anew;
	// in a short-lived process fresh memory is most of the cost.
	r, size, err := v.decryptAt(f, fi.Size(), head[:n])
	if err != nil {
		return false, err
	}
	s := &entryStream{r: io.NewSectionReader(r, 0, size), buf: make([]byte, 0, 256<<10)}
	defer func() { clear(s.buf[:cap(s.buf)]) }()
	whole = s.each(fn)
	if s.err != nil {
		return false, fmt.Errorf("the vault %s is damaged or truncated (%v); it was left untouched: %s", v.path, s.err, v.startOver())
	}
	return whole, nil
}

// entryStream walks a plaintext exactly as encrypt writes it, reading it as
// it goes, and calls fn with each entry, undecoded, until fn returns false.
// encoding/json would spend more on checking every entry than a lookup
// spends on all the rest. Inside a JSON string json.Marshal escapes every
// quote and backslash, so skipping strings and counting brackets finds each
// entry's end; entries are checked when decoded. each reports false for
// anything unlike encrypt's output (a vault written by hand): the caller
// decodes it all.
type entryStream struct {
	r   io.Reader
	buf []byte // buf[pos:] is read and not yet walked
	pos int
	eof bool
	err error
}

// more reads more of the plaintext, moving what is left to the front of
// buf and growing it when an entry does not fit. It reports false at the
// end or on an error.
func (s *entryStream) more() bool {
	if s.eof || s.err != nil {
		return false
	}
	n := copy(s.buf[:cap(s.buf)], s.buf[s.pos:])
	clear(s.buf[n:len(s.buf)])
	s.buf, s.pos = s.buf[:n], 0
	if n == cap(s.buf) {
		grown := make([]byte, n, 2*cap(s.buf))
		copy(grown, s.buf)
		clear(s.buf)
		s.buf = grown
	}
	m, err := s.r.Read(s.buf[n:cap(s.buf)])
	s.buf = s.buf[:n+m]
	switch {
	case err == io.EOF:
		s.eof = true
	case err != nil:
		s.err = err
	}
	return m > 0 || !s.eof && s.err == nil
}

// rest is what is read and not yet walked.
func (s *entryStream) rest() []byte { return s.buf[s.pos:] }

// need reads until at least n bytes are unwalked, or the end.
func (s *entryStream) need(n int) bool {
	for len(s.rest()) < n {
		if !s.more() {
			return false
		}
	}
	return true
}

func (s *entryStream) each(fn func(item []byte) bool) bool {
	if !s.need(len(vaultPrefix)) || !bytes.HasPrefix(s.rest(), []byte(vaultPrefix)) {
		return false
	}
	s.pos += len(vaultPrefix)
	for first := true; ; first = false {
		if !s.need(2) {
			return false
		}
		if bytes.HasPrefix(s.rest(), []byte("]}")) {
			s.pos += 2
			// Only the end may follow; reading to it checks the last
			// chunk's authentication.
			if len(s.rest()) > 0 {
				return false
			}
			for s.more() {
				if len(s.rest()) > 0 {
					return false
				}
			}
			return s.err == nil && s.eof
		}
		if !first {
			if s.rest()[0] != ',' {
				return false
			}
			s.pos++
		}
		n := objectLength(s.rest())
		for n == 0 {
			if !s.more() {
				return false
			}
			n = objectLength(s.rest())
		}
		item := s.rest()[:n:n]
		s.pos += n
		if !fn(item) {
			return false
		}
	}
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
	if i := store.Find(entries, target); i >= 0 {
		return entries[i], nil
	}
	return credential.Entry{}, fmt.Errorf("%s: %w", target, store.ErrNotFound)
}

// Add inserts or replaces entries. The first Add creates the vault.
func (v *Vault) Add(entries ...credential.Entry) error {
	return v.update(func(old []credential.Entry) ([]credential.Entry, error) {
		return store.Merge(old, entries...), nil
	})
}

// Delete removes the entries stored under targets.
func (v *Vault) Delete(targets ...credential.Target) error {
	if !v.Exists() {
		return nil
	}
	return v.update(func(old []credential.Entry) ([]credential.Entry, error) {
		return store.Without(old, targets...), nil
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
	removeStaleTemporaries(v.KeyPath())

	raw, err := v.readRaw()
	if err != nil {
		return err
	}
	var entries []credential.Entry
	if raw != nil {
		if entries, err = v.decrypt(raw); err != nil {
			return err
		}
	} else if v.pass == nil || v.fromKeeper {
		if v.pass, err = v.passphrase(true); err != nil {
			return err
		}
		v.fromKeeper = false
	}
	entries, err = change(slices.Clone(entries))
	if err != nil {
		return err
	}
	if raw == nil || !isKeyed(raw) {
		// A new vault, or one from before keys (its first write migrates
		// it), gets its key now. The key file is in place before the
		// vault: whatever a crash leaves, the vault on disk opens, as a
		// reader of a vault from before keys ignores a key file.
		if err := v.settleKey(); err != nil {
			return err
		}
	}
	ciphertext, err := v.encrypt(entries)
	if err != nil {
		return err
	}
	if err := files.WriteAtomic(v.path, ciphertext); err != nil {
		return fmt.Errorf("could not save the vault %s, which is unchanged: %w", v.path, err)
	}
	v.raw, v.plain, v.entries, v.decoded = ciphertext, nil, entries, true
	v.keep()
	return nil
}

// settleKey gives a new vault, or one from before keys, its key. A key file
// found there already belongs to a vault that was set aside, lost or
// restored without it, and only that key opens that vault: it is never
// replaced. When this process's passphrase unwraps it, the vault keeps
// that key, so the vault set aside opens as before; otherwise the key file
// is set aside under a dated name, the person is told where, and a new key
// is made.
func (v *Vault) settleKey() error {
	path := v.KeyPath()
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return v.newKey()
	} else if err != nil {
		return fmt.Errorf("cannot check the vault key %s: %w", path, err)
	}
	if key, err := unwrapKeyFile(path, v.pass); err == nil {
		v.key, v.pass, v.fromKeeper = key, nil, false
		v.handOver = []byte(key.String())
		return nil
	}
	aside, err := files.SetAside(path, time.Now())
	if err != nil {
		return fmt.Errorf("the key file %s is from an earlier vault, which only it opens, and could not be set aside (%w); nothing was saved: move it somewhere safe, then run the command again", path, err)
	}
	if v.opts.Notices != nil {
		fmt.Fprintf(v.opts.Notices, "note: the key file %s belonged to an earlier vault and this passphrase does not open it; it was kept as %s, the only key to that vault (open that vault with: age --decrypt -i %s VAULT_FILE).\n", path, aside, aside)
	}
	return v.newKey()
}

// newKey makes the vault a new key and saves it, wrapped with the
// passphrase this process has (the one that opened the vault, or the new
// vault's), in a key file that is not there yet: one key derivation.
func (v *Vault) newKey() error {
	key, err := age.GenerateX25519Identity()
	if err != nil {
		return fmt.Errorf("cannot make a key for the vault: %w", err)
	}
	wrapped, err := wrapKey(key, v.pass, v.opts.ScryptWorkFactor)
	if err != nil {
		return err
	}
	if err := files.WriteNew(v.KeyPath(), wrapped); err != nil {
		return fmt.Errorf("could not save the vault key %s; the vault %s is unchanged: %w", v.KeyPath(), v.path, err)
	}
	v.key, v.pass, v.fromKeeper = key, nil, false
	v.handOver = []byte(key.String())
	return nil
}

// wrapKey is the key file's content: key, as age-keygen writes it, in an
// age file encrypted to the passphrase, so that the stock age tool can
// use it as an identity file (age -d -i vault.key.age vault.age).
func wrapKey(key *age.X25519Identity, pass []byte, workFactor int) ([]byte, error) {
	recipient, err := age.NewScryptRecipient(string(pass))
	if err != nil {
		return nil, fmt.Errorf("cannot use the passphrase: %w", err)
	}
	recipient.SetWorkFactor(workFactor)
	plain := []byte("# git-credential-pat vault key: age --decrypt -i THIS_FILE vault.age\n# public key: " +
		key.Recipient().String() + "\n" + key.String() + "\n")
	defer clear(plain)
	var out bytes.Buffer
	w, err := age.Encrypt(&out, recipient)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plain); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// openFile opens the vault for reading, or returns nil when it does not
// exist. It refuses a vault or folder other users can reach.
func (v *Vault) openFile() (*os.File, error) {
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
	// Not following a link closes the gap between the check and the open.
	f, err := files.OpenPrivate(v.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the vault: %w", err)
	}
	return f, nil
}

// readRaw returns the vault's bytes, or nil when it does not exist. It
// refuses a vault or folder other users can reach.
func (v *Vault) readRaw() ([]byte, error) {
	f, err := v.openFile()
	if err != nil || f == nil {
		return nil, err
	}
	defer f.Close()
	var raw bytes.Buffer
	if fi, err := f.Stat(); err == nil {
		raw.Grow(int(fi.Size()) + 1) // one allocation, as os.ReadFile
	}
	if _, err := raw.ReadFrom(f); err != nil {
		return nil, fmt.Errorf("cannot read the vault: %w", err)
	}
	return raw.Bytes(), nil
}

func (v *Vault) passphrase(create bool) ([]byte, error) {
	if v.opts.Passphrase == nil {
		return nil, ErrLocked
	}
	return v.opts.Passphrase(create)
}

const (
	ageHeader    = "age-encryption.org/v1\n"
	x25519Stanza = "-> X25519 " // the vault, encrypted to its key
	scryptStanza = "-> scrypt " // the key file; a vault from before keys
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
	// Decrypting at an offset into a buffer of the plaintext's size costs
	// one allocation, where reading a stream costs one per chunk and more.
	r, size, err := v.decryptAt(bytes.NewReader(raw), int64(len(raw)), raw)
	if err != nil {
		return err
	}
	plain := make([]byte, size)
	if n, err := r.ReadAt(plain, 0); n != len(plain) || err != nil && err != io.EOF {
		return fmt.Errorf("the vault %s is damaged or truncated (%v); it was left untouched: %s", v.path, err, v.startOver())
	}
	v.raw, v.plain, v.entries, v.decoded = raw, plain, nil, false
	return nil
}

// isKeyed reports whether the vault file that starts with head is
// encrypted to a key (the current format) rather than to the passphrase.
func isKeyed(head []byte) bool {
	return bytes.HasPrefix(head, []byte(ageHeader+x25519Stanza))
}

// checkHeader refuses a file whose first bytes are not those of an age
// file encrypted to a key or to a passphrase; keyed tells which.
func (v *Vault) checkHeader(head []byte) (keyed bool, err error) {
	if !bytes.HasPrefix(head, []byte(ageHeader)) {
		return false, fmt.Errorf("%s is not a git-credential-pat vault (it is not an age file); it was left untouched: %s", v.path, v.startOver())
	}
	if isKeyed(head) {
		return true, nil
	}
	if !bytes.HasPrefix(head[len(ageHeader):], []byte(scryptStanza)) {
		return false, fmt.Errorf("%s is an age file encrypted neither to a key nor to a passphrase, so it is not a git-credential-pat vault; it was left untouched: %s", v.path, v.startOver())
	}
	return false, nil
}

// decryptAt opens the vault file r, whose first bytes are head, with what
// unlocks it: the key the keeper holds, else the key file unwrapped with
// the passphrase, else (a vault from before keys) the passphrase itself.
// What the keeper held and did not open the vault is forgotten, and the
// user asked.
func (v *Vault) decryptAt(r io.ReaderAt, size int64, head []byte) (io.ReaderAt, int64, error) {
	keyed, err := v.checkHeader(head)
	if err != nil {
		return nil, 0, err
	}
	for {
		identity, err := v.identity(keyed)
		if err != nil {
			return nil, 0, err
		}
		plain, n, err := age.DecryptReaderAt(r, size, identity)
		if err == nil {
			v.keep()
			return plain, n, nil
		}
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) && v.fromKeeper {
			v.forgetHeld()
			continue
		}
		if errors.As(err, &noMatch) && !keyed && v.askAgain() {
			continue
		}
		return nil, 0, v.decryptError(err, keyed)
	}
}

// identity is what opens a vault encrypted to a key (keyed) or to the
// passphrase, asking the keeper first, then the user, at most once each in
// this process.
func (v *Vault) identity(keyed bool) (age.Identity, error) {
	if v.opts.Keys != nil && !v.keeperTried && v.key == nil && v.pass == nil {
		v.keeperTried = true
		if held := v.opts.Keys.HeldKey(); held != nil {
			if key, err := age.ParseX25519Identity(string(bytes.TrimSpace(held))); err == nil {
				v.key = key
			} else {
				v.pass = held // the passphrase of a vault from before keys
			}
			v.fromKeeper = true
		}
	}
	if keyed {
		if v.key == nil {
			if err := v.unwrapKey(); err != nil {
				return nil, err
			}
		}
		return v.key, nil
	}
	if v.pass == nil {
		pass, err := v.passphrase(false)
		if err != nil {
			return nil, err
		}
		v.pass, v.fromKeeper, v.handOver = pass, false, pass
	}
	identity, err := age.NewScryptIdentity(string(v.pass))
	if err != nil {
		return nil, fmt.Errorf("cannot use the passphrase: %w", err)
	}
	return identity, nil
}

// unwrapKey reads the key file and decrypts it with the passphrase: the
// one key derivation a process without a held key pays.
func (v *Vault) unwrapKey() error {
	path := v.KeyPath()
	if err := files.CheckPrivate(path, false); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("the vault %s is encrypted to a key, and its key file %s is missing; the vault was left untouched: restore the key file from a backup (without it the vault cannot be opened)", v.path, path)
		}
		return err
	}
	wrapped, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot read the vault key: %w", err)
	}
	if !bytes.HasPrefix(wrapped, []byte(ageHeader+scryptStanza)) {
		return fmt.Errorf("%s is not a git-credential-pat vault key (an age file encrypted to a passphrase); it was left untouched: %s", path, v.startOver())
	}
	for {
		if v.pass == nil {
			pass, err := v.passphrase(false)
			if err != nil {
				return err
			}
			v.pass, v.fromKeeper = pass, false
		}
		key, err := unwrap(wrapped, v.pass)
		var noMatch *age.NoIdentityMatchError
		switch {
		case errors.As(err, &noMatch) && v.fromKeeper:
			v.forgetHeld()
			continue
		case errors.As(err, &noMatch) && v.askAgain():
			continue
		case errors.As(err, &noMatch):
			return v.wrongPassphrase()
		case err != nil:
			return fmt.Errorf("the vault key %s is damaged (%v); it was left untouched: %s", path, err, v.startOver())
		}
		v.key, v.pass, v.fromKeeper = key, nil, false
		v.handOver = []byte(key.String())
		return nil
	}
}

// unwrap decrypts a key file's content with pass. A pass that does not
// open it gives an error wrapping *age.NoIdentityMatchError.
func unwrap(wrapped, pass []byte) (*age.X25519Identity, error) {
	if !bytes.HasPrefix(wrapped, []byte(ageHeader+scryptStanza)) {
		return nil, errors.New("it is not an age file encrypted to a passphrase")
	}
	scrypt, err := age.NewScryptIdentity(string(pass))
	if err != nil {
		return nil, fmt.Errorf("cannot use the passphrase: %w", err)
	}
	r, err := age.Decrypt(bytes.NewReader(wrapped), scrypt)
	if err != nil {
		return nil, err
	}
	return parseKeyFile(r)
}

// unwrapKeyFile reads the key file at path, not through a link, and
// unwraps it with pass.
func unwrapKeyFile(path string, pass []byte) (*age.X25519Identity, error) {
	f, err := files.OpenPrivate(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	wrapped, err := io.ReadAll(io.LimitReader(f, 1<<16))
	if err != nil {
		return nil, err
	}
	return unwrap(wrapped, pass)
}

// parseKeyFile reads the one X25519 key a key file holds, as age reads an
// identity file.
func parseKeyFile(r io.Reader) (*age.X25519Identity, error) {
	ids, err := age.ParseIdentities(r)
	if err != nil {
		return nil, err
	}
	if len(ids) == 1 {
		if key, ok := ids[0].(*age.X25519Identity); ok {
			return key, nil
		}
	}
	return nil, errors.New("it does not hold exactly one X25519 key")
}

// forgetHeld drops what the keeper held, which did not unlock the vault,
// here and in the keeper.
func (v *Vault) forgetHeld() {
	v.opts.Keys.ForgetKey()
	v.key, v.pass, v.fromKeeper = nil, nil, false
}

// keep gives the keeper what unlocked the vault, when the keeper did not
// hold it already.
func (v *Vault) keep() {
	if v.handOver != nil && v.opts.Keys != nil {
		v.opts.Keys.KeepKey(v.handOver)
	}
	v.handOver = nil
}

// askAgain drops a wrong passphrase and reports whether another may be
// asked for.
func (v *Vault) askAgain() bool {
	v.tries++
	if v.tries >= v.opts.PassphraseTries {
		return false
	}
	v.pass, v.handOver = nil, nil
	return true
}

// wrongPassphrase is the error for a passphrase that opens neither the key
// file nor a vault from before keys. Nothing it unlocked is handed over.
func (v *Vault) wrongPassphrase() error {
	v.pass, v.handOver = nil, nil
	return fmt.Errorf("%w at %s: check the passphrase (GIT_CREDENTIAL_PAT_PASSPHRASE, or the one typed at the prompt); the vault was not changed", ErrWrongPassphrase, v.path)
}

// decryptError says what a failure to open the age file means.
func (v *Vault) decryptError(err error, keyed bool) error {
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch) && keyed:
		v.key, v.handOver = nil, nil
		return fmt.Errorf("the vault %s does not open with the key in %s: one of the two was replaced by a file from elsewhere; both were left untouched: %s", v.path, v.KeyPath(), v.startOver())
	case errors.As(err, &noMatch):
		return v.wrongPassphrase()
	}
	return fmt.Errorf("the vault %s is damaged (%v); it was left untouched: %s", v.path, err, v.startOver())
}

// vaultPrefix is how json.Marshal begins every vault this program writes.
const vaultPrefix = `{"format":"` + vaultFormat + `","entries":[`

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
			// Skip the string: its end is the next quote not escaped
			// by an odd run of backslashes.
			for {
				q := bytes.IndexByte(b[i+1:], '"')
				if q < 0 {
					return 0
				}
				i += 1 + q
				backslashes := 0
				for j := i - 1; b[j] == '\\'; j-- {
					backslashes++
				}
				if backslashes%2 == 0 {
					break
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

// startOver is the way out of a vault that does not open, naming both of
// its files: a vault opens only with the key file made with it, so the two
// are restored, moved and backed up together.
func (v *Vault) startOver() string {
	return fmt.Sprintf("restore %s and its key file %s together from a backup, or move both aside together to start a new vault", v.path, v.KeyPath())
}

func (v *Vault) notVault() error {
	return fmt.Errorf("%s decrypts, but is not a %s file; it was left untouched: %s", v.path, vaultFormat, v.startOver())
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
	// Encrypting to the key's recipient takes no secret and no key
	// derivation.
	var out bytes.Buffer
	w, err := age.Encrypt(&out, v.key.Recipient())
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
