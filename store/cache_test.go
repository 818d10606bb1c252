//go:build unix

package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/daemon"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/store"
	"github.com/git-credential-pat/git-credential-pat/store/backend"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
	"github.com/git-credential-pat/git-credential-pat/store/files"
	"github.com/git-credential-pat/git-credential-pat/store/vault"
)

// TestMain lets the test binary stand in for the daemon, as
// `git-credential-pat cache daemon` does, and for a client of another user.
func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == "cache" && os.Args[2] == "daemon" {
		dir, err := cache.DefaultDir()
		if err == nil {
			err = daemon.Run(dir, daemon.Options{IdleExit: 2 * time.Second})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if socket := os.Getenv("TEST_CACHE_DIAL"); socket != "" {
		os.Exit(dialAndPrint(socket))
	}
	os.Exit(m.Run())
}

// dialAndPrint asks the daemon at socket for a snapshot and prints what
// comes back: the other-user test's client.
func dialAndPrint(socket string) int {
	conn, err := net.Dial("unix", socket)
	if err != nil {
		fmt.Println("dial error:", err)
		return 0
	}
	defer conn.Close()
	msg, _ := (&cache.Request{Op: cache.OpEntries, Backend: "vault:any"}).Encode()
	conn.Write(msg)
	conn.(*net.UnixConn).CloseWrite()
	reply, _ := io.ReadAll(conn)
	fmt.Printf("reply: %s", reply)
	return 0
}

const (
	testToken = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
)

// testCacheDir gives the test a private cache folder (short, to fit a
// socket path) and makes sure no daemon outlives the test.
func testCacheDir(t testing.TB) *cache.Client {
	t.Helper()
	dir, err := os.MkdirTemp("", "gcpc")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", dir)
	client := &cache.Client{Dir: filepath.Join(dir, "git-credential-pat")}
	t.Cleanup(func() {
		stopDaemon(t, client)
		os.RemoveAll(dir)
	})
	return client
}

// stopDaemon asks the daemon to exit and kills it if it does not.
func stopDaemon(t testing.TB, client *cache.Client) {
	st, err := client.Status()
	if err != nil {
		return
	}
	client.Exit()
	for range 200 {
		if syscall.Kill(st.PID, 0) != nil {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Errorf("the cache daemon (pid %d) did not exit when asked; killing it", st.PID)
	syscall.Kill(st.PID, syscall.SIGKILL)
}

// passphraseCounter is a PassphraseFunc that counts how often it is asked.
type passphraseCounter struct {
	asked atomic.Int32
	pass  string // "" means there is none, as with no variable and no terminal
}

func (p *passphraseCounter) ask(bool) ([]byte, error) {
	p.asked.Add(1)
	if p.pass == "" {
		return nil, vault.ErrLocked
	}
	return []byte(p.pass), nil
}

// newCachedVault is what one helper process opens: a vault behind a cache.
func newCachedVault(path string, timeout time.Duration, client *cache.Client, pass *passphraseCounter) *store.Cache {
	c := store.NewCache(backend.Vault(path), timeout, client)
	return c.Wrap(vault.New(path, vault.Options{Passphrase: pass.ask, Keys: c.Keys(), ScryptWorkFactor: 10}))
}

func testVault(t *testing.T, entries ...credential.Entry) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vault", "vault.age")
	v := vault.New(path, vault.Options{Passphrase: (&passphraseCounter{pass: "secret"}).ask, ScryptWorkFactor: 10})
	if err := v.Add(entries...); err != nil {
		t.Fatal(err)
	}
	return path
}

// rekey rewrites the vault at path under another passphrase, keeping its
// entries, size and modification time, and returns its stamp from before.
// The stamp sees the rewrite (the file renamed in is another inode, with
// another change time), so a test that must be answered by the daemon
// alone serves the vault under the old stamp (newPinnedVault): a read of
// the file would fail.
func rekey(t *testing.T, path, passphrase string) (stampBefore string) {
	t.Helper()
	stampBefore = files.VaultStamp(path)
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := vault.New(path, vault.Options{Passphrase: (&passphraseCounter{pass: "secret"}).ask}).List()
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(path)
	v := vault.New(path, vault.Options{Passphrase: (&passphraseCounter{pass: passphrase}).ask, ScryptWorkFactor: 10})
	if err := v.Add(entries...); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, before.ModTime(), before.ModTime()); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(path); after.Size() != before.Size() {
		t.Fatalf("re-keyed vault is %d bytes, was %d", after.Size(), before.Size())
	}
	if files.VaultStamp(path) == stampBefore {
		t.Fatal("the stamp did not change when the vault was re-keyed")
	}
	return stampBefore
}

// newPinnedVault is newCachedVault with the vault's stamp fixed to stamp,
// as if it had not changed.
func newPinnedVault(path, stamp string, timeout time.Duration, client *cache.Client, pass *passphraseCounter) *store.Cache {
	c := newCachedVault(path, timeout, client, pass)
	c.TestOnlyPinStamp(stamp)
	return c
}

// A vault replaced behind the daemon's back (restored from a backup,
// synced, damaged) is read again, not answered for from memory.
func TestCacheRereadsAReplacedVault(t *testing.T) {
	client := testCacheDir(t)
	path := testVault(t, entry("github.com/acme", testToken))
	first := &passphraseCounter{pass: "secret"}
	if got, err := tokenFor(t, newCachedVault(path, time.Minute, client, first), "github.com/acme"); err != nil || got != testToken {
		t.Fatalf("first read: %q, %v", got, err)
	}
	if err := os.WriteFile(path, []byte("not a vault\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := tokenFor(t, newCachedVault(path, time.Minute, client, first), "github.com/acme")
	if err == nil || !strings.Contains(err.Error(), "not an age file") {
		t.Fatalf("after the vault was replaced: %v; want the replaced file refused", err)
	}
}

func entry(target, token string) credential.Entry {
	tg, err := credential.ParseTarget(target)
	if err != nil {
		panic(err)
	}
	return credential.Entry{Target: tg, Token: token, Kind: github.KindOf(token), Added: time.Now().UTC()}
}

func tokenFor(t *testing.T, s store.Store, target string) (string, error) {
	t.Helper()
	tg, _ := credential.ParseTarget(target)
	e, err := s.Get(tg)
	return e.Token, err
}

// A second helper within the interval is answered by the daemon with no
// passphrase to be had, even when the vault could not be unlocked; after
// the interval it cannot be.
func TestCacheAnswersWithinTheInterval(t *testing.T) {
	client := testCacheDir(t)
	path := testVault(t, entry("github.com/acme", testToken))
	const interval = 1500 * time.Millisecond

	first := &passphraseCounter{pass: "secret"}
	if got, err := tokenFor(t, newCachedVault(path, interval, client, first), "github.com/acme"); err != nil || got != testToken {
		t.Fatalf("first read: %q, %v", got, err)
	}
	if first.asked.Load() != 1 {
		t.Fatalf("the first read asked for the passphrase %d times, want 1", first.asked.Load())
	}

	// The vault is re-keyed behind the daemon's back, its stamp kept:
	// reading it would fail, so only the daemon can answer now.
	stamp := rekey(t, path, "another passphrase")
	none := &passphraseCounter{}
	got, err := tokenFor(t, newPinnedVault(path, stamp, interval, client, none), "github.com/acme")
	if err != nil || got != testToken {
		t.Fatalf("within the interval: %q, %v; want the token from the cache", got, err)
	}
	if none.asked.Load() != 0 {
		t.Fatalf("a cached read asked for the passphrase")
	}
	st, err := client.Status()
	if err != nil || len(st.Stores) != 1 || st.Stores[0].Count() != 2 {
		t.Fatalf("status: %+v, %v; want the key and one entry", st, err)
	}

	time.Sleep(interval + 300*time.Millisecond)
	_, err = tokenFor(t, newPinnedVault(path, stamp, interval, client, none), "github.com/acme")
	if !errors.Is(err, vault.ErrLocked) {
		t.Fatalf("after the interval: %v; want the vault locked, nothing cached", err)
	}
}

// The vault key cached by one command unlocks the vault for the next, so
// add, list and store in the interval do not ask again, and derive no key.
func TestCacheKeyServesWrites(t *testing.T) {
	client := testCacheDir(t)
	path := testVault(t, entry("github.com", testToken))
	first := &passphraseCounter{pass: "secret"}
	if _, err := newCachedVault(path, time.Minute, client, first).List(); err != nil {
		t.Fatal(err)
	}
	none := &passphraseCounter{}
	second := newCachedVault(path, time.Minute, client, none)
	if err := second.Add(entry("github.com/acme", "ghp_second00000000000000000000000000000")); err != nil {
		t.Fatalf("add with the cached key: %v", err)
	}
	if none.asked.Load() != 0 {
		t.Fatal("add asked for the passphrase within the interval")
	}
	// What the daemon holds now includes the new entry.
	got, err := tokenFor(t, newCachedVault(path, time.Minute, client, none), "github.com/acme")
	if err != nil || got != "ghp_second00000000000000000000000000000" {
		t.Fatalf("after add: %q, %v", got, err)
	}
}

// A cached key that no longer opens the vault (it was re-keyed behind the
// daemon's back) is forgotten: the user is asked once, and the daemon then
// holds the new key.
func TestCacheForgetsAKeyThatNoLongerOpens(t *testing.T) {
	client := testCacheDir(t)
	path := testVault(t, entry("github.com", testToken))
	if _, err := newCachedVault(path, time.Minute, client, &passphraseCounter{pass: "secret"}).List(); err != nil {
		t.Fatal(err)
	}
	rekey(t, path, "another passphrase")
	asked := &passphraseCounter{pass: "another passphrase"}
	if err := newCachedVault(path, time.Minute, client, asked).Add(entry("github.com/acme", testToken)); err != nil {
		t.Fatalf("a write with a stale cached key: %v; want the user asked", err)
	}
	if asked.asked.Load() != 1 {
		t.Fatalf("the passphrase was asked %d times, want once", asked.asked.Load())
	}
	none := &passphraseCounter{}
	if err := newCachedVault(path, time.Minute, client, none).Add(entry("github.com/globex", testToken)); err != nil || none.asked.Load() != 0 {
		t.Fatalf("the next write: %v, asked %d times; want the new key held", err, none.asked.Load())
	}
}

// A removed token is never served from the cache again, including by a
// reader that read the vault before the removal and reports afterwards.
func TestCacheNeverServesRemovedToken(t *testing.T) {
	client := testCacheDir(t)
	path := testVault(t, entry("github.com/acme", testToken), entry("github.com/other", "ghp_other0000000000000000000000000000000"))
	pass := &passphraseCounter{pass: "secret"}
	reader := newCachedVault(path, time.Minute, client, pass)
	if _, err := reader.List(); err != nil {
		t.Fatal(err)
	}

	// A slow reader takes its epoch, then reads the vault before the removal.
	reply, err := client.Call(&cache.Request{Op: cache.OpEntries, Backend: "vault:late"})
	if err != nil {
		t.Fatal(err)
	}
	epoch := reply.Epoch
	stale, err := vault.New(path, vault.Options{Passphrase: pass.ask, ScryptWorkFactor: 10}).List()
	if err != nil {
		t.Fatal(err)
	}

	remover := newCachedVault(path, time.Minute, client, pass)
	tg, _ := credential.ParseTarget("github.com/acme")
	if err := remover.Delete(tg); err != nil {
		t.Fatal(err)
	}
	late := newCachedVault(path, time.Minute, client, pass)
	late.TestOnlyHand(late.TestOnlyStamp(), stale, epoch) // must be refused: a write came in between

	none := &passphraseCounter{}
	if _, err := tokenFor(t, newCachedVault(path, time.Minute, client, none), "github.com/acme"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the removed token: %v; want not found", err)
	}
	if got, err := tokenFor(t, newCachedVault(path, time.Minute, client, none), "github.com/other"); err != nil || got == "" {
		t.Fatalf("the other token: %q, %v", got, err)
	}
	if none.asked.Load() != 0 {
		t.Fatal("reads after the removal were not answered by the cache")
	}

	// Erase through git's protocol action, from a cached read.
	h := &credential.Helper{Tokens: newCachedVault(path, time.Minute, client, pass), Stderr: io.Discard}
	if err := h.Run("erase", strings.NewReader("protocol=https\nhost=github.com\npath=other\n"), io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := tokenFor(t, newCachedVault(path, time.Minute, client, none), "github.com/other"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the erased token: %v; want not found", err)
	}
}

// A token is never held past its own expiry; an expired one is withheld,
// while its entry still tells git that it expired.
func TestCacheHoldsNoTokenPastItsExpiry(t *testing.T) {
	client := testCacheDir(t)
	soon := entry("github.com/soon", "ghp_soon00000000000000000000000000000000")
	soon.Expires = credential.ExpiryAt(time.Now().Add(3 * time.Second))
	gone := entry("github.com/gone", "ghp_gone00000000000000000000000000001234")
	gone.Expires = credential.ExpiryAt(time.Now().Add(-time.Hour))
	path := testVault(t, soon, gone)
	if _, err := newCachedVault(path, time.Hour, client, &passphraseCounter{pass: "secret"}).List(); err != nil {
		t.Fatal(err)
	}
	st, err := client.Status()
	if err != nil || len(st.Stores) != 1 {
		t.Fatalf("status: %+v, %v", st, err)
	}
	if until := st.Stores[0].EntriesUntil; until.After(soon.Expires.Time) {
		t.Fatalf("entries held until %s, past the token's expiry %s", until, soon.Expires)
	}
	held := &cache.Request{Op: cache.OpEntries, Backend: string(backend.Vault(path)), Stamp: backend.Stamp(backend.Vault(path))}
	reply, err := client.Call(held)
	if err != nil || bytes.Contains(reply.Body, []byte("ghp_gone")) || !bytes.Contains(reply.Body, []byte("github.com")) {
		t.Fatalf("the held entries hold the expired token, or nothing: %+v, %v", reply, err)
	}
	cached, err := newCachedVault(path, time.Hour, client, &passphraseCounter{}).List()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cached {
		if e.Path == "gone" && credential.Masked(e.Token) != "ghp_****1234" {
			t.Fatalf("the withheld token masks as %q", credential.Masked(e.Token))
		}
	}
	if err := newCachedVault(path, time.Hour, client, &passphraseCounter{}).Add(cached...); err == nil {
		t.Fatal("an entry with a withheld token was saved back to the vault")
	}

	time.Sleep(time.Until(soon.Expires.Time) + 200*time.Millisecond)
	if reply, err := client.Call(held); err != nil || reply.Status != cache.StatusMiss {
		t.Fatalf("after the token's expiry: %+v, %v; want the entries gone", reply, err)
	}
}

// 256 helpers asking at once are all answered, from the cache.
func TestCacheConcurrentGets(t *testing.T) {
	client := testCacheDir(t)
	path := testVault(t, entry("github.com/acme", testToken), entry("github.com/other", "ghp_other0000000000000000000000000000000"))
	if _, err := newCachedVault(path, time.Minute, client, &passphraseCounter{pass: "secret"}).List(); err != nil {
		t.Fatal(err)
	}
	const n = 256
	none := &passphraseCounter{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := &credential.Helper{Tokens: newCachedVault(path, time.Minute, client, none), Stderr: io.Discard}
			req := "protocol=https\nhost=github.com\npath=acme/widgets.git\n"
			want := testToken
			if i%2 == 1 {
				req = "protocol=https\nhost=github.com\npath=other/x.git\n"
				want = "ghp_other0000000000000000000000000000000"
			}
			<-start
			var out bytes.Buffer
			if err := h.Run("get", strings.NewReader(req), &out); err != nil {
				errs <- err
				return
			}
			if !strings.Contains(out.String(), "password="+want+"\n") {
				errs <- fmt.Errorf("get %d answered %q", i, out.String())
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if none.asked.Load() != 0 {
		t.Errorf("%d of the gets were not answered by the cache", none.asked.Load())
	}
}

// A daemon killed with -9 leaves its socket behind; the next helper finds
// it stale and starts a new daemon in its place.
func TestCacheReplacesStaleSocket(t *testing.T) {
	client := testCacheDir(t)
	path := testVault(t, entry("github.com", testToken))
	if _, err := newCachedVault(path, time.Minute, client, &passphraseCounter{pass: "secret"}).List(); err != nil {
		t.Fatal(err)
	}
	st, err := client.Status()
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(st.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for syscall.Kill(st.PID, 0) == nil {
		time.Sleep(time.Millisecond)
	}
	if _, err := os.Lstat(client.Socket()); err != nil {
		t.Fatalf("the killed daemon's socket is gone (%v): nothing stale to test", err)
	}
	if _, err := client.Status(); !errors.Is(err, cache.ErrNotRunning) {
		t.Fatalf("status with a stale socket: %v; want not running", err)
	}
	if got, err := tokenFor(t, newCachedVault(path, time.Minute, client, &passphraseCounter{pass: "secret"}), "github.com"); err != nil || got != testToken {
		t.Fatalf("get with a stale socket: %q, %v", got, err)
	}
	again, err := client.Status()
	if err != nil || again.PID == st.PID || again.Stores[0].Count() != 2 {
		t.Fatalf("after the stale socket: %+v, %v; want a new daemon holding the vault", again, err)
	}
}

// When no daemon can be reached, the helper still answers from the vault.
func TestCacheUnreachableFallsBackToVault(t *testing.T) {
	client := testCacheDir(t)
	falseProgram, err := exec.LookPath("false")
	if err != nil {
		t.Skip("no false program to stand in for a daemon that cannot start")
	}
	client.Program = falseProgram
	path := testVault(t, entry("github.com", testToken))
	if got, err := tokenFor(t, newCachedVault(path, time.Minute, client, &passphraseCounter{pass: "secret"}), "github.com"); err != nil || got != testToken {
		t.Fatalf("without a daemon: %q, %v; want the vault's token", got, err)
	}
	if err := newCachedVault(path, time.Minute, client, &passphraseCounter{pass: "secret"}).Add(entry("github.com/acme", testToken)); err != nil {
		t.Fatalf("a write without a daemon: %v", err)
	}
}

// Helpers racing to start the daemon end with one daemon.
func TestCacheRacingStartersLeaveOneDaemon(t *testing.T) {
	client := testCacheDir(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var started []int
	client.Program = exe
	client.Started = func(pid int) {
		mu.Lock()
		started = append(started, pid)
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := client.Start(); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st, err := client.Status()
	if err != nil {
		t.Fatal(err)
	}
	// The losers notice the lock and exit: on a loaded machine a loser
	// may only now be starting, so they are given up to five seconds.
	var alive int
	var others []int
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		alive, others = 0, nil
		for _, pid := range started {
			if syscall.Kill(pid, 0) == nil {
				alive++
				if pid != st.PID {
					others = append(others, pid)
				}
			}
		}
		if len(others) == 0 || time.Now().After(deadline) {
			break
		}
	}
	for _, pid := range others {
		t.Errorf("daemon %d is alive beside the one serving, %d", pid, st.PID)
	}
	if len(started) != 8 || alive != 1 {
		t.Fatalf("%d starters, %d daemons alive; want 8 and 1", len(started), alive)
	}
}

// Garbage, oversized and hung clients get an error or their deadline; the
// daemon keeps serving everyone else.
func TestCacheDaemonSurvivesBadClients(t *testing.T) {
	client := testCacheDir(t)
	path := testVault(t, entry("github.com", testToken))
	if _, err := newCachedVault(path, time.Minute, client, &passphraseCounter{pass: "secret"}).List(); err != nil {
		t.Fatal(err)
	}
	// A client that connects and says nothing holds no one up.
	hung, err := net.Dial("unix", client.Socket())
	if err != nil {
		t.Fatal(err)
	}
	defer hung.Close()
	for _, tc := range []struct{ name, request, reply string }{
		{"garbage", "hello there\n", "status=error\n"},
		{"no newline", strings.Repeat("x", 400), "status=error\n"},
		{"no op", "backend=vault:x\n\n", "status=error\n"},
		{"unknown op", "op=steal\n\n", "status=error\n"},
		{"too large", "op=put\n\n" + strings.Repeat("x", cache.MaxMessage), "status=error\nmessage=bad request: the message is too large"},
		{"bad number", "op=put\nepoch=-1\n\n", "status=error\n"},
		{"put without timeout", "op=put\nbackend=vault:x\n\n", "status=error\n"},
		{"secret without backend", "op=putsecret\ntimeout_ms=1000\n\nx", "status=error\n"},
		{"malformed entries", "op=put\nbackend=vault:x\ntimeout_ms=1000\n\nhost=before-any-entry\n", "status=error\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("unix", client.Socket())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			// Of this build: a request of another stops the daemon
			// (TestCacheDaemonOfAnotherBuildStops).
			conn.Write([]byte("build=" + cache.BuildID() + "\n" + tc.request))
			conn.(*net.UnixConn).CloseWrite()
			reply, _ := io.ReadAll(conn)
			if !strings.HasPrefix(string(reply), tc.reply) {
				t.Fatalf("reply %q; want it to start with %q", reply, tc.reply)
			}
		})
	}
	got, err := tokenFor(t, newCachedVault(path, time.Minute, client, &passphraseCounter{}), "github.com")
	if err != nil || got != testToken {
		t.Fatalf("after the bad clients: %q, %v; want the cached token", got, err)
	}
	// The hung client is cut off by its deadline.
	hung.SetReadDeadline(time.Now().Add(daemon.DefaultConnTimeout + time.Second))
	if n, err := hung.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the hung client: read %d, %v; want the daemon to close it", n, err)
	}
}

// Another user cannot reach the daemon: the folder keeps it out and, were
// the folder opened by mistake, the daemon refuses its uid.
func TestCacheRefusesOtherUser(t *testing.T) {
	if os.Getuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("needs root to connect as another user (nobody), and CI runs as root")
		}
		t.Skip("needs root to connect as another user (nobody); run the tests as root to cover this")
	}
	client := testCacheDir(t)
	path := testVault(t, entry("github.com", testToken))
	if _, err := newCachedVault(path, time.Minute, client, &passphraseCounter{pass: "secret"}).List(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		path string
		want os.FileMode
	}{{client.Dir, 0o700 | os.ModeDir}, {client.Socket(), 0o600 | os.ModeSocket}} {
		fi, err := os.Stat(p.path)
		if err != nil || fi.Mode() != p.want {
			t.Fatalf("%s: mode %v, %v; want %v", p.path, fi.Mode(), err, p.want)
		}
	}

	// A copy of this binary that nobody may run.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.MkdirTemp("", "gcpbin")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(bin)
	os.Chmod(bin, 0o755)
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "client"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	asNobody := func() string {
		cmd := exec.Command(filepath.Join(bin, "client"))
		cmd.Env = append(os.Environ(), "TEST_CACHE_DIAL="+client.Socket())
		cmd.Dir = "/"
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("running as nobody: %v: %s", err, out)
		}
		return string(out)
	}
	if out := asNobody(); !strings.Contains(out, "permission denied") || strings.Contains(out, testToken) {
		t.Fatalf("nobody through the private folder: %q; want permission denied", out)
	}
	// Open the folder and socket, as a mistake would: the peer check holds.
	parent := filepath.Dir(client.Dir)
	for _, p := range []string{parent, client.Dir, client.Socket()} {
		os.Chmod(p, 0o777)
	}
	out := asNobody()
	for _, p := range []string{parent, client.Dir} {
		os.Chmod(p, 0o700)
	}
	os.Chmod(client.Socket(), 0o600)
	if !strings.Contains(out, "reply: status=error") || !strings.Contains(out, "uid 65534") || strings.Contains(out, testToken) {
		t.Fatalf("nobody through an open folder: %q; want the daemon to refuse uid 65534", out)
	}
	// And it still serves its own user.
	if got, err := tokenFor(t, newCachedVault(path, time.Minute, client, &passphraseCounter{}), "github.com"); err != nil || got != testToken {
		t.Fatalf("after refusing nobody: %q, %v", got, err)
	}
}

// A folder that others can write, or that another user owns, is refused.
func TestCacheRefusesOpenFolder(t *testing.T) {
	client := testCacheDir(t)
	if err := os.MkdirAll(client.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chmod(client.Dir, 0o777)
	err := client.Start()
	if err == nil || !strings.Contains(err.Error(), "chmod 700") {
		t.Fatalf("start in a folder others can write: %v; want a refusal saying chmod 700", err)
	}
	if _, err := client.Status(); err == nil || errors.Is(err, cache.ErrNotRunning) {
		t.Fatalf("a client in an open folder: %v; want a refusal", err)
	}
}

// BenchmarkCacheRoundTrip is one cached read: connect, ask, decode.
func BenchmarkCacheRoundTrip(b *testing.B) {
	client := testCacheDir(b)
	path := filepath.Join(b.TempDir(), "vault", "vault.age")
	pass := &passphraseCounter{pass: "secret"}
	if err := vault.New(path, vault.Options{Passphrase: pass.ask, ScryptWorkFactor: 10}).Add(entry("github.com", testToken)); err != nil {
		b.Fatal(err)
	}
	if _, err := newCachedVault(path, time.Hour, client, pass).List(); err != nil {
		b.Fatal(err)
	}
	none := &passphraseCounter{}
	b.ResetTimer()
	for b.Loop() {
		entries, err := newCachedVault(path, time.Hour, client, none).List()
		if err != nil || len(entries) != 1 || entries[0].Token != testToken {
			b.Fatalf("cached read: %d entries, %v; want the one stored", len(entries), err)
		}
	}
	if none.asked.Load() != 0 {
		b.Fatal("the benchmark read the vault")
	}
}

// Clients that send much and stall hold what they sent, not what they
// might send, and all of them together no more than the daemon's bound on
// bytes in flight: the daemon stays small, and answers everyone else.
func TestCacheDaemonBoundsStalledClients(t *testing.T) {
	client := testCacheDir(t)
	path := testVault(t, entry("github.com", testToken))
	if _, err := newCachedVault(path, time.Minute, client, &passphraseCounter{pass: "secret"}).List(); err != nil {
		t.Fatal(err)
	}
	st, err := client.Status()
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	refused := 0
	for range 100 { // 100 MiB claimed in all, past the bound
		c, err := net.Dial("unix", client.Socket())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		c.SetWriteDeadline(time.Now().Add(500 * time.Millisecond))
		c.Write([]byte("op=put\ntimeout_ms=1000\n\n"))
		if _, err := c.Write(chunk); err != nil {
			refused++
		}
	}
	time.Sleep(200 * time.Millisecond)
	rss := residentBytes(t, st.PID)
	if limit := int64(cache.MaxInFlight + 48<<20); rss > limit {
		t.Fatalf("the daemon holds %d MiB resident with 100 stalled clients; want at most %d MiB", rss>>20, limit>>20)
	}
	got, err := tokenFor(t, newCachedVault(path, time.Minute, client, &passphraseCounter{}), "github.com")
	if err != nil || got != testToken {
		t.Fatalf("with stalled clients: %q, %v; want the cached token", got, err)
	}
	t.Logf("%d of 100 stalled clients could not send their MiB; daemon resident: %d MiB", refused, rss>>20)
}

// residentBytes is a process's resident memory, from /proc.
func residentBytes(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb)
			return kb << 10
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// BenchmarkCacheWarmStore is git's store of a credential the vault does
// not hold yet while the cache daemon holds the vault's key, at the real
// work factor: what one helper process does for it (read the vault,
// decrypt, add, encrypt, write, hand the daemon the new entries), less the
// process's start. It derives no key: the key file is unwrapped only by
// the first read, before the timer.
func BenchmarkCacheWarmStore(b *testing.B) {
	client := testCacheDir(b)
	path := filepath.Join(b.TempDir(), "vault", "vault.age")
	opened := func(pass *passphraseCounter) *store.Cache {
		c := store.NewCache(backend.Vault(path), time.Hour, client)
		return c.Wrap(vault.New(path, vault.Options{Passphrase: pass.ask, Keys: c.Keys()}))
	}
	if err := opened(&passphraseCounter{pass: "secret"}).Add(entry("github.com", testToken)); err != nil {
		b.Fatal(err)
	}
	if _, err := opened(&passphraseCounter{pass: "secret"}).List(); err != nil {
		b.Fatal(err)
	}
	none := &passphraseCounter{}
	n := 0
	for b.Loop() {
		n++
		if err := opened(none).Add(entry(fmt.Sprintf("user%d@store.example.com", n), testToken)); err != nil {
			b.Fatalf("warm store: %v", err)
		}
	}
	if none.asked.Load() != 0 {
		b.Fatal("a warm store asked for the passphrase")
	}
}

// A daemon asked by a program of another build answers nothing and stops;
// the next lookup starts the daemon of this build, which answers.
func TestCacheDaemonOfAnotherBuildStops(t *testing.T) {
	client := testCacheDir(t)
	path := testVault(t, entry("github.com", testToken))
	if _, err := newCachedVault(path, time.Minute, client, &passphraseCounter{pass: "secret"}).List(); err != nil {
		t.Fatal(err)
	}
	before, err := client.Status()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("unix", client.Socket())
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := (&cache.Request{Op: cache.OpEntries, Backend: string(backend.Vault(path)), Build: "another build"}).Encode()
	conn.Write(msg)
	conn.(*net.UnixConn).CloseWrite()
	reply, _ := io.ReadAll(conn)
	conn.Close()
	if !strings.HasPrefix(string(reply), "status="+cache.StatusOtherBuild+"\n") || strings.Contains(string(reply), testToken) {
		t.Fatalf("reply to another build: %q; want %s and no token", reply, cache.StatusOtherBuild)
	}
	for i := 0; syscall.Kill(before.PID, 0) == nil; i++ {
		if i == 200 {
			t.Fatalf("the daemon (pid %d) still runs after a request of another build", before.PID)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Its key went with it: the lookup asks for the passphrase again, and
	// a new daemon serves.
	pass := &passphraseCounter{pass: "secret"}
	if got, err := tokenFor(t, newCachedVault(path, time.Minute, client, pass), "github.com"); err != nil || got != testToken {
		t.Fatalf("after the stop: %q, %v", got, err)
	}
	after, err := client.Status()
	if err != nil || after.PID == before.PID || pass.asked.Load() != 1 {
		t.Fatalf("after the stop: daemon %d (was %d), %v; passphrase asked %d times, want once", after.PID, before.PID, err, pass.asked.Load())
	}
}

// A daemon from before builds were told apart answers without one: the
// client takes nothing from it, tells it to exit, and reports no daemon.
func TestCacheClientRetiresDaemonWithoutBuild(t *testing.T) {
	client := testCacheDir(t)
	if err := cache.MakeDir(client.Dir); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", client.Socket())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var ops []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			msg, _ := io.ReadAll(conn)
			req, _ := cache.ParseRequest(msg)
			ops = append(ops, req.Op)
			conn.Write([]byte("status=ok\n\n"))
			conn.Close()
			if req.Op == cache.OpExit {
				os.Remove(client.Socket())
				return
			}
		}
	}()
	_, err = client.Status()
	<-done
	if !errors.Is(err, cache.ErrNotRunning) {
		t.Fatalf("status from a daemon without a build: %v; want ErrNotRunning", err)
	}
	if !slices.Equal(ops, []string{cache.OpStatus, cache.OpExit}) {
		t.Fatalf("the old daemon was sent %v; want status, then exit", ops)
	}
}

// Where the peer cannot be checked (Windows, and the systems without a
// call for it), no daemon runs, so no lookup tries to start one: it reads
// the backend at once. A start the daemon refuses would cost every lookup
// the start and the wait for it (418 ms instead of 11 ms per get, measured
// on Linux with the check marked unavailable).
func TestNoDaemonStartWherePeerCannotBeChecked(t *testing.T) {
	defer cache.TestOnlyPeerCheck(false)()
	client := testCacheDir(t)
	client.Started = func(pid int) { t.Errorf("a lookup started a daemon (pid %d) that cannot check its peers", pid) }
	path := testVault(t, entry("github.com", testToken))
	for range 3 {
		start := time.Now()
		got, err := tokenFor(t, newCachedVault(path, time.Minute, client, &passphraseCounter{pass: "secret"}), "github.com")
		if err != nil || got != testToken {
			t.Fatalf("lookup: %q, %v", got, err)
		}
		// The vault's unlock at a low work factor takes milliseconds; a
		// start that waits for a daemon, hundreds.
		if d := time.Since(start); d > 150*time.Millisecond {
			t.Errorf("a lookup took %s", d)
		}
	}
	if err := client.Start(); !errors.Is(err, cache.ErrNoPeerCheck) {
		t.Errorf("Start = %v, want ErrNoPeerCheck", err)
	}
	if _, err := os.Lstat(client.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cache folder was made: %v", err)
	}
}
