//go:build unix

package daemon

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store/backend"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// BenchmarkRelayedGet is one get the front relays, answered by a daemon in
// this process: the client's exchange and the daemon's decision.
func BenchmarkRelayedGet(b *testing.B) {
	tmp, err := os.MkdirTemp("", "gcpd")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "c")
	go Run(dir, Options{IdleExit: time.Hour})
	client := &cache.Client{Dir: dir}
	data := filepath.Join(tmp, "data")
	vault := filepath.Join(data, "git-credential-pat", "vault.age")
	os.MkdirAll(filepath.Dir(vault), 0o700)
	os.WriteFile(vault, []byte("x"), 0o600)
	id := backend.Vault(vault)
	var reply *cache.Reply
	for range 100 {
		if reply, err = client.Call(&cache.Request{Op: cache.OpDrop, Backend: string(id)}); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		b.Fatal(err)
	}
	body, _ := cache.AppendEntries(nil, []credential.Entry{{Target: credential.Target{Host: "github.com"}, Token: "ghp_x"}}, time.Now())
	if _, err := client.Call(&cache.Request{Op: cache.OpPut, Backend: string(id), Stamp: backend.Stamp(id), Epoch: reply.Epoch, Timeout: time.Hour, Body: body}); err != nil {
		b.Fatal(err)
	}
	req := &cache.Request{Op: cache.OpGet, Args: []string{"--backend=file", "get"}, Env: []string{"XDG_DATA_HOME=" + data}, Body: []byte("protocol=https\nhost=github.com\n")}
	b.ResetTimer()
	for b.Loop() {
		r, err := client.Call(req)
		if err != nil || r.Status != cache.StatusAnswer {
			b.Fatalf("%+v %v", r, err)
		}
	}
}
