//go:build linux

package cache

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// listenEnv makes the test binary a listener on a Unix socket instead of
// running the tests: TestDialRefusesAnotherUsersSocket runs it as another
// user.
const listenEnv = "GIT_CREDENTIAL_PAT_TEST_LISTEN"

func TestMain(m *testing.M) {
	if path := os.Getenv(listenEnv); path != "" {
		l, err := net.Listen("unix", path)
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("listening\n")
		for {
			c, err := l.Accept()
			if err != nil {
				os.Exit(1)
			}
			// Read whatever a client sends, as a stranger would.
			go io.Copy(io.Discard, c)
		}
	}
	os.Exit(m.Run())
}

// TestDialRefusesAnotherUsersSocket: a socket another user listens on is
// never talked to, whatever path leads to it. The listener runs as nobody,
// which needs root; in CI the tests run as root, and this never skips there.
func TestDialRefusesAnotherUsersSocket(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI runs the tests as root, so that a listener can run as another user; this run is not root")
		}
		t.Skip("needs root to run a listener as another user (nobody); CI runs it")
	}
	const nobody = 65534
	// A folder nobody can enter and write, holding a copy of this test
	// binary nobody can run.
	dir, err := os.MkdirTemp("", "peer-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "listener")
	copyFile(t, exe, bin)
	sockDir := filepath.Join(dir, "strangers")
	if err := os.Mkdir(sockDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(sockDir, nobody, nobody); err != nil {
		t.Fatal(err)
	}
	socket := filepath.Join(sockDir, SocketName)

	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), listenEnv+"="+socket)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "listening\n" {
		t.Fatalf("the listener did not start: %q, %v", line, err)
	}

	conn, err := dialSocket(socket, callTimeout)
	if err == nil {
		conn.Close()
		t.Fatal("dialSocket connected to a socket another user listens on")
	}
	if !errors.Is(err, ErrForeignSocket) {
		t.Fatalf("dialSocket = %v, want an error wrapping ErrForeignSocket", err)
	}
	// The same socket, reached through a link at the cache folder, is
	// refused before anything is sent.
	home := t.TempDir()
	link := filepath.Join(home, "git-credential-pat")
	if err := os.Symlink(sockDir, link); err != nil {
		t.Fatal(err)
	}
	_, err = (&Client{Dir: link}).Call(&Request{Op: OpSecret, Backend: "vault:x"})
	if !errors.Is(err, ErrForeignSocket) {
		t.Fatalf("Call through a linked folder = %v, want an error wrapping ErrForeignSocket", err)
	}
}

// TestCacheDirRefusesLinks: the cache folder is never a link, not even to
// a private folder of this user's, and MakeDir creates nothing through one.
func TestCacheDirRefusesLinks(t *testing.T) {
	home := t.TempDir()
	elsewhere := filepath.Join(home, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(home, "git-credential-pat")
	if err := os.Symlink(elsewhere, link); err != nil {
		t.Fatal(err)
	}
	if err := CheckDir(link); !errors.Is(err, ErrForeignSocket) {
		t.Errorf("CheckDir(link) = %v, want an error wrapping ErrForeignSocket", err)
	}
	if err := MakeDir(link); !errors.Is(err, ErrForeignSocket) {
		t.Errorf("MakeDir(link) = %v, want an error wrapping ErrForeignSocket", err)
	}
	dangling := filepath.Join(home, "dangling")
	if err := os.Symlink(filepath.Join(home, "not-yet"), dangling); err != nil {
		t.Fatal(err)
	}
	if err := MakeDir(dangling); err == nil {
		t.Error("MakeDir through a dangling link succeeded")
	}
	if _, err := os.Lstat(filepath.Join(home, "not-yet")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("MakeDir created the folder a dangling link points to: %v", err)
	}
	if err := MakeDir(filepath.Join(home, "fresh")); err != nil {
		t.Errorf("MakeDir of a new folder: %v", err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o755); err != nil {
		t.Fatal(err)
	}
}
