// Package pass keeps tokens in the standard Unix password manager's store:
// one GPG-encrypted file per target under a folder of the store, written
// and read by the pass program itself, so that a store synced with pass git
// carries them to every machine. Nothing of ours outside the store holds a
// secret, and no GPG is reimplemented: pass and gpg-agent do the
// encrypting and the unlocking (gpg-agent's pinentry, never a prompt of
// ours). Every call runs under a timeout.
package pass

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store"
	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// DefaultTimeout bounds every call of pass. It is long enough for a person
// to type the key's passphrase into gpg-agent's pinentry, and short enough
// that a pinentry nobody sees does not hang git for good.
const DefaultTimeout = 30 * time.Second

// TimeoutEnv overrides DefaultTimeout: a Go duration or seconds.
const TimeoutEnv = "GIT_CREDENTIAL_PAT_PASS_TIMEOUT"

// Errors a caller may want to tell apart.
var (
	// ErrTimeout: pass did not finish in time.
	ErrTimeout = errors.New("pass did not answer in time")
	// ErrKeyUnavailable: gpg could not use the store's key.
	ErrKeyUnavailable = errors.New("gpg cannot use the password store's key")
	// ErrNoPass: the pass program is not installed.
	ErrNoPass = errors.New("the pass program is not installed")
)

// workers is how many pass show run at once when every entry is read:
// one per core, up to 4. Each costs about 40 ms of a shell, gpg and
// gpg-agent: 50 entries took 1.1 to 2.3 s on a busy 2-core machine.
var workers = min(4, max(1, runtime.NumCPU()))

// Options configures a Store. Zero values take the defaults.
type Options struct {
	// Program is the pass program to run ("pass").
	Program string
	// Timeout bounds every call (DefaultTimeout).
	Timeout time.Duration
	// LockPath, when set, is a file locked while entries are written, so
	// that two writers never race on the store's git repository.
	LockPath    string
	LockTimeout time.Duration
	// Env is the environment pass runs in (os.Environ()), with
	// PASSWORD_STORE_DIR set to the store's folder. PASSWORD_STORE_GPG_OPTS,
	// GNUPGHOME and the rest reach pass as they are.
	Env []string
}

// Store is the pass backend.
type Store struct {
	dir    string // the password store
	folder string // ours in it, slash-separated, relative
	opts   Options
}

var _ store.Store = (*Store)(nil)

// New returns the backend keeping entries in folder of the password store
// at dir. Nothing is run until it is used.
func New(dir, folder string, opts Options) *Store {
	if opts.Program == "" {
		opts.Program = "pass"
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = files.DefaultLockTimeout
	}
	if opts.Env == nil {
		opts.Env = os.Environ()
	}
	return &Store{dir: dir, folder: strings.Trim(filepath.ToSlash(folder), "/"), opts: opts}
}

// TimeoutFromEnv reads TimeoutEnv; 0 means the default.
func TimeoutFromEnv(getenv func(string) string) (time.Duration, error) {
	v := strings.TrimSpace(getenv(TimeoutEnv))
	if v == "" {
		return 0, nil
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs > 0 {
		return time.Duration(secs * float64(time.Second)), nil
	}
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("%s=%q is not a timeout: give seconds (30) or a duration (30s, 2m)", TimeoutEnv, v)
}

// String names the backend for messages.
func (s *Store) String() string {
	return "the password store " + s.dir + " (folder " + s.folder + ")"
}

// Dir is the password store's folder; Folder is ours inside it.
func (s *Store) Dir() string    { return s.dir }
func (s *Store) Folder() string { return filepath.Join(s.dir, filepath.FromSlash(s.folder)) }

// Timeout is how long one call of pass may take.
func (s *Store) Timeout() time.Duration { return s.opts.Timeout }

// passName is the name pass knows an entry by.
func (s *Store) passName(name string) string { return s.folder + "/" + name }

func (s *Store) file(name string) string {
	return filepath.Join(s.Folder(), filepath.FromSlash(name)+".gpg")
}

// Get returns the entry stored under exactly target: its file, else one
// under another case (see otherNames). A target without a file is not
// found without running pass.
func (s *Store) Get(target credential.Target) (credential.Entry, error) {
	name := nameOf(target)
	if _, err := os.Lstat(s.file(name)); errors.Is(err, fs.ErrNotExist) {
		others, err := s.otherNames(target)
		if err != nil {
			return credential.Entry{}, err
		}
		if len(others) > 0 {
			name = others[0]
		} else if hand, ok := s.handWritten(target); ok {
			name = hand
		} else {
			return credential.Entry{}, fmt.Errorf("%s: %w", target, store.ErrNotFound)
		}
	}
	return s.show(name)
}

// otherNames lists the files under our folder that name target's entry,
// its credential.Key, but not as nameOf does: a path in another case, put
// there by hand or by another tool ("pass insert .../github.com/ACME").
// Only the files of the target's host are looked at, and none is decrypted.
func (s *Store) otherNames(target credential.Target) ([]string, error) {
	key, own := target.Key(), nameOf(target)
	names, err := s.names(func(top string) bool {
		t, err := targetOf(top)
		return err == nil && t.Key().Location == credential.Target{Host: target.Host}.Key().Location
	})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(names, func(name string) bool {
		t, err := targetOf(name)
		return err != nil || name == own || t.Key() != key
	}), nil
}

// removeOtherNames removes target's files under another case, once the
// entry's own file holds it. On a file system that ignores case, such a
// name may be the entry's own file: it stays.
func (s *Store) removeOtherNames(target credential.Target) error {
	others, err := s.otherNames(target)
	if err != nil {
		return err
	}
	own, _ := os.Lstat(s.file(nameOf(target)))
	for _, name := range others {
		fi, err := os.Lstat(s.file(name))
		if errors.Is(err, fs.ErrNotExist) || err == nil && own != nil && os.SameFile(fi, own) {
			continue
		}
		if _, err := s.run(nil, "rm", "--force", s.passName(name)); err != nil {
			return fmt.Errorf("could not remove %s, another file of %s, from %s: %w", s.passName(name), target, s, err)
		}
	}
	return nil
}

// List returns every entry under our folder: one pass show each, since
// pass has no way to decrypt many entries in one call.
func (s *Store) List() ([]credential.Entry, error) {
	names, err := s.names(func(string) bool { return true })
	if err != nil {
		return nil, err
	}
	return s.showAll(names)
}

// ListHost returns the entries of one host only: their names start with
// it, so a lookup decrypts no other host's.
func (s *Store) ListHost(host string) ([]credential.Entry, error) {
	names, err := s.names(func(top string) bool {
		t, err := targetOf(top)
		return err == nil && t.Host == host
	})
	if err != nil {
		return nil, err
	}
	return s.showAll(names)
}

// names lists the entries under our folder whose first name part (a
// folder or a file) keep accepts, in lexical order.
func (s *Store) names(keep func(top string) bool) ([]string, error) {
	root := s.Folder()
	var names []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		top, _, _ := strings.Cut(rel, "/")
		top = strings.TrimSuffix(top, ".gpg")
		if strings.HasPrefix(top, ".") || !keep(top) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(rel, ".gpg") {
			names = append(names, strings.TrimSuffix(rel, ".gpg"))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot read the folder %s of the password store: %w", root, err)
	}
	return names, nil
}

// showAll reads the named entries, a few at a time, in order.
func (s *Store) showAll(names []string) ([]credential.Entry, error) {
	entries := make([]credential.Entry, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, len(names)) {
		wg.Go(func() {
			for i := range next {
				entries[i], errs[i] = s.show(names[i])
			}
		})
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return entries, nil
}

// show decrypts one entry with pass show.
// keptLines are the lines of target's entry as stored that no field
// reads; none when it has no entry yet. An entry that cannot be read is
// not written over: its lines would be lost.
func (s *Store) keptLines(target credential.Target) ([]string, error) {
	own := nameOf(target)
	if _, err := os.Stat(s.file(own)); err != nil {
		// The file the write is about to replace: under another case,
		// or written by hand without the user name (as Get finds it).
		others, err := s.otherNames(target)
		if err != nil {
			return nil, err
		}
		if len(others) > 0 {
			own = others[0]
		} else if hand, ok := s.handWritten(target); ok {
			own = hand
		} else {
			return nil, nil
		}
	}
	name := s.passName(own)
	out, err := s.run(nil, "show", name)
	defer clear(out)
	if err != nil {
		return nil, fmt.Errorf("%s was not written: its entry %s could not be read, to keep what it holds: %w", target, name, err)
	}
	return unknownLines(out), nil
}

func (s *Store) show(name string) (credential.Entry, error) {
	named, err := targetOf(name)
	if err != nil {
		return credential.Entry{}, fmt.Errorf("%s in the password store is not an entry of git-credential-pat (%w): move it out of %s", s.passName(name), err, s.Folder())
	}
	out, err := s.run(nil, "show", s.passName(name))
	defer clear(out)
	if err != nil {
		return credential.Entry{}, fmt.Errorf("%s: %w", named, err)
	}
	e, err := decode(out, named)
	if err != nil {
		return credential.Entry{}, fmt.Errorf("%s in the password store cannot be read: %w; fix it with: pass edit %s", s.passName(name), err, s.passName(name))
	}
	if nameOf(e.Target) != name && !isUserOf(e.Target, named) {
		// Edited to name another target: where it lies is what counts,
		// or Get, Add and Delete would never find it.
		e.Target = named
	}
	return e, nil
}

// isUserOf reports whether t is named, but for the user name a
// hand-written entry's username: line gives (pass insert .../HOST with
// "username: alice"): the entry of alice@HOST, lying under HOST's name
// (see handWritten).
func isUserOf(t, named credential.Target) bool {
	return t.HasUsername && !named.HasUsername && t.Key().Location == named.Key().Location
}

// handWritten is the name of target's entry when a person wrote it by
// hand under the name without its user name, with a username: line (see
// isUserOf); ok is false when there is none. It decrypts that entry, to
// tell it from the token of the host with no user name.
func (s *Store) handWritten(target credential.Target) (name string, ok bool) {
	if !target.HasUsername {
		return "", false
	}
	name = nameOf(credential.Target{Host: target.Host, Path: target.Path})
	if _, err := os.Lstat(s.file(name)); err != nil {
		return "", false
	}
	e, err := s.show(name)
	return name, err == nil && e.Target.Key() == target.Key()
}

// Add writes each entry with pass insert, the entry on standard input,
// never in an argument; pass commits it when the store is a git repository.
// Every entry is checked before the first is written.
func (s *Store) Add(entries ...credential.Entry) error {
	data := make([][]byte, len(entries))
	defer func() {
		for _, d := range data {
			clear(d)
		}
	}()
	for i, e := range entries {
		var err error
		if data[i], err = encode(e); err != nil {
			return err
		}
	}
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	for i, e := range entries {
		// Lines a person added to the entry by hand stay.
		kept, err := s.keptLines(e.Target)
		if err != nil {
			return err
		}
		if len(kept) > 0 {
			data[i] = append(data[i], strings.Join(kept, "\n")+"\n"...)
		}
		out, err := s.run(data[i], "insert", "--multiline", "--force", s.passName(nameOf(e.Target)))
		clear(out)
		if err != nil {
			return fmt.Errorf("could not write %s to %s: %w", e.Target, s, err)
		}
		// Only now that the entry's own file holds the token: a failed
		// write leaves the old file as it was.
		if err := s.removeOtherNames(e.Target); err != nil {
			return fmt.Errorf("%s was saved, but: %w", e.Target, err)
		}
		if err := s.removeHandWritten(e.Target); err != nil {
			return fmt.Errorf("%s was saved, but: %w", e.Target, err)
		}
	}
	return nil
}

// Delete removes each target's entry with pass rm, which commits the
// removal when the store is a git repository: its file, then any under
// another case (see otherNames).
func (s *Store) Delete(targets ...credential.Target) error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	for _, t := range targets {
		name := nameOf(t)
		if _, err := os.Lstat(s.file(name)); !errors.Is(err, fs.ErrNotExist) {
			if _, err := s.run(nil, "rm", "--force", s.passName(name)); err != nil {
				return fmt.Errorf("could not remove %s from %s: %w", t, s, err)
			}
		}
		if err := s.removeOtherNames(t); err != nil {
			return err
		}
		if err := s.removeHandWritten(t); err != nil {
			return err
		}
	}
	return nil
}

// removeHandWritten removes target's hand-written entry under the name
// without its user name (see handWritten), if there is one.
func (s *Store) removeHandWritten(target credential.Target) error {
	hand, ok := s.handWritten(target)
	if !ok {
		return nil
	}
	if _, err := s.run(nil, "rm", "--force", s.passName(hand)); err != nil {
		return fmt.Errorf("could not remove %s, the entry of %s written by hand, from %s: %w", s.passName(hand), target, s, err)
	}
	return nil
}

func (s *Store) lock() (func(), error) {
	if s.opts.LockPath == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(filepath.Dir(s.opts.LockPath), 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the folder of %s: %w", s.opts.LockPath, err)
	}
	return files.LockFile(s.opts.LockPath, s.opts.LockTimeout)
}

// env is the environment pass runs in: ours, with the store named.
func (s *Store) env() []string {
	env := slices.DeleteFunc(slices.Clone(s.opts.Env), func(kv string) bool {
		return strings.HasPrefix(kv, "PASSWORD_STORE_DIR=")
	})
	return append(env, "PASSWORD_STORE_DIR="+s.dir)
}

// run runs pass with args under the timeout, stdin (nil: none) on its
// standard input, and returns its standard output.
func (s *Store) run(stdin []byte, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.Timeout)
	defer cancel()
	return s.runIn(ctx, s.opts.Program, stdin, args...)
}

func (s *Store) runIn(ctx context.Context, program string, stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, program, args...)
	cmd.Env = s.env()
	cmd.Dir = os.TempDir()
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// pass is a shell script: on timeout, end gpg and the rest of its
	// process group too, and stop waiting for pipes a straggler holds.
	killGroup(cmd)
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if err == nil {
		return stdout.Bytes(), nil
	}
	clear(stdout.Bytes())
	return nil, s.explain(ctx, program, args, stderr.String(), err)
}

// explain turns a failed call into an error that says what to run.
func (s *Store) explain(ctx context.Context, program string, args []string, stderr string, err error) error {
	entry := s.folder + "/..."
	if n := len(args); n > 0 && strings.HasPrefix(args[n-1], s.folder+"/") {
		entry = args[n-1]
	}
	unlock := "unlock the key in a terminal with: pass show " + entry + " (gpg-agent then keeps it unlocked), and try again"
	msg := lastLines(stderr)
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return fmt.Errorf("%w (%v): install it (apt install pass, brew install pass), or choose another backend with --backend=file", ErrNoPass, err)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("%w (%s %s gave up after %s): gpg-agent is probably waiting for the key's passphrase where nobody can type it; %s; %s sets the timeout",
			ErrTimeout, program, args[0], s.opts.Timeout, unlock, TimeoutEnv)
	case strings.Contains(stderr, "is not in the password store"):
		return store.ErrNotFound
	case strings.Contains(stderr, "pass init"):
		return fmt.Errorf("the password store %s is not set up (%s): run: pass init YOUR-GPG-KEY-ID", s.dir, msg)
	case strings.Contains(stderr, "No secret key"):
		// gpg says this too when the key is there but gpg-agent could not
		// unlock it.
		return fmt.Errorf("%w: %s: the secret key is not in gpg's keyring (GNUPGHOME=%s) or could not be unlocked here: import it with gpg --import, or %s",
			ErrKeyUnavailable, msg, s.gnupgHome(), unlock)
	case strings.Contains(stderr, "encryption failed"), strings.Contains(stderr, "No public key"), strings.Contains(stderr, "unusable public key"):
		return fmt.Errorf("%w: %s: gpg cannot encrypt to the key the store's .gpg-id names (GNUPGHOME=%s): import its public key with gpg --import, or re-initialize with: pass init YOUR-GPG-KEY-ID",
			ErrKeyUnavailable, msg, s.gnupgHome())
	case strings.Contains(stderr, "decryption failed"), strings.Contains(stderr, "pinentry"),
		strings.Contains(stderr, "Bad passphrase"), strings.Contains(stderr, "No passphrase"), strings.Contains(stderr, "cancel"):
		return fmt.Errorf("%w: %s: the key is locked and gpg-agent could not ask for its passphrase here; %s", ErrKeyUnavailable, msg, unlock)
	}
	if msg == "" {
		msg = err.Error()
	}
	return fmt.Errorf("%s %s failed: %s: %w", program, args[0], msg, err)
}

func (s *Store) gnupgHome() string {
	for _, kv := range slices.Backward(s.opts.Env) {
		if v, ok := strings.CutPrefix(kv, "GNUPGHOME="); ok {
			return v
		}
	}
	return "~/.gnupg"
}

// lastLines is the end of what a program said on stderr, on one line.
func lastLines(stderr string) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	lines = lines[max(0, len(lines)-2):]
	return strings.TrimSpace(strings.Join(lines, "; "))
}
