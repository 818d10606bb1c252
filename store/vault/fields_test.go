package vault

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/credential/fieldtest"
)

// TestVaultJSONKeepsEveryField fills every field of credential.Entry
// through credential.Fields (fieldtest.Filled fails when a field of Entry
// is not in the table) and checks the vault's JSON gives it back, under
// the keys the table names (credential.TestFieldsEachReachTheirOwn ties
// those to the struct tags).
func TestVaultJSONKeepsEveryField(t *testing.T) {
	e := fieldtest.Filled(t, credential.ExpiryAt(time.Date(2031, 2, 3, 4, 5, 6, 7, time.UTC)), time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var got credential.Entry
	if err := json.Unmarshal(data, &got); err != nil || !reflect.DeepEqual(got, e) {
		t.Fatalf("through JSON %s:\n%+v, %v;\nwant %+v", data, got, err, e)
	}
	var keys map[string]any
	if err := json.Unmarshal(data, &keys); err != nil {
		t.Fatal(err)
	}
	for _, f := range credential.Fields {
		if _, ok := keys[f.JSON]; !ok {
			t.Errorf("the vault writes no %q: %s", f.JSON, data)
		}
	}
}

// TestVaultJSONAsEarlierReleases holds the vault's entries to the JSON the
// release before the field table wrote for the fieldtest fixtures
// (testdata/entries-v1.json), both ways.
func TestVaultJSONAsEarlierReleases(t *testing.T) {
	old, err := os.ReadFile("testdata/entries-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	want := fieldtest.Fixtures()
	if now, err := json.Marshal(want); err != nil || string(now) != string(old) {
		t.Errorf("the entries are, %v\n%s\nthe earlier release wrote\n%s", err, now, old)
	}
	var got []credential.Entry
	if err := json.Unmarshal(old, &got); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("the earlier release's entries read as %+v, %v;\nwant %+v", got, err, want)
	}
}
