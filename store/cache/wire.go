package cache

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The cache daemon's wire format, one request and one reply per connection.
// A frame is a header line of space-separated fields, the last of which give
// the lengths of the parts that follow it, raw:
//
//	request: OP EPOCH TIMEOUT_MS CAP_UNIX_MS KEYLEN METALEN BODYLEN\n KEY META BODY
//	reply:   STATUS EPOCH BODYLEN\n BODY
//
// KEY names the backend, META describes a snapshot for status (no secrets),
// BODY is the secret: a snapshot of entries, or what unlocks the backend
// (a vault's key; a passphrase from releases before vault keys). OP is one of
// the Op constants; STATUS is ok, miss, stale or err (BODY the message).
const (
	OpGet     = "get"     // the snapshot of KEY's entries
	OpGetHost = "gethost" // the snapshot of KEY's entries for the host META
	OpPass    = "pass"    // what unlocks KEY: a vault's key
	OpPut     = "put"     // hold BODY as KEY's snapshot, unless EPOCH is stale
	OpPutPass = "putpass" // hold BODY as what unlocks KEY
	OpDrop    = "drop"    // drop KEY's snapshot, start a new epoch
	OpForget  = "forget"  // drop KEY's snapshot and passphrase, new epoch
	OpTouch   = "touch"   // restart the interval of what KEY holds
	OpStatus  = "status"  // what is held, as JSON, never a secret
	OpExit    = "exit"    // wipe everything and stop

	ReplyOK    = "ok"
	ReplyMiss  = "miss"
	ReplyStale = "stale"
	ReplyErr   = "err"
)

// Limits on what the daemon accepts: a vault of many thousands of entries
// fits; a runaway or hostile client does not make it allocate gigabytes.
const (
	maxHeaderLen = 256
	maxKeyLen    = 4 << 10
	maxMetaLen   = 8 << 20
	maxBodyLen   = 16 << 20
)

// Request is one request to the daemon.
type Request struct {
	Op        string
	Epoch     uint64
	TimeoutMS int64
	CapMS     int64 // a hard deadline (Unix ms) for a snapshot; 0 for none
	Key       string
	Meta      []byte
	Body      []byte
}

// Encode renders the request as one buffer, written with one call.
func (r *Request) Encode() []byte {
	out := make([]byte, 0, maxHeaderLen+len(r.Key)+len(r.Meta)+len(r.Body))
	out = append(out, r.Op...)
	out = strconv.AppendUint(append(out, ' '), r.Epoch, 10)
	for _, n := range [...]int64{r.TimeoutMS, r.CapMS, int64(len(r.Key)), int64(len(r.Meta)), int64(len(r.Body))} {
		out = strconv.AppendInt(append(out, ' '), n, 10)
	}
	out = append(out, '\n')
	out = append(out, r.Key...)
	out = append(out, r.Meta...)
	return append(out, r.Body...)
}

// FrameReader reads frames without a buffer that outlives the request, so
// the only copy of a secret body the reader makes is where alloc puts it.
type FrameReader struct {
	r          io.Reader
	buf        [maxHeaderLen + 64]byte
	start, end int
}

// header returns the header's fields.
func (f *FrameReader) header(want int) ([]string, error) {
	for {
		if i := bytes.IndexByte(f.buf[f.start:f.end], '\n'); i >= 0 {
			line := string(f.buf[f.start : f.start+i])
			f.start += i + 1
			fields := strings.Split(line, " ")
			if len(fields) != want {
				return nil, fmt.Errorf("malformed header: want %d fields, got %d", want, len(fields))
			}
			return fields, nil
		}
		if f.end-f.start >= maxHeaderLen {
			return nil, errors.New("malformed header: too long")
		}
		n, err := f.r.Read(f.buf[f.end:])
		f.end += n
		if err != nil && n == 0 {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}

// full fills p from what is buffered, then from the connection.
func (f *FrameReader) full(p []byte) error {
	n := copy(p, f.buf[f.start:f.end])
	f.start += n
	_, err := io.ReadFull(f.r, p[n:])
	return err
}

// Wipe clears the buffer, which may hold the start of a secret.
func (f *FrameReader) Wipe() { clear(f.buf[:]) }

// parseLength reads a length field and checks it against a limit.
func parseLength(s, what string, limit int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("malformed %s length %q", what, s)
	}
	if n > limit {
		return 0, fmt.Errorf("the %s is %d bytes, over the limit of %d", what, n, limit)
	}
	return n, nil
}

func parseNumber(s, what string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("malformed %s %q", what, s)
	}
	return n, nil
}

// ReadRequest reads a request; alloc makes the buffer its body goes into.
func ReadRequest(f *FrameReader, alloc func(int) []byte) (*Request, error) {
	fields, err := f.header(7)
	if err != nil {
		return nil, err
	}
	r := &Request{Op: fields[0]}
	epoch, err := strconv.ParseUint(fields[1], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("malformed epoch %q", fields[1])
	}
	r.Epoch = epoch
	if r.TimeoutMS, err = parseNumber(fields[2], "timeout"); err != nil {
		return nil, err
	}
	if r.CapMS, err = parseNumber(fields[3], "deadline"); err != nil {
		return nil, err
	}
	keyLen, err := parseLength(fields[4], "key", maxKeyLen)
	if err != nil {
		return nil, err
	}
	metaLen, err := parseLength(fields[5], "description", maxMetaLen)
	if err != nil {
		return nil, err
	}
	bodyLen, err := parseLength(fields[6], "body", maxBodyLen)
	if err != nil {
		return nil, err
	}
	key := make([]byte, keyLen)
	if err := f.full(key); err != nil {
		return nil, err
	}
	r.Key = string(key)
	r.Meta = make([]byte, metaLen)
	if err := f.full(r.Meta); err != nil {
		return nil, err
	}
	r.Body = alloc(bodyLen)
	if err := f.full(r.Body); err != nil {
		return r, err // the caller wipes the partial body
	}
	return r, nil
}

// ReplyHeader is a reply's header line.
func ReplyHeader(status string, epoch uint64, bodyLen int) []byte {
	return fmt.Appendf(nil, "%s %d %d\n", status, epoch, bodyLen)
}

// readReply reads a reply into a fresh buffer.
func readReply(f *FrameReader) (status string, epoch uint64, body []byte, err error) {
	fields, err := f.header(3)
	if err != nil {
		return "", 0, nil, err
	}
	if epoch, err = strconv.ParseUint(fields[1], 10, 64); err != nil {
		return "", 0, nil, fmt.Errorf("malformed epoch %q", fields[1])
	}
	n, err := parseLength(fields[2], "body", maxBodyLen)
	if err != nil {
		return "", 0, nil, err
	}
	body = make([]byte, n)
	if err := f.full(body); err != nil {
		return "", 0, nil, err
	}
	return fields[0], epoch, body, nil
}

// NewFrameReader reads frames from r.
func NewFrameReader(r io.Reader) *FrameReader { return &FrameReader{r: r} }
