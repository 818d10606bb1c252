package cache

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/store/cache/relay"
)

// The cache daemon's wire: one message each way per connection, in git's
// credential format. A message is key=value lines, a blank line, and a
// body that runs to the end of the connection:
//
//	op=get                 the request's header: what to do, and for whom
//	arg=--backend=file
//	env=HOME=/home/alice
//
//	protocol=https         the body: here git's request, relayed as is
//	host=github.com
//
// The client shuts its side for writing after the body; the daemon answers
// with a header (status=..., epoch=...), a blank line, and a body: the
// lines to print for git, entries, or a secret. See FORMAT.md in store/.
const (
	// Relayed from git by the front: the daemon answers with the lines
	// to print (StatusAnswer) or says the full program must (StatusDefer).
	OpGet   = "get"
	OpStore = "store"

	OpEntries   = "entries"   // the entries held for Backend, if its Stamp is still current
	OpPut       = "put"       // hold Body's entries for Backend, unless Epoch is stale
	OpSecret    = "secret"    // the secret that unlocks Backend
	OpPutSecret = "putsecret" // hold Body as that secret
	OpDrop      = "drop"      // drop Backend's entries, start a new epoch
	OpForget    = "forget"    // drop Backend's entries and secret, new epoch
	OpTouch     = "touch"     // restart the interval of what Backend holds
	OpStatus    = "status"    // what is held, never a secret
	OpExit      = "exit"      // wipe everything and stop

	StatusOK     = "ok"
	StatusAnswer = "answer"
	StatusDefer  = "defer"
	StatusMiss   = "miss"
	StatusStale  = "stale"
	StatusError  = "error"
	// StatusOtherBuild: the request came from another build than the
	// daemon's, which answers nothing and stops.
	StatusOtherBuild = "otherbuild"
)

// Limits on what the daemon reads. A request is read into memory as its
// bytes arrive, so a client that claims much and sends little holds
// little; MaxMessage bounds one message and MaxInFlight all the messages
// being read at once.
const (
	MaxMessage  = 16 << 20
	MaxInFlight = 64 << 20
)

// ErrTooLarge is wrapped when a message passes its limit.
var ErrTooLarge = errors.New("the message is too large")

// Request is one request to the daemon.
type Request struct {
	Op      string
	Backend string        // a backend.ID
	Stamp   string        // the backend's stamp the entries were read at
	Epoch   uint64        // the epoch a put's entries were read under
	Timeout time.Duration // how long to hold what is put or touched
	Until   time.Time     // a put's hard deadline (its first token expiry); zero for none
	Build   string        // the sender's BuildID: a daemon answers its own build only
	Args    []string      // relayed: the program's arguments
	Env     []string      // relayed: NAME=VALUE of the variables the options read
	Body    []byte
}

// Encode renders the request as one buffer, written with one call. It
// fails on a header value holding a line break or NUL.
func (r *Request) Encode() ([]byte, error) {
	var b []byte
	var err error
	put := func(key, value string) {
		if strings.ContainsAny(value, "\n\r\x00") {
			err = fmt.Errorf("cannot send %s to the cache daemon: it holds a line break or NUL", key)
		}
		b = append(append(append(append(b, key...), '='), value...), '\n')
	}
	put("op", r.Op)
	if r.Build != "" {
		put("build", r.Build)
	}
	if r.Backend != "" {
		put("backend", r.Backend)
	}
	if r.Stamp != "" {
		put("stamp", r.Stamp)
	}
	if r.Epoch != 0 {
		put("epoch", strconv.FormatUint(r.Epoch, 10))
	}
	if r.Timeout != 0 {
		put("timeout_ms", strconv.FormatInt(r.Timeout.Milliseconds(), 10))
	}
	if !r.Until.IsZero() {
		put("until_ms", strconv.FormatInt(r.Until.UnixMilli(), 10))
	}
	for _, a := range r.Args {
		put("arg", a)
	}
	for _, e := range r.Env {
		put("env", e)
	}
	b = append(b, '\n')
	return append(b, r.Body...), err
}

// ParseRequest reads a request from a whole message. Body aliases msg.
func ParseRequest(msg []byte) (*Request, error) {
	r := &Request{}
	body, err := eachHeaderLine(msg, func(key, value string) error {
		var err error
		switch key {
		case "op":
			r.Op = value
		case "build":
			r.Build = value
		case "backend":
			r.Backend = value
		case "stamp":
			r.Stamp = value
		case "epoch":
			r.Epoch, err = strconv.ParseUint(value, 10, 64)
		case "timeout_ms":
			var ms int64
			ms, err = strconv.ParseInt(value, 10, 64)
			if err == nil && (ms <= 0 || ms > int64(365*24*time.Hour/time.Millisecond)) {
				err = errors.New("out of range")
			}
			r.Timeout = time.Duration(ms) * time.Millisecond
		case "until_ms":
			var ms int64
			ms, err = strconv.ParseInt(value, 10, 64)
			r.Until = time.UnixMilli(ms)
		case "arg":
			r.Args = append(r.Args, value)
		case "env":
			r.Env = append(r.Env, value)
		}
		// Unknown keys are ignored, as in git's protocol.
		if err != nil {
			return fmt.Errorf("malformed %s %q", key, value)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if r.Op == "" {
		return nil, errors.New("no op")
	}
	r.Body = body
	return r, nil
}

// Reply is the daemon's answer.
type Reply struct {
	Status  string
	Build   string // the daemon's BuildID
	Epoch   uint64
	Message string // what went wrong, for StatusError
	Body    []byte
}

// AppendHeader renders the reply's header and its blank line.
func (r *Reply) AppendHeader(b []byte) []byte {
	b = append(append(append(b, "status="...), r.Status...), '\n')
	if r.Epoch != 0 {
		b = strconv.AppendUint(append(b, "epoch="...), r.Epoch, 10)
		b = append(b, '\n')
	}
	if r.Message != "" {
		b = append(append(append(b, "message="...), oneLine(r.Message)...), '\n')
	}
	if r.Build != "" {
		b = append(append(append(b, "build="...), oneLine(r.Build)...), '\n')
	}
	return append(b, '\n')
}

// ParseReply reads a reply from a whole message. Body aliases msg.
func ParseReply(msg []byte) (*Reply, error) {
	r := &Reply{}
	body, err := eachHeaderLine(msg, func(key, value string) error {
		var err error
		switch key {
		case "status":
			r.Status = value
		case "build":
			r.Build = value
		case "epoch":
			r.Epoch, err = strconv.ParseUint(value, 10, 64)
		case "message":
			r.Message = value
		}
		if err != nil {
			return fmt.Errorf("malformed %s %q", key, value)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if r.Status == "" {
		return nil, errors.New("no status")
	}
	r.Body = body
	return r, nil
}

// eachHeaderLine calls fn for each key=value line of msg's header and
// returns what follows the blank line that ends it.
func eachHeaderLine(msg []byte, fn func(key, value string) error) (body []byte, err error) {
	for len(msg) > 0 {
		i := 0
		for i < len(msg) && msg[i] != '\n' {
			i++
		}
		if i == len(msg) {
			return nil, errors.New("the header does not end with a blank line")
		}
		line := string(msg[:i])
		msg = msg[i+1:]
		if line == "" {
			return msg, nil
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || key == "" || strings.IndexByte(line, 0) >= 0 {
			return nil, fmt.Errorf("malformed header line %q", oneLine(line))
		}
		if err := fn(key, value); err != nil {
			return nil, err
		}
	}
	return nil, errors.New("the message is empty")
}

// oneLine keeps a message on one line, whatever it holds.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// Grower hands out the buffer a message is read into: Grow returns a
// buffer of at least n bytes holding old's bytes, and disposes of old.
type Grower interface {
	Grow(old []byte, n int) ([]byte, error)
}

// heapGrower grows on the heap, wiping what it leaves behind.
type heapGrower struct{}

func (heapGrower) Grow(old []byte, n int) ([]byte, error) {
	b := make([]byte, len(old), n)
	copy(b, old)
	clear(old)
	return b, nil
}

// ReadMessage reads a whole message, to the end of r, as its bytes arrive:
// the buffer starts small and grows (through g, so the daemon's buffers
// are locked memory) only as far as the bytes that came, up to limit. The
// result is the same however the bytes are split into reads.
func ReadMessage(r io.Reader, limit int, g Grower) ([]byte, error) {
	if g == nil {
		g = heapGrower{}
	}
	buf, err := g.Grow(nil, min(4096, limit))
	if err != nil {
		return nil, err
	}
	for {
		if len(buf) == cap(buf) {
			if len(buf) >= limit {
				// One more byte would pass the limit: is there one?
				var probe [1]byte
				if n, _ := io.ReadFull(r, probe[:]); n > 0 {
					return buf, fmt.Errorf("%w: over %d bytes", ErrTooLarge, limit)
				}
				return buf, nil
			}
			if buf, err = g.Grow(buf, min(2*cap(buf), limit)); err != nil {
				return buf, err
			}
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// RelayedEnv is what of an environment a relayed request carries: the
// helper's own variables (but the vault passphrase, which never travels)
// and those its files' locations follow, so the daemon answers for the
// client's setup, not its own (relay.Env, which the front uses).
func RelayedEnv(environ []string) []string { return relay.Env(environ) }
