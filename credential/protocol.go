// Package credential speaks git's credential helper protocol (git-credential(1))
// and holds the rules that decide which stored token answers a request.
//
// It knows nothing of where tokens are kept: callers hand it targets and get
// back the index of the one that matches.
package credential

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Limits on what Read accepts. git itself never sends a line longer than
// 65,535 bytes; the total bound keeps a hostile or broken caller from making
// the helper hold unbounded memory.
const (
	MaxLineLength  = 65535
	MaxInputLength = 1 << 20
	MaxAttributes  = 4096
)

// ErrInvalidInput is wrapped by every error Read returns for input that
// breaks the protocol's rules.
var ErrInvalidInput = errors.New("invalid credential input")

// Credential is one request or answer of the protocol. Username and Password
// may be present but empty (git sends "username=" for an empty user name), so
// their presence is tracked apart from their value.
type Credential struct {
	Protocol string
	Host     string // with ":port" when the URL has one
	Path     string
	Username string
	Password string

	HasUsername bool
	HasPassword bool

	PasswordExpiryUTC string // Unix seconds, as git sends it (git 2.40+)
	OAuthRefreshToken string // git 2.41+

	WWWAuth    []string // wwwauth[] (git 2.41+)
	Capability []string // capability[] (git 2.46+)
	AuthType   string   // authtype (git 2.46+)
	Credential string   // credential, a pre-encoded Authorization value (git 2.46+)
	Ephemeral  bool     // ephemeral (git 2.46+): never store it
	State      []string // state[] (git 2.46+)
	Continue   bool     // continue (git 2.46+)
	Quit       bool     // quit (git 2.3+)
}

// Read parses protocol input: key=value lines ended by a blank line or EOF.
// A trailing CR is dropped from each line. Unknown keys are ignored, as git
// does. Input with a NUL, a line longer than MaxLineLength or more than
// MaxInputLength bytes in all is refused with an error wrapping
// ErrInvalidInput, and so is a CR or invalid UTF-8 in a value the helper
// interprets (see opaque): the others may hold any byte but NUL and
// newline, as git allows.
func Read(r io.Reader) (*Credential, error) {
	br := bufio.NewReaderSize(r, 4096)
	return read(func() (string, error) { return readLine(br) })
}

// ReadInPlace is Read of a request already in memory, whose values are
// data's own bytes rather than copies: the cache daemon reads git's
// requests, passwords included, in the locked memory they arrived in, and
// must keep data, unchanged, as long as it uses the result.
func ReadInPlace(data []byte) (*Credential, error) {
	return read(func() (string, error) {
		if len(data) == 0 {
			return "", io.EOF
		}
		end, rest := len(data), []byte(nil)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			end, rest = i, data[i+1:]
		}
		line := data[:end]
		data = rest
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		if len(line) > MaxLineLength {
			return "", fmt.Errorf("%w: a line is longer than %d bytes", ErrInvalidInput, MaxLineLength)
		}
		if len(line) == 0 {
			if data == nil {
				return "", io.EOF
			}
			return "", nil
		}
		var err error
		if data == nil {
			err = io.EOF
		}
		return unsafe.String(&line[0], len(line)), err
	})
}

// read parses the lines next returns, with Read's limits.
func read(next func() (string, error)) (*Credential, error) {
	c := &Credential{}
	total, count := 0, 0
	for lineNo := 1; ; lineNo++ {
		line, err := next()
		total += len(line) + 1
		if total > MaxInputLength {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrInvalidInput, MaxInputLength)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if line == "" {
			// A blank line ends the input; so does EOF.
			return c, nil
		}
		if count++; count > MaxAttributes {
			return nil, fmt.Errorf("%w: more than %d attributes", ErrInvalidInput, MaxAttributes)
		}
		if e := c.set(line); e != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrInvalidInput, lineNo, e)
		}
		if err != nil {
			return c, nil
		}
	}
}

// readLine returns the next line without its newline, and without one CR
// before it, as git reads a line (a value's own CRs before that stay). A
// line over MaxLineLength is an error; the rest of it is not read into
// memory.
func readLine(br *bufio.Reader) (string, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > MaxLineLength+2 {
			return "", fmt.Errorf("%w: a line is longer than %d bytes", ErrInvalidInput, MaxLineLength)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		line := strings.TrimSuffix(strings.TrimSuffix(string(buf), "\n"), "\r")
		if len(line) > MaxLineLength {
			return "", fmt.Errorf("%w: a line is longer than %d bytes", ErrInvalidInput, MaxLineLength)
		}
		return line, err
	}
}

func (c *Credential) set(line string) error {
	if strings.IndexByte(line, 0) >= 0 {
		return errors.New("it holds a NUL byte")
	}
	key, value, ok := strings.Cut(line, "=")
	if !ok || key == "" {
		return errors.New("it is not of the form key=value")
	}
	if !opaque(key) {
		if strings.IndexByte(line, '\r') >= 0 {
			return errors.New("it holds a carriage return")
		}
		if !utf8.ValidString(line) {
			return errors.New("it is not valid UTF-8")
		}
	}
	switch key {
	case "protocol":
		c.Protocol = value
	case "host":
		c.Host = value
	case "path":
		c.Path = value
	case "username":
		c.Username, c.HasUsername = value, true
	case "password":
		c.Password, c.HasPassword = value, true
	case "password_expiry_utc":
		c.PasswordExpiryUTC = value
	case "oauth_refresh_token":
		c.OAuthRefreshToken = value
	case "url":
		return c.setURL(value)
	case "wwwauth[]":
		c.WWWAuth = appendOrReset(c.WWWAuth, value)
	case "capability[]":
		c.Capability = appendOrReset(c.Capability, value)
	case "authtype":
		c.AuthType = value
	case "credential":
		c.Credential = value
	case "ephemeral":
		c.Ephemeral = isTrue(value)
	case "state[]":
		c.State = appendOrReset(c.State, value)
	case "continue":
		c.Continue = isTrue(value)
	case "quit":
		c.Quit = isTrue(value)
	}
	return nil
}

// opaque reports whether the helper only carries a key's value, never
// interprets or stores it: wwwauth[] (a server's WWW-Authenticate, which
// may be Latin-1), state[] (another helper's) and keys it does not know.
// Such a value may hold any byte but NUL and newline, as git allows; a CR or
// invalid UTF-8 there must not cost the user the token git asked for.
func opaque(key string) bool {
	switch key {
	case "protocol", "host", "path", "username", "password", "password_expiry_utc", "oauth_refresh_token",
		"url", "capability[]", "authtype", "credential", "ephemeral", "continue", "quit":
		return false
	}
	return true
}

// appendOrReset follows git's rule for multi-valued keys: an empty value
// clears the list.
func appendOrReset(list []string, value string) []string {
	if value == "" {
		return nil
	}
	return append(list, value)
}

// isTrue reads a boolean the way git's git_config_bool does for the values
// that matter here.
func isTrue(v string) bool {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// setURL expands url= into its parts, as git's credential_from_url does:
// it replaces protocol, host, path, username and password.
func (c *Credential) setURL(raw string) error {
	u, ok := SplitURL(raw)
	if !ok || !HostValid(u.Host) {
		return fmt.Errorf("url %q cannot be parsed", redactURL(raw))
	}
	c.Protocol, c.Host, c.Path = u.Protocol, u.Host, u.Path
	c.Username, c.HasUsername = u.Username, u.HasUsername
	c.Password, c.HasPassword = u.Password, u.HasPassword
	// Percent-encoding can smuggle a newline into a part; git refuses such
	// URLs too (CVE-2020-5260).
	for _, part := range []string{c.Protocol, c.Host, c.Path, c.Username, c.Password} {
		if strings.ContainsAny(part, "\n\r\x00") || !utf8.ValidString(part) {
			return fmt.Errorf("url %q encodes a control character or invalid UTF-8", redactURL(raw))
		}
	}
	return nil
}

// redactURL drops the userinfo of a URL so an error message never repeats a
// password.
func redactURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "<unparsable>"
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		if slash := strings.IndexByte(rest, '/'); slash < 0 || at < slash {
			rest = "<redacted>@" + rest[at+1:]
		}
	}
	return scheme + "://" + rest
}

// Write prints an answer: one key=value line per known, non-empty attribute
// (username and password whenever present, even empty). It refuses to write
// a value holding a newline or NUL, which would let one attribute inject
// another.
func Write(w io.Writer, c *Credential) error {
	var b bytes.Buffer
	add := func(key, value string) {
		b.WriteString(key)
		b.WriteByte('=')
		b.WriteString(value)
		b.WriteByte('\n')
	}
	fields := []struct {
		key, value string
		present    bool
	}{
		{"protocol", c.Protocol, c.Protocol != ""},
		{"host", c.Host, c.Host != ""},
		{"path", c.Path, c.Path != ""},
		{"username", c.Username, c.HasUsername},
		{"password", c.Password, c.HasPassword},
		{"password_expiry_utc", c.PasswordExpiryUTC, c.PasswordExpiryUTC != ""},
		{"oauth_refresh_token", c.OAuthRefreshToken, c.OAuthRefreshToken != ""},
		{"authtype", c.AuthType, c.AuthType != ""},
		{"credential", c.Credential, c.Credential != ""},
	}
	for _, capability := range c.Capability {
		if err := checkValue("capability[]", capability); err != nil {
			return err
		}
		add("capability[]", capability)
	}
	for _, f := range fields {
		if !f.present {
			continue
		}
		if err := checkValue(f.key, f.value); err != nil {
			return err
		}
		add(f.key, f.value)
	}
	if c.Ephemeral {
		add("ephemeral", "1")
	}
	for _, s := range c.State {
		if err := checkValue("state[]", s); err != nil {
			return err
		}
		add("state[]", s)
	}
	if c.Continue {
		add("continue", "1")
	}
	if c.Quit {
		add("quit", "1")
	}
	_, err := w.Write(b.Bytes())
	return err
}

func checkValue(key, value string) error {
	if strings.ContainsAny(value, "\n\r\x00") {
		return fmt.Errorf("cannot write %s: its value holds a newline, carriage return or NUL", key)
	}
	return nil
}

// Redacted renders the credential for a debug trace: every attribute
// present, with the password, refresh token and pre-encoded credential
// masked so a trace can be shared, and control characters escaped (an
// answer's values come from the store, which may hold an ESC).
func (c *Credential) Redacted() string {
	masked := *c
	if c.HasPassword {
		masked.Password = Masked(c.Password)
	}
	if c.OAuthRefreshToken != "" {
		masked.OAuthRefreshToken = Masked(c.OAuthRefreshToken)
	}
	if c.Credential != "" {
		masked.Credential = Masked(c.Credential)
	}
	// Another helper's state may hold a CR, which Write refuses to print.
	masked.State = nil
	for _, s := range c.State {
		masked.State = append(masked.State, strings.ReplaceAll(s, "\r", `\r`))
	}
	var b bytes.Buffer
	if err := Write(&b, &masked); err != nil {
		return "<unprintable: " + err.Error() + ">"
	}
	return Escape(strings.TrimSuffix(strings.ReplaceAll(b.String(), "\n", " "), " "))
}
