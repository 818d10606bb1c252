package backend

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// The environment pass reads, and the one that names our folder in it.
const (
	PassStoreDirEnv = "PASSWORD_STORE_DIR"
	PassFolderEnv   = "GIT_CREDENTIAL_PAT_PASS_FOLDER"
)

// DefaultPassFolder is the folder of the password store our entries live in.
const DefaultPassFolder = "git-credential-pat"

// Pass is the ID of the password store folder at path (the store's
// folder joined with ours).
func Pass(path string) ID { return ID(KindPass + ":" + path) }

// PassFolderFor is the password store pass itself uses in the environment
// getenv reads ($PASSWORD_STORE_DIR, else ~/.password-store) and the
// folder of it that holds our entries ($GIT_CREDENTIAL_PAT_PASS_FOLDER,
// else git-credential-pat), relative to the store.
func PassFolderFor(getenv func(string) string) (storeDir, folder string, err error) {
	storeDir = getenv(PassStoreDirEnv)
	if storeDir == "" {
		home := getenv("HOME")
		if home == "" && runtime.GOOS == "windows" {
			home = getenv("USERPROFILE")
		}
		if home == "" {
			return "", "", errors.New("cannot find the password store: $HOME is not set; set HOME or PASSWORD_STORE_DIR")
		}
		storeDir = filepath.Join(home, ".password-store")
	}
	folder = getenv(PassFolderEnv)
	if folder == "" {
		folder = DefaultPassFolder
	}
	clean := filepath.ToSlash(filepath.Clean(folder))
	if filepath.IsAbs(folder) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") || strings.HasPrefix(clean, ".git") {
		return "", "", fmt.Errorf("%s=%q: give a folder inside the password store, such as %s", PassFolderEnv, folder, DefaultPassFolder)
	}
	return storeDir, clean, nil
}

func choosePass(getenv func(string) string, why string) (Choice, error) {
	storeDir, folder, err := PassFolderFor(getenv)
	if err != nil {
		return Choice{}, err
	}
	return Choice{ID: Pass(filepath.Join(storeDir, filepath.FromSlash(folder))), Why: why}, nil
}

// passStamp identifies the state of our folder of the password store from
// the file system alone, with no gpg call: the VaultStamp (size, times,
// inode, modes) of the folder, of every folder under it and of every .gpg
// file in them, hashed together. Every pass insert, rm or git pull that
// changes an entry gives its file a new change time, and adding or removing
// one changes its folder's. Blind spots: entries reached through symbolic
// links (not followed) and, off Unix, a rewrite that keeps size and
// modification time.
func passStamp(path string) string {
	h := fnv.New64a()
	n := 0
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.HasSuffix(d.Name(), ".gpg") {
			return nil
		}
		n++
		h.Write([]byte(p))
		h.Write([]byte{0})
		h.Write([]byte(files.VaultStamp(p)))
		h.Write([]byte{0})
		return nil
	})
	if err != nil {
		return "none"
	}
	return fmt.Sprintf("%d.%x", n, h.Sum64())
}

// RememberedPath is the file beside the vault that remembers the backend
// auto means (pass or keyring). It holds no secret: only the setting's
// name.
func RememberedPath(vault string) string { return filepath.Join(filepath.Dir(vault), "backend") }

// Remembered is the setting remembered beside the vault, or "". Choose
// reads it on every lookup, so it is one small file.
func Remembered(vault string) (string, error) {
	path := RememberedPath(vault)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("cannot read the remembered backend: %w", err)
	}
	setting := strings.TrimSpace(string(data))
	if setting != SettingPass && setting != SettingKeyring {
		return "", fmt.Errorf("%s names the backend %q, which cannot be remembered: remove the file, or choose one with: git-credential-pat migrate --to keyring (or --to pass)", path, setting)
	}
	return setting, nil
}

// Remember makes auto mean setting (pass or keyring) in the environment
// getenv reads, by the file RememberedPath names; "" forgets the choice.
func Remember(getenv func(string) string, setting string) error {
	return remember(getenv, setting, true)
}

// RememberFirst remembers setting unless a choice is remembered already:
// the first write that lands in a backend makes it the one auto means, and
// only migrate changes that choice, so tokens are never left behind in a
// backend auto no longer reads.
func RememberFirst(getenv func(string) string, setting string) error {
	return remember(getenv, setting, false)
}

func remember(getenv func(string) string, setting string, replace bool) error {
	vault, err := files.VaultPathFor(getenv)
	if err != nil {
		return err
	}
	path := RememberedPath(vault)
	if setting == "" {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cannot forget the remembered backend: remove %s: %w", path, err)
		}
		return nil
	}
	if setting != SettingPass && setting != SettingKeyring {
		return fmt.Errorf("only pass or keyring can be remembered, not %q", setting)
	}
	if got, err := Remembered(vault); err == nil && (got == setting || got != "" && !replace) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("cannot remember %s as the backend: %w", setting, err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(setting+"\n"), 0o600); err != nil {
		return fmt.Errorf("cannot remember %s as the backend: %w", setting, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot remember %s as the backend: %w", setting, err)
	}
	return nil
}
