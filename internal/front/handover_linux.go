package front

import (
	"runtime"
	"syscall"
	"unsafe"
)

// handOver makes standard input a memory-only file holding the request the
// front read, so the full program, exec'd next, reads the same request.
// It leaves exit to the caller, which execs. Where memfd_create is not at
// hand, a pipe serves, as on the other Unix systems.
func handOver(name string, args []string, request []byte) error {
	fd, err := memfdCreate()
	if err != nil {
		return handOverPipe(name, args, request)
	}
	defer syscall.Close(fd)
	if err := writeAll(fd, request); err != nil {
		return err
	}
	clear(request)
	if _, err := syscall.Seek(fd, 0, 0); err != nil {
		return err
	}
	return syscall.Dup3(fd, 0, 0)
}

// memfdCreate is memfd_create(2) with MFD_CLOEXEC. Package syscall knows
// it on some architectures only; the numbers are the kernel's.
func memfdCreate() (int, error) {
	var nr uintptr
	switch runtime.GOARCH {
	case "amd64":
		nr = 319
	case "arm64", "riscv64", "loong64":
		nr = 279
	case "386":
		nr = 356
	case "arm":
		nr = 385
	case "ppc64", "ppc64le":
		nr = 360
	case "s390x":
		nr = 350
	default:
		return -1, syscall.ENOSYS
	}
	name := []byte("git-credential-pat-request\x00")
	const mfdCloexec = 1
	fd, _, errno := syscall.Syscall(nr, uintptr(unsafe.Pointer(&name[0])), mfdCloexec, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}

// dupTo makes newfd a copy of oldfd: dup2 is not on every Linux
// architecture (arm64 has dup3 only).
func dupTo(oldfd, newfd int) error { return syscall.Dup3(oldfd, newfd, 0) }
