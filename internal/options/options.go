// Package options reads the options that come before the action, the same
// way for every program that answers git: the full program, and the cache
// daemon, to which the front relays its arguments and environment as they
// are. Reading them in one place is what keeps the daemon's answer the full
// program's.
package options

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store/backend"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// The environment variables the options read.
const (
	BackendEnv      = "GIT_CREDENTIAL_PAT_BACKEND"
	CacheTimeoutEnv = "GIT_CREDENTIAL_PAT_CACHE_TIMEOUT"
	DebugEnv        = "GIT_CREDENTIAL_PAT_DEBUG"
)

// Global is what the options say.
type Global struct {
	Action string
	Rest   []string // the action's own arguments

	Version bool
	// WarnWithin is how long before expiry get warns; zero turns it off.
	WarnWithin time.Duration
	// CacheTimeout is how long the daemon holds what a backend unlocked;
	// zero turns the cache off.
	CacheTimeout time.Duration
	// Backend is the setting in force (auto, keyring, file or pass), and
	// BackendSource where it was said, for doctor.
	Backend       string
	BackendSource string
	// Debug asks for a trace of each request on stderr.
	Debug bool
}

// Error is a usage error in the options. ShowUsage asks for the usage text
// after the message.
type Error struct {
	Msg       string
	ShowUsage bool
}

func (e *Error) Error() string { return e.Msg }

// ErrHelp is returned for --help.
var ErrHelp = flag.ErrHelp

// Parse reads args (without the program name) in an environment. An empty
// action is not an error: the caller says what the program expects.
func Parse(args []string, getenv func(string) string) (*Global, error) {
	g := &Global{CacheTimeout: cache.DefaultTimeout, Debug: getenv(DebugEnv) == "1"}
	fs := flag.NewFlagSet("git-credential-pat", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&g.Version, "version", false, "")
	warnWithin := fs.String("warn-within", "7d", "")
	if v := getenv(CacheTimeoutEnv); v != "" {
		d, err := cache.ParseTimeout(v)
		if err != nil {
			return nil, &Error{Msg: fmt.Sprintf("%s=%q: %v", CacheTimeoutEnv, v, err)}
		}
		g.CacheTimeout = d
	}
	fs.Func("cache-timeout", "", func(s string) (err error) {
		g.CacheTimeout, err = cache.ParseTimeout(s)
		return err
	})
	backendFlag := fs.String("backend", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, ErrHelp
		}
		return nil, &Error{Msg: FlagMessage(err), ShowUsage: true}
	}
	if fs.NArg() > 0 {
		g.Action, g.Rest = fs.Arg(0), fs.Args()[1:]
	}
	var err error
	if g.WarnWithin, err = credential.ParseDays(*warnWithin); err != nil {
		return nil, &Error{Msg: fmt.Sprintf("--warn-within %q: %v", *warnWithin, err)}
	}
	g.Backend, g.BackendSource = getenv(BackendEnv), BackendEnv+"="+getenv(BackendEnv)
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "backend" {
			g.Backend, g.BackendSource = *backendFlag, "--backend="+*backendFlag
		}
	})
	switch g.Backend {
	case "":
		g.Backend, g.BackendSource = backend.SettingAuto, "the default"
	case backend.SettingAuto, backend.SettingKeyring, backend.SettingFile, backend.SettingPass:
	default:
		return nil, &Error{Msg: fmt.Sprintf("%s: %v", g.BackendSource, backend.ErrSetting)}
	}
	return g, nil
}

// FlagMessage says what the flag package's err says, with options in the
// --name form the help shows, as people type them.
func FlagMessage(err error) string {
	msg := err.Error()
	for _, r := range []struct{ from, to string }{
		{"flag provided but not defined: -", "unknown option --"},
		{"flag needs an argument: -", "option needs a value: --"},
		{" for flag -", " for --"},
	} {
		if strings.Contains(msg, r.from) {
			return strings.Replace(msg, r.from, r.to, 1)
		}
	}
	return msg
}
