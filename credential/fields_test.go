package credential_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/credential/fieldtest"
)

// setEveryGoField sets every field of an Entry by reflection, whatever
// the table says, so that a field added to Entry is set too.
func setEveryGoField(t *testing.T) credential.Entry {
	var e credential.Entry
	var fill func(v reflect.Value, path string)
	fill = func(v reflect.Value, path string) {
		for i := 0; i < v.NumField(); i++ {
			f, sf := v.Field(i), v.Type().Field(i)
			switch {
			case sf.Type == reflect.TypeOf(credential.Expiry{}):
				f.Set(reflect.ValueOf(credential.ExpiryNever))
			case sf.Type == reflect.TypeOf(time.Time{}):
				f.Set(reflect.ValueOf(time.Date(2031, 2, 3, 4, 5, 6, 7, time.UTC)))
			case sf.Anonymous && f.Kind() == reflect.Struct:
				fill(f, path+sf.Name+".")
			case f.Kind() == reflect.String:
				f.SetString(sf.Name)
			case f.Kind() == reflect.Bool:
				f.SetBool(true)
			case f.Kind() == reflect.Slice && sf.Type.Elem().Kind() == reflect.String:
				f.Set(reflect.ValueOf([]string{sf.Name}))
			default:
				t.Fatalf("Entry.%s%s is of a kind (%s) no codec writes: give credential.FieldType a type for it, and teach every codec and this test", path, sf.Name, f.Kind())
			}
		}
	}
	fill(reflect.ValueOf(&e).Elem(), "")
	if zero := fieldtest.Zero(e); len(zero) > 0 {
		t.Fatalf("left zero: %v", zero)
	}
	return e
}

// TestFieldsReachEveryField fails when a field of credential.Entry is
// missing from credential.Fields: clearing every field of the table must
// leave nothing set. Since the wire, pass and the keyring walk the table,
// a field it reaches is kept by all of them.
func TestFieldsReachEveryField(t *testing.T) {
	e := setEveryGoField(t)
	for i := range credential.Fields {
		credential.Fields[i].Clear(&e)
	}
	if !reflect.DeepEqual(e, credential.Entry{}) {
		var left []string
		all := fieldtest.Zero(credential.Entry{})
		for _, name := range all {
			if !slices.Contains(fieldtest.Zero(e), name) {
				left = append(left, name)
			}
		}
		t.Fatalf("credential.Fields reaches no field for Entry.%v: add a row for each (the cache wire, pass and the keyring follow the table)", left)
	}
}

// TestFieldsEachReachTheirOwn checks that each row sets what it says, and
// no other row's field: the Go fields a row sets carry its JSON key as
// their tag (and "has_" + JSON for the presence of a string that may be
// empty), so the table and the vault's JSON name a field alike.
func TestFieldsEachReachTheirOwn(t *testing.T) {
	reached := map[string]string{}
	for i := range credential.Fields {
		f := &credential.Fields[i]
		var e credential.Entry
		fieldtest.FillField(t, f, &e, credential.ExpiryNever, time.Date(2031, 2, 3, 4, 5, 6, 7, time.UTC))
		if !f.Written(&e) {
			t.Errorf("%s: set, but not Written", f.Key)
		}
		want := []string{f.JSON}
		if f.Has != nil {
			want = append(want, "has_"+f.JSON)
		}
		var tags []string
		for _, name := range setNames(e) {
			if other, ok := reached[name]; ok {
				t.Errorf("%s and %s both set Entry.%s", other, f.Key, name)
			}
			reached[name] = f.Key
			tags = append(tags, jsonTag(t, name))
		}
		if !slices.Equal(tags, want) {
			t.Errorf("%s sets fields tagged %q, want %q", f.Key, tags, want)
		}
		f.Clear(&e)
		if !reflect.DeepEqual(e, credential.Entry{}) {
			t.Errorf("%s: Clear leaves %+v", f.Key, e)
		}
	}
}

// setNames are the Go paths of the fields of e that are not zero.
func setNames(e credential.Entry) []string {
	var set []string
	zero := fieldtest.Zero(e)
	for _, name := range fieldtest.Zero(credential.Entry{}) {
		if !slices.Contains(zero, name) {
			set = append(set, name)
		}
	}
	return set
}

// jsonTag is the name in the json tag of the field of Entry at path.
func jsonTag(t *testing.T, path string) string {
	typ := reflect.TypeOf(credential.Entry{})
	var sf reflect.StructField
	for _, name := range strings.Split(path, ".") {
		var ok bool
		if sf, ok = typ.FieldByName(name); !ok {
			t.Fatalf("no field %s", path)
		}
		typ = sf.Type
	}
	name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
	return name
}

// TestFieldsKeys checks what the codecs count on: one accessor, of the
// row's type; keys that are unique in each format and fit its lines; and
// secrets that are strings, as a keyring item's lines are.
func TestFieldsKeys(t *testing.T) {
	wire, pass := map[string]bool{}, map[string]bool{}
	for i := range credential.Fields {
		f := &credential.Fields[i]
		accessors := map[credential.FieldType]bool{
			credential.FieldString:  f.Str != nil,
			credential.FieldBool:    f.Bool != nil,
			credential.FieldTime:    f.Time != nil,
			credential.FieldExpiry:  f.Exp != nil,
			credential.FieldStrings: f.List != nil,
		}
		for typ, set := range accessors {
			if set != (typ == f.Type) {
				t.Errorf("%s: the accessor of type %d is set: %v; the row's type is %d", f.Key, typ, set, f.Type)
			}
		}
		if f.Has != nil && f.Type != credential.FieldString {
			t.Errorf("%s: Has on a field that is not a string", f.Key)
		}
		if f.Secret && f.Type != credential.FieldString {
			t.Errorf("%s: a secret that is not a string cannot be a line of a keyring item", f.Key)
		}
		// "entry" opens an entry on the wire, "withheld" stands for the
		// token there.
		if f.Key == "" || f.Key == "entry" || f.Key == "withheld" || strings.ContainsAny(f.Key, "=\n") || wire[f.Key] {
			t.Errorf("wire key %q is empty, reserved, taken or breaks a line", f.Key)
		}
		wire[f.Key] = true
		if f.Pass == "" && i != 0 {
			t.Errorf("%s: only the first row, the token, is a pass entry's first line", f.Key)
		}
		if f.Pass != "" && (strings.ContainsAny(f.Pass, ":\n") || pass[f.Pass]) {
			t.Errorf("pass key %q is taken or breaks a line", f.Pass)
		}
		pass[f.Pass] = true
	}
	if credential.Fields[0].Pass != "" || *credential.Fields[0].Str(&credential.Entry{Token: "t"}) != "t" {
		t.Error("the first row is not the token")
	}
}
