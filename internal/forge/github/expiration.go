package github

import (
	"fmt"
	"strings"
	"time"
)

// ParseExpiration reads GitHub-Authentication-Token-Expiration. GitHub sends
// it in two forms, both seen from api.github.com: "2023-01-31 23:00:00 UTC"
// and "2023-04-26 23:23:18 +0200" (reported in google/go-github issue #2649,
// whose parseTokenExpiration accepts the same two layouts). The result is in
// UTC. Only the abbreviation UTC is accepted: Go would read any other
// abbreviation as a zero offset, silently shifting the expiry.
func ParseExpiration(v string) (time.Time, error) {
	const layout = "2006-01-02 15:04:05"
	v = strings.TrimSpace(v)
	var t time.Time
	var err error
	if s, ok := strings.CutSuffix(v, " UTC"); ok {
		t, err = time.ParseInLocation(layout, s, time.UTC)
	} else {
		t, err = time.Parse(layout+" -0700", v)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("the token expiration %q is not of the form 2006-01-02 15:04:05 UTC", v)
	}
	return t.UTC(), nil
}
