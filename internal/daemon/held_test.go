package daemon

import (
	"reflect"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/credential/fieldtest"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// FuzzIndexedReader feeds entry bodies to the daemon's indexed reader
// (holdEntries, then forHost for one host) and to cache.ParseEntries over
// the whole body: both take or refuse a body alike, and for every host the
// index answers with exactly the entries of that host the full parser
// reads, in their order, and with none for a host no entry names. A get
// answered from the index must never see another entry than a full read
// would.
func FuzzIndexedReader(f *testing.F) {
	now := fieldtest.FixtureNow
	entries := append(fieldtest.Fixtures(), fieldtest.Filled(f, credential.ExpiryNever, now))
	body, err := cache.AppendEntries(nil, entries, now)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(body)
	for _, seed := range []string{
		"",
		"entry=\n",
		"entry=\nhost=b\npassword=1\nentry=\nhost=a\npassword=2\nentry=\nhost=b\npassword=3\n",
		"entry=\nhost=a\nhost=\n",
		"entry=\nhost=\nhost=a",
		"entry=x\nhost=a\nentry=\nhost=a\n",
		"entry=\nnote=host=b\nhost=a\n",
		"entry=\nwithheld=ghp_****1234\nhost=a\nexpires=never\n",
		"host=a\nentry=\n",
		"entry=\nhost=a\nadded=yesterday\n",
		"entry=\r\nhost=a\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		all, err := cache.ParseEntries(body, false)
		held, heldErr := holdEntries(&lockedBuf{b: body}, "")
		if (err == nil) != (heldErr == nil) {
			t.Fatalf("ParseEntries: %v; the index: %v\n%q", err, heldErr, body)
		}
		if err != nil {
			return
		}
		hosts := map[string]bool{"absent.example": true}
		for _, e := range all {
			hosts[e.Host] = true
		}
		found := 0
		for host := range hosts {
			var want []credential.Entry
			for _, e := range all {
				if e.Host == host {
					want = append(want, e)
				}
			}
			got := held.forHost(host)
			found += len(got)
			if len(got) != len(want) || len(want) > 0 && !reflect.DeepEqual(got, want) {
				t.Fatalf("host %q: the index gives\n%s\nParseEntries\n%s\nof %q", host, lines(got), lines(want), body)
			}
		}
		if found != len(all) {
			t.Fatalf("the index finds %d entries by their hosts; ParseEntries reads %d\nof %q", found, len(all), body)
		}
	})
}

// lines shows entries field by field (an Entry prints as its target).
func lines(entries []credential.Entry) string {
	b, err := cache.AppendEntries(nil, entries, time.Time{})
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// The index answers a host's entries from a large body as ParseEntries
// does, once the spans are sorted by host.
func TestIndexedReaderManyHosts(t *testing.T) {
	var entries []credential.Entry
	for i := range 300 {
		entries = append(entries, credential.Entry{
			Target: credential.Target{Host: []string{"b.example", "a.example", "c.example"}[i%3], Path: string(rune('a' + i%26))},
			Token:  "t", Added: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC),
		})
	}
	body, err := cache.AppendEntries(nil, entries, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	held, err := holdEntries(&lockedBuf{b: body}, "")
	if err != nil {
		t.Fatal(err)
	}
	got := held.forHost("a.example")
	var want []credential.Entry
	for _, e := range entries {
		if e.Host == "a.example" {
			want = append(want, e)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("forHost gives %d entries, want %d in their order", len(got), len(want))
	}
}
