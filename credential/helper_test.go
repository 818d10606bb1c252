package credential

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"
)

// memoryTokens is an in-memory Tokens for testing the helper's rules; the
// real stores are proven against git in the testscripts.
type memoryTokens struct {
	entries   []Entry
	writes    int
	refreshed int
}

func (m *memoryTokens) Refresh() { m.refreshed++ }

func (m *memoryTokens) List() ([]Entry, error) { return append([]Entry(nil), m.entries...), nil }

func (m *memoryTokens) Add(entries ...Entry) error {
	m.writes++
	for _, e := range entries {
		replaced := false
		for i := range m.entries {
			if m.entries[i].Target.Same(e.Target) {
				m.entries[i], replaced = e, true
			}
		}
		if !replaced {
			m.entries = append(m.entries, e)
		}
	}
	return nil
}

func (m *memoryTokens) Delete(targets ...Target) error {
	m.writes++
	var kept []Entry
	for _, e := range m.entries {
		doomed := false
		for _, t := range targets {
			doomed = doomed || e.Target.Same(t)
		}
		if !doomed {
			kept = append(kept, e)
		}
	}
	m.entries = kept
	return nil
}

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func run(t *testing.T, h *Helper, action, input string) string {
	t.Helper()
	var out bytes.Buffer
	if err := h.Run(action, strings.NewReader(input), &out); err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	return out.String()
}

func newHelper(entries ...Entry) (*Helper, *memoryTokens, *bytes.Buffer) {
	m := &memoryTokens{entries: entries}
	var stderr bytes.Buffer
	return &Helper{Tokens: m, Stderr: &stderr, Now: func() time.Time { return testNow }}, m, &stderr
}

func TestGetAnswers(t *testing.T) {
	e := entry("github.com/acme")
	e.Token = "ghp_one"
	e.Expires = EndOfDay(testNow.AddDate(0, 1, 0))
	h, _, stderr := newHelper(e)
	got := run(t, h, "get", "protocol=https\nhost=github.com\npath=acme/x.git\n")
	want := "username=x-access-token\npassword=ghp_one\npassword_expiry_utc=" +
		strconv.FormatInt(e.Expires.Unix(), 10) + "\n"
	if got != want {
		t.Errorf("get = %q, want %q", got, want)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want nothing", stderr)
	}
}

func TestGetExpiredAnswersNothingAndSaysSo(t *testing.T) {
	e := entry("github.com")
	e.Expires = EndOfDay(testNow.AddDate(0, 0, -1))
	h, _, stderr := newHelper(e)
	if got := run(t, h, "get", "protocol=https\nhost=github.com\n"); got != "" {
		t.Errorf("get = %q, want nothing", got)
	}
	if !strings.Contains(stderr.String(), "expired on 2026-11-24") || !strings.Contains(stderr.String(), "git-credential-pat new github.com") {
		t.Errorf("stderr = %q, want the expiry and the command to replace it", stderr)
	}
}

func TestGetHintsUseHTTPPath(t *testing.T) {
	h, _, stderr := newHelper(entry("github.com/acme"))
	if got := run(t, h, "get", "protocol=https\nhost=github.com\n"); got != "" {
		t.Errorf("get = %q, want nothing", got)
	}
	if !strings.Contains(stderr.String(), "credential.https://github.com.useHttpPath true") {
		t.Errorf("stderr = %q, want the useHttpPath command", stderr)
	}
}

func TestStore(t *testing.T) {
	t.Run("new credential is saved with its kind", func(t *testing.T) {
		h, m, _ := newHelper()
		h.KindOf = func(_, token string, _ []Entry) Kind { return Kind("kind of " + token) }
		run(t, h, "store", "protocol=https\nhost=github.com\nusername=alice\npassword=github_pat_x\n")
		if len(m.entries) != 1 || m.entries[0].Token != "github_pat_x" || m.entries[0].Kind != "kind of github_pat_x" ||
			m.entries[0].Username != "alice" || !m.entries[0].HasUsername {
			t.Errorf("entries = %+v", m.entries)
		}
	})
	t.Run("held credential is not rewritten twice a day", func(t *testing.T) {
		e := entry("github.com")
		e.Token = "ghp_x"
		e.Note = "keep me"
		h, m, _ := newHelper(e)
		in := "protocol=https\nhost=github.com\nusername=x-access-token\npassword=ghp_x\n"
		run(t, h, "store", in)
		run(t, h, "store", in)
		if m.writes != 1 || len(m.entries) != 1 || m.entries[0].Note != "keep me" || !m.entries[0].LastUsed.Equal(testNow) {
			t.Errorf("writes = %d, entries = %+v", m.writes, m.entries)
		}
		if m.refreshed != 2 {
			t.Errorf("the cache was refreshed %d times, want once per store", m.refreshed)
		}
	})
	for name, input := range map[string]string{
		"ephemeral":    "protocol=https\nhost=h\nusername=u\npassword=p\nephemeral=1\n",
		"http":         "protocol=http\nhost=h\nusername=u\npassword=p\n",
		"no password":  "protocol=https\nhost=h\nusername=u\n",
		"no username":  "protocol=https\nhost=h\npassword=p\n",
		"expired":      "protocol=https\nhost=h\nusername=u\npassword=p\npassword_expiry_utc=1000\n",
		"ssh":          "protocol=ssh\nhost=h\nusername=u\npassword=p\n",
		"missing host": "protocol=https\nusername=u\npassword=p\n",
	} {
		t.Run(name+" is not stored", func(t *testing.T) {
			h, m, _ := newHelper()
			run(t, h, "store", input)
			if len(m.entries) != 0 || m.writes != 0 {
				t.Errorf("stored %+v", m.entries)
			}
		})
	}
}

func TestErase(t *testing.T) {
	alice, bob := entry("alice@github.com"), entry("bob@github.com")
	alice.FromGit, bob.FromGit = true, true
	added := entry("carol@github.com") // a person's, with add
	tests := []struct {
		name  string
		input string
		left  []string
	}{
		{"a different password keeps the entry", "protocol=https\nhost=github.com\nusername=alice\npassword=wrong\n", []string{alice.Token, bob.Token, added.Token}},
		{"the failed password git stored goes", "protocol=https\nhost=github.com\nusername=alice\npassword=" + alice.Token + "\n", []string{bob.Token, added.Token}},
		{"the failed password a person added is kept, refused", "protocol=https\nhost=github.com\nusername=carol\npassword=" + added.Token + "\n", []string{alice.Token, bob.Token, added.Token + " refused"}},
		{"no user and no password: every user goes", "protocol=https\nhost=github.com\n", nil},
		{"another host: nothing goes", "protocol=https\nhost=gitlab.com\n", []string{alice.Token, bob.Token, added.Token}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, m, _ := newHelper(alice, bob, added)
			run(t, h, "erase", tt.input)
			var left []string
			for _, e := range m.entries {
				if e.Refused.IsZero() {
					left = append(left, e.Token)
				} else {
					left = append(left, e.Token+" refused")
				}
			}
			if strings.Join(left, ",") != strings.Join(tt.left, ",") {
				t.Errorf("left %v, want %v", left, tt.left)
			}
		})
	}
}

func TestUnknownActionIgnored(t *testing.T) {
	h, m, _ := newHelper()
	if got := run(t, h, "frobnicate", "garbage without equals\n"); got != "" || m.writes != 0 {
		t.Errorf("unknown action answered %q", got)
	}
}
