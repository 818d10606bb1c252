//go:build unix

package daemon

import (
	"bytes"
	"testing"
)

// A page kept for the next request is wiped before it is handed out again:
// no request ever sees another's bytes.
func TestSparePagesAreWiped(t *testing.T) {
	d := &daemon{}
	b, free := d.alloc(64)
	copy(b, "password=secret-of-the-last-request")
	free()
	if len(d.spares) != 1 {
		t.Fatalf("%d spare pages after one request; want 1", len(d.spares))
	}
	again, freeAgain := d.alloc(pageSize)
	defer freeAgain()
	if &again[0] != &b[0] {
		t.Fatal("the spare page was not reused")
	}
	if !bytes.Equal(again, make([]byte, pageSize)) {
		t.Fatal("a reused page still holds the last request's bytes")
	}
	// No more than maxSpares pages are kept; the rest are unmapped.
	var frees []func()
	for range maxSpares + 5 {
		_, f := d.alloc(1)
		frees = append(frees, f)
	}
	for _, f := range frees {
		f()
	}
	if len(d.spares) != maxSpares {
		t.Fatalf("%d spare pages kept; want at most %d", len(d.spares), maxSpares)
	}
}
