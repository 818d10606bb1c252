package github

import (
	"errors"
	"fmt"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// FormatError says how a token differs from the format GitHub publishes for
// its kind: most likely a typo, a truncated paste or a token pasted twice.
type FormatError struct {
	Kind   credential.Kind
	Reason string
}

func (e *FormatError) Error() string {
	if e.Kind == KindOther {
		return "this looks like a GitHub token but " + e.Reason
	}
	return fmt.Sprintf("this does not look like a whole %s token: %s", e.Kind, e.Reason)
}

// Lengths GitHub issues today.
const (
	prefixedTokenLength = 40 // ghp_, gho_, ghu_, ghs_, ghr_: prefix, 30 random, 6 checksum
	fineGrainedLength   = 93 // github_pat_, 22 characters, "_", 59 characters
)

// CheckFormat reports, as a *FormatError, a token that does not have the
// shape GitHub publishes for its kind, or whose checksum does not match. It
// returns nil for a well-formed token and for tokens of no GitHub kind (a
// password, another forge's token), whose format is not known.
//
// Installation tokens (ghs_) are being replaced by a longer stateless format
// (ghs_APPID_JWT, about 520 characters with dots), so a ghs_ token longer
// than 40 characters is accepted on its character set alone.
func CheckFormat(token string) error {
	kind := KindOf(token)
	switch kind {
	case KindOther:
		return checkUnknownPrefix(token)
	case KindFineGrained:
		return checkFineGrained(token)
	}
	body := token[len(Prefix(kind)):]
	if kind == KindServerToServer && len(token) > prefixedTokenLength {
		if !onlyChars(body, isStatelessTokenChar) {
			return &FormatError{kind, "it holds characters other than letters, digits, '_', '-' and '.'"}
		}
		return nil
	}
	switch {
	case len(token) < prefixedTokenLength:
		return &FormatError{kind, fmt.Sprintf("it is %d characters long, and GitHub issues them with %d; it looks cut short", len(token), prefixedTokenLength)}
	case len(token) > prefixedTokenLength:
		return &FormatError{kind, fmt.Sprintf("it is %d characters long, and GitHub issues them with %d; something extra was pasted", len(token), prefixedTokenLength)}
	case !onlyChars(body, isBase62):
		return &FormatError{kind, "after " + Prefix(kind) + " it holds characters other than letters and digits"}
	}
	random, sum := body[:len(body)-checksumLength], body[len(body)-checksumLength:]
	if Checksum(random) != sum {
		return &FormatError{kind, "its last six characters are not the checksum of the rest, so a character was most likely mistyped"}
	}
	return nil
}

// legacyTokenLength is the length of the tokens GitHub issued before it
// gave them prefixes (April 2021): 40 hexadecimal characters. A classic
// token of then, created without an expiry, still works.
const legacyTokenLength = 40

// UnknownShape refuses, on github.com and GitHub Enterprise Cloud
// (*.ghe.com), a value that is no token: every kind GitHub issues has its
// prefix (ghp_, github_pat_, gho_, ghu_, ghs_, ghr_), the tokens from
// before the prefixes are 40 hexadecimal characters, and GitHub has taken
// no account password for git since August 2021. A GitHub Enterprise
// Server (any other host) may still take passwords and have tokens from
// before the prefixes: it is not judged.
func UnknownShape(host, token string) error {
	if !IsHost(host) || KindOf(token) != KindOther || isLegacyToken(token) {
		return nil
	}
	return errors.New("this is not a GitHub token, and GitHub has taken no password for git since August 2021: its tokens start with ghp_ (classic), github_pat_ (fine-grained), gho_, ghu_, ghs_ or ghr_")
}

func isLegacyToken(token string) bool {
	return len(token) == legacyTokenLength && onlyChars(token, func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' })
}

func checkFineGrained(token string) error {
	body := token[len(Prefix(KindFineGrained)):]
	first, second, found := strings.Cut(body, "_")
	switch {
	case len(token) != fineGrainedLength:
		return &FormatError{KindFineGrained, fmt.Sprintf("it is %d characters long, and GitHub issues them with %d", len(token), fineGrainedLength)}
	case !found || len(first) != 22 || !onlyChars(first, isBase62) || !onlyChars(second, isBase62):
		return &FormatError{KindFineGrained, "after github_pat_ it should be 22 letters or digits, '_', then 59 letters or digits"}
	}
	return nil
}

// checkUnknownPrefix catches a GitHub prefix spoiled by a typo: "ghx_",
// "GHP_", "Github_pat_". Anything else is not GitHub's and is not judged.
func checkUnknownPrefix(token string) error {
	lower := strings.ToLower(token)
	for _, p := range kindPrefixes {
		if strings.HasPrefix(lower, p.prefix) {
			return &FormatError{KindOther, fmt.Sprintf("its prefix %q should be %q, in lower case", token[:len(p.prefix)], p.prefix)}
		}
	}
	if len(token) >= 4 && strings.HasPrefix(lower, "gh") && token[3] == '_' && isBase62(token[2]) {
		return &FormatError{KindOther, fmt.Sprintf("%q is not a prefix GitHub uses (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)", token[:4])}
	}
	return nil
}

func onlyChars(s string, ok func(byte) bool) bool {
	for i := range len(s) {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isBase62(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}

func isStatelessTokenChar(c byte) bool {
	return isBase62(c) || c == '_' || c == '.' || c == '-'
}
