package cache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// ErrNotRunning means no cache daemon serves the folder.
var ErrNotRunning = errors.New("the cache daemon is not running")

// ErrForeignSocket means the cache's socket, or its folder, is not this
// user's own: nothing is sent to it.
var ErrForeignSocket = errors.New("the cache socket is not this user's")

// ErrNoPeerCheck means this system cannot tell who is at the other end of
// a socket, so no cache daemon runs on it, and none is started.
var ErrNoPeerCheck = errors.New("this system cannot check who connects to the cache daemon, so none runs")

// Client-side waits. A connect refused because the daemon's listen queue is
// full (EAGAIN: Go's connect does not wait) is retried for up to
// connectRetry; a daemon that does not answer within callTimeout is given
// up on, and the helper reads the vault instead.
const (
	connectRetry = 2 * time.Second
	callTimeout  = 2 * time.Second
	startTimeout = 3 * time.Second
)

// Client talks to the cache daemon of one folder.
type Client struct {
	Dir string
	// Program is run as `PROGRAM cache daemon` to start the daemon; empty
	// runs this executable.
	Program string
	// Started, when set, is told the pid of each daemon Start launches.
	Started func(pid int)
}

// NewClient returns a client for the default folder.
func NewClient() (*Client, error) {
	dir, err := DefaultDir()
	if err != nil {
		return nil, err
	}
	return &Client{Dir: dir}, nil
}

// Socket is the daemon's socket path.
func (c *Client) Socket() string { return filepath.Join(c.Dir, SocketName) }

// dial connects to the daemon. It returns an error wrapping ErrNotRunning
// when there is no socket or nobody listens on it.
func (c *Client) dial() (*socketConn, error) {
	if !PeerCheckAvailable() {
		return nil, ErrNotRunning
	}
	if err := CheckDir(c.Dir); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, ErrNotRunning
		}
		return nil, err
	}
	deadline := time.Now().Add(connectRetry)
	delay := 100 * time.Microsecond
	for {
		conn, err := dialSocket(c.Socket(), callTimeout)
		switch {
		case err == nil:
			return conn, nil
		case errors.Is(err, ErrNotRunning):
			return nil, err
		case errors.Is(err, syscall.ENOENT), errors.Is(err, syscall.ECONNREFUSED):
			return nil, fmt.Errorf("%w: %w", ErrNotRunning, err)
		case errors.Is(err, syscall.EAGAIN) && time.Now().Before(deadline):
			// The listen queue is full: wait for the daemon to accept.
			time.Sleep(delay)
			delay = min(delay*2, 10*time.Millisecond)
		default:
			return nil, fmt.Errorf("cannot reach the cache daemon: %w", err)
		}
	}
}

// Call sends one request and reads the reply. A reply with StatusError
// is returned as an error.
func (c *Client) Call(req *Request) (*Reply, error) {
	if req.Build == "" {
		req.Build = BuildID()
	}
	msg, err := req.Encode()
	if err != nil {
		return nil, err
	}
	conn, err := c.dial()
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	_, err = conn.Write(msg)
	clear(msg)
	if err == nil {
		err = conn.CloseWrite()
	}
	if err != nil {
		return nil, fmt.Errorf("cannot talk to the cache daemon: %w", err)
	}
	raw, err := ReadMessage(conn, MaxMessage, nil)
	var reply *Reply
	if err == nil {
		reply, err = ParseReply(raw)
	}
	if err != nil {
		clear(raw)
		return nil, fmt.Errorf("the cache daemon did not answer: %w", err)
	}
	if req.Op != OpExit && (reply.Status == StatusOtherBuild || reply.Build != req.Build) {
		clear(raw)
		return nil, c.retire(reply)
	}
	if reply.Status == StatusError {
		return nil, fmt.Errorf("the cache daemon refused the request: %s", reply.Message)
	}
	return reply, nil
}

// retire sees the daemon of another build, which answered reply, gone: one
// that knows builds stops by itself; an older one, which does not, is told
// to. It returns an error wrapping ErrNotRunning, so the caller starts the
// daemon of this build.
func (c *Client) retire(reply *Reply) error {
	if reply.Status != StatusOtherBuild {
		if _, err := c.Call(&Request{Op: OpExit}); err != nil {
			return fmt.Errorf("the cache daemon is of another build and could not be stopped: %w", err)
		}
	}
	c.waitGone()
	return fmt.Errorf("%w: the one running was of another build, and has stopped", ErrNotRunning)
}

// waitGone waits for the daemon's socket to be removed, as a daemon does
// as it stops, so that whoever asked can start another.
func (c *Client) waitGone() {
	for deadline := time.Now().Add(startTimeout); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if _, err := os.Lstat(c.Socket()); errors.Is(err, os.ErrNotExist) {
			return
		}
	}
}

// Exit stops the daemon, which wipes what it holds. It fails with
// ErrNotRunning when no daemon runs.
func (c *Client) Exit() error {
	_, err := c.Call(&Request{Op: OpExit})
	if err != nil {
		return err
	}
	// The daemon removes its socket as it stops; wait for that, so that
	// whoever asked can rely on it being gone.
	c.waitGone()
	return nil
}

// Start launches the daemon, detached: a session of its own, no inherited
// standard streams, the root folder as working folder. It returns once the
// daemon answers. Racing starters are fine: the daemons that lose the race
// for the folder's lock exit, and everyone talks to the winner.
func (c *Client) Start() error {
	if !PeerCheckAvailable() {
		// The daemon would refuse to run: starting it would only cost
		// every lookup its start-up and the wait for it.
		return ErrNoPeerCheck
	}
	if err := MakeDir(c.Dir); err != nil {
		return err
	}
	program := c.Program
	if program == "" {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("cannot start the cache daemon: %w", err)
		}
		program = exe
	}
	keepInheritedFilesFromDaemon()
	// os.StartProcess: all it takes to start a detached process, without
	// what os/exec adds.
	proc, err := os.StartProcess(program, []string{program, "cache", "daemon"}, &os.ProcAttr{
		Dir:   "/",
		Env:   withoutPassphrase(os.Environ()),
		Files: []*os.File{nil, nil, nil},
		Sys:   detached(),
	})
	if err != nil {
		return fmt.Errorf("cannot start the cache daemon: %w", err)
	}
	if c.Started != nil {
		c.Started(proc.Pid)
	}
	exited := make(chan struct{})
	go func() { proc.Wait(); close(exited) }()
	deadline := time.Now().Add(startTimeout)
	for {
		conn, err := c.dial()
		if err == nil {
			conn.Close()
			return nil
		}
		if !errors.Is(err, ErrNotRunning) {
			return err
		}
		select {
		case <-exited:
			// It lost the race to another daemon, which is coming up,
			// or it failed: either way, this is not a long wait.
			if soon := time.Now().Add(200 * time.Millisecond); soon.Before(deadline) {
				deadline = soon
			}
			exited = nil
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the cache daemon did not start within %s; run git-credential-pat cache daemon to see why", startTimeout)
		}
		time.Sleep(time.Millisecond)
	}
}

// withoutPassphrase drops the vault passphrase from an environment: the
// daemon is handed what it should hold (the vault's key) over its socket,
// for the interval only, and must not carry the passphrase in its
// environment for its life.
func withoutPassphrase(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, files.PassphraseEnv+"=") {
			out = append(out, kv)
		}
	}
	return out
}
