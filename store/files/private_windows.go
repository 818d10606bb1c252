//go:build windows

package files

import "os"

// CheckPrivate only checks that path exists and is not a symbolic link:
// on Windows the user's profile folders are private by their ACLs, which
// Unix modes do not describe.
func CheckPrivate(path string, isDir bool) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	return checkNotLink(path, fi, isDir)
}
