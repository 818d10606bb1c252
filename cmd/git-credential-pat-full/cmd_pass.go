package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store"
	"github.com/git-credential-pat/git-credential-pat/store/backend"
	"github.com/git-credential-pat/git-credential-pat/store/files"
	"github.com/git-credential-pat/git-credential-pat/store/keyring"
	"github.com/git-credential-pat/git-credential-pat/store/pass"
	"github.com/git-credential-pat/git-credential-pat/store/vault"
)

// passStore opens the pass backend of this environment: the store pass
// itself would use, and our folder in it.
func (env *environment) passStore() (*pass.Store, error) {
	dir, folder, err := backend.PassFolderFor(os.Getenv)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	timeout, err := pass.TimeoutFromEnv(os.Getenv)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	vault, err := files.VaultPath()
	if err != nil {
		return nil, err
	}
	// The lock lives beside the vault, never in the store, which pass git
	// would carry to other machines.
	return pass.New(dir, folder, pass.Options{Timeout: timeout, LockPath: filepath.Join(filepath.Dir(vault), "pass.lock")}), nil
}

// remembering is the pass backend chosen with --backend=pass or its
// variable: the first write through it remembers the choice, so that git,
// which runs the helper without either, finds the tokens there too.
type remembering struct{ *pass.Store }

func (r remembering) Add(entries ...credential.Entry) error {
	if err := r.Store.Add(entries...); err != nil {
		return err
	}
	return backend.RememberFirst(os.Getenv, backend.SettingPass)
}

// rememberingKeyring is the OS keyring in force: the first write that
// lands in it remembers it, so that auto keeps to it when it is locked or
// unreachable, and when its last token is removed.
type rememberingKeyring struct{ *keyring.Keyring }

func (r rememberingKeyring) Add(entries ...credential.Entry) error {
	if err := r.Keyring.Add(entries...); err != nil {
		return err
	}
	return backend.RememberFirst(os.Getenv, backend.SettingKeyring)
}

// passFolderExists reports whether our folder of the password store is
// there, without running pass: migrate reads it only then.
func passFolderExists(p *pass.Store) bool {
	_, err := os.Stat(p.Folder())
	return !errors.Is(err, fs.ErrNotExist)
}

// doctorPass checks the pass backend when it is in use or holds entries:
// that the key encrypts and decrypts here, and whether what is written
// reaches other machines (a git remote, and nothing left unpushed).
func doctorPass(r *doctorReport) {
	p, err := r.env.passStore()
	if err != nil {
		r.problem("pass", err.Error(), "")
		return
	}
	choice, _ := backend.Choose(r.env.options.Backend, os.Getenv)
	inUse := choice.ID.Kind() == backend.KindPass
	if !inUse && !passFolderExists(p) {
		r.ok("pass", "not in use (choose it with: git-credential-pat migrate --to pass)")
		return
	}
	if err := p.Probe(); err != nil {
		r.problem("pass", err.Error(), "")
		return
	}
	r.ok("pass", "%s: its key encrypts and decrypts here", p)
	doctorPassReaders(r, p)
	git := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, "git", append([]string{"-C", p.Dir()}, args...)...).Output()
		return strings.TrimSpace(string(out)), err
	}
	// A store kept on this machine alone is a choice, not a fault: said,
	// with how to share it, but no problem.
	if top, err := git("rev-parse", "--show-toplevel"); err != nil || filepath.Clean(top) != filepath.Clean(p.Dir()) {
		r.ok("pass", "note: the password store is not a git repository, so its tokens stay on this machine; to share them: pass git init, then pass git remote add origin URL")
		return
	}
	if remotes, err := git("remote"); err != nil || remotes == "" {
		r.ok("pass", "note: the password store's git repository has no remote, so its tokens stay on this machine; to share them: pass git remote add origin URL, then pass git push -u origin HEAD")
		return
	}
	n, err := git("rev-list", "--count", "HEAD", "--not", "--remotes")
	switch {
	case err != nil:
		r.problem("pass", "cannot count the store's unpushed commits: "+err.Error(), "")
	case n != "0":
		r.problem("pass", fmt.Sprintf("the password store has %s commits no remote has: other machines do not see them yet", n),
			"push them with: pass git push")
	default:
		r.ok("pass", "every commit of the store is pushed")
	}
}

// migrateSource is a backend migrate takes tokens from.
type migrateSource struct {
	store   store.Store
	setting string
}

// migrateSources are the backends tokens move from to the backend to:
// the vault and the keyring as before, and the password store when our
// folder of it exists.
func (env *environment) migrateSources(to string, vault *vault.Vault, kr *keyring.Keyring) ([]migrateSource, error) {
	var out []migrateSource
	if to != backend.SettingFile {
		out = append(out, migrateSource{vault, backend.SettingFile})
	}
	if to != backend.SettingKeyring && (to == backend.SettingFile || kr.HasEntries()) {
		out = append(out, migrateSource{kr, backend.SettingKeyring})
	}
	if to != backend.SettingPass {
		p, err := env.passStore()
		if err != nil {
			return nil, err
		}
		if passFolderExists(p) {
			out = append(out, migrateSource{p, backend.SettingPass})
		}
	}
	return out, nil
}

// doctorPassReaders says whose keys can read the tokens: the keys the
// folder is encrypted to. Several keys are a team's store (pass init -p
// git-credential-pat KEY1 KEY2): each person reads with their own.
func doctorPassReaders(r *doctorReport, p *pass.Store) {
	gpgID, recipients, err := p.Recipients()
	if err != nil {
		r.problem("pass", err.Error(), "")
		return
	}
	names := make([]string, len(recipients))
	for i, rc := range recipients {
		names[i] = rc.ID
		if rc.User != "" {
			names[i] = rc.User + " (" + rc.ID + ")"
		}
	}
	// A key missing here fails the probe above (pass encrypts to every
	// key), with how to import it.
	r.ok("pass", "the tokens can be read by %s: %s (%s)", countKeys(len(recipients)), strings.Join(names, ", "), gpgID)
}

// countKeys says "1 key" or "N keys".
func countKeys(n int) string {
	if n == 1 {
		return "1 key"
	}
	return fmt.Sprintf("%d keys", n)
}
