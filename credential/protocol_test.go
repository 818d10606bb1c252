package credential

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestReadAttributes(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  Credential
	}{
		{
			name:  "basic fields, ended by EOF without newline",
			input: "protocol=https\nhost=github.com:8443\npath=acme/repo.git\nusername=alice\npassword=s3cret=with=equals",
			want: Credential{Protocol: "https", Host: "github.com:8443", Path: "acme/repo.git",
				Username: "alice", HasUsername: true, Password: "s3cret=with=equals", HasPassword: true},
		},
		{
			name:  "CRLF line ends",
			input: "protocol=https\r\nhost=example.com\r\n\r\n",
			want:  Credential{Protocol: "https", Host: "example.com"},
		},
		{
			name:  "blank line ends the input",
			input: "host=a.example\n\nhost=b.example\n",
			want:  Credential{Host: "a.example"},
		},
		{
			name:  "empty username and password are present",
			input: "protocol=https\nhost=h\nusername=\npassword=\n",
			want:  Credential{Protocol: "https", Host: "h", HasUsername: true, HasPassword: true},
		},
		{
			name:  "unknown keys are ignored",
			input: "protocol=https\nfuture_key=1\nhost=h\n",
			want:  Credential{Protocol: "https", Host: "h"},
		},
		{
			name:  "url expands into its parts and replaces earlier ones",
			input: "host=old\npath=old\nurl=https://bob:pw@example.com:8443/acme/repo.git\n",
			want: Credential{Protocol: "https", Host: "example.com:8443", Path: "acme/repo.git",
				Username: "bob", HasUsername: true, Password: "pw", HasPassword: true},
		},
		{
			name: "newer attributes",
			input: "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=h\n" +
				"password_expiry_utc=9999999999\noauth_refresh_token=rt\nwwwauth[]=Basic realm=\"x\"\n" +
				"authtype=Bearer\ncredential=abc\nephemeral=1\nstate[]=a:1\nstate[]=b:2\ncontinue=1\nquit=true\n",
			want: Credential{Protocol: "https", Host: "h", PasswordExpiryUTC: "9999999999",
				OAuthRefreshToken: "rt", WWWAuth: []string{`Basic realm="x"`},
				Capability: []string{"authtype", "state"}, AuthType: "Bearer", Credential: "abc",
				Ephemeral: true, State: []string{"a:1", "b:2"}, Continue: true, Quit: true},
		},
		{
			name:  "an empty value resets a list",
			input: "wwwauth[]=a\nwwwauth[]=\nwwwauth[]=b\n",
			want:  Credential{WWWAuth: []string{"b"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tt.input))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("Read =\n%+v\nwant\n%+v", *got, tt.want)
			}
		})
	}
}

func TestReadRefuses(t *testing.T) {
	tests := []struct {
		name  string
		input string
	}{
		{"NUL in a value", "host=a\x00b\n"},
		{"carriage return inside a value", "host=a\rpassword=x\n"},
		{"line without =", "protocol https\n"},
		{"empty key", "=value\n"},
		{"invalid UTF-8", "host=\xff\xfe\n"},
		{"line over 65,535 bytes", "password=" + strings.Repeat("x", MaxLineLength) + "\n"},
		{"input over the total bound", strings.Repeat("wwwauth[]="+strings.Repeat("x", 60000)+"\n", 20)},
		{"too many attributes", strings.Repeat("state[]=x\n", MaxAttributes+1)},
		{"url that does not parse", "url=://nothing\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Read(strings.NewReader(tt.input))
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("Read = %+v, %v; want an error wrapping ErrInvalidInput", c, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestReadURLErrorHidesPassword(t *testing.T) {
	_, err := Read(strings.NewReader("url=https://bob:hunter2@exa mple.com/\n"))
	if err == nil {
		t.Fatal("Read accepted a URL with a space in its host")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error repeats the password: %v", err)
	}
}

func TestWriteRoundTrip(t *testing.T) {
	in := &Credential{
		Capability: []string{"authtype"}, Protocol: "https", Host: "github.com", Path: "acme/x.git",
		Username: "", HasUsername: true, Password: "p=w", HasPassword: true,
		PasswordExpiryUTC: "1700000000", OAuthRefreshToken: "rt", AuthType: "Bearer",
		Credential: "tok", Ephemeral: true, State: []string{"s:1"}, Continue: true, Quit: true,
	}
	var b bytes.Buffer
	if err := Write(&b, in); err != nil {
		t.Fatal(err)
	}
	out, err := Read(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip changed the credential:\n%+v\n%+v", in, out)
	}
}

func TestWriteRefusesInjection(t *testing.T) {
	for _, c := range []*Credential{
		{Password: "x\nusername=evil", HasPassword: true},
		{Username: "a\rb", HasUsername: true},
		{Host: "h\x00"},
		{State: []string{"a\nb"}},
	} {
		var b bytes.Buffer
		if err := Write(&b, c); err == nil {
			t.Errorf("Write(%+v) = nil error", c)
		}
		if b.Len() != 0 {
			t.Errorf("Write(%+v) wrote %q before refusing", c, b.String())
		}
	}
}

// FuzzRead checks that whatever Read accepts, Write can print and Read
// reads back the same, and that nothing Read accepts holds a byte that
// could inject a line.
func FuzzRead(f *testing.F) {
	for _, seed := range []string{
		"protocol=https\nhost=github.com\n",
		"url=https://u:p@h:1/a/b.git\n\n",
		"username=\npassword=\n",
		"capability[]=authtype\nstate[]=x\nwwwauth[]=Basic\nquit=1\n",
		"host=a\r\n\r\n",
		"host=a\x00\n",
		"noequals\n",
		"password_expiry_utc=9999999999\noauth_refresh_token=x\nephemeral=true\ncontinue=1\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Read(bytes.NewReader(data))
		// The daemon reads the same request in place: the same answer.
		inPlace, errInPlace := ReadInPlace(slices.Clone(data))
		if (err == nil) != (errInPlace == nil) || err == nil && !reflect.DeepEqual(c, inPlace) {
			t.Fatalf("Read = %+v, %v; ReadInPlace = %+v, %v", c, err, inPlace, errInPlace)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("Read returned an error not wrapping ErrInvalidInput: %v", err)
			}
			return
		}
		var b bytes.Buffer
		if err := Write(&b, c); err != nil {
			// Another helper's state may hold a CR, which Write never
			// prints; this helper never echoes state.
			if slices.ContainsFunc(c.State, func(s string) bool { return strings.Contains(s, "\r") }) {
				return
			}
			t.Fatalf("Write refused what Read accepted: %v (%+v)", err, c)
		}
		printed := b.String()
		again, err := Read(&b)
		if err != nil {
			t.Fatalf("Read refused what Write printed: %v", err)
		}
		// Empty multi-valued entries and false flags are not printed, and a
		// reset list reads back as nil: compare the printed forms.
		var b2 bytes.Buffer
		if err := Write(&b2, again); err != nil {
			t.Fatal(err)
		}
		if printed != b2.String() {
			t.Fatalf("not stable:\n%q\n%q", printed, b2.String())
		}
	})
}

// TestReadOpaqueValues: the values the helper only carries may hold any
// byte but NUL and newline, as git allows; the ones it interprets may not.
func TestReadOpaqueValues(t *testing.T) {
	const value = "Basic realm=\"caf\xe9\"\r\x01\xff"
	c, err := Read(strings.NewReader("protocol=https\nhost=example.com\nwwwauth[]=" + value + "\nstate[]=x:" + value +
		"\nfuture[]=" + value + "\n"))
	if err != nil {
		t.Fatalf("Read refused a request git sends: %v", err)
	}
	if len(c.WWWAuth) != 1 || c.WWWAuth[0] != value || len(c.State) != 1 || c.State[0] != "x:"+value {
		t.Errorf("values changed: %q %q", c.WWWAuth, c.State)
	}
	for _, key := range []string{"username", "password", "path", "credential", "authtype", "oauth_refresh_token"} {
		if _, err := Read(strings.NewReader(key + "=caf\xe9\n")); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s with invalid UTF-8: err = %v, want ErrInvalidInput", key, err)
		}
	}
}

// FuzzReadOpaqueValues: a get whose wwwauth[], state[] or unknown value
// holds any bytes but NUL and newline (a Latin-1 WWW-Authenticate) is read
// whole, the bytes kept, and the answer to it has no CR or LF in a value.
func FuzzReadOpaqueValues(f *testing.F) {
	f.Add([]byte("Basic realm=\"caf\xe9\""), uint8(0))
	f.Add([]byte("\xff\xfe\r\r"), uint8(1))
	f.Add([]byte("=\x80="), uint8(2))
	f.Fuzz(func(t *testing.T, value []byte, which uint8) {
		if bytes.ContainsAny(value, "\x00\n") {
			return
		}
		key := []string{"wwwauth[]", "state[]", "x-unknown"}[which%3]
		in := "protocol=https\nhost=example.com\nusername=alice\n" + key + "=" + string(value) + "\n"
		c, err := Read(strings.NewReader(in))
		if err != nil {
			t.Fatalf("Read refused %q: %v", in, err)
		}
		// A CR ending the line goes with its newline, as git reads it.
		value = bytes.TrimSuffix(value, []byte("\r"))
		switch key {
		case "wwwauth[]":
			if len(value) > 0 && (len(c.WWWAuth) != 1 || c.WWWAuth[0] != string(value)) {
				t.Fatalf("wwwauth[] = %q, want %q", c.WWWAuth, value)
			}
		case "state[]":
			if len(value) > 0 && (len(c.State) != 1 || c.State[0] != string(value)) {
				t.Fatalf("state[] = %q, want %q", c.State, value)
			}
		}
		e := Entry{Target: Target{Host: "example.com", Username: "alice", HasUsername: true}, Token: "secret"}
		h, _, _ := newHelper(e)
		var out bytes.Buffer
		if err := h.Run("get", strings.NewReader(in), &out); err != nil {
			t.Fatalf("get: %v", err)
		}
		if out.String() != "username=alice\npassword=secret\n" {
			t.Fatalf("get answered %q", out.String())
		}
	})
}

// benchRequest is what git sends a helper's get: the request, then EOF.
const benchRequest = "protocol=https\nhost=github.com\npath=acme/repo.git\nusername=alice\ncapability[]=authtype\nwwwauth[]=Basic realm=\"GitHub\"\n"

// BenchmarkRead parses one get request as git sends it.
func BenchmarkRead(b *testing.B) {
	b.SetBytes(int64(len(benchRequest)))
	for b.Loop() {
		c, err := Read(strings.NewReader(benchRequest))
		if err != nil || c.Host != "github.com" || c.Path != "acme/repo.git" || c.Username != "alice" || len(c.WWWAuth) != 1 {
			b.Fatalf("Read: %+v, %v", c, err)
		}
	}
}

// BenchmarkWrite prints one get answer.
func BenchmarkWrite(b *testing.B) {
	answer := &Credential{Protocol: "https", Host: "github.com", Username: "alice", HasUsername: true,
		Password: "ghp_abcdefghijklmnopqrstuvwxyz0123456789", HasPassword: true, PasswordExpiryUTC: "1893456000"}
	const want = "protocol=https\nhost=github.com\nusername=alice\npassword=ghp_abcdefghijklmnopqrstuvwxyz0123456789\npassword_expiry_utc=1893456000\n"
	var out bytes.Buffer
	b.SetBytes(int64(len(want)))
	for b.Loop() {
		out.Reset()
		if err := Write(&out, answer); err != nil || out.String() != want {
			b.Fatalf("Write: %q, %v", out.String(), err)
		}
	}
}
