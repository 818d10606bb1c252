//go:build !unix

package files

import "os"

// appendIdentity adds nothing where os.FileInfo carries no inode or change
// time (Windows): the stamp is size, modification time and modes there.
func appendIdentity(b []byte, _ os.FileInfo) []byte { return b }
