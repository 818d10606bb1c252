//go:build unix

// Package front is the program git runs as its credential helper. git
// starts a helper for every fetch, push and clone, so this program links
// only what relaying needs: it reads git's request, makes one round trip to
// the cache daemon with it, its arguments and the environment the options
// read, and prints what the daemon answers, as git's own credential-cache
// client does. The daemon decides, with the decision the full program
// makes. When it says the full program must answer (nothing held, a warning
// or a hint to give, a write to make), or when it does not run, the front
// hands the request to git-credential-pat-full, installed beside it. Every
// command people type goes straight there.
//
// On Linux the front links only what bench/floor links (syscall, errors,
// sync and the runtime): no os, fmt or strconv, whose initialization every
// git operation would pay for. It works in plain system calls throughout;
// TestFrontLinksOnlyTheFloor holds it to that.
package front

import (
	"syscall"

	"github.com/git-credential-pat/git-credential-pat/store/cache/relay"
)

// The programs the front hands over to, installed in the same folder.
const (
	FullProgram   = "git-credential-pat-full"
	DaemonProgram = "git-credential-pat-daemon"
)

// maxRequest bounds what the front reads of a request: what the protocol
// reader of the full program accepts (1 MiB), and a byte more, so that the
// full program, not the front, refuses a longer one.
const maxRequest = 1<<20 + 1

// The operations the front relays: git's, named as store/cache names them
// (cache.OpGet, cache.OpStore), which this package does not link.
const (
	opGet   = "get"
	opStore = "store"
)

// Main runs git-credential-pat with args (without the program name) and
// returns its exit code. It returns only when it answered by itself or
// could not start the full program; otherwise the full program replaces
// this process.
func Main(args []string) int {
	// A relayed answer holds a token in memory: never in a core file.
	// Failing that is no reason not to answer.
	hardenProcess()
	if len(args) == 2 && args[0] == "cache" && args[1] == "daemon" {
		return run(DaemonProgram, args)
	}
	// git appends the action to the helper's command line, so it is the
	// last argument; the daemon checks it with the full program's own
	// reading of the options, and anything else goes to the full program.
	// Where no daemon can run, the request goes to the full program
	// untouched.
	if n := len(args); n > 0 && (args[n-1] == opGet || args[n-1] == opStore) && !asksHelp(args[:n-1]) && relay.PeerCheckAvailable {
		request, tooLarge, err := readRequest(0, maxRequest)
		if err != nil {
			return fail("cannot read the request: " + err.Error())
		}
		// A request too large is the full program's to refuse, in its words.
		if !tooLarge {
			if answer, ok := relayRequest(args, request); ok {
				err := writeAll(1, answer)
				clear(answer)
				clear(request)
				if err != nil {
					return fail("cannot write the answer: " + err.Error())
				}
				return 0
			}
		}
		if err := handOver(FullProgram, args, request); err != nil {
			return fail("cannot hand the request to " + FullProgram + ": " + err.Error())
		}
	}
	return run(FullProgram, args)
}

// relayRequest asks the daemon to answer the request and returns the lines
// to print, if it did.
func relayRequest(args []string, request []byte) ([]byte, bool) {
	dir := relay.Dir(getenv)
	if dir == "" {
		return nil, false
	}
	return relay.Call(dir, args[len(args)-1], args, relay.Env(syscall.Environ()), request)
}

func getenv(key string) string {
	v, _ := syscall.Getenv(key)
	return v
}

// readRequest reads fd to its end, up to limit bytes; tooLarge reports a
// byte past the limit, which is not read.
func readRequest(fd, limit int) (b []byte, tooLarge bool, err error) {
	b = make([]byte, 0, 4096)
	for {
		if len(b) == cap(b) {
			if len(b) >= limit {
				var probe [1]byte
				n, _ := readRetry(fd, probe[:])
				return b, n > 0, nil
			}
			grown := make([]byte, len(b), min(2*cap(b), limit))
			copy(grown, b)
			clear(b)
			b = grown
		}
		n, err := readRetry(fd, b[len(b):cap(b)])
		if err != nil {
			return b, false, err
		}
		if n == 0 {
			return b, false, nil
		}
		b = b[:len(b)+n]
	}
}

func readRetry(fd int, p []byte) (int, error) {
	for {
		n, err := syscall.Read(fd, p)
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.EAGAIN {
			// A non-blocking descriptor handed down: wait for it.
			waitBriefly()
			continue
		}
		return max(n, 0), err
	}
}

// writeAll writes b to fd whole.
func writeAll(fd int, b []byte) error {
	for len(b) > 0 {
		n, err := syscall.Write(fd, b)
		switch err {
		case nil:
			b = b[n:]
		case syscall.EINTR:
		case syscall.EAGAIN:
			waitBriefly()
		default:
			return err
		}
	}
	return nil
}

func waitBriefly() { relay.Sleep(1e6) }

// sibling is the path of the program name beside this executable, after
// symbolic links are followed, so a link to git-credential-pat on PATH
// still finds it.
func sibling(name string) (string, error) {
	exe, err := executable()
	if err != nil {
		return "", err
	}
	i := len(exe) - 1
	for i >= 0 && exe[i] != '/' {
		i--
	}
	return exe[:i+1] + name, nil
}

func fail(msg string) int {
	writeAll(2, []byte("git-credential-pat: "+msg+"\n"))
	return 1
}

// asksHelp reports whether args, before the last, ask for help
// (git-credential-pat help get): git never sends those, and the full
// program answers them without reading standard input.
func asksHelp(args []string) bool {
	for _, a := range args {
		if a == "help" || a == "--help" || a == "-h" {
			return true
		}
	}
	return false
}
