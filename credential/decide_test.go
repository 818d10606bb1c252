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
