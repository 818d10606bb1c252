package credential

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// step is one action of a scenario, and what the helper prints for it.
// For get, an empty want means git prompts.
type step struct {
	name, action, input, want string
}

func runSteps(t *testing.T, h *Helper, steps []step) {
	t.Helper()
	for _, s := range steps {
		if got := run(t, h, s.action, s.input); got != s.want {
			t.Errorf("%s: %s printed\n%s\nwant\n%s", s.name, s.action, got, s.want)
		}
	}
}

// TestGitHelperSuite goes through the cases of git's own conformance suite
// for helpers (t/lib-credential.sh helper_test, then the expiry and refresh
// token cases), one step each, in order, against one store: what git
// stores is given back, and what git refuses is never given again.
func TestGitHelperSuite(t *testing.T) {
	h, _, stderr := newHelper()
	runSteps(t, h, []step{
		{"nothing stored: git prompts", "get", "protocol=https\nhost=example.com\n", ""},
		{"store a password", "store", "protocol=https\nhost=example.com\nusername=store-user\npassword=store-pass\n", ""},
		{"it comes back", "get", "protocol=https\nhost=example.com\n", "username=store-user\npassword=store-pass\n"},
		{"another protocol is not answered", "get", "protocol=http\nhost=example.com\n", ""},
		{"another host is not answered", "get", "protocol=https\nhost=other.tld\n", ""},
		{"another user is not answered", "get", "protocol=https\nhost=example.com\nusername=other\n", ""},
		{"store with a path", "store", "protocol=https\nhost=path.tld\npath=foo.git\nusername=user\npassword=pass\n", ""},
		{"another path is not answered", "get", "protocol=https\nhost=path.tld\npath=bar.git\n", ""},
		{"a new password for the user replaces the old", "store", "protocol=https\nhost=example.com\nusername=store-user\npassword=store-pass-2\n", ""},
		{"the new one comes back", "get", "protocol=https\nhost=example.com\nusername=store-user\n", "username=store-user\npassword=store-pass-2\n"},
		{"erase with a different password", "erase", "protocol=https\nhost=example.com\nusername=store-user\npassword=not-it\n", ""},
		{"keeps the entry", "get", "protocol=https\nhost=example.com\nusername=store-user\n", "username=store-user\npassword=store-pass-2\n"},
		{"erase the host", "erase", "protocol=https\nhost=example.com\n", ""},
		{"forgets it", "get", "protocol=https\nhost=example.com\n", ""},
		{"store user1", "store", "protocol=https\nhost=example.com\nusername=user1\npassword=pass1\n", ""},
		{"store user2", "store", "protocol=https\nhost=example.com\nusername=user2\npassword=pass2\n", ""},
		{"user1 comes back", "get", "protocol=https\nhost=example.com\nusername=user1\n", "username=user1\npassword=pass1\n"},
		{"user2 comes back", "get", "protocol=https\nhost=example.com\nusername=user2\n", "username=user2\npassword=pass2\n"},
		{"erase user1", "erase", "protocol=https\nhost=example.com\nusername=user1\n", ""},
		{"user1 is forgotten", "get", "protocol=https\nhost=example.com\nusername=user1\n", ""},
		{"user2 is remembered", "get", "protocol=https\nhost=example.com\nusername=user2\n", "username=user2\npassword=pass2\n"},
		{"erase user2 with its password", "erase", "protocol=https\nhost=example.com\nusername=user2\npassword=pass2\n", ""},
		{"user2 is forgotten", "get", "protocol=https\nhost=example.com\nusername=user2\n", ""},
		{"store an empty user name and password", "store", "protocol=https\nhost=sso.tld\nusername=\npassword=\n", ""},
		{"they come back empty", "get", "protocol=https\nhost=sso.tld\n", "username=\npassword=\n"},
		{"store a far expiry", "store", "protocol=https\nhost=expiry.tld\nusername=u\npassword=p\npassword_expiry_utc=9999999999\n", ""},
		{"the expiry comes back", "get", "protocol=https\nhost=expiry.tld\n", "username=u\npassword=p\npassword_expiry_utc=9999999999\n"},
		{"an expiry past year 9999 is kept as its integer", "store", "protocol=https\nhost=far.tld\nusername=u\npassword=p\npassword_expiry_utc=300000000000\n", ""},
		{"and comes back unchanged", "get", "protocol=https\nhost=far.tld\n", "username=u\npassword=p\npassword_expiry_utc=300000000000\n"},
		{"store a refresh token", "store", "protocol=https\nhost=oauth.tld\nusername=u\npassword=p\noauth_refresh_token=rt1\n", ""},
		{"it comes back", "get", "protocol=https\nhost=oauth.tld\n", "username=u\npassword=p\noauth_refresh_token=rt1\n"},
		{"the same password with a new refresh token and expiry", "store", "protocol=https\nhost=oauth.tld\nusername=u\npassword=p\noauth_refresh_token=rt2\npassword_expiry_utc=9999999999\n", ""},
		{"the new ones come back", "get", "protocol=https\nhost=oauth.tld\n", "username=u\npassword=p\npassword_expiry_utc=9999999999\noauth_refresh_token=rt2\n"},
	})
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want nothing, as git's suite compares it", stderr)
	}
}

// TestGitAuthTypeSuite goes through git's helper_test_authtype cases (git
// 2.46+, pre-encoded credentials) one step each, and the rule of git's
// cache that a refusal of one kind never erases the other.
func TestGitAuthTypeSuite(t *testing.T) {
	h, m, stderr := newHelper()
	const caps = "capability[]=authtype\n"
	runSteps(t, h, []step{
		{"store authtype and credential", "store", caps + "authtype=Bearer\ncredential=random-token\nprotocol=https\nhost=git.example.com\n", ""},
		{"they come back, the capability announced", "get", caps + "protocol=https\nhost=git.example.com\n",
			caps + "authtype=Bearer\ncredential=random-token\n"},
		{"not to a request without the capability", "get", "protocol=https\nhost=git.example.com\n", ""},
		{"store them with a user name", "store", caps + "authtype=Bearer\ncredential=other-token\nprotocol=https\nhost=git.example.com\nusername=foobar\n", ""},
		{"they come back for that user", "get", caps + "protocol=https\nhost=git.example.com\nusername=foobar\n",
			caps + "username=foobar\nauthtype=Bearer\ncredential=other-token\n"},
		{"not for another user", "get", caps + "protocol=https\nhost=git.example.com\nusername=barbaz\n", ""},
		{"ephemeral ones are not stored", "store", caps + "authtype=Bearer\ncredential=git2-token\nprotocol=https\nhost=git2.example.com\nephemeral=1\n", ""},
		{"so nothing comes back", "get", caps + "protocol=https\nhost=git2.example.com\n", ""},
		{"nor ephemeral passwords", "store", caps + "protocol=https\nhost=git2.example.com\nusername=barbaz\npassword=secret\nephemeral=1\n", ""},
		{"so nothing comes back either", "get", caps + "protocol=https\nhost=git2.example.com\n", ""},
		{"a password beside them", "store", "protocol=https\nhost=git.example.com\nusername=pw\npassword=keep9\n", ""},
		{"a refused credential", "erase", caps + "authtype=Bearer\ncredential=bad-token\nprotocol=https\nhost=git.example.com\n", ""},
		{"erases no password", "get", "protocol=https\nhost=git.example.com\nusername=pw\n", "username=pw\npassword=keep9\n"},
		{"nor another credential", "get", caps + "protocol=https\nhost=git.example.com\n", caps + "authtype=Bearer\ncredential=random-token\n"},
		{"a refused password", "erase", caps + "protocol=https\nhost=git.example.com\nusername=foobar\npassword=other-token\n", ""},
		{"erases no credential", "get", caps + "protocol=https\nhost=git.example.com\nusername=foobar\n",
			caps + "username=foobar\nauthtype=Bearer\ncredential=other-token\n"},
		{"the refused credential itself", "erase", caps + "authtype=Bearer\ncredential=random-token\nprotocol=https\nhost=git.example.com\n", ""},
		{"is erased: foobar's answers in its place", "get", caps + "protocol=https\nhost=git.example.com\n",
			caps + "username=foobar\nauthtype=Bearer\ncredential=other-token\n"},
		{"the password still answers", "get", caps + "protocol=https\nhost=git.example.com\nusername=pw\n", caps + "username=pw\npassword=keep9\n"},
		{"another helper's state and a continue are not echoed", "get",
			caps + "capability[]=state\nstate[]=other:1\ncontinue=1\nprotocol=https\nhost=git.example.com\nusername=pw\n", caps + "username=pw\npassword=keep9\n"},
	})
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want nothing", stderr)
	}
	if n := len(m.entries); n != 2 {
		t.Errorf("%d entries left, want the password and foobar's credential: %+v", n, m.entries)
	}
}

func TestCapabilityAction(t *testing.T) {
	h, _, _ := newHelper()
	// It reads nothing: a person may type it at a terminal.
	if got := run(t, h, "capability", ""); got != "version 0\ncapability authtype\n" {
		t.Errorf("capability printed %q", got)
	}
}

// TestQuarantine follows a token a person added through a refusal: kept,
// withheld with one line naming it and the command that replaces it, and
// back in service when git reports a new token working in its place.
func TestQuarantine(t *testing.T) {
	added := entry("github.com/acme")
	added.Token, added.Note = "ghp_000000000000000000000000000000acme", "CI"
	h, m, stderr := newHelper(added)
	get := "protocol=https\nhost=github.com\npath=acme/widgets.git\n"
	runSteps(t, h, []step{
		{"the host refuses it", "erase", get + "username=x-access-token\npassword=" + added.Token + "\n", ""},
		{"it is withheld", "get", get, ""},
	})
	if len(m.entries) != 1 || m.entries[0].Refused.IsZero() || m.entries[0].Note != "CI" {
		t.Fatalf("entries = %+v, want acme's kept, marked refused", m.entries)
	}
	want := "git-credential-pat: ghp_****acme, the token for github.com/acme, was refused by github.com on 2026-11-25; replace it with: git-credential-pat rotate github.com/acme\n"
	if stderr.String() != want {
		t.Errorf("stderr = %q\nwant %q", stderr, want)
	}
	if v, _ := Decide(mustRead(t, get), m.entries, testNow, 0); v != Refused {
		t.Errorf("Decide = %v, want Refused, which the cache daemon leaves to the full program", v)
	}
	// A second refusal keeps the first date.
	h.Now = func() time.Time { return testNow.AddDate(0, 0, 1) }
	run(t, h, "erase", get+"username=x-access-token\npassword="+added.Token+"\n")
	if !m.entries[0].Refused.Equal(testNow) {
		t.Errorf("refused %v, want the first refusal's time", m.entries[0].Refused)
	}
	// git prompted, the new token worked: it takes the entry's place.
	run(t, h, "store", get+"username=x-access-token\npassword=ghp_new\n")
	if len(m.entries) != 1 || m.entries[0].Token != "ghp_new" || !m.entries[0].Refused.IsZero() || m.entries[0].Note != "CI" ||
		m.entries[0].Path != "acme" {
		t.Errorf("entries = %+v, want acme's entry with the new token, unmarked", m.entries)
	}
}

func TestEraseOfWhatGitStored(t *testing.T) {
	h, m, stderr := newHelper()
	runSteps(t, h, []step{
		{"git stores a typed token", "store", "protocol=https\nhost=github.com\nusername=u\npassword=typed\n", ""},
		{"the host refuses it", "erase", "protocol=https\nhost=github.com\nusername=u\npassword=typed\n", ""},
		{"it is gone, silently", "get", "protocol=https\nhost=github.com\nusername=u\n", ""},
	})
	if len(m.entries) != 0 || stderr.Len() != 0 {
		t.Errorf("entries = %+v, stderr = %q; want none", m.entries, stderr)
	}
}

func TestTypedTokenServesItsOwner(t *testing.T) {
	store := func(path string) string {
		return fmt.Sprintf("protocol=https\nhost=github.com\npath=%s\nusername=x-access-token\npassword=typed-for-%s\n", path, path)
	}
	t.Run("stored for the owner", func(t *testing.T) {
		h, m, _ := newHelper()
		run(t, h, "store", store("initech/repo.git"))
		if len(m.entries) != 1 || m.entries[0].Path != "initech" {
			t.Fatalf("entries = %+v, want one for initech", m.entries)
		}
		got := run(t, h, "get", "protocol=https\nhost=github.com\npath=initech/other.git\n")
		if !strings.Contains(got, "password=typed-for-initech/repo.git\n") {
			t.Errorf("the owner's other repository got %q", got)
		}
	})
	t.Run("stored for the repository when the owner has a token", func(t *testing.T) {
		owner := entry("github.com/Initech")
		h, m, _ := newHelper(owner)
		run(t, h, "store", store("initech/repo.git"))
		if len(m.entries) != 2 || m.entries[1].Path != "initech/repo" {
			t.Errorf("entries = %+v, want a second one for initech/repo", m.entries)
		}
	})
	t.Run("a one-segment path is kept", func(t *testing.T) {
		h, m, _ := newHelper()
		run(t, h, "store", store("foo.git"))
		if len(m.entries) != 1 || m.entries[0].Path != "foo" {
			t.Errorf("entries = %+v", m.entries)
		}
	})
}

func mustRead(t *testing.T, s string) *Credential {
	t.Helper()
	c, err := Read(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
