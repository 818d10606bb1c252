package daemon

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/harden"
	"github.com/git-credential-pat/git-credential-pat/internal/options"
	"github.com/git-credential-pat/git-credential-pat/store/backend"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// Options configures the cache daemon. Zero values take the defaults.
type Options struct {
	// IdleExit is how long the daemon stays up holding nothing.
	IdleExit time.Duration
	// ConnTimeout bounds each connection, so a client that hangs or
	// trickles bytes cannot hold resources for long.
	ConnTimeout time.Duration
	// testOnlyNow, when set, is the clock the decisions use for a
	// request, given the environment relayed with it, so tests can stand
	// on any day while one daemon serves them. How long things are held
	// always runs on the real clock. Only tests set it (TestOnlyNow).
	testOnlyNow func(getenv func(string) string) time.Time
	// testOnlyClock, when set, is the clock the holding times run on, so
	// tests can pass an interval without waiting it out
	// (TestOnlyClock). Connection deadlines always run on the real clock.
	testOnlyClock func() time.Time
}

// TestOnlyClock sets the clock of the daemon's holding times for tests.
func (o *Options) TestOnlyClock(now func() time.Time) { o.testOnlyClock = now }

// TestOnlyNow sets the clock of the daemon's decisions for tests.
func (o *Options) TestOnlyNow(now func(getenv func(string) string) time.Time) { o.testOnlyNow = now }

// Defaults: git's own cache daemon also exits 30 s after it becomes empty.
const (
	DefaultIdleExit    = 30 * time.Second
	DefaultConnTimeout = 2 * time.Second
)

// errNoPeerCheck stops the daemon where it cannot tell who connects: it
// refuses to hand tokens to a peer it cannot identify, so there the helper
// reads the vault every time.
var errNoPeerCheck = errors.New("the cache daemon cannot check who connects on this system, so it does not run; set --cache-timeout=0 to stop trying")

// lockedBuf is bytes in locked memory (size bytes of it, b what is sent),
// shared by the replies that are sending them; it is wiped once dropped
// and no reply uses it.
type lockedBuf struct {
	b       []byte
	free    func()
	size    int64
	readers int
	dropped bool
}

// heldEntries is what a put handed the daemon for one backend: the body,
// in locked memory, and where each host's entries lie in it. An entry is
// decoded only when a request names its host, so the daemon keeps a few
// words per entry beside the body.
type heldEntries struct {
	body  *lockedBuf
	stamp string
	// spans are sorted by host, in body order within a host: a slice
	// costs far less than a map for many thousands of hosts.
	spans []cache.EntrySpan
}

// holdEntries indexes the entries of body (a put's, parsed in place) for
// forHost. FuzzIndexedReader holds the two to the entries ParseEntries
// reads from the whole body.
func holdEntries(body *lockedBuf, stamp string) (*heldEntries, error) {
	spans, err := cache.IndexEntries(body.b)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(spans, func(a, b cache.EntrySpan) int { return strings.Compare(a.Host, b.Host) })
	return &heldEntries{body: body, stamp: stamp, spans: slices.Clip(spans)}, nil
}

// forHost decodes the entries of host, in place: their strings are the
// body's bytes. Called with d.mu held, which keeps the body alive.
func (h *heldEntries) forHost(host string) []credential.Entry {
	var out []credential.Entry
	first, _ := slices.BinarySearchFunc(h.spans, host, func(s cache.EntrySpan, host string) int { return strings.Compare(s.Host, host) })
	for _, span := range h.spans[first:] {
		if span.Host != host {
			break
		}
		e, err := cache.ParseEntries(h.body.b[span.Start:span.End], true)
		if err != nil {
			return nil // checked at put: cannot happen
		}
		out = append(out, e...)
	}
	return out
}

// holding is what the daemon keeps for one backend.
type holding struct {
	secret       *lockedBuf
	secretUntil  time.Time
	entries      *heldEntries
	entriesUntil time.Time
	entriesCap   time.Time // the earliest token expiry: entriesUntil never passes it
}

func (h *holding) empty() bool { return h.secret == nil && h.entries == nil }

type daemon struct {
	dir      string
	opts     Options
	uid      int
	listener listener
	// socket is the listener's path, and socketInfo what it was when made.
	socket     string
	socketInfo os.FileInfo

	// inFlight and smallInFlight are the bytes of requests being read
	// now, large and small: bounded, so clients that send much and stall
	// cannot exhaust memory, nor keep others from being answered.
	inFlight, smallInFlight atomic.Int64

	// spares are locked, wiped pages kept for the next requests.
	sparesMu sync.Mutex
	spares   []page

	mu         sync.Mutex
	held       int64 // the bytes of what is held, bounded too
	epoch      uint64
	stores     map[backend.ID]*holding
	emptySince time.Time
	stopping   bool
	done       chan struct{}
}

// Run serves the cache in dir until it has held nothing for
// opts.IdleExit, is told to exit, or is signalled. It returns nil at once
// when another daemon serves dir already.
func Run(dir string, opts Options) error {
	if !cache.PeerCheckAvailable() {
		return errNoPeerCheck
	}
	if opts.IdleExit <= 0 {
		opts.IdleExit = DefaultIdleExit
	}
	if opts.ConnTimeout <= 0 {
		opts.ConnTimeout = DefaultConnTimeout
	}
	if err := harden.Process(); err != nil {
		return fmt.Errorf("cannot turn off core dumps for the cache daemon: %w", err)
	}
	if err := cache.MakeDir(dir); err != nil {
		return err
	}
	dirInfo, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("cannot find the cache folder just made: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, cache.LockName), os.O_RDWR|os.O_CREATE|cache.OpenNoFollow, 0o600)
	if err != nil {
		return fmt.Errorf("cannot open the cache daemon's lock: %w", err)
	}
	defer lock.Close()
	if err := files.TryLock(lock); err != nil {
		if errors.Is(err, files.ErrWouldBlock) {
			return nil // another daemon won the race to start; it serves
		}
		return fmt.Errorf("cannot lock %s: %w", lock.Name(), err)
	}
	// Holding the lock, no other daemon is alive: a socket left here was
	// left by one that died (kill -9) and is replaced.
	socket := filepath.Join(dir, cache.SocketName)
	if err := os.Remove(socket); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("cannot remove the stale cache socket: %w", err)
	}
	// The socket is created 0600 (and the folder is 0700 already): no
	// moment exists when another user could connect.
	var l listener
	withUmask(0o177, func() { l, err = listen(socket) })
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", socket, err)
	}
	info, err := os.Lstat(socket)
	if err != nil {
		l.Close()
		return fmt.Errorf("cannot find the socket just made: %w", err)
	}
	// The folder checked is the folder listened in: had it been swapped
	// for a link since, the socket would be in someone else's folder.
	if now, err := os.Lstat(dir); err != nil || !os.SameFile(dirInfo, now) {
		l.Close()
		return fmt.Errorf("%w: the cache folder %s changed while the daemon started; refusing to listen there", cache.ErrForeignSocket, dir)
	}
	d := &daemon{
		dir: dir, opts: opts, uid: os.Getuid(), listener: l, socket: socket, socketInfo: info,
		epoch:  uint64(time.Now().UnixNano()), // never reused by a later daemon
		stores: map[backend.ID]*holding{},
		done:   make(chan struct{}),
	}
	d.emptySince = d.now()
	go d.watch()
	d.acceptLoop()
	<-d.done
	return nil
}

// watch purges expired entries, stops the daemon once it has been empty
// for IdleExit, and on SIGTERM or SIGINT.
func (d *daemon) watch() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	tick := time.NewTicker(min(time.Second, d.opts.IdleExit/4))
	defer tick.Stop()
	for {
		select {
		case <-signals:
			d.stop()
			return
		case <-tick.C:
			now := d.now()
			if !d.ownsSocket() {
				// Removed or replaced: no client can reach this daemon,
				// so what it holds is only a risk. Wipe it and go.
				d.stop()
				return
			}
			d.mu.Lock()
			d.purge(now)
			idle := len(d.stores) == 0 && now.Sub(d.emptySince) >= d.opts.IdleExit
			d.mu.Unlock()
			if idle {
				d.stop()
				return
			}
		case <-d.done:
			return
		}
	}
}

// now is the time on the clock the holding times run on.
func (d *daemon) now() time.Time {
	if d.opts.testOnlyClock != nil {
		return d.opts.testOnlyClock()
	}
	return time.Now()
}

// ownsSocket reports whether the socket path is still the socket this
// daemon listens on.
func (d *daemon) ownsSocket() bool {
	info, err := os.Lstat(d.socket)
	return err == nil && os.SameFile(info, d.socketInfo)
}

// stop wipes everything, closes the listener and removes the socket if it
// is still this daemon's. Only then is the lock released, by the process
// exiting.
func (d *daemon) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopping {
		return
	}
	d.stopping = true
	for id, h := range d.stores {
		d.dropSecret(h)
		d.dropEntries(h)
		delete(d.stores, id)
	}
	d.listener.Close()
	if d.ownsSocket() {
		os.Remove(d.socket)
	}
	close(d.done)
}

// listener is the daemon's socket, which it serves until it is closed,
// through package net (listen.go; on Linux a whole small request is
// answered on the accepting goroutine, listen_linux.go). It does not
// remove the socket as it closes: that is removed at exit only while it
// is still this daemon's.
type listener interface {
	acceptLoop(d *daemon)
	Close() error
}

// client is one connection being served.
type client interface {
	io.Reader
	// peerUID is the user id of the process connected.
	peerUID() (int, error)
	// write sends bufs, in order, whole.
	write(bufs ...[]byte) error
	Close() error
}

func (d *daemon) acceptLoop() { d.listener.acceptLoop(d) }

// purge drops what has expired. Called with d.mu held.
func (d *daemon) purge(now time.Time) {
	for id, h := range d.stores {
		if h.secret != nil && !now.Before(h.secretUntil) {
			d.dropSecret(h)
		}
		if h.entries != nil && !now.Before(h.entriesUntil) {
			d.dropEntries(h)
		}
		if h.empty() {
			delete(d.stores, id)
		}
	}
	if len(d.stores) == 0 && d.emptySince.IsZero() {
		d.emptySince = now
	}
}

// release frees s once it is dropped and no reply is sending it. Called
// with d.mu held.
func (d *daemon) release(s *lockedBuf) {
	if s.dropped && s.readers == 0 {
		d.held -= s.size
		s.free()
	}
}

func (d *daemon) dropSecret(h *holding) {
	if h.secret != nil {
		h.secret.dropped = true
		d.release(h.secret)
		h.secret = nil
	}
}

func (d *daemon) dropEntries(h *holding) {
	if h.entries != nil {
		h.entries.body.dropped = true
		d.release(h.entries.body)
		h.entries = nil
	}
}

func (d *daemon) holding(id backend.ID) *holding {
	h := d.stores[id]
	if h == nil {
		h = &holding{}
		d.stores[id] = h
		d.emptySince = time.Time{}
	}
	return h
}

// maxHeld bounds what the daemon holds for all backends together: a vault
// of many thousands of entries fits many times over.
const maxHeld = 256 << 20

// smallMessage is what every request gets without drawing on the bound
// for large ones: git's requests and answers, a passphrase, a few entries.
// Clients stalled halfway through large puts cannot starve them.
const (
	smallMessage     = 64 << 10
	maxSmallInFlight = 64 << 20
)

// lockedGrower reads a request into locked memory as its bytes arrive,
// within the daemon's bounds on bytes in flight.
type lockedGrower struct {
	d       *daemon
	free    func()
	size    int64
	charged *atomic.Int64 // the bound size is counted against
}

func (g *lockedGrower) Grow(old []byte, n int) ([]byte, error) {
	pool, limit := &g.d.smallInFlight, int64(maxSmallInFlight)
	if n > smallMessage {
		pool, limit = &g.d.inFlight, cache.MaxInFlight
	}
	if pool.Add(int64(n)) > limit {
		pool.Add(-int64(n))
		return old, errors.New("the cache daemon is busy reading other requests; try again")
	}
	b, free := g.d.alloc(n)
	b = b[:copy(b, old)]
	g.done()
	if g.free != nil {
		g.free()
	}
	g.free, g.size, g.charged = free, int64(n), pool
	return b, nil
}

// pageSize is what most requests fit in: git's requests and the daemon's
// small ones. Buffers of that size are kept, locked and wiped, for the
// next request, rather than mapped, locked and unmapped for each one: five
// system calls fewer on every lookup.
const pageSize = 4096

// maxSpares bounds the locked pages kept for reuse.
const maxSpares = 32

// alloc returns n bytes of locked memory and the function that wipes and
// releases them: a spare page when n fits one.
func (d *daemon) alloc(n int) ([]byte, func()) {
	if n > pageSize {
		return harden.LockedAlloc(n)
	}
	d.sparesMu.Lock()
	var p page
	if k := len(d.spares); k > 0 {
		p, d.spares = d.spares[k-1], d.spares[:k-1]
	}
	d.sparesMu.Unlock()
	if p.b == nil {
		if p.b, p.unmap = harden.LockedAlloc(pageSize); cap(p.b) < pageSize {
			return p.b[:n], p.unmap // not a page (the heap served): not kept
		}
	}
	return p.b[:n], func() {
		clear(p.b[:cap(p.b)])
		d.sparesMu.Lock()
		keep := len(d.spares) < maxSpares
		if keep {
			d.spares = append(d.spares, page{p.b[:0], p.unmap})
		}
		d.sparesMu.Unlock()
		if !keep {
			p.unmap()
		}
	}
}

// page is a locked page and what unmaps it.
type page struct {
	b     []byte
	unmap func()
}

// done ends the read: its bytes no longer count as in flight.
func (g *lockedGrower) done() {
	if g.charged != nil {
		g.charged.Add(-g.size)
		g.charged = nil
	}
}

func (d *daemon) serve(conn client) {
	defer conn.Close()
	if err := d.checkPeer(conn); err != nil {
		d.reply(conn, errorReply(err))
		return
	}
	if req, body, ok := d.read(conn); ok {
		d.finish(conn, req, body)
	}
}

// read reads and parses a request, in locked memory within the bounds on
// bytes in flight; a bad one is answered with an error here.
func (d *daemon) read(conn client) (*cache.Request, *lockedBuf, bool) {
	g := &lockedGrower{d: d}
	msg, err := cache.ReadMessage(conn, cache.MaxMessage, g)
	g.done()
	var req *cache.Request
	if err == nil {
		req, err = cache.ParseRequest(msg)
	}
	if err != nil {
		if g.free != nil {
			g.free()
		}
		d.reply(conn, errorReply(fmt.Errorf("bad request: %w", err)))
		return nil, nil, false
	}
	return req, &lockedBuf{b: req.Body, free: g.free, size: g.size}, true
}

// finish carries out a request read, and frees its memory unless what the
// daemon holds took it.
func (d *daemon) finish(conn client, req *cache.Request, body *lockedBuf) {
	if !d.handle(conn, req, body) {
		body.free()
	}
}

// checkPeer accepts only processes of the daemon's own user.
func (d *daemon) checkPeer(conn client) error {
	uid, err := conn.peerUID()
	if err != nil {
		return fmt.Errorf("cannot identify the connecting process: %w", err)
	}
	if uid != d.uid {
		return fmt.Errorf("refused: uid %d may not use the cache of uid %d", uid, d.uid)
	}
	return nil
}

func errorReply(err error) *cache.Reply {
	return &cache.Reply{Status: cache.StatusError, Message: err.Error()}
}

// reply writes r, its body after its header, and wipes the body: it may
// hold a token.
func (d *daemon) reply(conn client, r *cache.Reply) {
	r.Build = cache.BuildID()
	conn.write(r.AppendHeader(nil), r.Body)
}

// handle carries out one request. body is the request's body in the
// locked memory it was read into; handle reports whether that memory now
// belongs to what the daemon holds.
func (d *daemon) handle(conn client, req *cache.Request, body *lockedBuf) (owned bool) {
	if req.Build != cache.BuildID() && req.Op != cache.OpExit {
		// A program of another build is installed: what this daemon
		// holds and decides may no longer be what it would. It answers
		// nothing and stops; the client starts the daemon of its build.
		d.reply(conn, &cache.Reply{Status: cache.StatusOtherBuild})
		d.stop()
		return false
	}
	switch req.Op {
	case cache.OpGet, cache.OpStore:
		r := d.relay(req)
		d.reply(conn, r)
		clear(r.Body)
	case cache.OpEntries, cache.OpSecret:
		d.send(conn, req)
	case cache.OpPut:
		return d.put(conn, req, body)
	case cache.OpPutSecret:
		return d.putSecret(conn, req, body)
	case cache.OpDrop, cache.OpForget:
		d.drop(conn, req)
	case cache.OpTouch:
		if req.Timeout <= 0 {
			d.reply(conn, errorReply(errors.New("bad request: a timeout is required")))
			return false
		}
		d.mu.Lock()
		if h := d.stores[backend.ID(req.Backend)]; h != nil {
			d.touch(h, d.now(), req.Timeout)
		}
		epoch := d.epoch
		d.mu.Unlock()
		d.reply(conn, &cache.Reply{Status: cache.StatusOK, Epoch: epoch})
	case cache.OpStatus:
		d.mu.Lock()
		d.purge(d.now())
		body := cache.AppendStatus(nil, d.status())
		d.mu.Unlock()
		d.reply(conn, &cache.Reply{Status: cache.StatusOK, Body: body})
	case cache.OpExit:
		d.reply(conn, &cache.Reply{Status: cache.StatusOK})
		d.stop()
	default:
		d.reply(conn, errorReply(fmt.Errorf("bad request: unknown operation %q", req.Op)))
	}
	return false
}

// relay answers a request the front relayed from git, as the full program
// would: with the same options, the same backend, and the same decision.
// Anything it cannot answer exactly so (nothing held, the backend changed,
// a warning or a hint to give, a write to make) it defers to the full
// program.
func (d *daemon) relay(req *cache.Request) *cache.Reply {
	deferred := &cache.Reply{Status: cache.StatusDefer}
	getenv := envOf(req.Env)
	g, err := options.Parse(req.Args, getenv)
	// Arguments after the action are a person's, whom the full program
	// answers (get --help, or a usage error), never the cache.
	if err != nil || g.Action != req.Op || len(g.Rest) > 0 || g.Debug || g.CacheTimeout <= 0 {
		return deferred
	}
	// In place: a password in a store stays in the locked memory it came in.
	cred, err := credential.ReadInPlace(req.Body)
	if err != nil {
		return deferred
	}
	now := time.Now()
	if d.opts.testOnlyNow != nil {
		now = d.opts.testOnlyNow(getenv)
	}
	answered := &cache.Reply{Status: cache.StatusAnswer}
	// Requests that need no entries to decide.
	switch req.Op {
	case cache.OpGet:
		if v, _ := credential.Decide(cred, nil, now, 0); v == credential.Unservable {
			return answered
		}
	case cache.OpStore:
		if v, _ := credential.DecideStore(cred, nil, now); v == credential.StoreNothing {
			return answered
		}
	}
	choice, err := backend.Choose(g.Backend, getenv)
	if err != nil {
		return deferred
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.purge(d.now())
	h := d.stores[choice.ID]
	if h == nil || h.entries == nil || h.entries.stamp != backend.Stamp(choice.ID) {
		return deferred
	}
	entries := h.entries.forHost(credential.RequestOf(cred).Host)
	if req.Op == cache.OpStore {
		// git reports every credential it used: a helper in steady use
		// keeps what it unlocked, as git's own cache does.
		if v, _ := credential.DecideStore(cred, entries, now); v == credential.StoreHeld {
			d.touch(h, d.now(), g.CacheTimeout)
			return answered
		}
		return deferred
	}
	if v, i := credential.Decide(cred, entries, now, g.WarnWithin); v == credential.Serve {
		// Room for the answer at once: growing the buffer would leave
		// copies of the token behind on the heap, unwiped.
		var b bytes.Buffer
		b.Grow(4096)
		if credential.Write(&b, credential.Answer(cred, entries[i])) == nil {
			answered.Body = b.Bytes()
			return answered
		}
	}
	return deferred
}

// envOf is the getenv of a relayed environment: only what the client sent
// counts, never the daemon's own environment.
func envOf(env []string) func(string) string {
	return func(key string) string {
		for _, kv := range env {
			if k, v, ok := strings.Cut(kv, "="); ok && k == key {
				return v
			}
		}
		return ""
	}
}

// send answers OpEntries and OpSecret straight from locked memory, without
// a copy on the heap.
func (d *daemon) send(conn client, req *cache.Request) {
	d.mu.Lock()
	d.purge(d.now())
	epoch := d.epoch
	var s *lockedBuf
	var body []byte
	if h := d.stores[backend.ID(req.Backend)]; h != nil {
		switch {
		case req.Op == cache.OpSecret && h.secret != nil:
			s, body = h.secret, h.secret.b
		case req.Op == cache.OpEntries && h.entries != nil && h.entries.stamp == req.Stamp:
			s, body = h.entries.body, h.entries.body.b
		}
	}
	if s == nil {
		d.mu.Unlock()
		d.reply(conn, &cache.Reply{Status: cache.StatusMiss, Epoch: epoch})
		return
	}
	s.readers++
	d.mu.Unlock()
	d.reply(conn, &cache.Reply{Status: cache.StatusOK, Epoch: epoch, Body: body})
	d.mu.Lock()
	s.readers--
	d.release(s)
	d.mu.Unlock()
}

// put holds the entries of a put's body, parsed in place: their strings
// are the body's bytes, in locked memory.
func (d *daemon) put(conn client, req *cache.Request, body *lockedBuf) bool {
	if req.Timeout <= 0 || req.Backend == "" {
		d.reply(conn, errorReply(errors.New("bad request: a put needs a backend and a timeout")))
		return false
	}
	held, err := holdEntries(body, req.Stamp)
	if err != nil {
		d.reply(conn, errorReply(fmt.Errorf("bad request: %w", err)))
		return false
	}
	// Checking a large put leaves its garbage behind: hand it back to
	// the system now rather than hold it for the daemon's life.
	defer debug.FreeOSMemory()
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.purge(now)
	if req.Epoch != d.epoch {
		d.reply(conn, &cache.Reply{Status: cache.StatusStale, Epoch: d.epoch})
		return false
	}
	h := d.holding(backend.ID(req.Backend))
	d.dropEntries(h)
	if d.held+body.size > maxHeld {
		d.reply(conn, errorReply(errors.New("the cache daemon holds too much already")))
		return false
	}
	d.held += body.size
	h.entries, h.entriesCap = held, req.Until
	h.entriesUntil = capAt(now.Add(req.Timeout), h.entriesCap)
	d.reply(conn, &cache.Reply{Status: cache.StatusOK, Epoch: d.epoch})
	return true
}

// putSecret holds the secret that unlocks a backend: the request's body.
func (d *daemon) putSecret(conn client, req *cache.Request, body *lockedBuf) bool {
	if req.Timeout <= 0 || req.Backend == "" {
		d.reply(conn, errorReply(errors.New("bad request: a secret needs a backend and a timeout")))
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	h := d.holding(backend.ID(req.Backend))
	d.dropSecret(h)
	if d.held+body.size > maxHeld {
		d.reply(conn, errorReply(errors.New("the cache daemon holds too much already")))
		return false
	}
	d.held += body.size
	h.secret = body
	h.secretUntil = d.now().Add(req.Timeout)
	d.reply(conn, &cache.Reply{Status: cache.StatusOK, Epoch: d.epoch})
	return true
}

// drop forgets a backend's entries (and, for forget, its secret) and
// starts a new epoch, so a put of entries read before cannot land.
func (d *daemon) drop(conn client, req *cache.Request) {
	d.mu.Lock()
	d.epoch++
	id := backend.ID(req.Backend)
	if h := d.stores[id]; h != nil {
		d.dropEntries(h)
		if req.Op == cache.OpForget {
			d.dropSecret(h)
		}
	}
	d.purge(d.now())
	epoch := d.epoch
	d.mu.Unlock()
	d.reply(conn, &cache.Reply{Status: cache.StatusOK, Epoch: epoch})
}

// touch restarts the interval of what h holds. Called with d.mu held.
func (d *daemon) touch(h *holding, now time.Time, timeout time.Duration) {
	until := now.Add(timeout)
	if h.secret != nil && until.After(h.secretUntil) {
		h.secretUntil = until
	}
	if h.entries != nil {
		if u := capAt(until, h.entriesCap); u.After(h.entriesUntil) {
			h.entriesUntil = u
		}
	}
}

// status says what is held. Called with d.mu held.
func (d *daemon) status() *cache.Status {
	st := &cache.Status{PID: os.Getpid(), Socket: d.socket}
	for id, h := range d.stores {
		held := cache.Held{Backend: string(id)}
		if h.secret != nil {
			held.SecretUntil = h.secretUntil
		}
		if h.entries != nil {
			held.EntriesUntil = h.entriesUntil
			// Status is rare: the targets are decoded for it alone, in
			// the order they were put.
			all, _ := cache.ParseEntries(h.entries.body.b, true)
			for _, e := range all {
				held.Targets = append(held.Targets, e.Target.String())
			}
		}
		st.Stores = append(st.Stores, held)
	}
	slices.SortFunc(st.Stores, func(a, b cache.Held) int { return strings.Compare(a.Backend, b.Backend) })
	return st
}

// capAt is t, or limit when limit is set and earlier.
func capAt(t, limit time.Time) time.Time {
	if !limit.IsZero() && limit.Before(t) {
		return limit
	}
	return t
}

// Program is the name of the daemon's program, installed beside
// git-credential-pat.
const Program = "git-credential-pat-daemon"

// Main is the daemon's program: it serves the default cache folder in the
// foreground and returns the exit code. It takes no arguments, or the
// `cache daemon` a client starts it with.
func Main(args []string, opts Options) int {
	if len(args) != 0 && !(len(args) == 2 && args[0] == "cache" && args[1] == "daemon") {
		os.Stderr.WriteString("usage: " + Program + " [cache daemon]\nThe cache daemon of git-credential-pat, which starts it when needed.\n")
		return 2
	}
	// One P: the daemon's work per lookup is a few microseconds, and with
	// a second P idle the scheduler wakes a thread to look for work at
	// every connection, and puts it back to sleep: measured, twice the
	// context switches and half again the CPU per lookup (BENCHMARKS.md).
	// Connections that wait on their client park in the poller, not on a
	// thread, so one P serves them all. GOMAXPROCS set by the user wins.
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
	dir, err := cache.DefaultDir()
	if err == nil {
		err = Run(dir, opts)
	}
	if err != nil {
		os.Stderr.WriteString(Program + ": " + err.Error() + "\n")
		return 1
	}
	return 0
}
