package credential

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// memoryWarnLog is a WarnLog in memory, for testing Helper alone; the file
// behind the real one is proven by the testscripts.
type memoryWarnLog map[string]bool

func (m memoryWarnLog) FirstToday(e Entry, day string) bool {
	key := e.Target.String() + " " + e.Expires.String()
	if m[key+" "+day] {
		return false
	}
	m[key+" "+day] = true
	return true
}

type fixedTokens []Entry

func (f fixedTokens) List() ([]Entry, error) { return append([]Entry(nil), f...), nil }
func (f fixedTokens) Add(...Entry) error     { return nil }
func (f fixedTokens) Delete(...Target) error { return nil }

func TestGetExpiryWarnings(t *testing.T) {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	expires := EndOfDay(day("2030-06-10"))
	entry := Entry{Target: Target{Host: "github.com"}, Token: "ghp_x", Kind: "classic", Expires: expires}
	req := &Credential{Protocol: "https", Host: "github.com"}
	tests := []struct {
		name   string
		now    time.Time
		within time.Duration
		answer bool
		warn   string // "" for silence
	}{
		{"outside the window", day("2030-06-01"), DefaultWarnWithin, true, ""},
		{"first day of the window", day("2030-06-04"), DefaultWarnWithin, true, "expires in 6 days (2030-06-10)"},
		{"next day", day("2030-06-09"), DefaultWarnWithin, true, "expires tomorrow"},
		{"last day", day("2030-06-10").Add(12 * time.Hour), DefaultWarnWithin, true, "expires today"},
		{"a wider window", day("2030-06-01"), 14 * 24 * time.Hour, true, "in 9 days"},
		{"warning turned off", day("2030-06-09"), 0, true, ""},
		{"expired", day("2030-06-11"), DefaultWarnWithin, false, "expired on 2030-06-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			log := memoryWarnLog{}
			h := &Helper{Tokens: fixedTokens{entry}, Stderr: &stderr, Now: func() time.Time { return tt.now }, WarnWithin: tt.within, WarnLog: log}
			for range 2 { // the second get of the day is silent
				answer, err := h.Get(req)
				if err != nil || (answer != nil) != tt.answer {
					t.Fatalf("Get = %v, %v; want an answer: %v", answer, err, tt.answer)
				}
			}
			lines := strings.Count(stderr.String(), "\n")
			switch {
			case tt.warn == "" && lines != 0:
				t.Errorf("stderr = %q, want silence", stderr.String())
			case tt.warn != "" && !strings.Contains(stderr.String(), tt.warn):
				t.Errorf("stderr = %q, want %q", stderr.String(), tt.warn)
			case tt.answer && tt.warn != "" && lines != 1:
				t.Errorf("stderr = %q, want one warning for two gets", stderr.String())
			}
		})
	}
}

func TestParseDays(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{in: "14d", want: 14 * 24 * time.Hour},
		{in: "0d", want: 0},
		{in: "1d", want: 24 * time.Hour},
		{in: "100000d", want: 100000 * 24 * time.Hour},
		{in: "72h", want: 72 * time.Hour},
		{in: "0", want: 0},
		{in: "d", err: true},
		{in: "014d", err: true},
		{in: "+14d", err: true},
		{in: "-1d", err: true},
		{in: "1.5d", err: true},
		{in: " 14d", err: true},
		{in: "100001d", err: true},
		{in: "99999999999999999999d", err: true},
		{in: "-1h", err: true},
		{in: "soon", err: true},
	} {
		got, err := ParseDays(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseDays(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}
