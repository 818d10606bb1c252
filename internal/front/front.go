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
package front

import (
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/git-credential-pat/git-credential-pat/internal/harden"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
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

// Main runs git-credential-pat with args (without the program name) and
// returns its exit code. It returns only when it answered by itself or
// could not start the full program; otherwise the full program replaces
// this process.
func Main(args []string) int {
	// A relayed answer holds a token in memory: never in a core file.
	// Failing that is no reason not to answer.
	harden.Process()
	if len(args) == 2 && args[0] == "cache" && args[1] == "daemon" {
		return run(DaemonProgram, args)
	}
	// git appends the action to the helper's command line, so it is the
	// last argument; the daemon checks it with the full program's own
	// reading of the options, and anything else goes to the full program.
	if n := len(args); n > 0 && (args[n-1] == cache.OpGet || args[n-1] == cache.OpStore) && handOverSupported {
		request, err := cache.ReadMessage(os.Stdin, maxRequest, nil)
		tooLarge := errors.Is(err, cache.ErrTooLarge) // the full program refuses it, in its words
		if err != nil && !tooLarge {
			return fail("cannot read the request: " + err.Error())
		}
		if answer, ok := relay(args, request); !tooLarge && ok {
			_, err := os.Stdout.Write(answer)
			clear(answer)
			clear(request)
			if err != nil {
				return fail("cannot write the answer: " + err.Error())
			}
			return 0
		}
		if err := handOver(FullProgram, args, request); err != nil {
			return fail("cannot hand the request to " + FullProgram + ": " + err.Error())
		}
	}
	return run(FullProgram, args)
}

// relay asks the daemon to answer the request and returns the lines to
// print, if it did.
func relay(args []string, request []byte) ([]byte, bool) {
	dir, err := cache.DefaultDir()
	if err != nil {
		return nil, false
	}
	reply, err := (&cache.Client{Dir: dir}).Call(&cache.Request{
		Op:   args[len(args)-1],
		Args: args,
		Env:  cache.RelayedEnv(os.Environ()),
		Body: request,
	})
	if err != nil || reply.Status != cache.StatusAnswer {
		return nil, false
	}
	return reply.Body, true
}

// sibling is the path of the program name beside this executable, after
// symbolic links are followed, so a link to git-credential-pat on PATH
// still finds it.
func sibling(name string) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return filepath.Join(filepath.Dir(exe), name), nil
}

func fail(msg string) int {
	io.WriteString(os.Stderr, "git-credential-pat: "+msg+"\n")
	return 1
}
