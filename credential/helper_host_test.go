package credential

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// hostTokens is a memoryTokens that offers ListHost and refuses List, so a
// test fails if the helper decodes every entry when it need not.
type hostTokens struct {
	memoryTokens
	asked []string
}

func (m *hostTokens) List() ([]Entry, error) {
	return nil, errors.New("List called on a store that offers ListHost")
}

func (m *hostTokens) ListHost(host string) ([]Entry, error) {
	m.asked = append(m.asked, host)
	var out []Entry
	for _, e := range m.entries {
		if e.Host == host {
			out = append(out, e)
		}
	}
	return out, nil
}

// With ListHost the protocol actions answer exactly as with List, and ask
// for the request's host, normalized.
func TestHelperUsesHostTokens(t *testing.T) {
	tokenFor := func(target, token string) Entry {
		e := entry(target)
		e.Token = token
		return e
	}
	entries := []Entry{
		tokenFor("github.com/acme", "ghp_acme"),
		tokenFor("github.com", "ghp_plain"),
		tokenFor("github.com:8443", "ghp_port"),
		tokenFor("gitlab.com", "ghp_lab"),
	}
	tests := []struct {
		action, input, host string
	}{
		{"get", "protocol=https\nhost=GitHub.com:443\npath=acme/x.git\n", "github.com"},
		{"get", "protocol=https\nhost=github.com\npath=other/x\n", "github.com"},
		{"get", "protocol=https\nhost=github.com:8443\n", "github.com:8443"},
		{"get", "protocol=https\nhost=example.com\n", "example.com"},
		{"store", "protocol=https\nhost=github.com\nusername=x-access-token\npassword=ghp_plain\n", "github.com"},
		{"store", "protocol=https\nhost=github.com:8443\nusername=u\npassword=ghp_new\n", "github.com:8443"},
		{"erase", "protocol=https\nhost=github.com\npassword=ghp_plain\n", "github.com"},
		{"erase", "protocol=https\nhost=GITLAB.com\n", "gitlab.com"},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+strings.ReplaceAll(tt.input, "\n", " "), func(t *testing.T) {
			plain, all, _ := newHelper(entries...)
			scoped := &hostTokens{memoryTokens: memoryTokens{entries: append([]Entry(nil), entries...)}}
			var stderr bytes.Buffer
			h := &Helper{Tokens: scoped, Stderr: &stderr, Now: func() time.Time { return testNow }}
			if got, want := run(t, h, tt.action, tt.input), run(t, plain, tt.action, tt.input); got != want {
				t.Fatalf("answer with ListHost %q; with List %q", got, want)
			}
			if got, want := tokensOf(scoped.entries), tokensOf(all.entries); got != want {
				t.Fatalf("entries after, with ListHost %s; with List %s", got, want)
			}
			if len(scoped.asked) != 1 || scoped.asked[0] != tt.host {
				t.Fatalf("ListHost asked for %q; want [%q]", scoped.asked, tt.host)
			}
		})
	}
}

func tokensOf(entries []Entry) string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Token+"@"+e.Target.String())
	}
	return strings.Join(out, ",")
}
