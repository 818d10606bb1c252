package cache

import (
	"bytes"
	"reflect"
	"testing"
	"testing/iotest"
)

// readAllRequest reads one request from data, either as it comes or one
// byte per read, as a slow connection delivers it.
func readAllRequest(data []byte, oneByte bool) (*Request, error) {
	f := &FrameReader{r: bytes.NewReader(data)}
	if oneByte {
		f.r = iotest.OneByteReader(bytes.NewReader(data))
	}
	return ReadRequest(f, func(n int) []byte { return make([]byte, n) })
}

// FuzzReadRequest checks that the daemon's request decoder holds to its
// limits, reads the same however the bytes arrive, and that what it
// accepts encodes to a request it reads back the same.
func FuzzReadRequest(f *testing.F) {
	for _, r := range []Request{
		{Op: OpGet, Key: "vault:/home/a/.local/share/pat/vault.age"},
		{Op: OpPut, Epoch: 7, TimeoutMS: 900000, CapMS: 1790000000000, Key: "k", Meta: []byte(`{"entries":2}`), Body: []byte("secret\x00\n")},
		{Op: OpPutPass, Key: "k", Body: []byte("passphrase")},
		{Op: OpTouch, Epoch: 1<<64 - 1, TimeoutMS: 1<<63 - 1, CapMS: -1},
		{Op: OpStatus},
	} {
		f.Add(r.Encode())
	}
	for _, seed := range []string{
		"get 0 0 0 1 0 0\n",
		"get 0 0 0 99999999 0 0\nk",
		"get -1 0 0 0 0 0\n",
		"get 0 0 0 0 0 16777217\n",
		"get 18446744073709551616 0 0 0 0 0\n",
		"get 0 0 0 0 0\n",
		"get  0 0 0 0 0 0\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := readAllRequest(data, false)
		slow, slowErr := readAllRequest(data, true)
		if (err == nil) != (slowErr == nil) {
			t.Fatalf("read at once: %v; one byte at a time: %v", err, slowErr)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(r, slow) {
			t.Fatalf("read at once %+v, one byte at a time %+v", r, slow)
		}
		if len(r.Key) > maxKeyLen || len(r.Meta) > maxMetaLen || len(r.Body) > maxBodyLen {
			t.Fatalf("accepted a request over the limits: key %d, meta %d, body %d", len(r.Key), len(r.Meta), len(r.Body))
		}
		again, err := readAllRequest(r.Encode(), false)
		if err != nil {
			t.Fatalf("cannot read back %q: %v", r.Encode(), err)
		}
		if !reflect.DeepEqual(r, again) {
			t.Fatalf("read %+v, read back %+v", r, again)
		}
	})
}

// FuzzReadReply checks the client's reply decoder the same way.
func FuzzReadReply(f *testing.F) {
	for _, seed := range []string{
		string(ReplyHeader(ReplyOK, 3, 5)) + "hello",
		string(ReplyHeader(ReplyMiss, 0, 0)),
		string(ReplyHeader(ReplyErr, 1, 9)) + "the error",
		"ok 1 99999999\n",
		"ok 1 -1\n",
		"ok x 0\n",
		"ok 1 2\nx",
	} {
		f.Add([]byte(seed))
	}
	read := func(data []byte, oneByte bool) (string, uint64, []byte, error) {
		f := &FrameReader{r: bytes.NewReader(data)}
		if oneByte {
			f.r = iotest.OneByteReader(bytes.NewReader(data))
		}
		return readReply(f)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		status, epoch, body, err := read(data, false)
		status2, epoch2, body2, err2 := read(data, true)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("read at once: %v; one byte at a time: %v", err, err2)
		}
		if err != nil {
			return
		}
		if status != status2 || epoch != epoch2 || !bytes.Equal(body, body2) {
			t.Fatalf("read at once %q %d %q, one byte at a time %q %d %q", status, epoch, body, status2, epoch2, body2)
		}
		if len(body) > maxBodyLen {
			t.Fatalf("accepted a body of %d bytes", len(body))
		}
		frame := append(ReplyHeader(status, epoch, len(body)), body...)
		s, e, b, err := read(frame, false)
		if err != nil || s != status || e != epoch || !bytes.Equal(b, body) {
			t.Fatalf("read %q %d %q, read back %q %d %q (%v)", status, epoch, body, s, e, b, err)
		}
	})
}
