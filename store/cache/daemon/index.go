package daemon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// A lookup needs one host's entries, so the daemon answers OpGetHost with
// those alone: the client then decodes a few entries, not thousands. The
// client encodes each entry of a snapshot on its own and tells the daemon,
// in the snapshot's description, where each one lies in the body and which
// host it is for; the daemon writes the host's entries straight from the
// locked body, so no copy of a secret is made on its heap.

// span is where one entry lies in a snapshot's body.
type span struct{ at, end int }

// hostIndex finds a host's entries in a snapshot's body: head is the
// length of its `{"stamp":...,"entries":[` and hosts the spans of each
// host's entries, in order.
type hostIndex struct {
	head  int
	hosts map[string][]span
}

// snapshotHead is how a snapshot's body begins, up to its first entry.
func snapshotHead(stamp string) ([]byte, error) {
	s, err := json.Marshal(stamp)
	if err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, `{"stamp":%s,"entries":[`, s), nil
}

// encodeEntries renders a snapshot as json.Marshal would, and describes
// where each entry lies in it.
func encodeEntries(stamp string, entries []credential.Entry, described []cache.DescribedEntry) ([]byte, error) {
	body, err := snapshotHead(stamp)
	if err != nil {
		return nil, err
	}
	for i, e := range entries {
		if i > 0 {
			body = append(body, ',')
		}
		item, err := json.Marshal(e)
		if err != nil {
			clear(body)
			return nil, err
		}
		described[i].Host, described[i].At, described[i].Len = e.Host, len(body), len(item)
		body = append(body, item...)
		clear(item)
	}
	return append(body, "]}"...), nil
}

// indexSnapshot checks a description's spans against body and indexes them
// by host. A description without spans (from an older client) gives a nil
// index: such a snapshot is served whole only. The stamp is a JSON string,
// whose quotes are escaped, so the first `,"entries":[` ends the head.
func indexSnapshot(body []byte, described []cache.DescribedEntry) (*hostIndex, error) {
	head := bytes.Index(body, []byte(`,"entries":[`))
	shaped := bytes.HasPrefix(body, []byte(`{"stamp":`)) && head >= 0 && bytes.HasSuffix(body, snapshotTail)
	if len(described) == 0 || described[0].Len == 0 {
		for _, d := range described {
			if d.Len != 0 {
				return nil, errors.New("some entries are placed in the body and others not")
			}
		}
		if len(described) > 0 || !shaped {
			return nil, nil // an older client's snapshot: served whole only
		}
	}
	if !shaped {
		return nil, errors.New("the body is not a snapshot")
	}
	head += len(`,"entries":[`)
	index := &hostIndex{head: head, hosts: map[string][]span{}}
	next := head
	for _, d := range described {
		s := span{d.At, d.At + d.Len}
		if d.Len <= 0 || s.at < next || s.end > len(body)-len("]}") {
			return nil, errors.New("an entry's place lies outside the body or overlaps another")
		}
		next = s.end
		index.hosts[d.Host] = append(index.hosts[d.Host], s)
	}
	return index, nil
}

// writeHost writes the reply to OpGetHost: the snapshot's head, the host's
// entries and the snapshot's end, each a slice of the locked body.
func (x *hostIndex) writeHost(conn net.Conn, epoch uint64, body []byte, host string) {
	spans := x.hosts[host]
	parts := make(net.Buffers, 0, 2*len(spans)+3)
	parts = append(parts, nil, body[:x.head])
	n := x.head
	for i, s := range spans {
		if i > 0 {
			parts = append(parts, comma)
			n++
		}
		parts = append(parts, body[s.at:s.end])
		n += s.end - s.at
	}
	parts = append(parts, snapshotTail)
	n += len(snapshotTail)
	parts[0] = cache.ReplyHeader(cache.ReplyOK, epoch, n)
	parts.WriteTo(conn)
}

var (
	comma        = []byte(",")
	snapshotTail = []byte("]}")
)

// EncodeSnapshot renders entries for the daemon, expired tokens withheld.
// capAt is the earliest expiry of a token still valid: the daemon drops the
// snapshot then, so no token is held past its own expiry.
func EncodeSnapshot(stamp string, entries []credential.Entry, now time.Time) (body, meta []byte, capAt time.Time, err error) {
	held := make([]credential.Entry, len(entries))
	described := make([]cache.DescribedEntry, len(entries))
	for i, e := range entries {
		if e.Expired(now) {
			e.Token = cache.Withhold(e.Token)
		} else if !e.Expires.IsZero() && (capAt.IsZero() || e.Expires.Before(capAt)) {
			capAt = e.Expires
		}
		held[i] = e
		described[i] = cache.DescribedEntry{Target: e.Target.String(), TokenExpires: e.Expires}
	}
	if body, err = encodeEntries(stamp, held, described); err != nil {
		return nil, nil, time.Time{}, err
	}
	if meta, err = json.Marshal(described); err != nil {
		return nil, nil, time.Time{}, err
	}
	return body, meta, capAt, nil
}
