//go:build unix

package files

import (
	"fmt"
	"os"
	"syscall"
)

// CheckPrivate refuses a file or folder that another user owns or that
// other users can read or write: a vault there is not private, whatever its
// encryption. It refuses a symbolic link too (ErrLink), before looking at
// modes: a link's own mode means nothing, and a chmod would change its
// target.
func CheckPrivate(path string, isDir bool) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if err := checkNotLink(path, fi, isDir); err != nil {
		return err
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s belongs to another user (uid %d); refusing to use it: move it aside, or run git-credential-pat as its owner", path, st.Uid)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		want := "600"
		if isDir {
			want = "700"
		}
		return fmt.Errorf("%s is open to other users (mode %04o); refusing to use it: run chmod %s %s", path, perm, want, path)
	}
	return nil
}
