package files

import (
	"fmt"
	"io/fs"
	"os"
)

// linkError refuses path, a symbolic link: reading would follow it
// elsewhere, a chmod would change its target, and a write would replace
// the link by a plain file. It names the target so the user can find the
// real file, and suggests no command that would act on the target.
func linkError(path, fix string) error {
	to, err := os.Readlink(path)
	if err != nil {
		to = "?"
	}
	return fmt.Errorf("%s is %w (to %q); refusing to follow it: %s", path, ErrLink, to, fix)
}

// checkNotLink refuses path, described by fi from os.Lstat, when it is a
// symbolic link.
func checkNotLink(path string, fi fs.FileInfo, isDir bool) error {
	if fi.Mode()&fs.ModeSymlink == 0 {
		return nil
	}
	if isDir {
		return linkError(path, "remove the link and move the real folder here in its place")
	}
	return linkError(path, "remove the link and move the real file here in its place")
}

// openNoFollow opens path as os.OpenFile does, but refuses a symbolic link
// in its last element, even one put there after a check: a link would
// lead the open, and an O_CREATE, to a file elsewhere.
func openNoFollow(path string, flag int, perm os.FileMode, fix string) (*os.File, error) {
	if oNoFollow == 0 {
		// Without the flag a check before the open is all there is.
		if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, linkError(path, fix)
		}
	}
	f, err := os.OpenFile(path, flag|oNoFollow, perm)
	if err != nil {
		// O_NOFOLLOW's error (ELOOP, or EMLINK on FreeBSD) says little.
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, linkError(path, fix)
		}
		return nil, err
	}
	return f, nil
}

// OpenPrivate opens the file at path for reading, refusing a symbolic
// link. Call CheckPrivate first.
func OpenPrivate(path string) (*os.File, error) {
	return openNoFollow(path, os.O_RDONLY, 0, "remove the link and move the real file here in its place")
}
