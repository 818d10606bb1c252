package pass

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/credential/fieldtest"
)

func TestEncodeTable(t *testing.T) {
	day := time.Date(2031, 2, 3, 23, 59, 59, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		entry credential.Entry
		want  string
	}{
		{"host only", credential.Entry{Target: credential.Target{Host: "github.com"}, Token: "ghp_x"},
			"ghp_x\nhost: github.com\n"},
		{"owner, user, kind, expiry", credential.Entry{
			Target: credential.Target{Host: "github.com", Path: "Acme", Username: "alice", HasUsername: true},
			Token:  "github_pat_y", Kind: "fine-grained", Expires: credential.ExpiryAt(day)},
			"github_pat_y\nusername: alice\nhost: github.com\npath: Acme\nkind: fine-grained\nexpires: 2031-02-03T23:59:59Z\n"},
		{"empty user name is kept apart from none", credential.Entry{
			Target: credential.Target{Host: "h", HasUsername: true}, Token: "t"},
			"t\nusername:\nhost: h\n"},
		{"note with spaces around, scopes one a line, http, account", credential.Entry{
			Target: credential.Target{Host: "h:8080"}, Token: "t", Note: " two  words ", AllowHTTP: true,
			Login: "octocat", Scopes: []string{"repo", "read:org"}},
			"t\nhost: h:8080\nnote:  two  words \nallow_http: true\naccount: octocat\nscope: repo\nscope: read:org\n"},
		{"times are written in UTC", credential.Entry{
			Target: credential.Target{Host: "h"}, Token: "t",
			Added: time.Date(2030, 1, 1, 1, 0, 0, 5, time.FixedZone("CET", 3600))},
			"t\nhost: h\nadded: 2030-01-01T00:00:00.000000005Z\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := encode(tc.entry)
			if err != nil || string(got) != tc.want {
				t.Fatalf("encode = %q, %v; want %q", got, err, tc.want)
			}
			back, err := decode(got, credential.Target{Host: "elsewhere"})
			if err != nil || !back.Target.Same(tc.entry.Target) || back.Token != tc.entry.Token ||
				!back.Added.Equal(tc.entry.Added) || back.Note != tc.entry.Note {
				t.Fatalf("decode(encode) = %+v, %v; want %+v", back, err, tc.entry)
			}
		})
	}
}

func TestEncodeRefusesLineBreaks(t *testing.T) {
	for _, e := range []credential.Entry{
		{Target: credential.Target{Host: "h"}, Token: "t\nhost: evil"},
		{Target: credential.Target{Host: "h"}, Token: "t", Note: "a\rb"},
		{Target: credential.Target{Host: "h"}, Token: "t", Scopes: []string{"repo\nx"}},
	} {
		if got, err := encode(e); err == nil {
			t.Errorf("encode(%+v) = %q, want an error", e, got)
		}
	}
}

// TestEncodeKeepsEveryField fills every field of credential.Entry through
// credential.Fields (fieldtest.Filled fails when a field of Entry is not in
// the table) and checks a pass entry keeps it.
func TestEncodeKeepsEveryField(t *testing.T) {
	for name, expires := range map[string]credential.Expiry{
		"expiry in RFC 3339":    credential.ExpiryAt(time.Date(2031, 2, 3, 4, 5, 6, 7, time.UTC)),
		"expiry past year 9999": credential.ExpiryAt(time.Unix(300000000000, 0).UTC()),
		"never expires":         credential.ExpiryNever,
	} {
		t.Run(name, func(t *testing.T) {
			e := fieldtest.Filled(t, expires, time.Date(2031, 2, 3, 4, 5, 6, 7, time.UTC))
			data, err := encode(e)
			if err != nil {
				t.Fatal(err)
			}
			if first, _, _ := strings.Cut(string(data), "\n"); first != e.Token {
				t.Fatalf("the first line is %q, not the token", first)
			}
			got, err := decode(data, credential.Target{Host: "elsewhere"})
			if err != nil || !reflect.DeepEqual(got, e) {
				t.Fatalf("decode(encode(e)) = %+v, %v;\nwant %+v\nfrom:\n%s", got, err, e, data)
			}
		})
	}
}

// TestEncodeAsEarlierReleases holds encode to the bytes the release
// before the field table wrote for the fieldtest fixtures
// (testdata/entries-v1), and decode to read them back: pass stores read as
// they did, and a rewrite changes no line a person or a pass tool reads.
func TestEncodeAsEarlierReleases(t *testing.T) {
	for i, e := range fieldtest.Fixtures() {
		old, err := os.ReadFile(fmt.Sprintf("testdata/entries-v1/%d.txt", i))
		if err != nil {
			t.Fatal(err)
		}
		if now, err := encode(e); err != nil || string(now) != string(old) {
			t.Errorf("fixture %d: encode = %v\n%s\nthe earlier release wrote\n%s", i, err, now, old)
		}
		if got, err := decode(old, credential.Target{Host: "elsewhere"}); err != nil || !reflect.DeepEqual(got, e) {
			t.Errorf("fixture %d: decode = %+v, %v;\nwant %+v", i, got, err, e)
		}
	}
}

func TestDecodeHandWritten(t *testing.T) {
	named := credential.Target{Host: "github.com", Path: "acme"}
	got, err := decode([]byte("ghp_hand\n\nurl: https://github.com\nnote: mine\n"), named)
	if err != nil || got.Target != named || got.Token != "ghp_hand" || got.Note != "mine" {
		t.Fatalf("decode = %+v, %v", got, err)
	}
	if _, err := decode([]byte("t\nnot a pair\n"), named); err == nil {
		t.Fatal("decode took a line without a colon")
	}
	if _, err := decode([]byte("t\nexpires: soon\n"), named); err == nil {
		t.Fatal("decode took an expiry that is not a time")
	}
}

// A pass entry is a file anyone may edit: a field that would drive the
// terminal where a command prints it, or a host that is not one, is
// refused where it is read, and the refusal itself prints escaped.
func TestDecodeRefusesWhatCannotBePrinted(t *testing.T) {
	named := credential.Target{Host: "github.com"}
	for _, line := range []string{
		"kind: \x1b]0;evil\x07",
		"account: \x1b[2J",
		"username: bob\u009bx",
		"note: a\x00b",
		"scope: repo\x7f",
		"forge: \xff",
		"path: acme\x1b[2J",
		"host: github.com\x1b]0;x\x07",
		"host: 0\x80",
		"host: git\u202ehub.com",
		"host: a b",
	} {
		_, err := decode([]byte("ghp_x\n"+line+"\n"), named)
		if err == nil {
			t.Errorf("decode took %q", line)
			continue
		}
		if !credential.Printable(err.Error()) || strings.ContainsRune(err.Error(), '\u202e') {
			t.Errorf("decode(%q) refused with %q, which does not print as it is", line, err)
		}
	}
	// Lines of keys it does not know stay ignored, whatever they hold.
	if _, err := decode([]byte("ghp_x\nmine: \x1b[2J\n"), named); err != nil {
		t.Errorf("decode refused an unknown key's line: %v", err)
	}
	if _, err := targetOf("0%80"); err == nil {
		t.Error("targetOf took a name whose host is not valid UTF-8")
	}
}

// FuzzDecode checks that whatever a pass entry holds, what decode accepts
// has a host HostValid takes (when the entry names one) and fields that
// print as they are.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		"ghp_x\nhost: github.com\n",
		"github_pat_y\nusername: alice\nhost: github.com\npath: Acme\nkind: fine-grained\nexpires: 2031-02-03T23:59:59Z\n",
		"t\nhost: h:8080\nnote:  two  words \nallow_http: true\naccount: octocat\nscope: repo\nscope: read:org\n",
		"t\nkind: \x1b]0;x\x07\nhost: 0\x80\n",
		"t\r\n\nurl: https://github.com\r\nnote: mine\n",
	} {
		f.Add([]byte(seed))
	}
	named := credential.Target{Host: "github.com"}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := decode(data, named)
		if err != nil {
			return
		}
		if !credential.HostValid(e.Host) {
			t.Fatalf("decode(%q) took host %q", data, e.Host)
		}
		for i := range credential.Fields {
			f := &credential.Fields[i]
			if !f.Shown {
				continue
			}
			var values []string
			switch f.Type {
			case credential.FieldString:
				values = []string{*f.Str(&e)}
			case credential.FieldStrings:
				values = *f.List(&e)
			}
			for _, v := range values {
				if !credential.Printable(v) {
					t.Fatalf("decode(%q) took %s %q, which does not print as it is", data, f.Pass, v)
				}
			}
		}
	})
}

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		target credential.Target
		name   string
	}{
		{credential.Target{Host: "github.com"}, "github.com"},
		{credential.Target{Host: "github.com", Path: "Acme/Widgets"}, "github.com/acme/widgets"},
		{credential.Target{Host: "git.example:8443", Path: "a"}, "git.example:8443/a"},
		{credential.Target{Host: "github.com", Username: "Alice", HasUsername: true}, "%41lice@github.com"},
		{credential.Target{Host: "h", Username: "a@b/c", HasUsername: true}, "a%40b%2Fc@h"},
		{credential.Target{Host: "h", HasUsername: true}, "@h"},
		{credential.Target{Host: "h", Path: ".hidden/x y"}, "h/%2Ehidden/x%20y"},
		{credential.Target{Host: "gİthub.com"}, "g%C4%B0thub.com"},
	} {
		if got := nameOf(tc.target); got != tc.name {
			t.Errorf("nameOf(%+v) = %q, want %q", tc.target, got, tc.name)
		}
		back, err := targetOf(tc.name)
		if err != nil || !back.Same(tc.target) {
			t.Errorf("targetOf(%q) = %+v, %v; want %+v", tc.name, back, err, tc.target)
		}
	}
	// No two targets share a name, even where file systems fold case.
	a := nameOf(credential.Target{Host: "h", Username: "bob", HasUsername: true})
	b := nameOf(credential.Target{Host: "h", Username: "Bob", HasUsername: true})
	if strings.EqualFold(a, b) {
		t.Errorf("%q and %q fold to one name", a, b)
	}
}
