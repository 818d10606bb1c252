package cache

import (
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/credential/fieldtest"
)

// TestEntryLinesKeepEveryField fills every field of credential.Entry
// through credential.Fields (fieldtest.Filled fails when a field of Entry
// is not in the table) and checks the lines between the full program and
// the daemon give it back unchanged.
func TestEntryLinesKeepEveryField(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for name, expires := range map[string]credential.Expiry{
		"expiry in RFC 3339":    credential.ExpiryAt(time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)),
		"expiry past year 9999": credential.ExpiryAt(time.Unix(300000000000, 0).UTC()),
		"never expires":         credential.ExpiryNever,
	} {
		t.Run(name, func(t *testing.T) {
			e := fieldtest.Filled(t, expires, now)
			b, err := AppendEntries(nil, []credential.Entry{e}, now)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseEntries(b, false)
			if err != nil {
				t.Fatalf("ParseEntries: %v\n%s", err, b)
			}
			if len(got) != 1 || !reflect.DeepEqual(got[0], e) {
				t.Errorf("through the lines:\n%s\ngave %+v\nwant %+v", b, got, e)
			}
		})
	}
}

// TestEntryLinesReadEarlierLines reads entries as the release before the
// field table wrote them (testdata/entries-v1.txt, the fieldtest fixtures
// at fieldtest.FixtureNow): the same entries come back, and what this
// build writes of them reads back the same. Only one build's programs
// share the wire, so its order may change; its keys and values may not
// without changing the build.
func TestEntryLinesReadEarlierLines(t *testing.T) {
	old, err := os.ReadFile("testdata/entries-v1.txt")
	if err != nil {
		t.Fatal(err)
	}
	// The earlier build masked a token of no declared prefix whole, as
	// "****"; this one shows the last four characters of a long one.
	wantWithheld := func(masked func(string) string) []credential.Entry {
		want := fieldtest.Fixtures()
		for i, e := range want {
			if e.Expired(fieldtest.FixtureNow) {
				want[i].Token, want[i].OAuthRefreshToken, want[i].Credential = withheld(masked(e.Token)), "", ""
			}
		}
		return want
	}
	wantOld := wantWithheld(func(string) string { return "****" })
	for _, inPlace := range []bool{false, true} {
		got, err := ParseEntries(old, inPlace)
		if err != nil || !reflect.DeepEqual(got, wantOld) {
			t.Fatalf("ParseEntries(entries-v1.txt, %v) = %+v, %v;\nwant %+v", inPlace, got, err, wantOld)
		}
	}
	want := wantWithheld(credential.Masked)
	now, err := AppendEntries(nil, fieldtest.Fixtures(), fieldtest.FixtureNow)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ParseEntries(now, false); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("this build's lines read back as %+v, %v;\nwant %+v\nlines:\n%s", got, err, want, now)
	}
}

// filledEntry is fieldtest.Filled with a dated expiry.
func filledEntry(t *testing.T, expires, now time.Time) credential.Entry {
	t.Helper()
	return fieldtest.Filled(t, credential.ExpiryAt(expires), now)
}
