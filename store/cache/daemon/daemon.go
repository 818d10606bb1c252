package daemon

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

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
}

// Defaults: git's own cache daemon also exits 30 s after it becomes empty.
const (
	DefaultIdleExit    = 30 * time.Second
	DefaultConnTimeout = 2 * time.Second
)

// errNoPeerCheck stops the daemon where it cannot tell who connects: it
// refuses to hand tokens to a peer it cannot identify, so there the helper
// reads the vault every time.
var errNoPeerCheck = errors.New("the cache daemon cannot check who connects on this system, so it does not run; set --cache-timeout=0 to stop trying")

// lockedSecret is a secret in locked memory, shared by the replies that are
// sending it; it is wiped once dropped and no reply uses it.
type lockedSecret struct {
	b       []byte
	free    func()
	readers int
	dropped bool
}

// holding is what the daemon keeps for one backend.
type holding struct {
	pass      *lockedSecret
	passUntil time.Time
	snap      *lockedSecret
	snapUntil time.Time
	snapCap   time.Time  // the earliest token expiry: snapUntil never passes it
	snapIndex *hostIndex // its entries' places and what status shows of them
}

func (h *holding) empty() bool { return h.pass == nil && h.snap == nil }

type daemon struct {
	dir      string
	opts     Options
	uid      int
	listener *net.UnixListener
	// socket is the listener's path, and socketInfo what it was when made.
	socket     string
	socketInfo os.FileInfo

	mu         sync.Mutex
	epoch      uint64
	stores     map[string]*holding
	emptySince time.Time
	stopping   bool
	done       chan struct{}
}

// Run serves the cache in dir until it has held nothing for
// opts.IdleExit, is told to exit, or is signalled. It returns nil at once
// when another daemon serves dir already.
func Run(dir string, opts Options) error {
	if !cache.PeerCheckAvailable {
		return errNoPeerCheck
	}
	if opts.IdleExit <= 0 {
		opts.IdleExit = DefaultIdleExit
	}
	if opts.ConnTimeout <= 0 {
		opts.ConnTimeout = DefaultConnTimeout
	}
	if err := cache.HardenProcess(); err != nil {
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
	var l *net.UnixListener
	withUmask(0o177, func() {
		l, err = net.ListenUnix("unix", &net.UnixAddr{Name: socket, Net: "unix"})
	})
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", socket, err)
	}
	// The socket is removed at exit only while it is still this daemon's:
	// if the folder was deleted and another daemon started in a new one,
	// its socket must outlive this daemon.
	l.SetUnlinkOnClose(false)
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
		epoch:      uint64(time.Now().UnixNano()), // never reused by a later daemon
		stores:     map[string]*holding{},
		emptySince: time.Now(),
		done:       make(chan struct{}),
	}
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
		case now := <-tick.C:
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
	for key, h := range d.stores {
		d.dropPass(h)
		d.dropSnap(h)
		delete(d.stores, key)
	}
	d.listener.Close()
	if d.ownsSocket() {
		os.Remove(d.socket)
	}
	close(d.done)
}

func (d *daemon) acceptLoop() {
	for {
		conn, err := d.listener.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// EMFILE and the like: back off instead of spinning.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		go d.serve(conn)
	}
}

// purge drops what has expired. Called with d.mu held.
func (d *daemon) purge(now time.Time) {
	for key, h := range d.stores {
		if h.pass != nil && !now.Before(h.passUntil) {
			d.dropPass(h)
		}
		if h.snap != nil && !now.Before(h.snapUntil) {
			d.dropSnap(h)
		}
		if h.empty() {
			delete(d.stores, key)
		}
	}
	if len(d.stores) == 0 && d.emptySince.IsZero() {
		d.emptySince = now
	}
}

func release(s *lockedSecret) {
	if s.dropped && s.readers == 0 {
		s.free()
	}
}

func (d *daemon) dropPass(h *holding) {
	if h.pass != nil {
		h.pass.dropped = true
		release(h.pass)
		h.pass = nil
	}
}

func (d *daemon) dropSnap(h *holding) {
	if h.snap != nil {
		h.snap.dropped = true
		release(h.snap)
		h.snap, h.snapIndex = nil, nil
	}
}

func (d *daemon) holding(key string) *holding {
	h := d.stores[key]
	if h == nil {
		h = &holding{}
		d.stores[key] = h
		d.emptySince = time.Time{}
	}
	return h
}

func (d *daemon) serve(conn *net.UnixConn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(d.opts.ConnTimeout))
	if err := d.checkPeer(conn); err != nil {
		conn.Write(errorReply(err))
		return
	}
	f := cache.NewFrameReader(conn)
	defer f.Wipe()
	var free func()
	req, err := cache.ReadRequest(f, func(n int) []byte {
		var b []byte
		b, free = cache.LockedAlloc(n)
		return b
	})
	owned := false
	defer func() {
		if free != nil && !owned {
			free()
		}
	}()
	if err != nil {
		conn.Write(errorReply(fmt.Errorf("bad request: %w", err)))
		return
	}
	owned = d.handle(conn, req, free)
}

// checkPeer accepts only processes of the daemon's own user.
func (d *daemon) checkPeer(conn *net.UnixConn) error {
	raw, err := conn.SyscallConn()
	if err != nil {
		return err
	}
	uid := -1
	var credErr error
	if err := raw.Control(func(fd uintptr) { uid, credErr = cache.PeerUID(fd) }); err != nil {
		return err
	}
	if credErr != nil {
		return fmt.Errorf("cannot identify the connecting process: %w", credErr)
	}
	if uid != d.uid {
		return fmt.Errorf("refused: uid %d may not use the cache of uid %d", uid, d.uid)
	}
	return nil
}

func errorReply(err error) []byte {
	msg := err.Error()
	return append(cache.ReplyHeader(cache.ReplyErr, 0, len(msg)), msg...)
}

// handle carries out one request. It reports whether the request's body
// now belongs to the daemon's state.
func (d *daemon) handle(conn *net.UnixConn, req *cache.Request, free func()) (owned bool) {
	// A put's description is read before the lock is taken: at thousands
	// of entries that takes milliseconds, and every lookup waits on the
	// lock.
	var putIndex *hostIndex
	var putErr error
	if req.Op == cache.OpPut {
		putIndex, putErr = describe(req)
	}
	now := time.Now()
	d.mu.Lock()
	d.purge(now)
	switch req.Op {
	case cache.OpGet, cache.OpGetHost, cache.OpPass:
		h := d.stores[req.Key]
		var s *lockedSecret
		var index *hostIndex
		switch {
		case h == nil:
		case req.Op == cache.OpPass:
			s = h.pass
		case req.Op == cache.OpGetHost:
			// A snapshot that cannot be split is a miss: the client
			// then asks for it whole.
			if index = h.snapIndex; index.split() {
				s = h.snap
			}
		default:
			s = h.snap
		}
		epoch := d.epoch
		if s == nil {
			d.mu.Unlock()
			conn.Write(cache.ReplyHeader(cache.ReplyMiss, epoch, 0))
			return false
		}
		s.readers++
		d.mu.Unlock()
		// Written from locked memory, without a copy on the heap.
		if req.Op == cache.OpGetHost {
			index.writeHost(conn, epoch, s.b, string(req.Meta))
		} else {
			bufs := net.Buffers{cache.ReplyHeader(cache.ReplyOK, epoch, len(s.b)), s.b}
			bufs.WriteTo(conn)
		}
		d.mu.Lock()
		s.readers--
		release(s)
		d.mu.Unlock()
		return false
	case cache.OpPut, cache.OpPutPass:
		if req.TimeoutMS <= 0 {
			d.mu.Unlock()
			conn.Write(errorReply(errors.New("bad request: a timeout is required")))
			return false
		}
		if req.Op == cache.OpPut && req.Epoch != d.epoch {
			epoch := d.epoch
			d.mu.Unlock()
			conn.Write(cache.ReplyHeader(cache.ReplyStale, epoch, 0))
			return false
		}
		if putErr != nil {
			d.mu.Unlock()
			conn.Write(errorReply(fmt.Errorf("bad request: malformed description: %w", putErr)))
			return false
		}
		until := now.Add(time.Duration(req.TimeoutMS) * time.Millisecond)
		h := d.holding(req.Key)
		s := &lockedSecret{b: req.Body, free: free}
		if req.Op == cache.OpPutPass {
			d.dropPass(h)
			h.pass, h.passUntil = s, until
		} else {
			var capAt time.Time
			if req.CapMS > 0 {
				capAt = time.UnixMilli(req.CapMS)
				until = minTime(until, capAt)
			}
			d.dropSnap(h)
			h.snap, h.snapUntil, h.snapCap, h.snapIndex = s, until, capAt, putIndex
		}
		epoch := d.epoch
		d.mu.Unlock()
		conn.Write(cache.ReplyHeader(cache.ReplyOK, epoch, 0))
		if req.Op == cache.OpPut {
			// Decoding the description of a large snapshot leaves
			// megabytes of garbage; hand it back to the system now
			// rather than hold it for the daemon's life.
			debug.FreeOSMemory()
		}
		return true
	case cache.OpDrop, cache.OpForget:
		d.epoch++
		if h := d.stores[req.Key]; h != nil {
			d.dropSnap(h)
			if req.Op == cache.OpForget {
				d.dropPass(h)
			}
			if h.empty() {
				delete(d.stores, req.Key)
			}
		}
		d.purge(now)
		epoch := d.epoch
		d.mu.Unlock()
		conn.Write(cache.ReplyHeader(cache.ReplyOK, epoch, 0))
		return false
	case cache.OpTouch:
		// git sends store after every successful use; like git's own
		// cache, a helper in steady use keeps what it unlocked.
		if req.TimeoutMS <= 0 {
			d.mu.Unlock()
			conn.Write(errorReply(errors.New("bad request: a timeout is required")))
			return false
		}
		until := now.Add(time.Duration(req.TimeoutMS) * time.Millisecond)
		if h := d.stores[req.Key]; h != nil {
			if h.pass != nil && until.After(h.passUntil) {
				h.passUntil = until
			}
			if h.snap != nil {
				u := until
				if !h.snapCap.IsZero() {
					u = minTime(u, h.snapCap)
				}
				if u.After(h.snapUntil) {
					h.snapUntil = u
				}
			}
		}
		epoch := d.epoch
		d.mu.Unlock()
		conn.Write(cache.ReplyHeader(cache.ReplyOK, epoch, 0))
		return false
	case cache.OpStatus:
		status := d.status()
		epoch := d.epoch
		d.mu.Unlock()
		body := status.appendJSON(nil)
		conn.Write(append(cache.ReplyHeader(cache.ReplyOK, epoch, len(body)), body...))
		if len(body) > 64<<10 {
			// The status of thousands of entries is megabytes of
			// garbage: hand it back now, as after a put.
			debug.FreeOSMemory()
		}
		return false
	case cache.OpExit:
		d.mu.Unlock()
		conn.Write(cache.ReplyHeader(cache.ReplyOK, 0, 0))
		d.stop()
		return false
	default:
		d.mu.Unlock()
		conn.Write(errorReply(fmt.Errorf("bad request: unknown operation %q", req.Op)))
		return false
	}
}

// describe reads a put's description and indexes its snapshot by it.
func describe(req *cache.Request) (*hostIndex, error) {
	var described []cache.DescribedEntry
	if len(req.Meta) > 0 {
		var err error
		if described, err = cache.DecodeDescription(req.Meta); err != nil {
			return nil, err
		}
	}
	return indexSnapshot(req.Body, described)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
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
