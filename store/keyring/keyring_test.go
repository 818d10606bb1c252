package keyring

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
	"github.com/git-credential-pat/git-credential-pat/store"
)

// memorySecrets stands in for the OS keyring in tests of the index logic
// above it; the real keyring is exercised by the keyring testscripts.
type memorySecrets struct {
	items   map[[2]string]string
	gets    int
	failSet error
	// noSearch makes it a keyring that cannot list its items, as the
	// Keychain and Credential Manager through go-keyring.
	noSearch bool
	// foldCase makes it a keyring whose names ignore ASCII case, as
	// Credential Manager's.
	foldCase bool
}

func (m *memorySecrets) name(service, account string) [2]string {
	if m.foldCase {
		return [2]string{strings.ToLower(service), strings.ToLower(account)}
	}
	return [2]string{service, account}
}

func (m *memorySecrets) Services(account string) ([]string, bool, error) {
	if m.noSearch {
		return nil, false, nil
	}
	var services []string
	for name := range m.items {
		if name[1] == account && strings.HasPrefix(name[0], keyringServicePrefix) {
			services = append(services, name[0])
		}
	}
	return services, true, nil
}

// services lists the keyring's items for account, sorted.
func (m *memorySecrets) services(account string) []string {
	var out []string
	for name := range m.items {
		if name[1] == account {
			out = append(out, name[0])
		}
	}
	slices.Sort(out)
	return out
}

func newMemorySecrets() *memorySecrets { return &memorySecrets{items: map[[2]string]string{}} }

func (m *memorySecrets) Set(service, account, secret string) error {
	if m.failSet != nil {
		return m.failSet
	}
	m.items[m.name(service, account)] = secret
	return nil
}

func (m *memorySecrets) Get(service, account string) (string, error) {
	m.gets++
	s, ok := m.items[m.name(service, account)]
	if !ok {
		return "", errItemNotFound
	}
	return s, nil
}

// forget deletes target's item behind the Keyring's back.
func (m *memorySecrets) forget(target credential.Target) {
	service, account := itemKey(target)
	delete(m.items, [2]string{service, account})
}

func (m *memorySecrets) Delete(service, account string) error {
	if _, ok := m.items[m.name(service, account)]; !ok {
		return errItemNotFound
	}
	delete(m.items, m.name(service, account))
	return nil
}

func testKeyring(t *testing.T) (*Keyring, *memorySecrets) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	k := New(filepath.Join(dir, "keyring-index.json"), Options{})
	mem := newMemorySecrets()
	k.secrets = mem
	return k, mem
}

func keyringEntry(target, token string) credential.Entry {
	t, err := credential.ParseTarget(target)
	if err != nil {
		panic(err)
	}
	return credential.Entry{Target: t, Token: token, Kind: github.KindOf(token), Added: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

const (
	tokenA = "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1111"
	tokenB = "github_pat_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2222"
)

func TestKeyringRoundTripKeepsSecretsOutOfTheIndex(t *testing.T) {
	k, mem := testKeyring(t)
	a := keyringEntry("github.com/acme", tokenA)
	b := keyringEntry("alice@github.com", tokenB)
	b.OAuthRefreshToken = "ghr_refreshrefreshrefresh"
	b.Expires = credential.ExpiryAt(time.Date(2027, 1, 1, 23, 59, 59, 0, time.UTC))
	b.Login, b.Scopes, b.Note = "alice", []string{"repo", "workflow"}, "work"
	// What git 2.46+ stores, an expiry past year 9999, a refusal.
	c := keyringEntry("bearer@example.com", "")
	c.AuthType, c.Credential, c.FromGit = "Bearer", "bearer-secret-9999", true
	c.Expires = credential.ExpiryAt(time.Unix(300000000000, 0).UTC())
	c.Refused = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if err := k.Add(a, b, c); err != nil {
		t.Fatal(err)
	}
	got, err := k.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !reflect.DeepEqual(got[0], a) || !reflect.DeepEqual(got[1], b) || !reflect.DeepEqual(got[2], c) {
		t.Fatalf("List = %+v, want %+v, %+v and %+v", got, a, b, c)
	}
	one, err := k.Get(b.Target)
	if err != nil || !reflect.DeepEqual(one, b) {
		t.Fatalf("Get = %+v, %v; want %+v", one, err, b)
	}
	index, err := os.ReadFile(k.IndexPath())
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{tokenA, tokenB, "ghr_refresh", "bearer-secret"} {
		if strings.Contains(string(index), secret) {
			t.Errorf("the index holds a secret %q:\n%s", secret, index)
		}
	}
	fi, err := os.Stat(k.IndexPath())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("index mode %04o, want 0600", fi.Mode().Perm())
	}
	if len(mem.items) != 3 {
		t.Errorf("keyring holds %d items, want one per token: %v", len(mem.items), mem.items)
	}
}

func TestKeyringListMaskedReadsNoSecret(t *testing.T) {
	k, mem := testKeyring(t)
	if err := k.Add(keyringEntry("github.com/acme", tokenA)); err != nil {
		t.Fatal(err)
	}
	mem.gets = 0
	listed, err := store.ListMasked(k)
	if err != nil {
		t.Fatal(err)
	}
	if mem.gets != 0 {
		t.Errorf("ListMasked read %d secrets, want none", mem.gets)
	}
	if len(listed) != 1 || listed[0].Masked != credential.Masked(tokenA) || listed[0].Token != "" {
		t.Errorf("ListMasked = %+v", listed)
	}
}

func TestKeyringRepairsRowsWhoseItemWasDeletedElsewhere(t *testing.T) {
	k, mem := testKeyring(t)
	a, b := keyringEntry("github.com/acme", tokenA), keyringEntry("github.com/other", tokenB)
	if err := k.Add(a, b); err != nil {
		t.Fatal(err)
	}
	// Someone deletes an item with the desktop's password manager.
	mem.forget(a.Target)

	problems, err := k.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || !problems[0].Target.Same(a.Target) {
		t.Fatalf("Verify = %+v, want one problem for %s", problems, a.Target)
	}
	listed, err := k.ListMasked()
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 1 || !listed[0].Target.Same(b.Target) {
		t.Errorf("after repair the index lists %+v, want only %s", listed, b.Target)
	}
	// The same from List, silently.
	mem.forget(b.Target)
	got, err := k.List()
	if err != nil || len(got) != 0 {
		t.Fatalf("List = %+v, %v; want nothing", got, err)
	}
	if k.HasEntries() {
		t.Error("the index still lists a token whose item is gone")
	}
	if _, err := k.Get(b.Target); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get of a repaired row: %v, want store.ErrNotFound", err)
	}
}

func TestKeyringFailedSetLeavesIndexAndKeyringAsTheyWere(t *testing.T) {
	k, mem := testKeyring(t)
	a := keyringEntry("github.com/acme", tokenA)
	if err := k.Add(a); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(k.IndexPath())
	mem.failSet = errors.New("keyring refused")
	if err := k.Add(keyringEntry("github.com/new", tokenB)); err == nil {
		t.Fatal("Add succeeded though the keyring refused")
	}
	after, _ := os.ReadFile(k.IndexPath())
	if string(before) != string(after) {
		t.Errorf("a failed Add changed the index:\n%s\n---\n%s", before, after)
	}
	if len(mem.items) != 1 {
		t.Errorf("keyring holds %d items after a failed Add, want 1", len(mem.items))
	}
}

func TestKeyringDeleteOfAMissingItemStillDropsTheRow(t *testing.T) {
	k, mem := testKeyring(t)
	a := keyringEntry("github.com/acme", tokenA)
	if err := k.Add(a); err != nil {
		t.Fatal(err)
	}
	mem.forget(a.Target)
	if err := k.Delete(a.Target); err != nil {
		t.Fatal(err)
	}
	if k.HasEntries() {
		t.Error("row still listed after Delete")
	}
}

func TestKeyringRefusesAnIndexOthersCanRead(t *testing.T) {
	k, _ := testKeyring(t)
	if err := k.Add(keyringEntry("github.com/acme", tokenA)); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(k.IndexPath(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := k.ListMasked()
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("ListMasked of a 0644 index: %v, want a chmod hint", err)
	}
}

func TestItemKeyNeverCollides(t *testing.T) {
	targets := []string{"github.com", "@github.com", "*@github.com", "**@github.com", "alice@github.com", "github.com/acme", "alice@github.com/acme"}
	seen := map[[2]string]string{}
	for _, s := range targets {
		t.Run(s, func(t *testing.T) {
			target, err := credential.ParseTarget(s)
			if err != nil {
				t.Fatal(err)
			}
			service, account := itemKey(target)
			if !strings.HasPrefix(service, "git-credential-pat:github.com") {
				t.Errorf("service %q", service)
			}
			if other, ok := seen[[2]string{service, account}]; ok {
				t.Errorf("%s and %s share the item (%s, %s)", s, other, service, account)
			}
			seen[[2]string{service, account}] = s
		})
	}
}

func TestWithTimeoutGivesUp(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	_, err := withTimeout(10*time.Millisecond, func() (string, error) { <-block; return "", nil })
	if !errors.Is(err, ErrKeyringTimeout) || !strings.Contains(err.Error(), TimeoutEnv) {
		t.Fatalf("err = %v, want ErrKeyringTimeout naming %s", err, TimeoutEnv)
	}
	v, err := withTimeout(time.Minute, func() (string, error) { return "answer", nil })
	if v != "answer" || err != nil {
		t.Fatalf("withTimeout = %q, %v", v, err)
	}
}

func TestKeyringTimeoutFromEnv(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  time.Duration
		bad   bool
	}{
		{"", 0, false},
		{"5", 5 * time.Second, false},
		{"0.5", 500 * time.Millisecond, false},
		{"1500ms", 1500 * time.Millisecond, false},
		{"-1", 0, true},
		{"soon", 0, true},
	} {
		t.Run(tc.value, func(t *testing.T) {
			t.Setenv(TimeoutEnv, tc.value)
			got, err := TimeoutFromEnv()
			if (err != nil) != tc.bad || got != tc.want {
				t.Errorf("= %v, %v; want %v, error %v", got, err, tc.want, tc.bad)
			}
		})
	}
}

func TestKeyringReachableOnlyWithASessionBus(t *testing.T) {
	runtimeWithSocket := t.TempDir()
	l, err := net.Listen("unix", filepath.Join(runtimeWithSocket, "bus"))
	if err != nil {
		t.Skipf("cannot make a unix socket here: %v", err)
	}
	defer l.Close()
	runtimeWithFile := t.TempDir()
	if err := os.WriteFile(filepath.Join(runtimeWithFile, "bus"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, address, runtime string
		reachable              bool
		wantAddress            string
	}{
		{"nothing", "", "", false, ""},
		{"address set", "unix:path=/run/user/1/bus", "", true, "unix:path=/run/user/1/bus"},
		{"autolaunch is no bus", "autolaunch:", t.TempDir(), false, "autolaunch:"},
		{"runtime bus socket", "", runtimeWithSocket, true, "unix:path=" + filepath.Join(runtimeWithSocket, "bus")},
		{"runtime bus not a socket", "", runtimeWithFile, false, ""},
		{"empty runtime dir", "", t.TempDir(), false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", tc.address)
			t.Setenv("XDG_RUNTIME_DIR", tc.runtime)
			err := keyringReachable()
			if (err == nil) != tc.reachable {
				t.Fatalf("keyringReachable() = %v, want reachable %v", err, tc.reachable)
			}
			if err != nil && !errors.Is(err, ErrKeyringUnavailable) {
				t.Errorf("error %v does not wrap ErrKeyringUnavailable", err)
			}
			if got := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); got != tc.wantAddress {
				t.Errorf("DBUS_SESSION_BUS_ADDRESS = %q, want %q", got, tc.wantAddress)
			}
		})
	}
}

// The index exists only while the keyring holds a token: its absence is
// how the front knows, with one stat, that the keyring is not in use.
func TestKeyringIndexGoesWithTheLastToken(t *testing.T) {
	k, _ := testKeyring(t)
	one, two := testEntry("github.com/acme", "ghp_one"), testEntry("github.com/other", "ghp_two")
	if err := k.Add(one, two); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(one.Target); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(k.IndexPath()); err != nil || !k.HasEntries() {
		t.Fatalf("with a token left: index %v, HasEntries %v", err, k.HasEntries())
	}
	if err := k.Delete(two.Target); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(k.IndexPath()); !errors.Is(err, os.ErrNotExist) || k.HasEntries() {
		t.Fatalf("with no token left: index %v; want it gone", err)
	}
	if got, err := k.List(); err != nil || len(got) != 0 {
		t.Fatalf("List without an index = %v, %v", got, err)
	}
}

func testEntry(target, token string) credential.Entry {
	t, err := credential.ParseTarget(target)
	if err != nil {
		panic(err)
	}
	return credential.Entry{Target: t, Token: token, Kind: github.KindOf(token), Added: time.Now().UTC().Truncate(time.Second)}
}

// A path typed in another case is the same entry, and the same item: a
// replace leaves one item, and remove leaves none.
func TestKeyringOneItemWhateverTheCase(t *testing.T) {
	k, mem := testKeyring(t)
	if err := k.Add(keyringEntry("github.com/acme", tokenA)); err != nil {
		t.Fatal(err)
	}
	replacement := keyringEntry("github.com/ACME", tokenB)
	if err := k.Add(replacement); err != nil {
		t.Fatal(err)
	}
	if got, want := mem.services(keyringAnyUser), []string{"git-credential-pat:github.com/acme"}; !slices.Equal(got, want) {
		t.Fatalf("after a replace in another case the keyring holds %q, want %q", got, want)
	}
	got, err := k.List()
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], replacement) {
		t.Fatalf("List = %+v, %v; want only %+v", got, err, replacement)
	}
	if err := k.Delete(keyringEntry("github.com/Acme", "").Target); err != nil {
		t.Fatal(err)
	}
	if got := mem.services(keyringAnyUser); len(got) != 0 {
		t.Fatalf("after remove the keyring still holds %q", got)
	}
	if k.HasEntries() {
		t.Error("after remove the index still lists the entry")
	}
}

// legacyKeyring is what releases that named items by the path as typed
// left after "add github.com/Acme", "add github.com/ACME": two items, the
// index naming the second.
func legacyKeyring(t *testing.T, mem *memorySecrets, k *Keyring) {
	t.Helper()
	mem.items[[2]string{"git-credential-pat:github.com/Acme", keyringAnyUser}] = "ghp_orphanorphanorphanorphanorphanorp0000"
	mem.items[[2]string{"git-credential-pat:github.com/ACME", keyringAnyUser}] = tokenA
	err := k.updateIndex(func([]indexRow) ([]indexRow, error) {
		return []indexRow{rowOf(keyringEntry("github.com/ACME", tokenA))}, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
}

func TestKeyringMergesItemsUnderAnotherCaseOnFirstWrite(t *testing.T) {
	for _, tc := range []struct {
		name               string
		noSearch, foldCase bool
		left               []string // what stays besides the entry's own item
	}{
		{"Secret Service", false, false, nil},
		// Without search only the index's name is known: the orphan stays.
		{"no search", true, false, []string{"git-credential-pat:github.com/Acme"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, mem := testKeyring(t)
			mem.noSearch, mem.foldCase = tc.noSearch, tc.foldCase
			legacyKeyring(t, mem, k)

			// Reads find the token under its old name, and drop nothing.
			got, err := k.List()
			if err != nil || len(got) != 1 || got[0].Token != tokenA {
				t.Fatalf("List of an old keyring = %+v, %v; want %s's token", got, err, "github.com/ACME")
			}
			one, err := k.Get(keyringEntry("github.com/acme", "").Target)
			if err != nil || one.Token != tokenA {
				t.Fatalf("Get of an old keyring = %+v, %v", one, err)
			}

			// A failed write leaves the old items and the index as they were.
			mem.failSet = errors.New("keyring refused")
			if err := k.Add(keyringEntry("github.com/acme", tokenB)); err == nil {
				t.Fatal("Add succeeded though the keyring refused")
			}
			mem.failSet = nil
			if got, err := k.List(); err != nil || len(got) != 1 || got[0].Token != tokenA {
				t.Fatalf("after a failed write List = %+v, %v; want the old token", got, err)
			}

			if err := k.Add(keyringEntry("github.com/acme", tokenB)); err != nil {
				t.Fatal(err)
			}
			want := append([]string{"git-credential-pat:github.com/acme"}, tc.left...)
			slices.Sort(want)
			if got := mem.services(keyringAnyUser); !slices.Equal(got, want) {
				t.Fatalf("after the first write the keyring holds %q, want %q", got, want)
			}
			if got, err := k.List(); err != nil || len(got) != 1 || got[0].Token != tokenB {
				t.Fatalf("after the first write List = %+v, %v", got, err)
			}
		})
	}
}

// On a keyring whose names ignore case (Credential Manager), the old name
// is the new item: merging must not delete the token just written.
func TestKeyringMergeKeepsTheItemOnAKeyringThatIgnoresCase(t *testing.T) {
	k, mem := testKeyring(t)
	mem.noSearch, mem.foldCase = true, true
	mem.items[mem.name("git-credential-pat:github.com/ACME", keyringAnyUser)] = tokenA
	err := k.updateIndex(func([]indexRow) ([]indexRow, error) {
		return []indexRow{rowOf(keyringEntry("github.com/ACME", tokenA))}, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Add(keyringEntry("github.com/ACME", tokenB)); err != nil {
		t.Fatal(err)
	}
	got, err := k.List()
	if err != nil || len(got) != 1 || got[0].Token != tokenB {
		t.Fatalf("List = %+v, %v; want the token just written", got, err)
	}
}

func TestKeyringRemoveDeletesItemsUnderAnotherCase(t *testing.T) {
	k, mem := testKeyring(t)
	legacyKeyring(t, mem, k)
	if err := k.Delete(keyringEntry("github.com/acme", "").Target); err != nil {
		t.Fatal(err)
	}
	if got := mem.services(keyringAnyUser); len(got) != 0 {
		t.Fatalf("after remove the keyring still holds %q", got)
	}
	if k.HasEntries() {
		t.Error("after remove the index still lists the entry")
	}
}
