package cache

import (
	"reflect"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// TestEntryLinesKeepEveryField fills every field of credential.Entry, found
// by reflection so that a field added later is covered too, and checks the
// lines between the full program and the daemon give it back unchanged.
func TestEntryLinesKeepEveryField(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for name, expires := range map[string]time.Time{
		"expiry in RFC 3339":    time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC),
		"expiry past year 9999": time.Unix(300000000000, 0).UTC(),
	} {
		t.Run(name, func(t *testing.T) {
			e, filled := filledEntry(t, expires, now)
			b, err := AppendEntries(nil, []credential.Entry{e}, now)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseEntries(b, false)
			if err != nil {
				t.Fatalf("ParseEntries: %v\n%s", err, b)
			}
			if len(got) != 1 || !reflect.DeepEqual(got[0], e) {
				t.Errorf("%d fields through the lines:\n%s\ngave %+v\nwant %+v", filled, b, got, e)
			}
		})
	}
}

// filledEntry is an entry with every field set, found by reflection, so
// that a field added later is covered too: expires as its expiry, times
// after now, strings that name their field. filled counts the fields.
func filledEntry(t *testing.T, expires, now time.Time) (e credential.Entry, filled int) {
	t.Helper()
	v := reflect.ValueOf(&e).Elem()
	var fill func(v reflect.Value, path string)
	fill = func(v reflect.Value, path string) {
		for i := 0; i < v.NumField(); i++ {
			f, sf := v.Field(i), v.Type().Field(i)
			switch {
			case sf.Type == reflect.TypeOf(credential.Expiry{}):
				f.Set(reflect.ValueOf(credential.ExpiryAt(expires)))
			case sf.Type == reflect.TypeOf(time.Time{}):
				f.Set(reflect.ValueOf(now.Add(time.Duration(i) * time.Hour)))
			case f.Kind() == reflect.Struct:
				fill(f, path+sf.Name+".")
				continue
			case f.Kind() == reflect.String:
				f.SetString(sf.Name + "-value")
			case f.Kind() == reflect.Bool:
				f.SetBool(true)
			case f.Kind() == reflect.Slice && sf.Type.Elem().Kind() == reflect.String:
				f.Set(reflect.ValueOf([]string{sf.Name + "-1", sf.Name + "-2"}))
			default:
				t.Fatalf("%s%s has a kind this test cannot fill (%s): teach it, and entries.go", path, sf.Name, f.Kind())
			}
			filled++
		}
	}
	fill(v, "")
	return e, filled
}
