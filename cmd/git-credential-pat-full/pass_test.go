package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// requirePass skips the pass scripts where pass or gpg is not installed;
// in CI (CI=true), which installs them, that is a failure.
func requirePass(t *testing.T) {
	t.Helper()
	for _, p := range []string{"pass", "gpg", "gpgconf"} {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI must run the pass tests, but %s is not installed: add pass and gnupg to .ci/run", p)
			}
			t.Skipf("%s is not installed; the pass tests need pass and gnupg", p)
		}
	}
}

// setupPassScript is setupScript plus a throwaway GPG key without a
// passphrase in a GNUPGHOME of the script's own, and a password store
// initialized for it under $WORK/store, a git repository as pass git init
// makes it. The gpg-agents it and the script start are stopped when the
// script ends.
func setupPassScript(env *testscript.Env) error {
	if err := setupScript(env); err != nil {
		return err
	}
	gnupg := filepath.Join(env.WorkDir, "gnupg")
	if err := os.Mkdir(gnupg, 0o700); err != nil {
		return err
	}
	env.Setenv("GNUPGHOME", gnupg)
	env.Setenv("PASSWORD_STORE_DIR", filepath.Join(env.WorkDir, "store"))
	env.Setenv("GIT_CREDENTIAL_PAT_PASSPHRASE", "pass-tests-vault-passphrase")
	// Scripts may make more GNUPGHOMEs under $WORK, named *gnupg*: stop
	// the agent of each.
	env.Defer(func() {
		homes, _ := filepath.Glob(filepath.Join(env.WorkDir, "*gnupg*"))
		for _, home := range homes {
			exec.Command("gpgconf", "--homedir", home, "--kill", "all").Run()
		}
	})
	environ := append(os.Environ(), env.Vars...)
	for _, args := range [][]string{
		{"git", "config", "--global", "init.defaultBranch", "main"},
		{"gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Test <t@example.com>", "default", "default", "never"},
		{"pass", "init", "t@example.com"},
		{"pass", "git", "init"},
	} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env, cmd.Dir = environ, env.WorkDir
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%v: %w\n%s", args, err, out)
		}
	}
	return nil
}

// TestPassScripts runs testscripts/pass/*.txtar against the real pass and
// gpg: add, git credential fill, list, remove, erase, migrate both ways, a
// clone and push over HTTPS, two homes sharing one store through pass git,
// doctor, and a key that cannot be used.
func TestPassScripts(t *testing.T) {
	requirePass(t)
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testscripts/pass",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup:               setupPassScript,
		Cmds:                scriptCmds,
	})
}
