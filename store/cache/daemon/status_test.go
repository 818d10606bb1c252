package daemon

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// FuzzStatusJSON checks the daemon's hand-written status encoding byte for
// byte against json.Marshal, which it stands in for.
func FuzzStatusJSON(f *testing.F) {
	f.Add(1234, "/run/user/1000/git-credential-pat/socket", "the encrypted vault /home/a/vault.age", "github.com/acme", int64(1800000000), int64(5))
	f.Add(-1, "a\"\\\n\r\t\b\f\x00\x1f<>&\u2028\u2029\xff\xc3", "café 😀", "", int64(0), int64(-62135596800))
	f.Fuzz(func(t *testing.T, pid int, socket, name, target string, secs, nanos int64) {
		when := time.Unix(secs%(1<<34), nanos%1e9).UTC()
		for _, st := range []Status{
			{PID: pid, Socket: socket, Stores: []Backend{}},
			{PID: pid, Socket: socket, Stores: []Backend{
				{Name: name, PassphraseUntil: when},
				{Name: target, EntriesUntil: when, Entries: []SnapshotEntry{{Target: target, TokenExpires: when}, {Target: name}}},
				{Name: name, PassphraseUntil: when.In(time.FixedZone("x", 3600)), EntriesUntil: when, Entries: []SnapshotEntry{}},
			}},
		} {
			want, err := json.Marshal(st)
			if err != nil {
				t.Skip() // a year json cannot write
			}
			if got := st.appendJSON(nil); !bytes.Equal(got, want) {
				t.Fatalf("appendJSON = %s\njson.Marshal = %s", got, want)
			}
		}
	})
}
