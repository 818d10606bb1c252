//go:build unix

package daemon

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// A daemon whose socket was removed or replaced (its folder deleted, and
// another daemon started in a new one) cannot be reached: it wipes what it
// holds and exits, and never removes a socket that is not its own.
func TestDaemonLeavesASocketNotItsOwn(t *testing.T) {
	for _, replace := range []bool{false, true} {
		name := map[bool]string{false: "removed", true: "replaced"}[replace]
		t.Run(name, func(t *testing.T) {
			tmp, err := os.MkdirTemp("", "gcpd") // short: a socket path is limited
			if err != nil {
				t.Fatal(err)
			}
			defer os.RemoveAll(tmp)
			dir := filepath.Join(tmp, "git-credential-pat")
			done := make(chan error, 1)
			go func() { done <- Run(dir, Options{IdleExit: time.Hour}) }()
			client := &cache.Client{Dir: dir}
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				if _, err := client.Status(); err == nil {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the daemon did not start")
				}
			}
			if err := os.Remove(client.Socket()); err != nil {
				t.Fatal(err)
			}
			var other *net.UnixListener
			if replace {
				other, err = net.ListenUnix("unix", &net.UnixAddr{Name: client.Socket(), Net: "unix"})
				if err != nil {
					t.Fatal(err)
				}
				defer other.Close()
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the daemon kept running with its socket " + name)
			}
			_, err = os.Lstat(client.Socket())
			if replace && err != nil {
				t.Fatalf("the daemon removed the socket that replaced its own: %v", err)
			}
			if !replace && err == nil {
				t.Fatal("a socket appeared where none was")
			}
		})
	}
}

// Where the peer cannot be checked, the daemon refuses to run, and makes
// nothing: no folder, no socket.
func TestDaemonRefusesWithoutPeerCheck(t *testing.T) {
	defer cache.TestOnlyPeerCheck(false)()
	dir := filepath.Join(t.TempDir(), "git-credential-pat")
	if err := Run(dir, Options{}); err != errNoPeerCheck {
		t.Fatalf("Run = %v, want errNoPeerCheck", err)
	}
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Fatalf("the daemon made its folder: %v", err)
	}
}

// A client that trickles its request, a byte at a time, is cut off at its
// connection's deadline as one that sends nothing is: it holds the daemon's
// resources for ConnTimeout, and a moment more, at most.
func TestDaemonCutsOffATricklingClient(t *testing.T) {
	tmp, err := os.MkdirTemp("", "gcpd")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "git-credential-pat")
	const timeout = 400 * time.Millisecond
	go Run(dir, Options{IdleExit: time.Hour, ConnTimeout: timeout})
	client := &cache.Client{Dir: dir}
	defer client.Exit()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := client.Status(); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the daemon did not start")
		}
	}
	conn, err := net.Dial("unix", client.Socket())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	closed := make(chan time.Duration, 1)
	go func() {
		buf := make([]byte, 64)
		for {
			if _, err := conn.Read(buf); err != nil {
				closed <- time.Since(start)
				return
			}
		}
	}()
	for {
		select {
		case d := <-closed:
			if d < timeout || d > timeout+timeout/2 {
				t.Fatalf("the trickling client was cut off after %s; want about %s", d, timeout)
			}
			return
		case <-time.After(50 * time.Millisecond):
			if time.Since(start) > 3*timeout {
				t.Fatal("the trickling client is still connected")
			}
			conn.Write([]byte("o"))
		}
	}
}
