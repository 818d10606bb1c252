package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

func TestWarnStateOncePerDayAndPrunes(t *testing.T) {
	s := &warnState{path: filepath.Join(t.TempDir(), "state", "expiry-warnings")}
	steps := []struct {
		key, day string
		first    bool
	}{
		{"aaaa", "2030-06-01", true},
		{"aaaa", "2030-06-01", false},
		{"bbbb", "2030-06-01", true},
		{"aaaa", "2030-06-01", false},
		{"aaaa", "2030-06-02", true},
		{"bbbb", "2030-06-02", true},
		{"bbbb", "2030-06-02", false},
	}
	for i, st := range steps {
		if got := s.firstToday(st.key, st.day); got != st.first {
			t.Fatalf("step %d: FirstToday(%s, %s) = %v, want %v", i, st.key, st.day, got, st.first)
		}
	}
	data, err := os.ReadFile(s.path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), "aaaa 2030-06-02\nbbbb 2030-06-02\n"; got != want {
		t.Errorf("state file = %q, want only today's lines %q", got, want)
	}
	for path, want := range map[string]os.FileMode{s.path: 0o600, filepath.Dir(s.path): 0o700} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode().Perm(), want)
		}
	}
}

func TestWarnStateUnreadableWarns(t *testing.T) {
	dir := t.TempDir()
	s := &warnState{path: dir} // a folder: cannot be read as a file
	for range 2 {
		if !s.firstToday("aaaa", "2030-06-01") {
			t.Fatal("an unreadable state silenced the warning")
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left files behind: %s", strings.Join(names, ", "))
	}
}

func TestWarnKeyHidesTheEntry(t *testing.T) {
	e := credential.Entry{Target: credential.Target{Host: "github.com", Path: "acme"}, Token: "ghp_secret", Expires: credential.ExpiryAt(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))}
	k := warnKey(e)
	if strings.Contains(k, "acme") || strings.Contains(k, "secret") || len(k) != 32 {
		t.Errorf("warnKey = %q", k)
	}
	renewed := e
	renewed.Expires = credential.ExpiryAt(e.Expires.AddDate(0, 3, 0))
	if warnKey(renewed) == k {
		t.Error("a new expiry keeps the old key: the renewed token would not be warned about")
	}
}
