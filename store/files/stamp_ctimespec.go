//go:build darwin || freebsd || netbsd

package files

import "syscall"

func inodeAndCtime(st *syscall.Stat_t) (ino uint64, sec, nsec int64) {
	return uint64(st.Ino), int64(st.Ctimespec.Sec), int64(st.Ctimespec.Nsec)
}
