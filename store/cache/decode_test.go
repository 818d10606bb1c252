package cache

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// sameEntries compares decoded entries field by field, times by instant
// and zone offset (two parses of one time hold different *Location).
func sameEntries(a, b []credential.Entry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		for _, p := range [][2]*time.Time{{&x.Expires, &y.Expires}, {&x.Added, &y.Added}, {&x.LastUsed, &y.LastUsed}, {&x.Verified, &y.Verified}} {
			_, ox := p[0].Zone()
			_, oy := p[1].Zone()
			if !p[0].Equal(*p[1]) || ox != oy {
				return false
			}
			*p[0], *p[1] = time.Time{}, time.Time{}
		}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

func TestDecodeSnapshot(t *testing.T) {
	at := time.Date(2027, 3, 4, 5, 6, 7, 890, time.UTC)
	snap := Snapshot{Stamp: "1.2.600.700", Entries: []credential.Entry{
		{Target: credential.Target{Host: "github.com"}, Token: "ghp_plain", Kind: "classic", Added: at},
		{Target: credential.Target{Host: "h:8443", Path: "acme/ü", Username: "a\"b\\c", HasUsername: true},
			Token: "github_pat_x", Kind: "fine-grained", Expires: at.In(time.FixedZone("", 3600)),
			OAuthRefreshToken: "r", Note: "<&>\u2028\x01\t", AllowHTTP: true, Added: at, LastUsed: at,
			Login: "octo", Scopes: []string{"repo", ""}, Verified: at, APIURL: "https://h/api/v3"},
		{Target: credential.Target{Host: "e"}, Scopes: []string{}},
	}}
	body, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var want Snapshot
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
	got, err := DecodeSnapshot(body)
	if err != nil {
		t.Fatal(err)
	}
	if got.Stamp != want.Stamp || !sameEntries(got.Entries, want.Entries) || got.Entries[1].Note != snap.Entries[1].Note {
		t.Fatalf("DecodeSnapshot = %#v\nwant %#v", got, want)
	}
	for _, bad := range []string{``, `{`, `{"stamp":1}`, `{"entries":[{"host":"a"]}`, `{"stamp":"a"} x`, `{"stamp":"a\x01"}`, `{"entries":[{"expires":"yesterday"}]}`, `[]`} {
		if _, err := DecodeSnapshot([]byte(bad)); err == nil {
			t.Errorf("DecodeSnapshot(%q) succeeded; want an error", bad)
		}
	}
}

// Whatever json.Marshal writes, DecodeSnapshot decodes as json.Unmarshal
// does; and whatever both accept, they decode alike.
func FuzzDecodeSnapshot(f *testing.F) {
	f.Add("s", "github.com", "acme", "u", "ghp_x", "note", "repo", true, int64(1800000000), []byte(`{"stamp":"s","entries":[{"host":"h","x":[1,{"y":null}]}]}`))
	f.Add("\xed\xa0\x80", "a\\\"b", "", "", "\u2028", "\xff", "", false, int64(-1), []byte(`{"entries":[{"host":"\ud83d\ude00\ud800x"}]}`))
	f.Fuzz(func(t *testing.T, stamp, host, path, user, token, note, scope string, flag bool, secs int64, raw []byte) {
		when := time.Unix(secs%(1<<34), 0).UTC()
		snap := Snapshot{Stamp: stamp, Entries: []credential.Entry{{
			Target: credential.Target{Host: host, Path: path, Username: user, HasUsername: flag},
			Token:  token, Note: note, AllowHTTP: flag, Added: when, Expires: when, Scopes: []string{scope},
		}}}
		body, err := json.Marshal(snap)
		if err != nil {
			t.Skip()
		}
		var want Snapshot
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatal(err)
		}
		got, err := DecodeSnapshot(body)
		if err != nil || got.Stamp != want.Stamp || !sameEntries(got.Entries, want.Entries) {
			t.Fatalf("DecodeSnapshot(%s) = %+v, %v\nwant %+v", body, got, err, want)
		}
		// Arbitrary input: no panic, and agreement wherever both accept.
		var std Snapshot
		stdErr := json.Unmarshal(raw, &std)
		ours, err := DecodeSnapshot(raw)
		if err == nil && stdErr == nil && (ours.Stamp != std.Stamp || !sameEntries(ours.Entries, std.Entries)) {
			t.Fatalf("on %q: DecodeSnapshot = %+v; json.Unmarshal = %+v", raw, ours, std)
		}
	})
}

// Every field of credential.Entry has its name in entryKeys, so a field
// added later is not silently dropped by the front.
func TestDecodeKnowsEveryEntryField(t *testing.T) {
	var names []string
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		for f := range ty.Fields() {
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			names = append(names, name)
		}
	}
	walk(reflect.TypeFor[credential.Entry]())
	if !slices.Equal(names, entryKeys) {
		t.Fatalf("credential.Entry's JSON names are %q; entryKeys has %q", names, entryKeys)
	}
}

// FuzzDecodeDescription checks the daemon's description decoder against
// encoding/json, which the full program encodes descriptions with.
func FuzzDecodeDescription(f *testing.F) {
	f.Add("github.com/acme", "github.com", int64(1800000000), 12, 300, []byte(`[{"target":"t","at":1,"len":-2,"x":{"y":[1.5e3]}}]`))
	f.Add("a\"\\\u2028\xff", "", int64(-1), 0, 0, []byte(`[{"AT":01},{"len":1.0},{"at":+1},{"at":1e2},null,{"host":null}]`))
	f.Fuzz(func(t *testing.T, target, host string, secs int64, at, length int, raw []byte) {
		in := []DescribedEntry{{Target: target, TokenExpires: time.Unix(secs%(1<<34), 0).UTC(), Host: host, At: at, Len: length}, {}}
		meta, err := json.Marshal(in)
		if err != nil {
			t.Skip()
		}
		var want []DescribedEntry
		if err := json.Unmarshal(meta, &want); err != nil {
			t.Fatal(err)
		}
		got, err := DecodeDescription(meta)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("DecodeDescription(%s) = %+v, %v\nwant %+v", meta, got, err, want)
		}
		// Arbitrary input: no panic, and agreement wherever both accept.
		var std []DescribedEntry
		stdErr := json.Unmarshal(raw, &std)
		ours, err := DecodeDescription(raw)
		if err == nil && stdErr == nil && !reflect.DeepEqual(ours, std) {
			t.Fatalf("on %q: DecodeDescription = %+v; json.Unmarshal = %+v", raw, ours, std)
		}
		if stdErr == nil && err != nil && !bytes.Contains(bytes.ToLower(raw), []byte(`token_expires`)) {
			t.Fatalf("on %q: DecodeDescription refused what json.Unmarshal accepts: %v", raw, err)
		}
	})
}
