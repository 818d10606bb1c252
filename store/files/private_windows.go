//go:build windows

package files

import "os"

// CheckPrivate only checks that path exists: on Windows the user's profile
// folders are private by their ACLs, which Unix modes do not describe.
func CheckPrivate(path string, isDir bool) error {
	_, err := os.Stat(path)
	return err
}
