package github

import (
	"errors"
	"strings"
	"testing"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// Published example tokens whose checksums were computed by other
// implementations (see checksum.go): they pin the rule independently of
// Checksum itself.
const (
	publishedClassic       = "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"
	publishedClassicPadded = "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" // checksum starts with the padding "0"
	fineGrained            = "github_pat_11AAAAAAA0abcdefghijkl_" +
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"
)

func TestChecksumMatchesPublishedTokens(t *testing.T) {
	for _, token := range []string{
		publishedClassic,
		publishedClassicPadded,
		"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",
		"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",
		"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",
	} {
		if got, want := Checksum(token[4:34]), token[34:]; got != want {
			t.Errorf("Checksum(%s) = %s, want %s", token[4:34], got, want)
		}
	}
}

// withChecksum completes a prefix and 30 random characters into a token.
func withChecksum(prefixAndRandom string) string {
	if len(prefixAndRandom) != 34 {
		panic("withChecksum wants a prefix and 30 characters: " + prefixAndRandom)
	}
	return prefixAndRandom + Checksum(prefixAndRandom[4:])
}

// changeChar replaces the character at i with another letter or digit.
func changeChar(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

func TestCheckFormat(t *testing.T) {
	oauth := withChecksum("gho_16C7e42F292c6912E7710c838347Ae")
	tests := []struct {
		name  string
		token string
		kind  credential.Kind // the kind the token is taken for
		bad   string          // a word the FormatError must hold; "" when valid
	}{
		{"classic, published", publishedClassic, KindClassic, ""},
		{"classic, published, padded checksum", publishedClassicPadded, KindClassic, ""},
		{"oauth", oauth, KindOAuth, ""},
		{"user-to-server", withChecksum("ghu_abcdefghijklmnopqrstuvwxyz0123"), KindUserToServer, ""},
		{"server-to-server", withChecksum("ghs_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"), KindServerToServer, ""},
		{"refresh", withChecksum("ghr_012345678901234567890123456789"), KindRefresh, ""},
		{"server-to-server, stateless JWT format", "ghs_12345_eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjM0NSJ9.c2lnbmF0dXJl-_x", KindServerToServer, ""},
		{"fine-grained", fineGrained, KindFineGrained, ""},
		{"other forge's token", "glpat-abcdefghijklmnopqrst", KindOther, ""},
		{"password", "correct horse battery staple", KindOther, ""},

		{"classic, first random character changed", changeChar(publishedClassic, 4), KindClassic, "checksum"},
		{"classic, middle character changed", changeChar(publishedClassic, 20), KindClassic, "checksum"},
		{"classic, checksum character changed", changeChar(publishedClassic, 39), KindClassic, "checksum"},
		{"classic, two characters swapped", publishedClassic[:10] + publishedClassic[11:12] + publishedClassic[10:11] + publishedClassic[12:], KindClassic, "checksum"},
		{"classic, truncated by one", publishedClassic[:39], KindClassic, "cut short"},
		{"classic, truncated to half", publishedClassic[:20], KindClassic, "cut short"},
		{"classic, pasted twice", publishedClassic + publishedClassic, KindClassic, "extra"},
		{"classic, punctuation inside", publishedClassic[:10] + "-" + publishedClassic[11:], KindClassic, "letters and digits"},
		{"oauth, character changed", changeChar(oauth, 30), KindOAuth, "checksum"},
		{"server-to-server, truncated", withChecksum("ghs_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123")[:38], KindServerToServer, "cut short"},
		{"server-to-server, long with a space", "ghs_12345_" + strings.Repeat("a", 40) + " x", KindServerToServer, "characters other"},
		{"fine-grained, truncated", fineGrained[:92], KindFineGrained, "93"},
		{"fine-grained, separator moved", "github_pat_11AAAAAAA0abcdefghijk_l" + fineGrained[34:], KindFineGrained, "22 letters"},

		{"wrong prefix, unknown letter", "ghx_" + publishedClassic[4:], KindOther, "not a prefix"},
		{"wrong prefix, upper case", "GHP_" + publishedClassic[4:], KindOther, "lower case"},
		{"wrong prefix, fine-grained capitalized", "Github_pat_" + fineGrained[11:], KindOther, "lower case"},
		// The checksum covers only the random part, so a valid token with
		// another valid prefix cannot be caught offline; verify catches it.
		{"wrong prefix, another known kind", "gho_" + publishedClassic[4:], KindOAuth, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KindOf(tt.token); got != tt.kind {
				t.Fatalf("KindOf = %s, want %s", got, tt.kind)
			}
			err := CheckFormat(tt.token)
			if tt.bad == "" {
				if err != nil {
					t.Fatalf("CheckFormat = %v, want nil", err)
				}
				return
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("CheckFormat = %v, want a *FormatError", err)
			}
			if fe.Kind != tt.kind || !strings.Contains(err.Error(), tt.bad) {
				t.Errorf("CheckFormat = %q (kind %s), want kind %s and %q", err, fe.Kind, tt.kind, tt.bad)
			}
			if strings.Contains(err.Error(), tt.token) {
				t.Errorf("the error repeats the token: %q", err)
			}
		})
	}
}

// Every single-character change of a valid token is caught: CRC-32 detects
// all one-character errors in a message this short.
func TestCheckFormatCatchesEveryOneCharacterChange(t *testing.T) {
	for i := 4; i < len(publishedClassic); i++ {
		for _, c := range []byte(base62Alphabet) {
			if c == publishedClassic[i] {
				continue
			}
			typo := publishedClassic[:i] + string(c) + publishedClassic[i+1:]
			if CheckFormat(typo) == nil {
				t.Fatalf("changing position %d to %q went unnoticed", i, c)
			}
		}
	}
}

func BenchmarkCheckFormat(b *testing.B) {
	for b.Loop() {
		_ = CheckFormat(publishedClassic)
	}
}

func TestUnknownShape(t *testing.T) {
	tests := []struct {
		host, token string
		refused     bool
	}{
		{"github.com", "MyGitHubPassword1!", true},
		{"github.com", "correct-horse-battery-staple", true},
		{"acme.ghe.com", "hunter2", true},
		{"github.com", "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", false},
		{"github.com", "github_pat_11AAAAAAA0aaaaaaaaaaaa_b", false},      // a shape error, not this one
		{"github.com", "0123456789abcdef0123456789abcdef01234567", false}, // from before the prefixes
		{"github.com", "0123456789ABCDEF0123456789ABCDEF01234567", true},  // not hexadecimal as GitHub wrote it
		{"github.example.com", "MyGitHubPassword1!", false},               // GitHub Enterprise Server: not judged
		{"git.example.com", "MyGitHubPassword1!", false},                  // no forge
		{"github.com:8443", "MyGitHubPassword1!", true},                   // the host's name decides
	}
	for _, tc := range tests {
		err := UnknownShape(tc.host, tc.token)
		if (err != nil) != tc.refused {
			t.Errorf("UnknownShape(%q, %q) = %v, want refused %v", tc.host, tc.token, err, tc.refused)
		}
		if err != nil && strings.Contains(err.Error(), tc.token) {
			t.Errorf("UnknownShape(%q, ...) shows the value: %v", tc.host, err)
		}
	}
}
