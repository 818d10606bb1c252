//go:build unix

package relay

import "syscall"

// Client-side bounds, as store/cache's: a connect refused because the
// daemon's listen queue is full (EAGAIN) is retried for up to connectRetry;
// a daemon that does not answer within callTimeout is given up on.
const (
	connectRetryNs = 2e9
	callTimeoutNs  = 2e9
	// maxMessage is store/cache.MaxMessage: the most of a reply read.
	maxMessage = 16 << 20
)

// Call sends one relayed request to the daemon serving dir and returns the
// lines to print, if the daemon answered them. Anything else (no daemon, a
// folder or a listener that is not this user's, another build, a deferral,
// an error) is false, and the caller hands the request to the full
// program, which says why where there is something to say.
func Call(dir, op string, args, env []string, body []byte) ([]byte, bool) {
	if !PeerCheckAvailable || !privateDir(dir) {
		return nil, false
	}
	msg, ok := Request(op, args, env, body)
	defer clear(msg)
	if !ok {
		return nil, false
	}
	fd, ok := dial(dir + "/socket")
	if !ok {
		return nil, false
	}
	defer syscall.Close(fd)
	for b := msg; len(b) > 0; {
		n, err := syscall.Write(fd, b)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, false
		}
		b = b[n:]
	}
	if syscall.Shutdown(fd, syscall.SHUT_WR) != nil {
		return nil, false
	}
	reply, ok := readAll(fd, maxMessage)
	if !ok {
		clear(reply)
		return nil, false
	}
	answer, ok := Answer(reply)
	if !ok {
		clear(reply)
	}
	return answer, ok
}

// privateDir is store/cache.CheckDir: the folder is a folder (not a link),
// this user's, and closed to others. A link could lead to a folder where
// another user listens.
func privateDir(dir string) bool {
	var st syscall.Stat_t
	if syscall.Lstat(dir, &st) != nil {
		return false
	}
	return st.Mode&syscall.S_IFMT == syscall.S_IFDIR && int(st.Uid) == syscall.Geteuid() && st.Mode&0o077 == 0
}

// dial connects to the daemon's socket: a blocking socket with kernel
// timeouts, never registered with the runtime's poller. The listener must
// be a process of this user's.
func dial(path string) (int, bool) {
	// Not inherited by a program this process starts (SOCK_CLOEXEC is
	// not on every Unix).
	syscall.ForkLock.RLock()
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, false
	}
	tv := syscall.NsecToTimeval(callTimeoutNs)
	syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_RCVTIMEO, &tv)
	syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_SNDTIMEO, &tv)
	addr := &syscall.SockaddrUnix{Name: path}
	var waited, delay int64 = 0, 100e3
	for {
		err = syscall.Connect(fd, addr)
		if err == syscall.EINTR {
			continue
		}
		if err != syscall.EAGAIN || waited >= connectRetryNs {
			break
		}
		// The listen queue is full: wait for the daemon to accept.
		Sleep(delay)
		waited += delay
		delay = min(delay*2, 10e6)
	}
	// Whoever listens gets the request and answers with a token: only a
	// daemon of this user will do. The kernel's record of the listener
	// says so; a check of the folder alone could be raced.
	if err == nil {
		uid, perr := PeerUID(fd)
		if perr != nil || uid != syscall.Geteuid() {
			err = syscall.EPERM
		}
	}
	if err != nil {
		syscall.Close(fd)
		return -1, false
	}
	return fd, true
}

// readAll reads to the end of the connection, up to limit bytes, into a
// buffer that grows as the bytes come and wipes what it leaves behind.
func readAll(fd, limit int) ([]byte, bool) {
	buf := make([]byte, 0, 4096)
	for {
		if len(buf) == cap(buf) {
			if len(buf) >= limit {
				return buf, false
			}
			grown := make([]byte, len(buf), min(2*cap(buf), limit))
			copy(grown, buf)
			clear(buf)
			buf = grown
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return buf, false
		}
		if n == 0 {
			return buf, true
		}
		buf = buf[:len(buf)+n]
	}
}
