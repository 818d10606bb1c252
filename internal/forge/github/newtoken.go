package github

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

// The limits of GitHub's token creation page (see "Managing your personal
// access tokens", the section on pre-filling).
const (
	MaxTokenNameLength        = 40   // characters of a fine-grained token's name
	MaxTokenDescriptionLength = 1024 // characters of its description
	MaxExpiresInDays          = 366
	// ExpiresNever, as NewToken.ExpiresInDays, asks for a token that does
	// not expire (expires_in=none); the owner's policy may forbid it.
	ExpiresNever = -1
)

// NewToken is the token a person is about to create on the host's page:
// what the page's address fills in. It holds names and permissions only,
// never a token.
type NewToken struct {
	Host string // host[:port]
	// Classic asks for the classic token page (scopes) instead of the
	// fine-grained one (a resource owner and permissions).
	Classic bool
	// Owner is the fine-grained token's resource owner, a user or an
	// organization; empty leaves the page's default, the signed-in user.
	Owner string
	// Name is the fine-grained token's name, or the classic token's note
	// (the classic page has no other text field).
	Name string
	// Description is the fine-grained token's description.
	Description string
	// ExpiresInDays is the fine-grained token's lifetime: 1 to 366,
	// ExpiresNever, or 0 to leave the page's default (30 days).
	ExpiresInDays int
	// Permissions of a fine-grained token; a later one of the same name
	// replaces an earlier one.
	Permissions []Permission
	// Scopes of a classic token.
	Scopes []string
}

// Permission is one fine-grained permission and its level.
type Permission struct {
	Name  string // as the page's parameter calls it: contents, pull_requests, ...
	Level string // read, write or admin
}

func (p Permission) String() string { return p.Name + "=" + p.Level }

var (
	permissionName = regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	scopeName      = regexp.MustCompile(`^[a-z]+(_[a-z]+)*(:[a-z]+(_[a-z]+)*)?$`)
)

// reservedParameters are the page's other parameters, which a permission
// of the same name would overwrite.
var reservedParameters = []string{"name", "description", "target_name", "expires_in"}

// ParsePermission reads NAME=LEVEL, such as contents=write, and checks it.
func ParsePermission(s string) (Permission, error) {
	name, level, ok := strings.Cut(s, "=")
	if !ok {
		return Permission{}, fmt.Errorf("the permission %q is not of the form NAME=LEVEL, such as contents=write", s)
	}
	p := Permission{Name: strings.TrimSpace(name), Level: strings.TrimSpace(level)}
	return p, p.Check()
}

// Check refuses a permission the page would not take: an unknown level,
// metadata above read (it is read-only), workflows other than write (it
// has no other level). Names are checked for their shape only: GitHub adds
// permissions more often than this helper is released.
func (p Permission) Check() error {
	switch {
	case !permissionName.MatchString(p.Name):
		return fmt.Errorf("%q is not a permission name; they are lowercase words joined by _, such as contents or pull_requests", p.Name)
	case slices.Contains(reservedParameters, p.Name):
		return fmt.Errorf("%q is not a permission but another field of the page", p.Name)
	}
	switch p.Level {
	case "read", "write", "admin":
	default:
		return fmt.Errorf("the permission %s has the level %q; give read, write or admin (write includes read, admin includes write)", p.Name, p.Level)
	}
	switch {
	case p.Name == "metadata" && p.Level != "read":
		return errors.New("metadata is read-only: give metadata=read, or leave it out (every fine-grained token can read metadata)")
	case p.Name == "workflows" && p.Level != "write":
		return errors.New("workflows has only the level write: give workflows=write")
	}
	return nil
}

// CheckScope refuses what is not shaped like an OAuth scope (repo,
// read:org, admin:repo_hook).
func CheckScope(s string) error {
	if !scopeName.MatchString(s) {
		return fmt.Errorf("%q is not a scope; scopes are such as repo, workflow or read:org", s)
	}
	return nil
}

// FineGrainedTemplates reports whether host is known to pre-fill its
// fine-grained token page: github.com and GitHub Enterprise Cloud
// (*.ghe.com). GitHub Enterprise Server does not document it.
func FineGrainedTemplates(host string) bool {
	name := strings.ToLower(credential.HostName(host))
	return name == "github.com" || strings.HasSuffix(name, ".ghe.com")
}

// NewTokenURL is the address of host's page that creates the token t
// describes, filled in: https://HOST/settings/personal-access-tokens/new
// for a fine-grained token, https://HOST/settings/tokens/new for a classic
// one. It refuses what the page would cut short or reject, rather than
// open a page that differs from what the person asked for.
func NewTokenURL(t NewToken) (string, error) {
	if t.Host == "" || strings.ContainsAny(t.Host, "/?#@ ") {
		return "", fmt.Errorf("%q is not a host name", t.Host)
	}
	if n := utf8.RuneCountInString(t.Name); n > MaxTokenNameLength {
		return "", fmt.Errorf("the token name %q is %d characters long; GitHub takes at most %d", t.Name, n, MaxTokenNameLength)
	}
	q := url.Values{}
	if t.Classic {
		if t.Owner != "" || t.Description != "" || t.ExpiresInDays != 0 || len(t.Permissions) > 0 {
			return "", errors.New("the classic token page takes a note and scopes only: no owner, description, expiry or permissions")
		}
		if t.Name != "" {
			q.Set("description", t.Name)
		}
		scopes, err := forge.JoinScopes(t.Scopes, CheckScope)
		if err != nil {
			return "", err
		}
		if scopes != "" {
			q.Set("scopes", scopes)
		}
		return pageURL(t.Host, "/settings/tokens/new", q), nil
	}

	if len(t.Scopes) > 0 {
		return "", errors.New("scopes are for classic tokens; a fine-grained token takes permissions, such as contents=write")
	}
	if n := utf8.RuneCountInString(t.Description); n > MaxTokenDescriptionLength {
		return "", fmt.Errorf("the token description is %d characters long; GitHub takes at most %d", n, MaxTokenDescriptionLength)
	}
	if t.Owner != "" && !ownerName.MatchString(t.Owner) {
		return "", fmt.Errorf("%q is not a GitHub user or organization name", t.Owner)
	}
	if t.Name != "" {
		q.Set("name", t.Name)
	}
	if t.Description != "" {
		q.Set("description", t.Description)
	}
	if t.Owner != "" {
		q.Set("target_name", t.Owner)
	}
	switch d := t.ExpiresInDays; {
	case d == 0:
	case d == ExpiresNever:
		q.Set("expires_in", "none")
	case d >= 1 && d <= MaxExpiresInDays:
		q.Set("expires_in", strconv.Itoa(d))
	default:
		return "", fmt.Errorf("a token expires in 1 to %d days, or never; %d is out of range", MaxExpiresInDays, d)
	}
	for _, p := range t.Permissions {
		if err := p.Check(); err != nil {
			return "", err
		}
		q.Set(p.Name, p.Level)
	}
	return pageURL(t.Host, "/settings/personal-access-tokens/new", q), nil
}

// ownerName is the shape of GitHub user and organization names (letters,
// digits and single hyphens; Enterprise Managed Users add _SHORTCODE).
var ownerName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?$`)

func pageURL(host, path string, q url.Values) string {
	u := url.URL{Scheme: "https", Host: host, Path: path, RawQuery: q.Encode()}
	return u.String()
}

// DefaultTokenName is "git TARGET on MACHINE", the name a new token gets
// unless the person gives one: it says in GitHub's list of tokens where the
// token is used. Within GitHub's limit, it drops the machine first, then
// cuts the rest short.
func DefaultTokenName(target, machine string) string {
	name := "git " + target
	if machine != "" {
		if long := name + " on " + machine; utf8.RuneCountInString(long) <= MaxTokenNameLength {
			return long
		}
	}
	return truncateRunes(name, MaxTokenNameLength)
}

// truncateRunes cuts s to at most n characters, never inside one.
func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return strings.TrimSpace(s[:i])
		}
		n--
	}
	return s
}
