package credential

import "testing"

// TestSplitURL pins git's rule (credential_from_url in git's credential.c),
// where it differs from RFC 3986 parsing too.
func TestSplitURL(t *testing.T) {
	tests := []struct {
		in   string
		want URLParts
		ok   bool
	}{
		{"https://github.com", URLParts{Protocol: "https", Host: "github.com"}, true},
		{"https://github.com/", URLParts{Protocol: "https", Host: "github.com"}, true},
		{"HTTPS://github.com//acme/repo.git//", URLParts{Protocol: "https", Host: "github.com", Path: "acme/repo.git"}, true},
		{"https://bob@github.com/acme", URLParts{Protocol: "https", Host: "github.com", Path: "acme", Username: "bob", HasUsername: true}, true},
		{"https://bob:pw@example.com:8443/a", URLParts{Protocol: "https", Host: "example.com:8443", Path: "a", Username: "bob", Password: "pw", HasUsername: true, HasPassword: true}, true},
		{"https://bob:@h", URLParts{Protocol: "https", Host: "h", Username: "bob", HasUsername: true, HasPassword: true}, true},
		// The first "@" ends the user part, as in git; an "@" after the
		// first slash belongs to the path.
		{"https://a@b@h/p", URLParts{Protocol: "https", Host: "b@h", Path: "p", Username: "a", HasUsername: true}, true},
		{"https://h/p@q", URLParts{Protocol: "https", Host: "h", Path: "p@q"}, true},
		// A colon after the "@" is the port's, not a password's.
		{"https://bob@h:1/p", URLParts{Protocol: "https", Host: "h:1", Path: "p", Username: "bob", HasUsername: true}, true},
		// Every part but the protocol is percent-decoded; a stray "%" stays.
		{"https://b%40b:p%3Aw@h%2Ecom/caf%C3%A9/%2", URLParts{Protocol: "https", Host: "h.com", Path: "café/%2", Username: "b@b", Password: "p:w", HasUsername: true, HasPassword: true}, true},
		// A query is not split off: git does not.
		{"https://h/p?x=1", URLParts{Protocol: "https", Host: "h", Path: "p?x=1"}, true},
		{"https://", URLParts{Protocol: "https"}, true},
		{"://h", URLParts{}, false},
		{"github.com/acme", URLParts{}, false},
	}
	for _, tt := range tests {
		got, ok := SplitURL(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("SplitURL(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestHostValid(t *testing.T) {
	for host, want := range map[string]bool{
		"github.com":           true,
		"GitHub.com:443":       true,
		"git.example.com:8443": true,
		"host:":                true,
		"[::1]":                true,
		"[::1]:8443":           true,
		"bücher.example":       true,
		"":                     false,
		":443":                 false,
		"[]":                   false,
		"exa mple.com":         false,
		"b@h":                  false,
		"h:bad":                false,
		"h:44 3":               false,
		"[::1":                 false,
		"[::1]x":               false,
		"[::g]":                false,
		"h\x00":                false,
		"h/p":                  false,
		"0\x80":                false, // invalid UTF-8: a JSON file would keep U+FFFD instead
		"0\u0085":              false, // a C1 control, printed raw by older versions
		"h\u009b2J":            false,
		"h\u202egro.buhtig":    false, // a bidirectional override: no name in any script holds one
	} {
		if got := HostValid(host); got != want {
			t.Errorf("HostValid(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestSchemeValid(t *testing.T) {
	for scheme, want := range map[string]bool{
		"https": true, "HTTP": true, "git+ssh": true, "a1.-": true,
		"": false, "1http": false, "ht tp": false, "a\nb": false, "+x": false, "caf\u00e9": false,
	} {
		if got := schemeValid(scheme); got != want {
			t.Errorf("schemeValid(%q) = %v, want %v", scheme, got, want)
		}
	}
}

func TestPercentDecode(t *testing.T) {
	for in, want := range map[string]string{
		"":          "",
		"plain":     "plain",
		"%41%62c":   "Abc",
		"%0a%0D%00": "\n\r\x00",
		"100%":      "100%",
		"%zz%4":     "%zz%4",
		"a+b":       "a+b", // not a space: git does not decode "+"
	} {
		if got := percentDecode(in); got != want {
			t.Errorf("percentDecode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitHostPort(t *testing.T) {
	tests := []struct {
		host, name, port string
		ok               bool
	}{
		{"github.com", "github.com", "", true},
		{"github.com:8443", "github.com", "8443", true},
		{"[::1]", "::1", "", true},
		{"[::1]:8443", "::1", "8443", true},
		{"[::1", "[::1", "", false},
		{"[::1]x", "::1", "", false},
		{"h:", "h", "", true},
	}
	for _, tt := range tests {
		name, port, ok := SplitHostPort(tt.host)
		if name != tt.name || port != tt.port || ok != tt.ok {
			t.Errorf("SplitHostPort(%q) = %q, %q, %v; want %q, %q, %v", tt.host, name, port, ok, tt.name, tt.port, tt.ok)
		}
	}
}
