//go:build aix || dragonfly || linux || openbsd || solaris

package files

import "syscall"

func inodeAndCtime(st *syscall.Stat_t) (ino uint64, sec, nsec int64) {
	return uint64(st.Ino), int64(st.Ctim.Sec), int64(st.Ctim.Nsec)
}
