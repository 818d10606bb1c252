package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/store/vault"
)

const passphrase = "bench-passphrase"

// lowWorkFactor makes the vault's key derivation cheap, so a vault get
// shows what it costs beyond the derivation; realWorkFactor is what a new
// vault gets.
const (
	lowWorkFactor  = 10
	realWorkFactor = vault.DefaultScryptWorkFactor
)

// lab is the temporary folder every measurement runs in, with the binaries
// it built.
type lab struct {
	tmp      string
	bin      string // on PATH first: git-credential-pat
	pat      string
	emptyBin string
	floorBin string // the least a Go helper can do: see bench/floor
	gitCache string // git's git-credential-cache
	gitStore string // git's git-credential-store
	homes    []*home
}

// modules are where the helper's module (the repository) and the bench's
// lie on disk.
type modules struct{ repo, bench string }

// findModules asks the go command where the two modules are, as it sees
// them from the working directory: bench/, or any folder inside it.
func findModules() (modules, error) {
	const benchPath = "github.com/git-credential-pat/git-credential-pat/bench"
	const repoPath = "github.com/git-credential-pat/git-credential-pat"
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", benchPath, repoPath).Output()
	if err != nil {
		return modules{}, fmt.Errorf("finding the repository (run the bench from bench/: cd bench && go run .): %w", err)
	}
	dirs := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(dirs) != 2 || dirs[0] == "" || dirs[1] == "" {
		return modules{}, fmt.Errorf("finding the repository: go list -m printed %q", out)
	}
	return modules{bench: dirs[0], repo: dirs[1]}, nil
}

func newLab(dirs modules) (*lab, error) {
	tmp, err := os.MkdirTemp("", "gcpbench")
	if err != nil {
		return nil, err
	}
	l := &lab{tmp: tmp, bin: filepath.Join(tmp, "bin")}
	l.pat = filepath.Join(l.bin, "git-credential-pat")
	l.emptyBin = filepath.Join(l.bin, "empty")
	l.floorBin = filepath.Join(l.bin, "floor")
	// Built as make build does: static, stripped, all three programs
	// side by side.
	for _, b := range []struct{ out, dir, pkg string }{
		{l.pat, dirs.repo, "."},
		{filepath.Join(l.bin, "git-credential-pat-full"), dirs.repo, "./cmd/git-credential-pat-full"},
		{filepath.Join(l.bin, "git-credential-pat-daemon"), dirs.repo, "./cmd/git-credential-pat-daemon"},
		{l.floorBin, dirs.bench, "./floor"},
	} {
		build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", b.out, b.pkg)
		build.Dir, build.Env, build.Stderr = b.dir, append(os.Environ(), "CGO_ENABLED=0"), os.Stderr
		if err := build.Run(); err != nil {
			l.close()
			return nil, fmt.Errorf("building %s: %w", filepath.Base(b.out), err)
		}
	}
	src := filepath.Join(tmp, "emptysrc")
	os.MkdirAll(src, 0o700)
	os.WriteFile(filepath.Join(src, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o600)
	os.WriteFile(filepath.Join(src, "go.mod"), []byte("module empty\n\ngo 1.21\n"), 0o600)
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", l.emptyBin, ".")
	build.Dir, build.Env, build.Stderr = src, append(os.Environ(), "CGO_ENABLED=0"), os.Stderr
	if err := build.Run(); err != nil {
		l.close()
		return nil, fmt.Errorf("building the empty program: %w", err)
	}
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		l.close()
		return nil, fmt.Errorf("git --exec-path: %w", err)
	}
	execPath := strings.TrimSpace(string(out))
	l.gitCache = filepath.Join(execPath, "git-credential-cache")
	l.gitStore = filepath.Join(execPath, "git-credential-store")
	return l, nil
}

// close stops every daemon the lab started and removes its folder.
func (l *lab) close() {
	for _, h := range l.homes {
		h.command(h.env, l.pat, "cache", "exit").Run()
		h.command(h.env, l.gitCache, "exit").Run()
	}
	os.RemoveAll(l.tmp)
}

// home is one HOME holding n entries in each helper: the vault (at the low
// work factor, and at the real one for the sizes that time it), git's
// plaintext file, and both cache daemons. The entry every request asks for
// is the last one, so a helper that scans looks at all of them.
type home struct {
	lab     *lab
	dir     string
	n       int
	env     []string // no passphrase: only a cache can answer
	envPass []string // with the passphrase, the low-cost vault
	envKDF  []string // with the passphrase, the real-cost vault
	// keyringEnv is env with the OS keyring as the backend (keyring homes).
	keyringEnv []string
	request    string // the file git would send on stdin
	want       string // the answer's password line
}

func token(i int) string { return fmt.Sprintf("ghp_bench%031d", i) }

func hostOf(i, n int) string {
	if i == n-1 {
		return "github.com"
	}
	return fmt.Sprintf("host%05d.example", i)
}

func (l *lab) newHome(name string, n int) (*home, error) {
	dir := filepath.Join(l.tmp, name)
	hd := filepath.Join(dir, "home")
	for _, d := range []string{".config", ".cache", ".local/share"} {
		if err := os.MkdirAll(filepath.Join(hd, d), 0o700); err != nil {
			return nil, err
		}
	}
	var base []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "HOME" || k == "PATH" || strings.HasPrefix(k, "XDG_") || strings.HasPrefix(k, "GIT_") || k == "DBUS_SESSION_BUS_ADDRESS" {
			continue
		}
		base = append(base, kv)
	}
	base = append(base, "HOME="+hd, "XDG_CONFIG_HOME="+filepath.Join(hd, ".config"),
		"XDG_CACHE_HOME="+filepath.Join(hd, ".cache"), "XDG_DATA_HOME="+filepath.Join(hd, ".local/share"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_CREDENTIAL_PAT_BACKEND=file",
		"PATH="+l.bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	h := &home{lab: l, dir: dir, n: n, env: base,
		envPass: append(slices.Clone(base), "GIT_CREDENTIAL_PAT_PASSPHRASE="+passphrase),
		request: filepath.Join(dir, "request"),
		want:    "password=" + token(n-1) + "\n"}
	h.envKDF = append(slices.Clone(h.envPass), "XDG_DATA_HOME="+filepath.Join(hd, ".local/share-kdf"))
	l.homes = append(l.homes, h)
	if err := os.WriteFile(h.request, []byte("protocol=https\nhost=github.com\n"), 0o600); err != nil {
		return nil, err
	}

	now := time.Now().UTC()
	entries := make([]credential.Entry, n)
	var plaintext bytes.Buffer
	for i := range n {
		entries[i] = credential.Entry{Target: credential.Target{Host: hostOf(i, n)}, Token: token(i),
			Kind: github.KindOf(token(i)), Added: now}
		fmt.Fprintf(&plaintext, "https://%s:%s@%s\n", credential.DefaultUsername, token(i), hostOf(i, n))
	}
	// The vaults, written directly: one write instead of n adds.
	if err := writeVault(filepath.Join(hd, ".local/share"), lowWorkFactor, entries); err != nil {
		return nil, err
	}
	if n == 1 || n == sizes[len(sizes)-1] {
		if err := writeVault(filepath.Join(hd, ".local/share-kdf"), realWorkFactor, entries); err != nil {
			return nil, err
		}
	}
	// git-credential-store's file.
	if err := os.WriteFile(filepath.Join(hd, ".git-credentials"), plaintext.Bytes(), 0o600); err != nil {
		return nil, err
	}
	// git's cache: the first store starts its daemon; the rest go straight
	// to its socket, as its client would send them.
	for i := range n {
		cred := fmt.Sprintf("protocol=https\nhost=%s\nusername=%s\npassword=%s\n", hostOf(i, n), credential.DefaultUsername, token(i))
		if i == 0 {
			c := h.command(h.env, l.gitCache, "--timeout=3600", "store")
			c.Stdin = strings.NewReader(cred)
			if err := c.Run(); err != nil {
				return nil, fmt.Errorf("starting git's cache daemon: %w", err)
			}
			continue
		}
		if err := gitCacheStore(filepath.Join(hd, ".cache/git/credential/socket"), cred); err != nil {
			return nil, err
		}
	}
	// Our cache: a get that unlocks the vault hands the daemon its entries.
	c := h.command(h.envPass, l.pat, "get")
	c.Stdin = strings.NewReader("protocol=https\nhost=github.com\n")
	if out, err := c.Output(); err != nil || !strings.Contains(string(out), h.want) {
		return nil, fmt.Errorf("the first get did not answer: %v %q", err, out)
	}
	return h, nil
}

func writeVault(dataHome string, workFactor int, entries []credential.Entry) error {
	v := vault.New(filepath.Join(dataHome, "git-credential-pat", "vault.age"), vault.Options{
		Passphrase:       func(bool) ([]byte, error) { return []byte(passphrase), nil },
		ScryptWorkFactor: workFactor,
	})
	return v.Add(entries...)
}

// gitCacheStore sends one store to git-credential-cache--daemon the way
// git-credential-cache does: the request, then end of input, then it waits
// for the daemon to close the connection.
func gitCacheStore(socket, cred string) error {
	conn, err := net.Dial("unix", socket)
	if err != nil {
		return fmt.Errorf("connecting to git's cache daemon: %w", err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("action=store\ntimeout=3600\n" + cred)); err != nil {
		return err
	}
	conn.(*net.UnixConn).CloseWrite()
	_, err = bytes.NewBuffer(nil).ReadFrom(conn)
	return err
}

func (h *home) command(env []string, name string, args ...string) *exec.Cmd {
	c := exec.Command(name, args...)
	c.Env, c.Dir, c.Stderr = env, h.dir, os.Stderr
	return c
}

// The commands the measurements time.

func (h *home) patCached() *probe {
	return &probe{name: "git-credential-pat get (cached)", short: "pat cached", argv: []string{h.lab.pat, "get"}, env: h.env, home: h, want: h.want}
}

func (h *home) patVault() *probe {
	return &probe{name: fmt.Sprintf("git-credential-pat get (vault, %d entries)", h.n), short: "pat vault, cache off (scrypt 2^10)",
		argv: []string{h.lab.pat, "--cache-timeout=0", "get"}, env: h.envPass, home: h, want: h.want}
}

func (h *home) patVaultKDF() *probe {
	return &probe{name: fmt.Sprintf("git-credential-pat get (real-cost vault, %d entries)", h.n), short: "pat vault, real KDF",
		argv: []string{h.lab.pat, "--cache-timeout=0", "get"}, env: h.envKDF, home: h, want: h.want}
}

func (h *home) patVersion() *probe {
	full := filepath.Join(filepath.Dir(h.lab.pat), "git-credential-pat-full")
	return &probe{name: "git-credential-pat-full --version", short: "full --version", argv: []string{full, "--version"}, env: h.env, home: h, want: "git-credential-pat "}
}

func (h *home) gitCache() *probe {
	return &probe{name: "git-credential-cache get", short: "git-credential-cache", argv: []string{h.lab.gitCache, "get"}, env: h.env, home: h, want: h.want}
}

func (h *home) gitStore() *probe {
	return &probe{name: fmt.Sprintf("git-credential-store get (%d entries)", h.n), short: "git-credential-store", argv: []string{h.lab.gitStore, "get"}, env: h.env, home: h, want: h.want}
}

// storeSeq numbers the credentials the store probes make, so each run
// stores one its helper does not hold yet.
var storeSeq int

func newCredential(host string) func() string {
	return func() string {
		storeSeq++
		return fmt.Sprintf("protocol=https\nhost=%s\nusername=user%d\npassword=ghp_store%031d\n", host, storeSeq, storeSeq)
	}
}

// patStore is git's store of a credential the vault does not hold yet,
// with the cache warm (it holds the vault's key): no key derivation.
func (h *home) patStore() *probe {
	return &probe{name: "git-credential-pat store (new credential, warm)", short: "pat store", argv: []string{h.lab.pat, "store"}, env: h.env, home: h, stdin: newCredential("store.example")}
}

func (h *home) gitStoreStore() *probe {
	return &probe{name: "git-credential-store store (new credential)", short: "git-credential-store store", argv: []string{h.lab.gitStore, "store"}, env: h.env, home: h, stdin: newCredential("store.example")}
}

func (h *home) fillPat() *probe {
	return &probe{name: "git credential fill, helper pat", short: "fill pat",
		argv: []string{"git", "-c", "credential.helper=", "-c", "credential.helper=pat", "credential", "fill"}, env: h.env, home: h, want: h.want}
}

// fillPatPath names the helper by its path, as make install configures it:
// git then runs it directly, where "pat" costs a git process that runs
// git-credential-pat in turn.
func (h *home) fillPatPath() *probe {
	return &probe{name: "git credential fill, helper /path/to/git-credential-pat", short: "fill pat path",
		argv: []string{"git", "-c", "credential.helper=", "-c", "credential.helper=" + h.lab.pat, "credential", "fill"}, env: h.env, home: h, want: h.want}
}

func (h *home) fillCache() *probe {
	return &probe{name: "git credential fill, helper cache", short: "fill cache",
		argv: []string{"git", "-c", "credential.helper=", "-c", "credential.helper=cache", "credential", "fill"}, env: h.env, home: h, want: h.want}
}

func (l *lab) empty(h *home) *probe {
	return &probe{name: "empty Go program", short: "empty Go", argv: []string{l.emptyBin}, env: h.env, home: h}
}

// floor is the least a Go helper can do for a cached get (bench/floor),
// asking git's own cache daemon: Go's start-up and nothing else.
func (l *lab) floor(h *home) *probe {
	return &probe{name: "Go floor: the socket exchange alone", short: "Go floor", argv: []string{l.floorBin}, env: h.env, home: h, want: h.want}
}

func (l *lab) fillFloor(h *home) *probe {
	return &probe{name: "git credential fill, helper /path/to/floor", short: "fill floor",
		argv: []string{"git", "-c", "credential.helper=", "-c", "credential.helper=" + l.floorBin, "credential", "fill"}, env: h.env, home: h, want: h.want}
}

// daemonRSS is the resident memory, in KiB, of this home's two daemons,
// each found as the process listening on its socket. Neither is asked
// anything first: a status request would make ours allocate, and git's
// has none.
func (h *home) daemonRSS() (pat, git int, err error) {
	for _, d := range []struct {
		socket string
		rss    *int
	}{
		{filepath.Join(h.dir, "home/.cache/git-credential-pat/socket"), &pat},
		{filepath.Join(h.dir, "home/.cache/git/credential/socket"), &git},
	} {
		pid, err := listenerPID(d.socket)
		if err != nil {
			return 0, 0, err
		}
		if *d.rss, err = rss(pid); err != nil {
			return 0, 0, err
		}
	}
	return pat, git, nil
}

// listenerPID is the process listening on the Unix socket at path: the
// socket's inode from /proc/net/unix, then the process holding it open.
func listenerPID(path string) (string, error) {
	table, err := os.ReadFile("/proc/net/unix")
	if err != nil {
		return "", err
	}
	inode := ""
	for _, line := range strings.Split(string(table), "\n") {
		// Num RefCount Protocol Flags Type St Inode Path; 00010000 in
		// Flags marks a listening socket.
		f := strings.Fields(line)
		if len(f) == 8 && f[7] == path && f[3] == "00010000" {
			inode = f[6]
		}
	}
	if inode == "" {
		return "", fmt.Errorf("no process listens on %s", path)
	}
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range fds {
		if link, _ := os.Readlink(fd); link == "socket:["+inode+"]" {
			return filepath.Base(filepath.Dir(filepath.Dir(fd))), nil
		}
	}
	return "", fmt.Errorf("no process holds the socket %s open", path)
}

func rss(pid string) (int, error) {
	status, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %s", pid)
}

func machine() []string {
	var lines []string
	cpu := "unknown"
	if info, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(info), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	lines = append(lines, fmt.Sprintf("%s/%s, %d CPUs (nproc), %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), cpu))
	for _, argv := range [][]string{{"go", "version"}, {"git", "--version"}, {"uname", "-sr"}} {
		out, _ := exec.Command(argv[0], argv[1:]...).Output()
		lines = append(lines, strings.TrimSpace(string(out)))
	}
	if load, err := os.ReadFile("/proc/loadavg"); err == nil {
		lines = append(lines, "load average at start: "+strings.Join(strings.Fields(string(load))[:3], " "))
	}
	return lines
}

// newKeyringHome is a home whose one token is in the OS keyring, and the
// cache daemon warm in front of it. It needs a Secret Service: the session
// bus .ci/keyring-session.sh hands the tests (or the desktop's).
func (l *lab) newKeyringHome() (*home, error) {
	bus := os.Getenv("GIT_CREDENTIAL_PAT_TEST_DBUS_ADDRESS")
	if bus == "" {
		return nil, fmt.Errorf("no Secret Service: run the bench under .ci/keyring-session.sh (make bench does, where gnome-keyring is installed)")
	}
	h, err := l.newHome("keyring", 1)
	if err != nil {
		return nil, err
	}
	h.keyringEnv = append(slices.Clone(h.env), "GIT_CREDENTIAL_PAT_BACKEND=keyring", "DBUS_SESSION_BUS_ADDRESS="+bus)
	add := h.command(h.keyringEnv, l.pat, "add", "--no-format-check", "github.com")
	add.Stdin, add.Stderr = strings.NewReader(token(0)), nil
	if out, err := add.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("adding the token to the keyring: %v: %s", err, out)
	}
	get := h.command(h.keyringEnv, l.pat, "get")
	get.Stdin = strings.NewReader("protocol=https\nhost=github.com\n")
	if out, err := get.Output(); err != nil || !strings.Contains(string(out), h.want) {
		return nil, fmt.Errorf("the first keyring get did not answer: %v %q", err, out)
	}
	return h, nil
}

func (h *home) patCachedKeyring() *probe {
	return &probe{name: "git-credential-pat get (cached, OS keyring)", short: "pat cached keyring", argv: []string{h.lab.pat, "get"}, env: h.keyringEnv, home: h, want: h.want}
}

// parallelApproves runs n git credential approve at once, each of a new
// credential, and counts those the vault holds afterwards.
func (h *home) parallelApproves(n int) (took time.Duration, landed int, err error) {
	cmds := make([]*exec.Cmd, n)
	for i := range cmds {
		storeSeq++
		c := exec.Command("git", "-c", "credential.helper=", "-c", "credential.helper="+h.lab.pat, "credential", "approve")
		c.Env, c.Dir = h.env, h.dir
		c.Stdin = strings.NewReader(fmt.Sprintf("protocol=https\nhost=parallel.example\nusername=user%d\npassword=ghp_parallel%028d\n", storeSeq, storeSeq))
		cmds[i] = c
	}
	start := time.Now()
	errs := make(chan error, n)
	for _, c := range cmds {
		go func() { errs <- c.Run() }()
	}
	for range cmds {
		if err := <-errs; err != nil {
			return 0, 0, fmt.Errorf("git credential approve: %w", err)
		}
	}
	took = time.Since(start)
	list := h.command(h.env, h.lab.pat, "list")
	list.Stderr = nil
	out, err := list.Output()
	if err != nil {
		return 0, 0, fmt.Errorf("listing after the approves: %w", err)
	}
	landed = strings.Count(string(out), "parallel.example")
	return took, landed, nil
}
