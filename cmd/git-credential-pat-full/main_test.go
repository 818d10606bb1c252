package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/internal/daemon"
	"github.com/git-credential-pat/git-credential-pat/internal/front"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary stand in for all three programs:
// git-credential-pat, the front git runs, git-credential-pat-full, which the
// front hands over to, and git-credential-pat-daemon, the cache daemon.
// testscript puts them on PATH, side by side as make install does, so git
// itself runs them as its helper.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"git-credential-pat": func() {
			os.Exit(front.Main(os.Args[1:]))
		},
		daemon.Program: func() {
			// An empty cache daemon leaves soon, so scripts can watch
			// it go and none outlives its script. It decides on the
			// scripts' day, as the full program does.
			opts := daemon.Options{IdleExit: testDaemonIdleExit}
			opts.TestOnlyClock(testClock)
			opts.TestOnlyNow(func(getenv func(string) string) time.Time {
				if now := testNowFrom(getenv(testNowEnv)); !now.IsZero() {
					return now
				}
				return time.Now()
			})
			os.Exit(daemon.Main(os.Args[1:], opts))
		},
		front.FullProgram: func() {
			// Scripts count the full program's starts, to show what the
			// front answered by itself.
			if log := os.Getenv("GIT_CREDENTIAL_PAT_TEST_FULL_LOG"); log != "" {
				if f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); err == nil {
					f.WriteString(strings.Join(os.Args[1:], " ") + "\n")
					f.Close()
				}
			}
			// A low scrypt work factor keeps the many unlocks of the
			// scripts fast; the real cost is measured by the benchmarks.
			testOnlyScryptWorkFactor = 10
			setTestOnlyHooksFromEnv()
			testOnlyCacheIdleExit = testDaemonIdleExit
			main()
		},
	})
}

const testDaemonIdleExit = 2 * time.Second

// TestScripts runs testscripts/*.txtar: terminal sessions with the real
// binary and the real git.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testscripts",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup:               setupScript,
		Cmds:                scriptCmds,
	})
}

// scriptCmds are the custom commands of the scripts; test files add theirs
// in init.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){}

// setupScript gives each script a home of its own, an empty git
// configuration, and what the outside environment must lend it.
func setupScript(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, "home")
	for _, dir := range []string{home, filepath.Join(home, ".config"), filepath.Join(home, ".local", "share"), filepath.Join(home, ".cache")} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	env.Setenv("HOME", home)
	env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	env.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
	env.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
	env.Setenv("XDG_RUNTIME_DIR", "")
	env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	env.Setenv(testClockEnv, filepath.Join(env.WorkDir, ".clock"))
	env.Setenv("GIT_TERMINAL_PROMPT", "0")
	env.Setenv("GIT_AUTHOR_NAME", "Test Person")
	env.Setenv("GIT_AUTHOR_EMAIL", "test@example.com")
	env.Setenv("GIT_COMMITTER_NAME", "Test Person")
	env.Setenv("GIT_COMMITTER_EMAIL", "test@example.com")
	// The vault's folder lives under this script's home; others must not
	// be able to enter it.

	// A cache daemon started by the script inherits its environment and
	// serves the folder under its home: stop it when the script ends.
	env.Defer(func() { stopScriptCache(env) })
	return nil
}

// stopScriptCache stops the cache daemon of a script's home, killing it if
// it does not exit when asked.
func stopScriptCache(env *testscript.Env) {
	dir, err := cache.DirFor(env.Getenv)
	if err != nil {
		return
	}
	client := &cache.Client{Dir: dir}
	st, err := client.Status()
	if err != nil {
		return
	}
	client.Exit()
	if p, err := os.FindProcess(st.PID); err == nil && p.Signal(syscall.Signal(0)) == nil {
		time.Sleep(100 * time.Millisecond)
		p.Kill()
	}
}

// testClockEnv names the file whose duration the cache daemons of a script
// add to the real clock for how long they hold things: the script's
// "clock +DURATION" moves it on, so an interval passes without waiting.
const testClockEnv = "GIT_CREDENTIAL_PAT_TEST_CLOCK"

// testClock is the real time plus the script's clock offset.
func testClock() time.Time {
	b, err := os.ReadFile(os.Getenv(testClockEnv))
	if err != nil {
		return time.Now()
	}
	d, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		panic(fmt.Sprintf("%s: %v", testClockEnv, err))
	}
	return time.Now().Add(d)
}

func init() {
	// clock +DURATION moves the cache daemons' clock on.
	scriptCmds["clock"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 1 || !strings.HasPrefix(args[0], "+") {
			ts.Fatalf("usage: clock +DURATION")
		}
		step, err := time.ParseDuration(args[0][1:])
		ts.Check(err)
		path := ts.Getenv(testClockEnv)
		var offset time.Duration
		if b, err := os.ReadFile(path); err == nil {
			offset, err = time.ParseDuration(strings.TrimSpace(string(b)))
			ts.Check(err)
		}
		ts.Check(os.WriteFile(path, []byte((offset + step).String()), 0o600))
	}
	// daemongone waits for the script's cache daemon to exit by itself
	// (it checks its clock at least twice a second).
	scriptCmds["daemongone"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 0 {
			ts.Fatalf("usage: daemongone")
		}
		dir, err := cache.DirFor(ts.Getenv)
		ts.Check(err)
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if _, err := os.Lstat(filepath.Join(dir, cache.SocketName)); os.IsNotExist(err) {
				return
			}
		}
		ts.Fatalf("the cache daemon did not exit")
	}
}
