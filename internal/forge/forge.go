// Package forge is what git-credential-pat asks of every forge whose tokens
// it stores: GitHub, GitLab, Gitea and Forgejo, Bitbucket Cloud, Azure
// DevOps. Each forge is a package of its own (forge/github, forge/gitlab,
// ...) that implements Forge and registers itself as it is linked in; this
// package picks one for a host, a token or a stored entry.
//
// The credential package knows no forge, and neither does the cache
// daemon: what git gets is decided the same for every forge. The full
// program picks the forge when a token is added or verified, and records
// it in the entry (credential.Entry.Forge) for a host no forge claims.
package forge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// Forge is one forge's rules and API.
type Forge interface {
	// Name is the forge's stored name: github, gitlab, gitea, bitbucket,
	// azure. It is written in entries and typed after --forge, so it
	// never changes.
	Name() string
	// Title is the forge's name in messages: GitHub, GitLab, ...
	Title() string
	// IsHost reports whether host (host[:port], as a Target holds it) is
	// one of the forge's own, such as gitlab.com. Self-hosted forges have
	// names of their owners' choosing: they are told by --forge or by a
	// token's prefix.
	IsHost(host string) bool
	// OwnsToken reports whether token carries a prefix only this forge
	// issues (glpat-, ghp_, ...). A token without one belongs to no forge
	// by its looks.
	OwnsToken(token string) bool
	// KindOf names the kind of token, as stored and listed; "other" for
	// one the forge does not tell apart.
	KindOf(token string) credential.Kind
	// CheckFormat reports a token whose shape does not fit what the forge
	// issues (a typo, a truncated paste); nil when it fits or the shape
	// is not known. It is a warning: the commands ask before keeping it.
	CheckFormat(token string) error
	// UnknownShape refuses a value of none of the shapes the forge's
	// tokens have on host (a password, where the forge takes none for
	// git): the error says what its tokens look like. It is nil for a
	// value of a known shape, and on a host where a value of another
	// shape may still be what git is to send (a password the forge
	// takes, a self-managed server's own prefix): there no value is
	// judged by its shape alone.
	UnknownShape(host, token string) error
	// DefaultUsername is the user name to store with a token of kind for
	// target when the person gives none; "" when any name does, and the
	// helper's own (credential.DefaultUsername) is sent.
	DefaultUsername(target credential.Target, kind credential.Kind) string
	// CheckPath refuses a target path the forge can have no repository
	// or owner under. The error reads after the target: "the target X "+err.
	CheckPath(path string) error
	// Verify asks the forge's API about token: whose it is, its scopes
	// and its expiry. apiURL is the API base a person gave, or "" for the
	// host's default. A refused token gives an error wrapping
	// ErrUnauthorized; a forge whose API cannot be asked with the token
	// alone, one wrapping ErrNoAPI.
	Verify(ctx context.Context, c *Client, host, apiURL, token string) (Identity, error)
	// NewTokenURL is the address of the host's page that creates a token,
	// filled in with t; an error wrapping ErrNoTokenPage when the forge
	// has no such page this helper knows of.
	NewTokenURL(host string, t NewToken) (string, error)
	// ToolEnv is the environment in which the forge's own command-line
	// tools (gh, glab, tea, az) and the scripts around them find token as
	// the token for host: each variable they read, in the order to set.
	// nil when the forge's tools read none.
	ToolEnv(host, token string) []EnvVar
}

// EnvVar is one environment variable: NAME=Value. Its Value may be a
// token: it is never printed.
type EnvVar struct{ Name, Value string }

// Identity is what a forge's API says of a token.
type Identity struct {
	// Login is the account the token belongs to; "" when the API does
	// not say (a GitLab token without the scope to read its user).
	Login string
	// TokenName is the token's own name, where the forge keeps one.
	TokenName string
	// Scopes are the token's scopes; nil when the forge reports none.
	Scopes []string
	// Expires is when the token stops working; zero when it never
	// expires or the forge does not say.
	Expires time.Time
	// ExpiryUnread is the expiry as the API sent it, when it could not
	// be read: the caller tells the person to give it by hand.
	ExpiryUnread string
}

// Ask asks f's API about token (f.Verify) and checks what it said before
// anything of it is stored or printed: every identity enters through here.
// A host is not trusted to send a user name: a login that is not one
// (an ESC sequence, a space, a line break) is refused, not stored as the
// entry's user name and printed by every command after.
func Ask(ctx context.Context, f Forge, c *Client, host, apiURL, token string) (Identity, error) {
	id, err := f.Verify(ctx, c, host, apiURL, token)
	if err != nil {
		return id, err
	}
	if err := CheckIdentity(id); err != nil {
		return Identity{}, fmt.Errorf("%s: %w", f.Title(), err)
	}
	return id, nil
}

// MaxLoginLength is the longest user name taken from a host: GitLab's
// limit, the most generous of the forges (GitHub's is 39).
const MaxLoginLength = 255

// CheckIdentity refuses an identity whose login is not a user name as the
// forges allow one (GitHub: letters, digits, single hyphens; GitLab and
// Gitea: also "_" and "."), or whose scopes or token name would not print
// as they are.
func CheckIdentity(id Identity) error {
	if err := CheckLogin(id.Login); err != nil {
		return err
	}
	for _, s := range id.Scopes {
		if s == "" || !credential.Printable(s) || strings.ContainsFunc(s, unicode.IsSpace) {
			return fmt.Errorf("the host named a scope %s, which is not a scope name; check that the API address is the forge's", quote(s))
		}
	}
	if !credential.Printable(id.TokenName) {
		return fmt.Errorf("the host named the token %s, which holds a control character; check that the API address is the forge's", quote(id.TokenName))
	}
	return nil
}

// CheckLogin refuses a login that is not a user name: "" (the host did not
// say) passes.
func CheckLogin(login string) error {
	if len(login) > MaxLoginLength {
		return fmt.Errorf("the host named the token's account with %d characters, more than any forge allows a user name; check that the API address is the forge's", len(login))
	}
	for i := 0; i < len(login); i++ {
		c := login[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return fmt.Errorf("the host named the token's account %s, which is not a user name (letters, digits, \"-\", \"_\" and \".\"); check that the API address is the forge's", quote(login))
		}
	}
	return nil
}

// quote is s as a message shows what a host sent: quoted, and escaped by
// the one escaping function.
func quote(s string) string { return `"` + credential.Escape(s) + `"` }

// NewToken is what a creation page is filled in with: names and scopes,
// never a token.
type NewToken struct {
	Name        string
	Description string
	// Scopes asks for these; nil for the forge's default for git.
	Scopes []string
}

var (
	// ErrUnauthorized is wrapped when the API refuses the token: it is
	// revoked, expired or mistyped.
	ErrUnauthorized = errors.New("the host refused the token (HTTP 401)")
	// ErrNoAPI is wrapped when a forge's API cannot say whose a token is
	// from the token alone.
	ErrNoAPI = errors.New("this forge's API cannot be asked about a token on its own")
	// ErrNoTokenPage is wrapped when a forge has no creation page this
	// helper can fill in.
	ErrNoTokenPage = errors.New("no token creation page is known for this forge")
)

// registered holds the linked-in forges, in the order they registered.
var registered []Forge

// aliases are other names people type after --forge.
var aliases = map[string]string{"forgejo": "gitea", "azure-devops": "azure", "azuredevops": "azure"}

// Register adds a forge. Forge packages call it from init.
func Register(f Forge) {
	if ByName(f.Name()) != nil {
		panic("forge: " + f.Name() + " registered twice")
	}
	registered = append(registered, f)
}

// All is every registered forge.
func All() []Forge { return slices.Clone(registered) }

// Names lists the names --forge takes.
func Names() []string {
	var names []string
	for _, f := range registered {
		names = append(names, f.Name())
	}
	slices.Sort(names)
	return names
}

// ByName is the forge called name (or one of its aliases, such as
// forgejo for gitea), in any case; nil when none is.
func ByName(name string) Forge {
	name = strings.ToLower(strings.TrimSpace(name))
	if a, ok := aliases[name]; ok {
		name = a
	}
	for _, f := range registered {
		if f.Name() == name {
			return f
		}
	}
	return nil
}

// ForHost is the forge whose own host host is; nil for any other host.
func ForHost(host string) Forge {
	for _, f := range registered {
		if f.IsHost(host) {
			return f
		}
	}
	return nil
}

// ForToken is the forge whose prefix token carries; nil when it carries
// none (a Gitea token, a password).
func ForToken(token string) Forge {
	for _, f := range registered {
		if f.OwnsToken(token) {
			return f
		}
	}
	return nil
}

// Resolve is the forge of token stored (or about to be) for target, the
// one resolution every command and git's store use: the forge told (--forge,
// or the one recorded with an entry), else the host's own (github.com,
// gitlab.com, ...), else the one the token's prefix names (glpat-, ghp_),
// else the one of the host's other entries, told once and recorded or named
// by their tokens' prefixes. It is nil when none is known.
//
// token may be "" (new resolves before there is one). hostEntries is asked
// only when the rest leaves the forge unknown, so a host known by its name
// or a token by its prefix opens no store; it may return entries of other
// hosts, which are skipped, and entries whose token is masked (the
// prefix is what is looked at).
func Resolve(told Forge, target credential.Target, token string, hostEntries func() ([]credential.Entry, error)) (Forge, error) {
	if f := resolveOwn(told, target.Host, token); f != nil || hostEntries == nil {
		return f, nil
	}
	entries, err := hostEntries()
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Host != target.Host {
			continue
		}
		if f := resolveOwn(ByName(e.Forge), e.Host, e.Token); f != nil {
			return f, nil
		}
	}
	return nil, nil
}

// resolveOwn is Resolve without the host's other entries.
func resolveOwn(told Forge, host, token string) Forge {
	if told != nil {
		return told
	}
	if f := ForHost(host); f != nil {
		return f
	}
	return ForToken(token)
}

// For is the forge of a stored entry: Resolve with what was recorded with
// it (add --forge) as told. What was recorded wins: the person said so.
func For(e credential.Entry) Forge {
	return resolveOwn(ByName(e.Forge), e.Host, e.Token)
}

// Kind is the kind of token as f names it; KindOther without a forge. It
// is the one rule for the kind stored with a token: with Resolve's forge,
// the same token is the same kind whichever way it came in.
func Kind(f Forge, token string) credential.Kind {
	if f == nil {
		return KindOther
	}
	return f.KindOf(token)
}

// KindOther is the kind of a token no forge tells apart.
const KindOther credential.Kind = "other"

// JoinScopes is scopes as a creation page takes them: each checked by the
// forge's check, repeats left out, joined by commas.
func JoinScopes(scopes []string, check func(string) error) (string, error) {
	var out []string
	for _, s := range scopes {
		if err := check(s); err != nil {
			return "", err
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return strings.Join(out, ","), nil
}
