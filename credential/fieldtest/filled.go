package fieldtest

import (
	"reflect"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// Filled is an entry with every field of credential.Fields set, through
// the table: strings that name their key, true, times an hour apart after
// now with nanoseconds, two values of a list, and expires as the expiry.
// It fails t when a field of credential.Entry is still zero, so that a
// codec's round trip over it covers a field added to Entry, or fails.
func Filled(t testing.TB, expires credential.Expiry, now time.Time) credential.Entry {
	t.Helper()
	var e credential.Entry
	for i := range credential.Fields {
		FillField(t, &credential.Fields[i], &e, expires, now.Add(time.Duration(i)*time.Hour+time.Duration(i)))
	}
	if zero := Zero(e); len(zero) > 0 {
		t.Fatalf("credential.Fields sets no value in Entry.%v: add a field to the table for each", zero)
	}
	return e
}

// Zero names the fields of e (by their Go path, found by reflection, so a
// field added later counts too) that hold their zero value.
func Zero(e credential.Entry) []string {
	var zero []string
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		for i := 0; i < v.NumField(); i++ {
			f, sf := v.Field(i), v.Type().Field(i)
			switch {
			case sf.Anonymous && f.Kind() == reflect.Struct:
				walk(f, path+sf.Name+".")
			case f.IsZero():
				zero = append(zero, path+sf.Name)
			}
		}
	}
	walk(reflect.ValueOf(e), "")
	return zero
}

// FillField sets f of e as Filled does, its time (if it is one) at.
func FillField(t testing.TB, f *credential.Field, e *credential.Entry, expires credential.Expiry, at time.Time) {
	t.Helper()
	switch f.Type {
	case credential.FieldString:
		*f.Str(e) = f.Key + "-value" // a host name, too
		if f.Has != nil {
			*f.Has(e) = true
		}
	case credential.FieldBool:
		*f.Bool(e) = true
	case credential.FieldTime:
		*f.Time(e) = at
	case credential.FieldExpiry:
		*f.Exp(e) = expires
	case credential.FieldStrings:
		*f.List(e) = []string{f.Key + "-1", f.Key + "-2"}
	default:
		t.Fatalf("credential.Fields %q has a type this helper cannot fill (%d): teach it, and every codec", f.Key, f.Type)
	}
}
