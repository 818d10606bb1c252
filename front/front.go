// Package front is the program git runs as its credential helper. git
// starts a helper for every fetch, push and clone, so this program links
// only what a cached answer needs: it answers get (and the store git sends
// after a success) from the cache daemon when the daemon holds the answer,
// and starts the daemon program when asked to. Every other case, and every command people type, it
// hands to the full program installed beside it, which does the same
// thing, slower to start: it links the vault's crypto, the OS keyring and
// an HTTPS client.
//
// The fast path only ever answers as the full program would. When the
// answer could differ in any way (the cache misses, a token expired or
// expires soon, a backend other than the vault is in use, debug output was
// asked for), the full program answers instead.
package front

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// The programs the front hands over to, installed in the same folder.
const (
	FullProgram   = "git-credential-pat-full"
	DaemonProgram = "git-credential-pat-daemon"
)

// The environment variables the full program reads that change what get
// answers. Their meaning is the full program's; the front only needs to
// know when to step aside.
const (
	backendEnv      = "GIT_CREDENTIAL_PAT_BACKEND"
	cacheTimeoutEnv = "GIT_CREDENTIAL_PAT_CACHE_TIMEOUT"
	debugEnv        = "GIT_CREDENTIAL_PAT_DEBUG"
)

// Options change how Main runs; the zero value is what git-credential-pat
// runs with.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Main runs git-credential-pat with args (without the program name) and
// returns its exit code. It returns only when it answered by itself or
// could not start the full program; otherwise the full program replaces
// this process.
func Main(args []string, opts Options) int {
	// A cached answer holds a token in memory: never in a core file.
	// Failing that is no reason not to answer.
	cache.HardenProcess()
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if len(args) == 2 && args[0] == "cache" && args[1] == "daemon" {
		return run(DaemonProgram, args)
	}
	if g, ok := fastGlobal(args); ok && replaySupported {
		rec := &recorder{r: os.Stdin}
		if answered(g, rec, os.Stdout, opts.Now()) {
			return 0
		}
		if err := replayStdin(rec.buf.Bytes()); err != nil {
			return fail("cannot hand the request to " + FullProgram + ": " + err.Error())
		}
	}
	return run(FullProgram, args)
}

// fastGlobal returns the options args give when they name a protocol
// action the front can answer (get, or store), with options it understands.
func fastGlobal(args []string) (global, bool) {
	if os.Getenv(debugEnv) == "1" {
		return global{}, false
	}
	g, err := parseGlobal(args)
	if err != nil || g.action != "get" && g.action != "store" {
		return global{}, false
	}
	if g.cacheTimeout <= 0 || g.backend != "" && g.backend != "auto" && g.backend != "file" {
		return global{}, false
	}
	return g, true
}

// global is what the front needs of the full program's options.
type global struct {
	action       string
	backend      string
	cacheTimeout time.Duration
	warnWithin   time.Duration
}

// parseGlobal reads the options before the action as the full program's
// flag set does (-name or --name, then =value or the next argument), for
// the options get and store depend on. Anything else is an error (--help,
// --version, an unknown option): the full program then runs and deals
// with it.
func parseGlobal(args []string) (global, error) {
	timeout, timeoutSet := os.LookupEnv(cacheTimeoutEnv)
	warnWithin, warnSet, backend := "", false, os.Getenv(backendEnv)
	for len(args) > 0 {
		arg := args[0]
		if len(arg) < 2 || arg[0] != '-' {
			break
		}
		args = args[1:]
		if arg == "--" {
			break
		}
		name := strings.TrimPrefix(arg[1:], "-")
		name, value, hasValue := strings.Cut(name, "=")
		var dest *string
		switch name {
		case "warn-within":
			dest, warnSet = &warnWithin, true
		case "cache-timeout":
			dest, timeoutSet = &timeout, true
		case "backend":
			dest = &backend
		default:
			return global{}, errors.New("an option the full program handles: " + name)
		}
		if !hasValue {
			if len(args) == 0 {
				return global{}, errors.New("no value for " + name)
			}
			value, args = args[0], args[1:]
		}
		*dest = value
	}
	if len(args) == 0 {
		return global{}, errors.New("no action")
	}
	// The defaults are the full program's, taken as they are rather than
	// parsed from text: this runs on every git operation.
	g := global{action: args[0], backend: backend, cacheTimeout: cache.DefaultTimeout, warnWithin: credential.DefaultWarnWithin}
	var err error
	if timeoutSet {
		if g.cacheTimeout, err = cache.ParseTimeout(timeout); err != nil {
			return global{}, err
		}
	}
	if warnSet {
		if g.warnWithin, err = credential.ParseDays(warnWithin); err != nil {
			return global{}, err
		}
	}
	return g, nil
}

// answered carries out g's action from the cache daemon alone and reports
// whether it did. It writes nothing unless it did.
func answered(g global, in io.Reader, out io.Writer, now time.Time) bool {
	req, err := credential.Read(in)
	if err != nil {
		return false
	}
	r := credential.RequestOf(req)
	if r.Protocol != "https" || r.Host == "" {
		return false
	}
	held, client, key, ok := heldEntries(g, r.Host)
	if !ok {
		return false
	}
	if g.action == "store" {
		return storedAlready(req, r, held, client, key, g.cacheTimeout, now)
	}
	i := credential.Best(r, held)
	if i < 0 {
		return false // the full program may have a hint to give
	}
	e := held[i]
	if cache.IsWithheld(e.Token) || e.Expired(now) || g.warnWithin > 0 && e.ExpiresWithin(now, g.warnWithin) {
		return false // the full program says so, once a day
	}
	return credential.Write(out, credential.Answer(e)) == nil
}

// heldEntries asks the daemon for the vault's entries for host. It fails
// unless the vault is the backend in use, and the daemon holds its entries
// read since the vault last changed.
func heldEntries(g global, host string) (held []credential.Entry, client *cache.Client, key string, ok bool) {
	vault, err := files.VaultPath()
	if err != nil {
		return nil, nil, "", false
	}
	stamp := files.VaultStamp(vault)
	if stamp == "none" {
		return nil, nil, "", false
	}
	if g.backend != "file" {
		// auto takes the keyring when it holds tokens: the full program
		// knows how to ask it.
		index, err := files.KeyringIndexPath()
		if err != nil {
			return nil, nil, "", false
		}
		if _, err := os.Lstat(index); !errors.Is(err, os.ErrNotExist) {
			return nil, nil, "", false
		}
	}
	dir, err := cache.DefaultDir()
	if err != nil {
		return nil, nil, "", false
	}
	client = &cache.Client{Dir: dir}
	key = files.VaultName(vault)
	status, _, body, err := client.Call(&cache.Request{Op: cache.OpGetHost, Key: key, Meta: []byte(host)})
	defer clear(body)
	if err != nil || status != cache.ReplyOK {
		return nil, nil, "", false
	}
	snap, decodeErr := cache.DecodeSnapshot(body)
	if decodeErr != nil || snap.Stamp != stamp {
		return nil, nil, "", false
	}
	return cache.HostEntries(snap.Entries, host), client, key, true
}

// storedAlready carries out a store of a credential the daemon holds and
// that was marked used today: as the full program does, it only restarts
// the daemon's interval. Anything else (a new token, a first use today)
// changes the vault, which is the full program's work.
func storedAlready(req *credential.Credential, r credential.Request, held []credential.Entry, client *cache.Client, key string, timeout time.Duration, now time.Time) bool {
	if req.Ephemeral || !req.HasUsername || !req.HasPassword {
		return false
	}
	if req.PasswordExpiryUTC != "" {
		secs, err := strconv.ParseInt(req.PasswordExpiryUTC, 10, 64)
		if err == nil && now.After(time.Unix(secs, 0)) {
			return true // an expired credential is never stored
		}
	}
	for _, i := range credential.All(r, held) {
		e := held[i]
		if e.Token != req.Password {
			continue
		}
		if !credential.SameDay(e.LastUsed, now) {
			return false
		}
		status, _, _, err := client.Call(&cache.Request{Op: cache.OpTouch, Key: key, TimeoutMS: timeout.Milliseconds()})
		return err == nil && status == cache.ReplyOK
	}
	return false
}

// recorder keeps what was read from standard input, so the full program
// can be handed the same request.
type recorder struct {
	r   io.Reader
	buf bytes.Buffer
}

func (rec *recorder) Read(p []byte) (int, error) {
	n, err := rec.r.Read(p)
	rec.buf.Write(p[:n])
	return n, err
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
	os.Stderr.WriteString("git-credential-pat: " + msg + "\n")
	return 1
}
