package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/front"
	"github.com/git-credential-pat/git-credential-pat/store"
	"github.com/git-credential-pat/git-credential-pat/store/backend"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
	"github.com/git-credential-pat/git-credential-pat/store/keyring"
)

const doctorUsage = `Usage: git-credential-pat doctor

Checks the setup: that the three programs are installed side by side,
which backend is in use and why, whether the OS keyring answers, the
vault's path and permissions, whether the pass store's key works here and
its commits are pushed, the cache daemon's state, git's credential.helper
chain (and whether another helper answers before this one, or
git-credential-store, which would copy every token git uses into a
plaintext file, is set: with the command that removes that setting where
it is), tokens expired or expiring within --warn-within (default 7d), hosts
with tokens per owner or repository for which git sends no repository path
(credential.useHttpPath), and, inside a repository, remotes that use SSH.
Each problem is printed with its fix; the exit code is 1 when there is any.

`

// doctorReport collects what doctor found: facts, and problems with fixes.
type doctorReport struct {
	env      *environment
	problems int
}

func (r *doctorReport) ok(topic, format string, args ...any) {
	say(r.env.stdout, "%-8s %s", topic+":", fmt.Sprintf(format, args...))
}

// problem prints a problem, and its fix when there is one. Further fixes
// are alternatives, each on an "or:" line of its own, so that a "fix:" line
// holds one command and nothing else.
func (r *doctorReport) problem(topic, what, fix string, alternatives ...string) {
	r.problems++
	say(r.env.stdout, "%-8s PROBLEM: %s", topic+":", what)
	if fix != "" {
		say(r.env.stdout, "%-8s fix: %s", "", fix)
	}
	for _, alt := range alternatives {
		say(r.env.stdout, "%-8s or: %s", "", alt)
	}
}

func (env *environment) doctor(args []string) error {
	fs := env.newFlags("doctor", doctorUsage)
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 0 {
		return usagef("doctor takes no arguments")
	}
	r := &doctorReport{env: env}
	for _, check := range []func(*doctorReport){
		doctorPrograms, doctorBackend, doctorKeyring, doctorVault, doctorPass, doctorCache, doctorHelpers, doctorPlaintextHelpers, doctorTokens, doctorRemotes,
	} {
		check(r)
	}
	if r.problems > 0 {
		if r.problems == 1 {
			return errors.New("doctor found 1 problem; it is printed above with its fix")
		}
		return fmt.Errorf("doctor found %d problems; each is printed above with its fix", r.problems)
	}
	fmt.Fprintln(env.stdout, "No problems found.")
	return nil
}

// doctorPrograms checks that the three programs are installed side by
// side: the front hands over to the other two by their place beside it.
func doctorPrograms(r *doctorReport) {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		r.problem("programs", "cannot find this program: "+err.Error(), "")
		return
	}
	dir := filepath.Dir(exe)
	var missing []string
	for _, name := range []string{"git-credential-pat", front.FullProgram, front.DaemonProgram} {
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || !fi.Mode().IsRegular() {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		r.problem("programs", fmt.Sprintf("%s not in %s beside %s", strings.Join(missing, " and "), dir, filepath.Base(exe)),
			"install all three together: make install, or go install (see the README)")
		return
	}
	r.ok("programs", "git-credential-pat, %s and %s in %s", front.FullProgram, front.DaemonProgram, dir)
}

// frontPath is where the program git is to run, git-credential-pat, is
// installed: beside this one.
func frontPath() string {
	name := "git-credential-pat"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	exe, err := os.Executable()
	if err != nil {
		return name
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return filepath.Join(filepath.Dir(exe), name)
}

// doctorCache says whether the cache daemon runs and what it holds (never
// a token), or why it cannot run.
func doctorCache(r *doctorReport) {
	if r.env.options.CacheTimeout <= 0 {
		r.ok("cache", "off (--cache-timeout=0): every lookup unlocks the backend")
		return
	}
	client, err := cache.NewClient()
	if err != nil {
		r.problem("cache", err.Error(), "give the daemon a private folder: set XDG_RUNTIME_DIR, or fix the folder named")
		return
	}
	st, err := client.Status()
	switch {
	case errors.Is(err, cache.ErrNotRunning):
		r.ok("cache", "the daemon is not running; the next lookup starts it (socket %s, interval %s)", client.Socket(), r.env.options.CacheTimeout)
	case err != nil:
		r.problem("cache", err.Error(), "stop it with: git-credential-pat cache exit")
	default:
		items := 0
		for _, b := range st.Stores {
			items += b.Count()
		}
		r.ok("cache", "the daemon runs as pid %d on %s and holds %s (interval %s)", st.PID, st.Socket, countItems(items), r.env.options.CacheTimeout)
	}
}

func doctorBackend(r *doctorReport) {
	tokens, err := r.env.tokens()
	if err != nil {
		r.problem("backend", err.Error(), "choose one with --backend=file, --backend=keyring or --backend=pass")
		return
	}
	r.ok("backend", "%s (%s)", tokens, r.env.backendWhy)
}

func doctorKeyring(r *doctorReport) {
	kr, err := r.env.keyring()
	if err != nil {
		r.problem("keyring", err.Error(), "")
		return
	}
	probe := keyring.Probe(kr.Timeout())
	listed, indexErr := kr.ListMasked()
	switch {
	case indexErr != nil:
		r.problem("keyring", indexErr.Error(), "")
	case probe == nil:
		r.ok("keyring", "%s answers and is unlocked; its index %s lists %s", kr, kr.IndexPath(), countTokens(len(listed)))
		// Moving there is offered only where the keyring answers.
		if len(listed) == 0 && r.usesVault() {
			r.ok("keyring", "to keep the tokens there instead of the vault: git-credential-pat migrate --to keyring")
		}
		problems, err := kr.Verify()
		if err != nil {
			r.problem("keyring", "could not read the tokens the index lists: "+err.Error(), "")
		}
		for _, p := range problems {
			r.problem("keyring", p.Target.String()+": "+p.What, "")
		}
	case len(listed) > 0 || r.inForce(backend.KindKeyring):
		// The tokens stay where they are: moving them needs the keyring
		// unlocked too, and no other store stands in for it.
		down := keyring.NotUsable(len(listed), probe)
		what := down.What + "; git gets none of its tokens, and stores none anywhere else, until then"
		if !down.Locked {
			r.problem("keyring", what+": "+down.Advice, "")
			break
		}
		steps := keyring.UnlockSteps()
		r.problem("keyring", what+"; unlock it", steps[0], steps[1:]...)
	default:
		r.ok("keyring", "not in use: %s", keyring.Reason(probe))
	}
	if len(listed) > 0 {
		r.checkMode("keyring", kr.IndexPath(), false)
	}
}

func doctorVault(r *doctorReport) {
	v, err := r.env.vault()
	if err != nil {
		r.problem("vault", err.Error(), "")
		return
	}
	if !v.Exists() {
		r.ok("vault", "%s does not exist yet (the first add to the vault creates it)", v.Path())
		return
	}
	r.ok("vault", "%s", v.Path())
	if r.inForce(backend.KindKeyring) {
		// A vault beside a keyring in force is read by nothing: a token
		// stored in it before the keyring was remembered would be lost
		// from sight.
		r.ok("vault", "not in use: the OS keyring is; move any tokens it holds there with: git-credential-pat migrate --to keyring")
	}
	r.checkMode("vault", filepath.Dir(v.Path()), true)
	r.checkMode("vault", v.Path(), false)
	r.checkMode("vault", v.KeyPath(), false)
}

// inForce reports whether the backend in use is of kind.
func (r *doctorReport) inForce(kind string) bool {
	_, err := r.env.tokens()
	return err == nil && r.env.backendID.Kind() == kind
}

// usesVault reports whether the tokens in use are the vault's.
func (r *doctorReport) usesVault() bool {
	tokens, err := r.env.tokens()
	return err == nil && strings.Contains(fmt.Sprint(tokens), "vault")
}

// modesTell reports whether a file's mode, as Go reports it on goos, says
// who can read it. On Windows Go makes the mode up from the read-only
// attribute (0666 or 0444, 0777 for a folder), whatever the access list
// says: flagging it would flag every file.
func modesTell(goos string) bool { return goos != "windows" }

// checkMode reports a file or folder other users can reach.
func (r *doctorReport) checkMode(topic, path string, isDir bool) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		r.problem(topic, err.Error(), "")
		return
	}
	if !modesTell(runtime.GOOS) {
		r.ok(topic, "%s exists; on Windows its access list, which doctor does not read, says who can open it (the folders under your profile are yours alone unless changed)", path)
		return
	}
	want := os.FileMode(0o600)
	if isDir {
		want = 0o700
	}
	if fi.Mode().Perm()&0o077 != 0 {
		r.problem(topic, fmt.Sprintf("%s is open to other users (mode %04o)", path, fi.Mode().Perm()),
			fmt.Sprintf("chmod %o %s", want, path))
		return
	}
	r.ok(topic, "%s has mode %04o", path, fi.Mode().Perm())
}

// helperChain is git's credential.helper list as git builds it: values in
// configuration order, an empty value clearing those before it.
func helperChain() ([]string, error) {
	out, err := exec.Command("git", "config", "--get-all", "credential.helper").Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		return nil, nil // not set
	}
	if err != nil {
		return nil, err
	}
	var chain []string
	for _, v := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if strings.TrimSpace(v) == "" {
			chain = nil
			continue
		}
		chain = append(chain, v)
	}
	return chain, nil
}

// isOurHelper recognizes "pat", "pat --backend=x", and a path to this binary.
func isOurHelper(h string) bool {
	name, _, _ := strings.Cut(strings.TrimSpace(h), " ")
	return name == "pat" || strings.HasSuffix(filepath.Base(name), "git-credential-pat")
}

func doctorHelpers(r *doctorReport) {
	chain, err := helperChain()
	if err != nil {
		r.problem("git", "cannot read git's configuration: "+err.Error(), "check that git is installed and on PATH")
		return
	}
	ours := -1
	for i, h := range chain {
		if isOurHelper(h) {
			ours = i
			break
		}
	}
	if ours < 0 {
		what := "credential.helper is not set"
		if len(chain) > 0 {
			what = fmt.Sprintf("credential.helper does not include pat (it is %q)", strings.Join(chain, ", "))
		}
		r.problem("git", what+", so git never asks for your tokens", setupCommand(pathArg(frontPath())))
		return
	}
	r.ok("git", "credential.helper chain: %s", strings.Join(chain, ", "))
	if ours == 0 {
		return
	}
	hosts := r.tokenHosts()
	for _, h := range chain[:ours] {
		for _, host := range hosts {
			if helperAnswers(h, host) {
				r.problem("git", fmt.Sprintf("the helper %q comes before pat and answers for %s, so git uses its credential instead of your token", h, host),
					eraseCommand(h, host), "put pat first in credential.helper")
			}
		}
	}
}

// eraseCommand is the command that removes helper's credential for host
// from that helper alone. Never "git credential reject": git sends its erase
// to every helper in the chain, this one included, and this helper's tokens
// for the host would go too. A helper that is a shell snippet ("!...")
// cannot be named by a command; its own tool must remove the credential.
func eraseCommand(helper, host string) string {
	helper = strings.TrimSpace(helper)
	if strings.HasPrefix(helper, "!") {
		return fmt.Sprintf("remove the credential for %s with the tool of the helper %q", host, helper)
	}
	// git runs a helper named NAME as "git credential-NAME", and one given
	// by an absolute path as it is, passing its arguments through the
	// shell, as here.
	program := helper
	if name, _, _ := strings.Cut(helper, " "); !filepath.IsAbs(name) && !strings.HasPrefix(name, "/") {
		program = "git credential-" + helper
	}
	return fmt.Sprintf(`printf 'protocol=https\nhost=%%s\n\n' %s | %s erase`, shellQuote(host), program)
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// tokenHosts lists the hosts tokens are stored for, reading no secret when
// the backend allows.
func (r *doctorReport) tokenHosts() []string {
	_, listed, err := r.env.listings()
	if err != nil {
		return nil
	}
	var hosts []string
	seen := map[string]bool{}
	for _, e := range listed {
		if !seen[e.Host] {
			seen[e.Host] = true
			hosts = append(hosts, e.Host)
		}
	}
	return hosts
}

// helperAnswers asks one helper alone, through git, for a host, never
// prompting. The answer is dropped unread but for whether it holds a password.
func helperAnswers(helper, host string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "-c", "credential.helper=", "-c", "credential.helper="+helper,
		"-c", "core.askPass=", "credential", "fill")
	// No prompt of any kind: not git's, not an askpass program's, not Git
	// Credential Manager's sign-in window.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS=", "GCM_INTERACTIVE=never")
	cmd.Stdin = strings.NewReader("protocol=https\nhost=" + host + "\n\n")
	out, err := cmd.Output()
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "password=") {
			return true
		}
	}
	return false
}

func doctorTokens(r *doctorReport) {
	tokens, err := r.env.tokens()
	if err != nil {
		return // reported by doctorBackend
	}
	listed, err := store.ListMasked(tokens)
	if err != nil {
		r.problem("tokens", err.Error(), "")
		return
	}
	now, window := r.env.now(), r.env.options.WarnWithin
	soon := 0
	var entries []credential.Entry
	for _, e := range listed {
		entries = append(entries, e.Entry)
		days, ok := e.DaysLeft(now)
		switch {
		case !e.Refused.IsZero():
			soon++
			r.problem("tokens", fmt.Sprintf("%s: its token was %s and is withheld from git", e.Target, credential.RefusedWhen(e.Entry)),
				"create a new token, then: git-credential-pat rotate "+e.Target.String())
		case !ok:
		case e.Expired(now):
			soon++
			r.problem("tokens", fmt.Sprintf("%s expired on %s", e.Target, e.Expires.UTC().Format(time.DateOnly)),
				credential.Escape(credential.ReplaceAdvice(e.Entry)))
		case e.ExpiresWithin(now, window):
			soon++
			r.problem("tokens", fmt.Sprintf("%s expires on %s, in %d days", e.Target, e.Expires.UTC().Format(time.DateOnly), days),
				credential.Escape(credential.RenewAdvice(e.Entry)))
		}
	}
	if soon == 0 && window > 0 {
		r.ok("tokens", "%d stored, none expired or expiring within %s", len(listed), inWords(window))
	} else if soon == 0 {
		r.ok("tokens", "%d stored, none expired (--warn-within=0: no warning before expiry)", len(listed))
	}
	// Tokens stored per owner answer only when git sends the path: without
	// it, the host's token, or none, answers for every owner.
	for _, u := range pathsOff(entries) {
		r.problem("tokens", fmt.Sprintf("tokens for %s are stored per owner or repository, but git sends no repository path for %s://%s, so they are not used: the token for all of %s, or none, answers instead",
			u.host, u.protocol, u.host, u.host), credential.UseHTTPPathCommand(u.protocol, u.host))
	}
}

// inWords says a window as people write it: "7 days", else "36h0m0s".
func inWords(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d == day:
		return "1 day"
	case d%day == 0:
		return fmt.Sprintf("%d days", d/day)
	}
	return d.String()
}

// doctorRemotes, inside a repository, flags remotes that use SSH: tokens
// work only over HTTPS.
func doctorRemotes(r *doctorReport) {
	out, err := exec.Command("git", "config", "--get-regexp", `^remote\..*\.url$`).Output()
	if err != nil {
		return // not in a repository, or no remotes
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		key, remoteURL, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(key, "remote."), ".url")
		if https, isSSH := httpsForSSH(remoteURL); isSSH {
			r.problem("remote", fmt.Sprintf("%s uses SSH (%s); personal access tokens work only over HTTPS", name, remoteURL),
				fmt.Sprintf("git remote set-url %s %s", name, https))
		}
	}
}

// httpsForSSH turns an SSH remote (git@host:owner/repo.git or
// ssh://git@host[:port]/owner/repo.git) into its HTTPS form.
func httpsForSSH(remote string) (string, bool) {
	if strings.HasPrefix(remote, "ssh://") || strings.HasPrefix(remote, "git+ssh://") {
		// Split by git's rule, as every URL read here is.
		u, ok := credential.SplitURL(remote)
		host := credential.HostName(u.Host)
		if !ok || host == "" {
			return "", false
		}
		return "https://" + host + "/" + u.Path, true
	}
	if strings.Contains(remote, "://") {
		return "", false
	}
	// scp-like syntax: [user@]host:path, where host has no slash before the colon.
	hostPart, path, ok := strings.Cut(remote, ":")
	if !ok || strings.Contains(hostPart, "/") || path == "" {
		return "", false
	}
	if _, host, has := strings.Cut(hostPart, "@"); has {
		hostPart = host
	}
	return "https://" + hostPart + "/" + strings.TrimPrefix(path, "/"), true
}
