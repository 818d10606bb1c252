package credential

import (
	"testing"
	"time"
)

func TestDecideStoreKeepsNothingUnprintable(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	base := Credential{Protocol: "https", Host: "github.com", Username: "alice", HasUsername: true, Password: "pw", HasPassword: true}
	tests := []struct {
		name   string
		change func(*Credential)
		want   StoreVerdict
	}{
		{"an ordinary credential", func(*Credential) {}, StoreNew},
		{"ESC in the user name", func(c *Credential) { c.Username = "al\x1b]0;x\x07ice" }, StoreNothing},
		{"BEL in the path", func(c *Credential) { c.Path = "acme\a/r.git" }, StoreNothing},
		{"ESC in the host", func(c *Credential) { c.Host = "github.com\x1b[2J" }, StoreNothing},
		{"a slash in the host", func(c *Credential) { c.Host = "github.com/acme" }, StoreNothing},
		{"a dot-dot path", func(c *Credential) { c.Path = "acme/../globex/r.git" }, StoreNothing},
		{"ephemeral", func(c *Credential) { c.Ephemeral = true }, StoreNothing},
		{"plain http", func(c *Credential) { c.Protocol = "http" }, StoreNothing},
		{"expired", func(c *Credential) { c.PasswordExpiryUTC = "1000" }, StoreNothing},
	}
	for _, tt := range tests {
		c := base
		tt.change(&c)
		if got, _ := DecideStore(&c, nil, now); got != tt.want {
			t.Errorf("%s: DecideStore = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// A store after a refusal replaces the refused entry that answered the
// request, whatever user name was typed at git's prompt, and only that:
// never an entry of another host or owner, never one that was not refused.
func TestDecideStoreReplacesTheRefusedEntry(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	refused := now.Add(-time.Hour)
	acme := Entry{Target: Target{Host: "github.com", Path: "acme"}, Token: "old", Note: "acme bot", Refused: refused}
	aliceAcme := Entry{Target: Target{Host: "github.com", Path: "acme", Username: "alice", HasUsername: true}, Token: "alices"}
	host := Entry{Target: Target{Host: "github.com"}, Token: "hosts"}
	tests := []struct {
		name       string
		entries    []Entry
		host, path string
		username   string
		want       StoreVerdict
		wantI      int
		wantTarget string // of Replaced, for StoreReplace
	}{
		{"the stand-in user name", []Entry{acme}, "github.com", "acme/app", DefaultUsername, StoreReplace, 0, "github.com/acme"},
		{"a typed user name", []Entry{acme}, "github.com", "acme/app", "alice", StoreReplace, 0, "alice@github.com/acme"},
		{"the owner itself", []Entry{acme}, "github.com", "acme", "bob", StoreReplace, 0, "bob@github.com/acme"},
		{"a host-wide entry of alice does not hide it", []Entry{{Target: Target{Host: "github.com", Username: "alice", HasUsername: true}, Token: "x"}, acme}, "github.com", "acme/app", "alice", StoreReplace, 1, "alice@github.com/acme"},
		{"alice's own entry for the owner is not overwritten", []Entry{acme, aliceAcme}, "github.com", "acme/app", "alice", StoreReplace, 0, "github.com/acme"},
		{"another owner", []Entry{acme}, "github.com", "globex/app", "alice", StoreNew, -1, ""},
		{"an owner that only starts the same", []Entry{acme}, "github.com", "acmecorp/app", "alice", StoreNew, -1, ""},
		{"another host", []Entry{acme}, "gitlab.com", "acme/app", "alice", StoreNew, -1, ""},
		{"no path from git", []Entry{acme}, "github.com", "", "alice", StoreNew, -1, ""},
		{"an entry that was not refused", []Entry{host}, "github.com", "acme/app", "alice", StoreNew, -1, ""},
		{"a longer refused entry than alice's", []Entry{aliceAcme, {Target: Target{Host: "github.com", Path: "acme/app"}, Token: "t", Refused: refused}}, "github.com", "acme/app", "alice", StoreReplace, 1, "alice@github.com/acme/app"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &Credential{Protocol: "https", Host: tt.host, Path: tt.path, Username: tt.username, HasUsername: true, Password: "new", HasPassword: true}
			v, i := DecideStore(req, tt.entries, now)
			if v != tt.want || i != tt.wantI {
				t.Fatalf("DecideStore = %v, %d; want %v, %d", v, i, tt.want, tt.wantI)
			}
			if v != StoreReplace {
				return
			}
			n := Replaced(req, tt.entries, i, "classic", now)
			if n.Target.String() != tt.wantTarget || n.Token != "new" || !n.Refused.IsZero() || n.Note != tt.entries[i].Note {
				t.Fatalf("Replaced = %s token %q refused %v note %q; want %s with the new token, not refused, its note", n.Target, n.Token, n.Refused, n.Note, tt.wantTarget)
			}
		})
	}
}
