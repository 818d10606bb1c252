package front

import (
	"os"
	"testing"
	"time"
)

// parseGlobal reads options as the full program's flag set does, and
// refuses whatever it should leave to the full program.
func TestParseGlobal(t *testing.T) {
	t.Setenv(cacheTimeoutEnv, "")
	t.Setenv(backendEnv, "file")
	// An empty timeout in the environment is the full program's error.
	if _, err := parseGlobal([]string{"get"}); err == nil {
		t.Error("an empty GIT_CREDENTIAL_PAT_CACHE_TIMEOUT was taken")
	}

	// Without the variable or options: the defaults the full program
	// documents, 15 minutes and 7 days.
	os.Unsetenv(cacheTimeoutEnv)
	if g, err := parseGlobal([]string{"get"}); err != nil || g.cacheTimeout != 15*time.Minute || g.warnWithin != 7*24*time.Hour {
		t.Errorf("no options: %+v, %v; want a 15m cache and a 7-day warning", g, err)
	}

	t.Setenv(cacheTimeoutEnv, "90")
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
		{[]string{"-", "get"}, true, "-", 90 * time.Second, 7 * 24 * time.Hour, "file"},
		{[]string{"--version", "get"}, false, "", 0, 0, ""},
		{[]string{"--help"}, false, "", 0, 0, ""},
		{[]string{"---backend=file", "get"}, false, "", 0, 0, ""},
		{[]string{"--backend"}, false, "", 0, 0, ""},
		{[]string{"--cache-timeout=soon", "get"}, false, "", 0, 0, ""},
		{[]string{"--warn-within=3x", "get"}, false, "", 0, 0, ""},
		{[]string{"--warn-within=", "get"}, false, "", 0, 0, ""},
		{[]string{"--cache-timeout=", "get"}, false, "", 0, 0, ""},
		{[]string{}, false, "", 0, 0, ""},
	}
	for _, tt := range tests {
		g, err := parseGlobal(tt.args)
		if (err == nil) != tt.ok {
			t.Errorf("%q: %v; want ok=%v", tt.args, err, tt.ok)
			continue
		}
		if tt.ok && (g.action != tt.action || g.cacheTimeout != tt.timeout || g.warnWithin != tt.warn || g.backend != tt.backend) {
			t.Errorf("%q: %+v; want %s %s %s %s", tt.args, g, tt.action, tt.timeout, tt.warn, tt.backend)
		}
	}
}
