package keyring

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/credential/fieldtest"
)

// TestKeyringKeepsEveryField fills every field of credential.Entry through
// credential.Fields (fieldtest.Filled fails when a field of Entry is not
// in the table): the entry comes back whole from its item and its index
// row, and the index holds none of the table's secret fields.
func TestKeyringKeepsEveryField(t *testing.T) {
	k, _ := testKeyring(t)
	e := fieldtest.Filled(t, credential.ExpiryAt(time.Date(2031, 2, 3, 4, 5, 6, 7, time.UTC)), time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	e.Host = "github.com" // a key the keyring names an item by
	if err := k.Add(e); err != nil {
		t.Fatal(err)
	}
	got, err := k.Get(e.Target)
	if err != nil || !reflect.DeepEqual(got, e) {
		t.Fatalf("Get = %+v, %v;\nwant %+v", got, err, e)
	}
	index, err := os.ReadFile(k.IndexPath())
	if err != nil {
		t.Fatal(err)
	}
	for i := range credential.Fields {
		f := &credential.Fields[i]
		if f.Secret && f.Type == credential.FieldString && strings.Contains(string(index), *f.Str(&e)) {
			t.Errorf("the index holds the secret %s:\n%s", f.Key, index)
		}
		if !f.Secret && !strings.Contains(string(index), fmt.Sprintf("%q:", f.JSON)) {
			t.Errorf("the index lacks %s:\n%s", f.JSON, index)
		}
	}
}

// TestKeyringLayoutAsEarlierReleases holds the keyring to what the release
// before the field table wrote for the fieldtest fixtures
// (testdata/entries-v1: each item's secret, and the index): the same
// secrets and index are written, and a keyring holding those reads back
// the same entries.
func TestKeyringLayoutAsEarlierReleases(t *testing.T) {
	dir := "testdata/entries-v1"
	k, mem := testKeyring(t)
	var rows []indexRow
	for i, e := range fieldtest.Fixtures() {
		old, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("%d.secret", i)))
		if err != nil {
			t.Fatal(err)
		}
		if now := secretOf(e); now != string(old) {
			t.Errorf("fixture %d: the secret is %q; the earlier release wrote %q", i, now, old)
		}
		rows = append(rows, rowOf(e))
		service, account := itemKey(e.Target)
		if err := mem.Set(service, account, string(old)); err != nil {
			t.Fatal(err)
		}
	}
	old, err := os.ReadFile(filepath.Join(dir, "keyring-index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if now, err := json.MarshalIndent(indexFile{keyringIndexFormat, rows}, "", "  "); err != nil || string(now) != string(old) {
		t.Errorf("the index is, %v\n%s\nthe earlier release wrote\n%s", err, now, old)
	}
	if err := os.MkdirAll(filepath.Dir(k.IndexPath()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(k.IndexPath(), old, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := k.List()
	if want := fieldtest.Fixtures(); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("List of the earlier keyring = %+v, %v;\nwant %+v", got, err, want)
	}
}
