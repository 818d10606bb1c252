package daemon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"slices"
	"strings"
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

// heldEntry is what the daemon keeps of one entry besides its bytes in the
// locked body: what status shows of it, and where it lies. A daemon holds
// thousands, for a whole interval, so they are kept small: one slice, the
// host sharing the target's bytes.
type heldEntry struct {
	target  string
	host    string
	expires int64 // the token's expiry in Unix nanoseconds; 0 for none
	at, end int32 // zero when the client did not place entries
}

// hostIndex is what the daemon knows of a snapshot's entries. head is the
// length of the body's `{"stamp":...,"entries":[`; byHost orders entries
// by host, in body order within a host, and is nil when the snapshot can
// only be served whole.
type hostIndex struct {
	head    int
	entries []heldEntry // in the snapshot's order
	byHost  []int32
}

// split reports whether the snapshot can be served one host at a time.
func (x *hostIndex) split() bool { return x != nil && x.byHost != nil }

// status lists the entries for cache status.
func (x *hostIndex) status() []SnapshotEntry {
	if x == nil || len(x.entries) == 0 {
		return nil
	}
	out := make([]SnapshotEntry, len(x.entries))
	for i, e := range x.entries {
		out[i] = SnapshotEntry{Target: e.target}
		if e.expires != 0 {
			out[i].TokenExpires = time.Unix(0, e.expires).UTC()
		}
	}
	return out
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

// indexSnapshot checks a description's places against body and indexes
// the entries by host. A description without places (from an older client)
// gives an index that cannot split the snapshot: it is served whole only.
// The stamp is a JSON string, whose quotes are escaped, so the first
// `,"entries":[` ends the head.
func indexSnapshot(body []byte, described []cache.DescribedEntry) (*hostIndex, error) {
	if len(body) > math.MaxInt32 {
		return nil, errors.New("the snapshot is too large")
	}
	index := &hostIndex{entries: make([]heldEntry, len(described))}
	placed := len(described) > 0 && described[0].Len != 0
	// Every target and host goes into one string, a host sharing its
	// target's bytes where it begins the target: one allocation for the
	// interval, instead of thousands of small ones among the garbage of
	// decoding, which would keep those pages from being handed back.
	size := 0
	for _, d := range described {
		size += len(d.Target)
		if !strings.HasPrefix(d.Target, d.Host) {
			size += len(d.Host)
		}
	}
	var text strings.Builder
	text.Grow(size)
	for _, d := range described {
		text.WriteString(d.Target)
		if !strings.HasPrefix(d.Target, d.Host) {
			text.WriteString(d.Host)
		}
	}
	all, at := text.String(), 0
	cut := func(n int) string { at += n; return all[at-n : at] }
	for i, d := range described {
		if (d.Len != 0) != placed {
			return nil, errors.New("some entries are placed in the body and others not")
		}
		e := heldEntry{target: cut(len(d.Target))}
		if !d.TokenExpires.IsZero() {
			e.expires = d.TokenExpires.UnixNano()
		}
		if strings.HasPrefix(d.Target, d.Host) {
			e.host = e.target[:len(d.Host)]
		} else {
			e.host = cut(len(d.Host))
		}
		index.entries[i] = e
	}
	head := bytes.Index(body, []byte(`,"entries":[`))
	shaped := bytes.HasPrefix(body, []byte(`{"stamp":`)) && head >= 0 && bytes.HasSuffix(body, snapshotTail)
	if !placed && (len(described) > 0 || !shaped) {
		return index, nil // an older client's snapshot: served whole only
	}
	if !shaped {
		return nil, errors.New("the body is not a snapshot")
	}
	index.head = head + len(`,"entries":[`)
	next := index.head
	for i, d := range described {
		if d.Len <= 0 || d.At < next || d.At > len(body) || d.Len > len(body)-len(snapshotTail)-d.At {
			return nil, errors.New("an entry's place lies outside the body or overlaps another")
		}
		next = d.At + d.Len
		index.entries[i].at, index.entries[i].end = int32(d.At), int32(next)
	}
	index.byHost = make([]int32, len(described))
	for i := range index.byHost {
		index.byHost[i] = int32(i)
	}
	slices.SortStableFunc(index.byHost, func(a, b int32) int {
		return strings.Compare(index.entries[a].host, index.entries[b].host)
	})
	return index, nil
}

// writeHost writes the reply to OpGetHost: the snapshot's head, the host's
// entries and the snapshot's end, each a slice of the locked body.
func (x *hostIndex) writeHost(conn net.Conn, epoch uint64, body []byte, host string) {
	first, _ := slices.BinarySearchFunc(x.byHost, host, func(i int32, host string) int {
		return strings.Compare(x.entries[i].host, host)
	})
	parts := net.Buffers{nil, body[:x.head]}
	n := x.head
	for _, i := range x.byHost[first:] {
		e := x.entries[i]
		if e.host != host {
			break
		}
		if len(parts) > 2 {
			parts = append(parts, comma)
			n++
		}
		parts = append(parts, body[e.at:e.end])
		n += int(e.end - e.at)
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
