package files

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// WriteAtomic replaces path with data so that a crash at any moment
// leaves either the old file or the new one: temporary file in the same
// folder, fsync, rename, fsync the folder.
func WriteAtomic(path string, data []byte) (err error) {
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
	if err = rename(tmp, path); err != nil {
		return err
	}
	return SyncDir(dir)
}

// WriteNew creates path with data as WriteAtomic does, but never replaces
// a file already there: it fails with an error wrapping fs.ErrExist. For
// files whose loss loses more than themselves, such as a vault's key.
func WriteNew(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err = f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err = f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	// A hard link is made only where no file is: the one step that
	// publishes the file and refuses to replace one.
	if err = os.Link(tmp, path); err != nil {
		return err
	}
	return SyncDir(dir)
}

// SetAside moves the file at path to a name of its own beside it, stamped
// with when (base.YYYYMMDD-hhmmss.ext, or with -2, -3, ... when that is
// taken), and returns that name. It never replaces a file: the new name is
// linked first, then the old one removed.
func SetAside(path string, when time.Time) (string, error) {
	dir, base := filepath.Split(path)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	stamp := when.UTC().Format("20060102-150405")
	for n := 1; n < 100; n++ {
		name := stem + "." + stamp + ext
		if n > 1 {
			name = stem + "." + stamp + "-" + strconv.Itoa(n) + ext
		}
		aside := filepath.Join(dir, name)
		err := os.Link(path, aside)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := os.Remove(path); err != nil {
			return "", err
		}
		return aside, SyncDir(filepath.Dir(path))
	}
	return "", fmt.Errorf("no free name to set %s aside under", path)
}
