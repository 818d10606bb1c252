package cache

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// A message reads the same, and hits its limit the same, however its bytes
// are split into reads.
func FuzzReadMessage(f *testing.F) {
	f.Add([]byte("op=get\narg=get\n\nprotocol=https\nhost=github.com\n"), 64)
	f.Add([]byte(strings.Repeat("h", 259)+"\n\n"), 256) // a long header, at and past the limit
	f.Add([]byte(strings.Repeat("h", 4096)+"x"), 4096)
	f.Add([]byte{}, 1)
	f.Fuzz(func(t *testing.T, msg []byte, limit int) {
		if limit <= 0 || limit > 1<<16 {
			return
		}
		whole, errWhole := ReadMessage(bytes.NewReader(msg), limit, nil)
		bytewise, errBytewise := ReadMessage(iotest.OneByteReader(bytes.NewReader(msg)), limit, nil)
		if !bytes.Equal(whole, bytewise) || errors.Is(errWhole, ErrTooLarge) != errors.Is(errBytewise, ErrTooLarge) {
			t.Fatalf("in one read: %q, %v; byte by byte: %q, %v", whole, errWhole, bytewise, errBytewise)
		}
		if tooLarge := len(msg) > limit; tooLarge != errors.Is(errWhole, ErrTooLarge) {
			t.Fatalf("%d bytes with a limit of %d: %v", len(msg), limit, errWhole)
		}
		if errWhole == nil && !bytes.Equal(whole, msg) {
			t.Fatalf("read %q, want %q", whole, msg)
		}
	})
}

func TestRequestRoundTrip(t *testing.T) {
	want := &Request{
		Op: OpPut, Backend: "vault:/home/a/vault.age", Stamp: "12.34", Epoch: 7,
		Timeout: 90 * time.Second, Until: time.UnixMilli(1893456000000),
		Args: []string{"--backend=file", "get"}, Env: []string{"HOME=/home/a", "X=a=b"},
		Body: []byte("entry=\nhost=github.com\n\nnot a header\n"),
	}
	msg, err := want.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseRequest(msg)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseRequest(Encode()) = %+v, %v; want %+v", got, err, want)
	}
	if _, err := (&Request{Op: OpGet, Args: []string{"a\nop=exit"}}).Encode(); err == nil {
		t.Fatal("Encode took a value with a line break, which would forge a header line")
	}
	if _, err := ParseRequest([]byte("op=get\n")); err == nil {
		t.Fatal("a header without its blank line was taken")
	}
}

// Every field of an entry survives the wire parsed in place too (as the
// daemon parses what it holds), and an expired token never crosses it.
func TestEntryLinesInPlaceAndWithheld(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	e := filledEntry(t, time.Date(2031, 2, 3, 4, 5, 6, 7, time.UTC), now) // an expiry after now
	body, err := AppendEntries(nil, []credential.Entry{e, e}, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, inPlace := range []bool{false, true} {
		got, err := ParseEntries(body, inPlace)
		if err != nil || len(got) != 2 || !reflect.DeepEqual(got[0], e) || !reflect.DeepEqual(got[1], e) {
			t.Fatalf("ParseEntries(AppendEntries(e), %v) = %+v, %v;\nwant %+v", inPlace, got, err, e)
		}
	}
	// Past its expiry the token is withheld: not on the wire at all.
	body, err = AppendEntries(nil, []credential.Entry{e}, e.Expires.Add(time.Second))
	if err != nil || bytes.Contains(body, []byte(e.Token)) || bytes.Contains(body, []byte(e.OAuthRefreshToken)) {
		t.Fatalf("an expired token went on the wire: %q, %v", body, err)
	}
	got, err := ParseEntries(body, false)
	if err != nil || len(got) != 1 || !IsWithheld(got[0].Token) || CheckWritable(got) == nil {
		t.Fatalf("the expired entry came back as %+v, %v; want it withheld, and refused for writing", got, err)
	}
	if _, err := AppendEntries(nil, []credential.Entry{{Target: credential.Target{Host: "h"}, Note: "a\nhost=evil"}}, now); err == nil {
		t.Fatal("AppendEntries took a value with a line break")
	}
}

func TestStatusRoundTrip(t *testing.T) {
	want := &Status{PID: 42, Socket: "/run/s", Stores: []Held{
		{Backend: "keyring:/i", SecretUntil: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Backend: "vault:/v", EntriesUntil: time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC), Targets: []string{"github.com/acme", "h"}},
	}}
	got, err := ParseStatus(AppendStatus(nil, want))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseStatus(AppendStatus()) = %+v, %v; want %+v", got, err, want)
	}
}

// The index finds every entry and its host, and an entry decoded from its
// span alone is the entry ParseEntries gives.
func TestIndexEntries(t *testing.T) {
	entries := []credential.Entry{
		{Target: credential.Target{Host: "github.com", Path: "acme"}, Token: "ghp_a", Note: "host=not-the-host"},
		{Target: credential.Target{Host: "gitlab.example", Username: "u", HasUsername: true}, Token: "glpat-b"},
		{Target: credential.Target{Host: "github.com"}, Token: "ghp_c"},
	}
	body, err := AppendEntries(nil, entries, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	spans, err := IndexEntries(body)
	if err != nil || len(spans) != 3 {
		t.Fatalf("IndexEntries = %+v, %v", spans, err)
	}
	for i, span := range spans {
		got, err := ParseEntries(body[span.Start:span.End], true)
		if err != nil || len(got) != 1 || span.Host != entries[i].Host || !reflect.DeepEqual(got[0], entries[i]) {
			t.Errorf("span %d: host %q, entries %+v, %v; want %+v", i, span.Host, got, err, entries[i])
		}
	}
	if _, err := IndexEntries([]byte("host=before-an-entry\n")); err == nil {
		t.Error("IndexEntries took lines before any entry= line")
	}
}
