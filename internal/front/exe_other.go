//go:build unix && !linux

package front

import (
	"os"
	"path/filepath"
)

// executable is this program's path, links followed. Only Linux names it
// with one system call; elsewhere os finds it (sysctl, the runtime's
// record), and the front links os there.
func executable() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return exe, nil
}
