//go:build unix

package files

import "syscall"

// oNoFollow makes an open fail on a symbolic link in the path's last
// element.
const oNoFollow = syscall.O_NOFOLLOW
