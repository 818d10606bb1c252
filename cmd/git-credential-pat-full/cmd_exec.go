package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	"github.com/git-credential-pat/git-credential-pat/internal/options"
	"github.com/git-credential-pat/git-credential-pat/store/vault"
)

const execUsage = `Usage: git-credential-pat exec [--target TARGET] [--] CMD [ARGS...]

Runs CMD with the token git would get for the current checkout's origin
remote (or for TARGET, as token takes it) in the environment variables its
forge's tools read, so they act with that owner's token:
  GitHub          GH_TOKEN and GITHUB_TOKEN (gh), with GH_HOST=github.com;
                  on another host GH_HOST, GH_ENTERPRISE_TOKEN,
                  GITHUB_ENTERPRISE_TOKEN and GITHUB_TOKEN
  GitLab          GITLAB_TOKEN and GITLAB_HOST (glab)
  Gitea, Forgejo  GITEA_TOKEN, GITEA_SERVER_URL and GITEA_SERVER_TOKEN (tea)
  Azure DevOps    AZURE_DEVOPS_EXT_PAT (az devops)
For example, in a checkout of github.com/acme/widgets:
  git-credential-pat exec -- gh pr list
The token is never on CMD's command line, and the vault passphrase never in
its environment. The exit code is CMD's; 1 when no token serves (nothing is
run), 127 when CMD is not found.

`

// exitStatus is a command's exit code, handed on as the program's own: exec
// exits with the code of the command it ran.
type exitStatus int

func (s exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

func (env *environment) execCommand(args []string) error {
	fs := env.newFlags("exec", execUsage)
	target := fs.String("target", "", "whose token: a TARGET or URL, as token takes it (default: the current checkout's origin)")
	// CMD's own flags are not exec's: parsing stops at CMD, or after --.
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.printUsage(env.stdout)
			return err
		}
		return usagef("exec: %s; run git-credential-pat exec --help", options.FlagMessage(err))
	}
	command := fs.Args()
	if len(command) == 0 {
		return usagef("exec needs a command to run, such as: git-credential-pat exec -- gh pr list")
	}
	served, err := env.served(*target)
	if err != nil {
		return err
	}
	f := forge.For(served.Entry)
	if f == nil {
		where := credential.Escape(served.Target.String())
		return fmt.Errorf("the forge of %s is not known, so neither are the variables its tools read; store the token again with its forge named: git-credential-pat add %s --forge NAME (%s)",
			credential.Escape(served.Host), where, strings.Join(forge.Names(), ", "))
	}
	vars := f.ToolEnv(served.Host, served.Token)
	if len(vars) == 0 {
		return fmt.Errorf("%s's tools read no token from the environment; for a script, take the token with: git-credential-pat token %s",
			f.Title(), credential.Escape(served.Target.String()))
	}
	path, err := exec.LookPath(command[0])
	if err != nil {
		fmt.Fprintf(env.stderr, "git-credential-pat: exec: %s\n", escapeLines(err.Error()))
		return exitStatus(127)
	}
	cmd := exec.Command(path, command[1:]...)
	cmd.Args[0] = command[0]
	cmd.Env = toolEnviron(os.Environ(), vars)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = env.stdin, env.stdout, env.stderr
	return runForwardingSignals(cmd)
}

// toolEnviron is environ with vars set, each replacing a variable of its
// name, and without the vault passphrase (which main took out already).
func toolEnviron(environ []string, vars []forge.EnvVar) []string {
	drop := []string{vault.PassphraseEnv}
	for _, v := range vars {
		drop = append(drop, v.Name)
	}
	out := make([]string, 0, len(environ)+len(vars))
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(drop, name) {
			out = append(out, kv)
		}
	}
	for _, v := range vars {
		out = append(out, v.Name+"="+v.Value)
	}
	return out
}

// runForwardingSignals runs cmd to its end and returns its exit status. A
// termination or hangup sent to this process is passed on to cmd; an
// interrupt or quit from the terminal reaches cmd by itself, as the whole
// foreground process group gets it, and this process waits for cmd to act
// on it. A command killed by a signal exits 128+N, as shells report it.
func runForwardingSignals(cmd *exec.Cmd) error {
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(signals)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cannot run %s: %w", cmd.Args[0], err)
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-signals:
				if s == syscall.SIGTERM || s == syscall.SIGHUP {
					cmd.Process.Signal(s)
				}
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &exitErr):
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return exitStatus(128 + int(ws.Signal()))
		}
		return exitStatus(exitErr.ExitCode())
	}
	return fmt.Errorf("running %s failed: %w", cmd.Args[0], err)
}
