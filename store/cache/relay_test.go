package cache

import (
	"bytes"
	"path/filepath"
	"runtime/debug"
	"slices"
	"testing"

	"github.com/git-credential-pat/git-credential-pat/store/cache/relay"
	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// The front speaks to the daemon through store/cache/relay, written in
// plain system calls; what it sends and finds must be what this package
// sends and finds.

func TestRelayCleanIsFilepathJoin(t *testing.T) {
	for _, p := range []string{
		"/", "//", "/run/user/1000", "/run/user/1000/", "/a/../b", "/a/./b//c", "/..", "/../a", "a/b", "a/../..", "../a", ".", "a//b/", "/a/b/..",
	} {
		want := filepath.Join(p, "git-credential-pat")
		if got := relay.Clean(p + "/git-credential-pat"); got != want {
			t.Errorf("Clean(%q + /git-credential-pat) = %q, want %q", p, got, want)
		}
	}
}

func TestRelayDirIsDirFor(t *testing.T) {
	for _, env := range []map[string]string{
		{"XDG_RUNTIME_DIR": "/run/user/7", "HOME": "/home/a"},
		{"XDG_RUNTIME_DIR": "relative", "XDG_CACHE_HOME": "/c/", "HOME": "/home/a"},
		{"XDG_CACHE_HOME": "rel", "HOME": "/home/a/"},
		{"HOME": "/home/../a"},
	} {
		getenv := func(k string) string { return env[k] }
		want, err := DirFor(getenv)
		if err != nil {
			t.Fatal(err)
		}
		if got := relay.Dir(getenv); got != want {
			t.Errorf("relay.Dir(%v) = %q, DirFor = %q", env, got, want)
		}
	}
}

func TestRelayRequestIsEncode(t *testing.T) {
	args := []string{"--backend=file", "get"}
	env := []string{"HOME=/h", "XDG_DATA_HOME=/d"}
	body := []byte("protocol=https\nhost=example.com\n")
	want, err := (&Request{Op: OpGet, Build: BuildID(), Args: args, Env: env, Body: body}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, ok := relay.Request(OpGet, args, env, body)
	if !ok || !bytes.Equal(got, want) {
		t.Errorf("relay.Request = %q, %v; Encode = %q", got, ok, want)
	}
	if _, ok := relay.Request(OpGet, []string{"a\nb"}, nil, nil); ok {
		t.Error("relay.Request took an argument with a line break")
	}
}

func TestRelayAnswerReadsReplies(t *testing.T) {
	for _, tc := range []struct {
		reply Reply
		ok    bool
	}{
		{Reply{Status: StatusAnswer, Build: BuildID(), Body: []byte("password=x\n")}, true},
		{Reply{Status: StatusAnswer, Build: BuildID(), Epoch: 3}, true},
		{Reply{Status: StatusAnswer, Build: "another"}, false},
		{Reply{Status: StatusAnswer}, false},
		{Reply{Status: StatusDefer, Build: BuildID()}, false},
		{Reply{Status: StatusOtherBuild, Build: BuildID()}, false},
		{Reply{Status: StatusError, Build: BuildID(), Message: "no"}, false},
	} {
		msg := append(tc.reply.AppendHeader(nil), tc.reply.Body...)
		body, ok := relay.Answer(msg)
		if ok != tc.ok || ok && !bytes.Equal(body, tc.reply.Body) {
			t.Errorf("relay.Answer(%q) = %q, %v; want ok %v", msg, body, ok, tc.ok)
		}
	}
	if _, ok := relay.Answer([]byte("status=answer\n")); ok {
		t.Error("a reply without its blank line was taken")
	}
}

func TestRelayEnvKeepsThePassphraseHome(t *testing.T) {
	if relay.PassphraseEnv != files.PassphraseEnv {
		t.Fatalf("relay.PassphraseEnv = %q, files.PassphraseEnv = %q", relay.PassphraseEnv, files.PassphraseEnv)
	}
	got := RelayedEnv([]string{"HOME=/h", "PATH=/bin", files.PassphraseEnv + "=secret", "GIT_CREDENTIAL_PAT_BACKEND=file", "XDG_DATA_HOME=/d", "XDG_X=a\nb", "PASSWORD_STORE_DIR=/p", "USERPROFILE=u", "HOMEX=1"})
	want := []string{"HOME=/h", "GIT_CREDENTIAL_PAT_BACKEND=file", "XDG_DATA_HOME=/d", "PASSWORD_STORE_DIR=/p", "USERPROFILE=u"}
	if !slices.Equal(got, want) {
		t.Errorf("RelayedEnv = %q, want %q", got, want)
	}
}

// Without an identity set at link time, the build is read from what the
// go command recorded, as runtime/debug reads it.
func TestBuildIDWithoutLinkTimeIdentity(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build information")
	}
	want := info.Main.Path + "@" + info.Main.Version + " " + info.GoVersion
	if got := BuildID(); len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("BuildID() = %q, want it to start with %q", got, want)
	}
}
