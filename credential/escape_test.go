package credential

import "testing"

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "",
		"github.com/acme":       "github.com/acme",
		`back\slash "quoted"`:   `back\slash "quoted"`,
		"café ☕ 日本":             "café ☕ 日本",
		"\x1b]0;evil\x07":       `\x1b]0;evil\a`,
		"a\tb\nc\rd\x00e\x7f":   `a\tb\nc\rd\x00e\x7f`,
		"csi\u009b31m":          `csi\u009b31m`,
		"rtl\u202eoverride":     `rtl\u202eoverride`,
		"bad\xff\xc3utf8":       `bad\xff\xc3utf8`,
		"replacement \ufffd ok": "replacement \ufffd ok",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q; want %q", in, got, want)
		}
	}
}

// The usual string, all printable, is returned without a copy.
func TestEscapeNoAlloc(t *testing.T) {
	s := "alice@github.com/acme/widgets"
	if n := testing.AllocsPerRun(100, func() { _ = Escape(s) }); n != 0 {
		t.Errorf("Escape of a printable string allocates %v times", n)
	}
}
