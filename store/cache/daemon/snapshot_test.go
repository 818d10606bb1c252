package daemon

import (
	"math"
	"testing"

	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// A description whose places do not fit the body is refused, so the
// daemon never sends bytes outside an entry.
func TestCacheRefusesBadPlaces(t *testing.T) {
	body := []byte(`{"stamp":"s","entries":[{"host":"a"},{"host":"b"}]}`)
	head := len(`{"stamp":"s","entries":[`)
	tests := []struct {
		name      string
		described []cache.DescribedEntry
		ok        bool
	}{
		{"right", []cache.DescribedEntry{{Host: "a", At: head, Len: 12}, {Host: "b", At: head + 13, Len: 12}}, true},
		{"before the entries", []cache.DescribedEntry{{Host: "a", At: 2, Len: 12}}, false},
		{"past the end", []cache.DescribedEntry{{Host: "a", At: head, Len: 40}}, false},
		{"overlapping", []cache.DescribedEntry{{Host: "a", At: head, Len: 12}, {Host: "b", At: head + 5, Len: 12}}, false},
		{"some placed", []cache.DescribedEntry{{Host: "a", At: head, Len: 12}, {Host: "b"}}, false},
		{"a length that wraps around", []cache.DescribedEntry{{Host: "a", At: head, Len: math.MaxInt}}, false},
		{"a place that wraps around", []cache.DescribedEntry{{Host: "a", At: math.MaxInt - 4, Len: 12}}, false},
	}
	for _, tt := range tests {
		index, err := indexSnapshot(body, tt.described)
		if (err == nil) != tt.ok {
			t.Fatalf("%s: %v; want ok=%v", tt.name, err, tt.ok)
		}
		if tt.ok && (!index.split() || len(index.entries) != 2 || index.entries[index.byHost[1]].host != "b") {
			t.Fatalf("%s: index %+v", tt.name, index)
		}
	}
}
