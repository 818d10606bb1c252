// Command git-credential-pat-full is git-credential-pat's full program:
// every protocol action against every backend, and the commands people run
// (add, list, remove, import, check and the rest). git-credential-pat, the
// small front git starts, hands it whatever it cannot answer from the cache
// daemon; run on its own, it does all of git-credential-pat's work.
package main

import (
	// Hardened early, as the packages initialize, before main reads
	// the request handed over on standard input.
	_ "github.com/git-credential-pat/git-credential-pat/internal/harden"

	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/daemon"
	"github.com/git-credential-pat/git-credential-pat/internal/options"
	"github.com/git-credential-pat/git-credential-pat/store"
	"github.com/git-credential-pat/git-credential-pat/store/backend"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
	"github.com/git-credential-pat/git-credential-pat/store/keyring"
	"github.com/git-credential-pat/git-credential-pat/store/vault"
	"golang.org/x/term"
)

// version is set at build time by the Makefile.
var version = "dev"

// testOnlyScryptWorkFactor, when non-zero, replaces the vault's scrypt work
// factor so tests do not pay a deliberate key derivation on every command.
// Tests set it; no flag or variable reaches it.
var testOnlyScryptWorkFactor int

// testOnlyNow, when set, replaces the clock, so tests can stand on any day.
var testOnlyNow func() time.Time

// Exit codes, as documented in the README.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError marks an error as the caller's misuse: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const mainUsage = `Usage: git-credential-pat [OPTIONS] ACTION [ARGS]

A git credential helper for personal access tokens.
Set it up (make install does, when git has no helper yet) with:
  git config --global --replace-all credential.helper "$(command -v git-credential-pat)"
Naming the helper by its path spares git a process per operation;
credential.helper pat works too.

Actions git runs (git's credential protocol on stdin and stdout):
  get, store, erase, capability

Commands people run:
  new TARGET       create a token on the host's page, filled in, and store it
  add TARGET       store a token for a host, owner or repository
  list             show stored tokens, masked, with days to expiry
  remove TARGET    delete a stored token
  import [--from S] move tokens in from git-credential-store (default), netrc,
                   libsecret or gh
  check            exit 1 when a token is expired or expires soon
  verify [TARGET]  ask the host whose tokens they are, their scopes and expiry
  rotate TARGET    replace a token, keeping what is known about it
  edit TARGET      change a token's expiry, note or user name
  cache status     whether the in-memory cache runs, and what it holds
  cache exit       stop the cache and wipe what it held
  migrate --to B   move every token to backend B (keyring, file or pass)
  doctor           check the setup and say how to fix what is wrong
  token [TARGET]   print the token git would get there (default: origin)
  exec -- CMD      run CMD with origin's token in its forge's variables
                   (GH_TOKEN for gh, GITLAB_TOKEN for glab, ...)

TARGET is github.com, github.com/OWNER, github.com/OWNER/REPO, HOST:PORT/...,
or any of these as an https:// URL.

Options:
  --backend=B      where tokens live: auto (default), keyring, file or pass;
                   also GIT_CREDENTIAL_PAT_BACKEND; keyring calls give up
                   after GIT_CREDENTIAL_PAT_KEYRING_TIMEOUT (default 3s),
                   pass calls after GIT_CREDENTIAL_PAT_PASS_TIMEOUT (30s)
  --help           show help (also after a command: git-credential-pat add --help)
  --version        print the version
  --warn-within D  get warns, once a day, when a token expires within D
                   (default 7d): credential.helper "pat --warn-within=14d"
  --cache-timeout D
                   keep what the vault unlocked in memory this long (default
                   15m; 0 turns the cache off): credential.helper "pat --cache-timeout=1h";
                   also GIT_CREDENTIAL_PAT_CACHE_TIMEOUT, which the option overrides

Exit codes: 0 success, 1 failure, 2 usage error.
`

func main() {
	// Every command may hold a token or the passphrase in memory: none may
	// leave them in a core file; the harden package saw to that as it
	// initialized.
	vault.TakePassphraseFromEnv()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g, err := options.Parse(args, os.Getenv)
	var optErr *options.Error
	switch {
	case errors.Is(err, options.ErrHelp):
		fmt.Fprint(stdout, mainUsage)
		return exitOK
	case errors.As(err, &optErr) && optErr.ShowUsage:
		// One line, not the whole help, which would push the error off
		// the screen.
		fmt.Fprintf(stderr, "git-credential-pat: %s; run git-credential-pat --help\n", escapeLines(err.Error()))
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "git-credential-pat: %s\n", escapeLines(err.Error()))
		return exitUsage
	}
	if g.Version {
		fmt.Fprintf(stdout, "git-credential-pat %s\n", version)
		return exitOK
	}
	if g.Action == "" {
		fmt.Fprint(stderr, mainUsage)
		return exitUsage
	}
	action, rest := g.Action, g.Rest
	env := &environment{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now, options: g}
	if testOnlyNow != nil {
		env.now = testOnlyNow
	}

	if action == "help" || action == "version" || isCommand(action) || isProtocolAction(action) {
		return exitCode(env.dispatch(action, rest), stderr)
	}
	// An action git may add in the future is ignored; a typo is not.
	return exitCode(unknownAction(action, rest, stdin), stderr)
}

// isProtocolAction reports whether action is one git sends.
func isProtocolAction(action string) bool {
	switch action {
	case "get", "store", "erase", "capability":
		return true
	}
	return false
}

// commands are the actions people run, by name.
var commands = map[string]func(env *environment, args []string) error{
	"add":     (*environment).add,
	"new":     (*environment).newToken,
	"list":    (*environment).list,
	"remove":  (*environment).remove,
	"import":  (*environment).importCmd,
	"check":   (*environment).check,
	"verify":  (*environment).verify,
	"rotate":  (*environment).rotate,
	"edit":    (*environment).edit,
	"cache":   (*environment).cache,
	"migrate": (*environment).migrate,
	"doctor":  (*environment).doctor,
	"token":   (*environment).token,
	"exec":    (*environment).execCommand,
}

// isCommand reports whether action is one of the commands people run.
func isCommand(action string) bool { _, ok := commands[action]; return ok }

// dispatch runs a known action.
func (env *environment) dispatch(action string, rest []string) error {
	switch action {
	case "get", "store", "erase", "capability":
		if len(rest) > 0 {
			// git sends its actions with nothing after them: these are a
			// person's, who must not be left waiting on standard input.
			return protocolHelp(action, rest, env.stdout)
		}
		if action == "capability" {
			// git 2.46+ asks what the helper can do; no store is opened.
			return (&credential.Helper{}).Run(action, env.stdin, env.stdout)
		}
		return env.protocol(action)
	case "help":
		fmt.Fprint(env.stdout, mainUsage)
		return nil
	case "version":
		fmt.Fprintf(env.stdout, "git-credential-pat %s\n", version)
		return nil
	}
	return commands[action](env, rest)
}

// exitCode says err on stderr, when there is one, and is the exit code
// it makes: 2 for a usage error, 1 for any other.
func exitCode(err error, stderr io.Writer) int {
	var status exitStatus
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &status):
		return int(status)
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "git-credential-pat: %s\n", escapeLines(err.Error()))
		return exitUsage
	default:
		fmt.Fprintf(stderr, "git-credential-pat: %s\n", escapeLines(err.Error()))
		return exitFailure
	}
}

const protocolUsage = `Usage: git-credential-pat get|store|erase|capability

git's credential protocol: git runs these with a request on standard input
(key=value lines, then a blank line) and reads the answer on standard output.
get answers with the token for the request's host and path; store keeps what
git reports as working (or refused a moment before) and erase acts on what
the host refused; capability says which protocol extensions the helper
speaks. Run them through git, which writes the request:
  printf 'url=https://github.com/OWNER/REPO\n\n' | git credential fill
  git credential approve, git credential reject
Nothing but git's protocol reaches standard output.

`

// protocolHelp answers a protocol action given arguments, which only a
// person gives: --help prints the protocol's usage; anything else is a
// usage error.
func protocolHelp(action string, rest []string, stdout io.Writer) error {
	switch rest[0] {
	case "--help", "-h", "-help", "help":
		fmt.Fprint(stdout, protocolUsage)
		return nil
	}
	return usagef("%s takes no arguments: git sends the request on standard input; run git-credential-pat %s --help", action, action)
}

// environment is what a command runs with: its streams, the clock, and the
// store, opened on first use.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
	store          store.Store
	// options are the options before the action, read as the cache
	// daemon reads them.
	options *options.Global
	caches  map[backend.ID]*store.Cache
	// backendID is the backend in use, and backendWhy why it was chosen,
	// for doctor.
	backendID  backend.ID
	backendWhy string
	// keyringDown, when set, says that the backend in force is the OS
	// keyring and that it is locked or unreachable, and keyringListed is
	// what its index lists: no other store stands in for it.
	keyringDown   *keyring.NotUsableError
	keyringListed []store.Listing
	// request is git's request, during one of git's actions.
	request *credential.Credential
}

// tokens opens the token store once per process. Its String names it for
// the messages of the management commands.
func (env *environment) tokens() (store.Store, error) {
	if env.store != nil {
		return env.store, nil
	}
	s, id, why, err := env.openBackend()
	if err != nil {
		return nil, err
	}
	// The cache daemon answers in front of whichever backend was chosen.
	env.store, env.backendID, env.backendWhy = env.cacheFor(id).Wrap(s), id, why
	return env.store, nil
}

// cacheFor returns the one cache of this process for the backend id. The
// client is nil, and the cache off, when no folder for the daemon's socket
// can be found.
func (env *environment) cacheFor(id backend.ID) *store.Cache {
	if c, ok := env.caches[id]; ok {
		return c
	}
	if env.caches == nil {
		env.caches = map[backend.ID]*store.Cache{}
	}
	client, _ := cache.NewClient()
	if client != nil {
		client.Program = daemonProgram()
	}
	env.caches[id] = store.NewCache(id, env.options.CacheTimeout, client)
	return env.caches[id]
}

// daemonProgram is what runs the cache daemon: git-credential-pat-daemon,
// installed beside this program, which holds the same entries in far less
// memory; without it, this program.
func daemonProgram() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	if lean := filepath.Join(filepath.Dir(exe), daemon.Program); lean != exe {
		if fi, err := os.Stat(lean); err == nil && fi.Mode().IsRegular() {
			return lean
		}
	}
	return exe
}

// vault opens the encrypted vault.
func (env *environment) vault() (*vault.Vault, error) {
	path, err := vault.DefaultPath()
	if err != nil {
		return nil, err
	}
	// While the cache daemon holds the vault's key, the passphrase is not
	// asked for and no key is derived, on reads and writes alike.
	return vault.New(path, vault.Options{
		Passphrase:       vault.PassphraseFromEnvOrTerminal(path, env.noPrompt),
		Keys:             env.cacheFor(backend.Vault(path)).Keys(),
		ScryptWorkFactor: testOnlyScryptWorkFactor,
		PassphraseTries:  vault.PassphraseTries(),
		Notices:          env.stderr,
	}), nil
}

// protocol answers one of git's actions. stdout carries protocol lines only.
func (env *environment) protocol(action string) error {
	// The request is read first, so that opening the store knows the URL
	// whose credential.interactive says whether it may prompt.
	raw, err := io.ReadAll(io.LimitReader(env.stdin, credential.MaxInputLength+1))
	if err != nil {
		return fmt.Errorf("cannot read git's request: %w", err)
	}
	if req, err := credential.Read(bytes.NewReader(raw)); err == nil {
		env.request = req
	}
	tokens, err := env.tokens()
	if err != nil {
		return err
	}
	if env.keyringDown != nil {
		return env.keyringDownProtocol(action)
	}
	h := &credential.Helper{Tokens: tokens, Stderr: env.stderr, Now: env.now, WarnWithin: env.options.WarnWithin, KindOf: storedKind}
	// A warning counts as shown (once a day) only where a person sees
	// it: git passes its standard error on to the terminal, but the go
	// command and other tools that run git keep it unless they fail. A
	// warning written anywhere else is written again next time.
	if log, ok := defaultWarnState(); ok && stderrIsTerminal(env.stderr) {
		h.WarnLog = log
	}
	if env.options.Debug {
		h.Debug = env.stderr
	}
	return h.Run(action, bytes.NewReader(raw), env.stdout)
}

// testOnlyStderrIsTerminal, when set, says standard error is a terminal:
// scripts run with it a pipe.
var testOnlyStderrIsTerminal bool

// stderrIsTerminal reports whether w is a terminal.
func stderrIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return testOnlyStderrIsTerminal || ok && term.IsTerminal(int(f.Fd()))
}

// keyringDownProtocol answers git while the keyring in force is locked or
// unreachable: get says so when the keyring holds a token for the request,
// and answers nothing (git prompts); store stores nothing, anywhere else
// either, and says so; erase has nothing it could act on. The keyring is
// not called: it would wait for an unlock dialog.
func (env *environment) keyringDownProtocol(action string) error {
	req := env.request
	if req == nil {
		return nil
	}
	now := env.now()
	switch action {
	case "get":
		entries := make([]credential.Entry, len(env.keyringListed))
		for i, l := range env.keyringListed {
			entries[i] = l.Entry
		}
		if v, _ := credential.Decide(req, entries, now, 0); v == credential.Unservable || v == credential.NoMatch {
			return nil // none of its tokens would answer: nothing is withheld
		}
		return env.keyringDown
	case "store":
		if v, _ := credential.DecideStore(req, nil, now); v == credential.StoreNothing {
			return nil
		}
		r := credential.RequestOf(req)
		target := credential.Escape(credential.Target{Host: r.Host, Path: r.Path}.String())
		// get said how to unlock it just before, when it held a token for
		// the request: no need to say it twice.
		once := "once it is unlocked (git-credential-pat doctor says how)"
		if !env.keyringDown.Locked {
			once = "once it can be reached (" + env.keyringDown.Advice + ")"
		}
		return fmt.Errorf("the token git used for %s was not stored: %s; %s, store it with: git-credential-pat add %s",
			target, env.keyringDown.What, once, target)
	}
	return nil
}

// noPrompt says why the vault passphrase must not be asked for during one
// of git's actions, or "": git 2.47's credential.interactive (false or
// never, for the request's URL, read as git reads it) asks helpers not to
// prompt, and GIT_TERMINAL_PROMPT=0 forbids the terminal.
func (env *environment) noPrompt() string {
	if env.request == nil {
		return "" // a command a person runs: asking is the point
	}
	switch strings.ToLower(os.Getenv("GIT_TERMINAL_PROMPT")) {
	case "0", "false", "no", "off":
		return "GIT_TERMINAL_PROMPT=0 forbids prompting"
	}
	r := credential.RequestOf(env.request)
	if r.Protocol == "" || r.Host == "" {
		return ""
	}
	url := r.Protocol + "://" + r.Host + "/" + strings.TrimPrefix(env.request.Path, "/")
	out, err := exec.Command("git", "config", "--get-urlmatch", "credential.interactive", url).Output()
	if err != nil {
		return "" // unset, or no git: git's default is to prompt
	}
	switch strings.ToLower(strings.TrimSpace(string(out))) {
	case "never", "false", "no", "off", "0":
		return "credential.interactive is " + strings.TrimSpace(string(out))
	}
	return ""
}
