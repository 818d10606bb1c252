package options

import (
	"errors"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	env := map[string]string{CacheTimeoutEnv: "90", BackendEnv: "file"}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		args    []string
		ok      bool
		action  string
		timeout time.Duration
		warn    time.Duration
		backend string
	}{
		{[]string{"get"}, true, "get", 90 * time.Second, 7 * 24 * time.Hour, "file"},
		{[]string{"--cache-timeout=1h", "-warn-within", "2d", "--backend", "auto", "store", "x"}, true, "store", time.Hour, 48 * time.Hour, "auto"},
		{[]string{"--", "get"}, true, "get", 90 * time.Second, 7 * 24 * time.Hour, "file"},
		{[]string{"--cache-timeout=0", "get"}, true, "get", 0, 7 * 24 * time.Hour, "file"},
		{[]string{"--backend"}, false, "", 0, 0, ""},
		{[]string{"---backend=file", "get"}, false, "", 0, 0, ""},
		{[]string{"--backend=vault", "get"}, false, "", 0, 0, ""},
		{[]string{"--cache-timeout=soon", "get"}, false, "", 0, 0, ""},
		{[]string{"--warn-within=3x", "get"}, false, "", 0, 0, ""},
		{[]string{"--warn-within=", "get"}, false, "", 0, 0, ""},
		{[]string{"--cache-timeout=", "get"}, false, "", 0, 0, ""},
	}
	for _, tt := range tests {
		g, err := Parse(tt.args, getenv)
		if (err == nil) != tt.ok {
			t.Errorf("%q: %v; want ok=%v", tt.args, err, tt.ok)
			continue
		}
		if tt.ok && (g.Action != tt.action || g.CacheTimeout != tt.timeout || g.WarnWithin != tt.warn || g.Backend != tt.backend) {
			t.Errorf("%q: %+v; want %s %s %s %s", tt.args, g, tt.action, tt.timeout, tt.warn, tt.backend)
		}
	}
	if _, err := Parse([]string{"--help"}, getenv); !errors.Is(err, ErrHelp) {
		t.Errorf("--help: %v, want ErrHelp", err)
	}
	// Without the variables: the documented defaults, 15 minutes, 7 days
	// and auto.
	g, err := Parse([]string{"get"}, func(string) string { return "" })
	if err != nil || g.CacheTimeout != 15*time.Minute || g.WarnWithin != 7*24*time.Hour || g.Backend != "auto" || g.BackendSource != "the default" {
		t.Errorf("no options: %+v, %v", g, err)
	}
	if _, err := Parse([]string{"get"}, func(k string) string { return map[string]string{CacheTimeoutEnv: "x"}[k] }); err == nil {
		t.Error("a malformed GIT_CREDENTIAL_PAT_CACHE_TIMEOUT was taken")
	}
}
