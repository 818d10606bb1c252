package store_test

import (
	"os"
	"strings"
	"testing"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// TestFormatListsEveryField holds FORMAT.md's table of an entry's fields
// to credential.Fields: one row per field, in the table's order, with its
// JSON, wire and pass keys, its type, and where the keyring keeps it.
func TestFormatListsEveryField(t *testing.T) {
	doc, err := os.ReadFile("FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "\n# An entry's fields\n")
	if !ok {
		t.Fatal(`FORMAT.md has no "# An entry's fields" section`)
	}
	var rows [][]string
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| Field |") {
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
			cells = append(cells, strings.TrimSpace(c))
		}
		rows = append(rows, cells)
	}
	if len(rows) != len(credential.Fields) {
		t.Errorf("FORMAT.md lists %d fields; credential.Fields has %d", len(rows), len(credential.Fields))
	}
	types := map[credential.FieldType]string{
		credential.FieldString: "string", credential.FieldBool: "yes/no", credential.FieldTime: "time",
		credential.FieldExpiry: "expiry", credential.FieldStrings: "list",
	}
	code := func(s string) string { return "`" + s + "`" }
	secret := 0
	for i, f := range credential.Fields {
		if i >= len(rows) || len(rows[i]) != 6 {
			t.Errorf("FORMAT.md has no row %d, for %s, of six cells", i+1, f.Key)
			continue
		}
		row := rows[i]
		pass := code(f.Pass)
		if f.Pass == "" {
			pass = "the first line"
		}
		keyring := "index"
		if f.Secret {
			secret++
			keyring = "secret, line " + string(rune('0'+secret))
		}
		if !strings.HasPrefix(row[1], code(f.JSON)) || row[2] != code(f.Key) || row[3] != pass ||
			!strings.HasPrefix(row[4], types[f.Type]) || row[5] != keyring {
			t.Errorf("FORMAT.md's row %d is %q; want JSON %s, wire %s, pass %s, type %s, keyring %s",
				i+1, row, code(f.JSON), code(f.Key), pass, types[f.Type], keyring)
		}
	}
}
