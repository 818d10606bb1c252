package backend

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// Choose is the one rule of which backend a setting means, for the full
// program and the daemon alike: a table of settings and of what is on disk.
func TestChoose(t *testing.T) {
	home := t.TempDir()
	data := filepath.Join(home, "data")
	dir := filepath.Join(data, "git-credential-pat")
	vault, index := filepath.Join(dir, "vault.age"), filepath.Join(dir, "keyring-index.json")
	passDir := filepath.Join(home, "pass-store")
	env := map[string]string{"HOME": home, "XDG_DATA_HOME": data, PassStoreDirEnv: passDir}
	getenv := func(k string) string { return env[k] }
	touch := func(path string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pass := Pass(filepath.Join(passDir, DefaultPassFolder))
	tests := []struct {
		name          string
		setting       string
		files         []string // made before Choose
		want          ID
		wantFallback  ID
		wantSettingOK bool
	}{
		{"file means the vault", SettingFile, nil, Vault(vault), "", true},
		{"keyring means the keyring", SettingKeyring, []string{vault}, Keyring(index), "", true},
		{"pass means pass", SettingPass, nil, pass, "", true},
		{"auto with nothing stored: the keyring, else the vault", SettingAuto, nil, Keyring(index), Vault(vault), true},
		{"the empty setting is auto", "", nil, Keyring(index), Vault(vault), true},
		{"auto with a vault: the vault", SettingAuto, []string{vault}, Vault(vault), "", true},
		{"auto with a keyring index: the keyring, never the vault", SettingAuto, []string{vault, index}, Keyring(index), "", true},
		{"auto with pass remembered: pass, whatever else exists", SettingAuto, []string{vault, index, RememberedPath(vault)}, pass, "", true},
		{"auto with the keyring remembered: the keyring, though only a vault exists", SettingAuto, []string{vault, RememberedPath(vault) + "=keyring"}, Keyring(index), "", true},
		{"a setting that names no backend", "vault", nil, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.RemoveAll(dir)
			for _, f := range tt.files {
				// The remembered setting is pass unless named: backend=keyring.
				path, setting, named := strings.Cut(f, "=")
				touch(path)
				if path == RememberedPath(vault) {
					if !named {
						setting = SettingPass
					}
					os.WriteFile(path, []byte(setting+"\n"), 0o600)
				}
			}
			got, err := Choose(tt.setting, getenv)
			if !tt.wantSettingOK {
				if !errors.Is(err, ErrSetting) {
					t.Fatalf("Choose(%q) = %+v, %v; want an error wrapping ErrSetting", tt.setting, got, err)
				}
				return
			}
			if err != nil || got.ID != tt.want || got.Fallback != tt.wantFallback {
				t.Fatalf("Choose(%q) = %+v, %v; want %s, fallback %q", tt.setting, got, err, tt.want, tt.wantFallback)
			}
		})
	}
}

// A stamp changes with every write and with a same-size replacement, and
// is the same for the same state.
func TestStamp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.age")
	id := Vault(path)
	if got := Stamp(id); got != "none" {
		t.Fatalf("Stamp of a missing file = %q, want none", got)
	}
	os.WriteFile(path, []byte("one"), 0o600)
	first := Stamp(id)
	if again := Stamp(id); again != first {
		t.Fatalf("the same state stamped %q, then %q", first, again)
	}
	tmp := path + ".new"
	os.WriteFile(tmp, []byte("two"), 0o600)
	os.Rename(tmp, path)
	if Stamp(id) == first {
		t.Fatal("a same-size file renamed in kept the stamp")
	}
	if k := Keyring("/x/keyring-index.json"); k.Kind() != KindKeyring || k.Path() != "/x/keyring-index.json" {
		t.Fatalf("Keyring ID = %q: kind %q, path %q", k, k.Kind(), k.Path())
	}
}

// The first write that lands in a backend remembers it; a later one in
// another backend does not take its place: only migrate (Remember) does.
func TestRememberFirst(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{"HOME": home, "XDG_DATA_HOME": filepath.Join(home, "data")}
	getenv := func(k string) string { return env[k] }
	vault, err := files.VaultPathFor(getenv)
	if err != nil {
		t.Fatal(err)
	}
	remembered := func() string {
		t.Helper()
		got, err := Remembered(vault)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	steps := []struct {
		do   func() error
		want string
	}{
		{func() error { return RememberFirst(getenv, SettingKeyring) }, SettingKeyring},
		{func() error { return RememberFirst(getenv, SettingPass) }, SettingKeyring},
		{func() error { return Remember(getenv, SettingPass) }, SettingPass},
		{func() error { return Remember(getenv, "") }, ""},
		{func() error { return RememberFirst(getenv, SettingPass) }, SettingPass},
	}
	for i, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := remembered(); got != s.want {
			t.Fatalf("step %d: remembered %q, want %q", i, got, s.want)
		}
	}
	if err := Remember(getenv, SettingFile); err == nil {
		t.Fatal("Remember(file) succeeded; only pass or keyring can be remembered")
	}
}
