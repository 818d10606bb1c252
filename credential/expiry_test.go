package credential

import (
	"bytes"
	"encoding/json"
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

// Never, a date and unknown are three states, and each codec's text form
// reads back as the state it came from.
func TestExpiryNeverIsNotUnknown(t *testing.T) {
	day := EndOfDay(time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC))
	for _, tc := range []struct {
		x                   Expiry
		known, dated, never bool
		day                 string
	}{
		{Expiry{}, false, false, false, "unknown"},
		{ExpiryNever, true, false, true, "never"},
		{day, true, true, false, "2030-06-01"},
	} {
		if tc.x.Known() != tc.known || tc.x.Dated() != tc.dated || tc.x.Never != tc.never || tc.x.Day() != tc.day {
			t.Errorf("%+v: known %v dated %v never %v day %q", tc.x, tc.x.Known(), tc.x.Dated(), tc.x.Never, tc.x.Day())
		}
		if tc.x.Known() {
			back, err := ParseExpiry(tc.x.String())
			if err != nil || back != tc.x {
				t.Errorf("ParseExpiry(%q) = %+v, %v; want %+v", tc.x.String(), back, err, tc.x)
			}
		}
		b, err := json.Marshal(struct {
			X Expiry `json:"x,omitzero"`
		}{tc.x})
		var back struct {
			X Expiry `json:"x,omitzero"`
		}
		if err != nil || json.Unmarshal(b, &back) != nil || back.X != tc.x {
			t.Errorf("JSON %s read back as %+v; want %+v", b, back.X, tc.x)
		}
		e := Entry{Expires: tc.x}
		if e.Expired(day.Add(48*time.Hour)) != tc.dated || e.ExpiresWithin(day.Add(-time.Hour), 48*time.Hour) != tc.dated {
			t.Errorf("%+v: Expired or ExpiresWithin wrong", tc.x)
		}
	}
}

// ParseDay reads what a person types: a date, never or none.
func TestParseDay(t *testing.T) {
	for in, want := range map[string]Expiry{
		"2030-06-01": EndOfDay(time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)),
		"never":      ExpiryNever, "None": ExpiryNever, " never ": ExpiryNever,
	} {
		if got, err := ParseDay(in); err != nil || got != want {
			t.Errorf("ParseDay(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "31/12/2099", "tomorrow", "2030-13-01"} {
		if _, err := ParseDay(in); err == nil {
			t.Errorf("ParseDay(%q) took it", in)
		}
	}
}

// TestUnixSecondsOneRule checks that every reader of integer seconds (git's
// password_expiry_utc, the vault's JSON, the cache's and pass's text) takes
// the same numbers and refuses the same overflow.
func TestUnixSecondsOneRule(t *testing.T) {
	for _, s := range []string{"0", "1798761599", "253402300800", "9223372036854775807", "99999999999999999999", "-5", "x"} {
		want, wantErr := UnixExpiry(s)
		text, textErr := ParseExpiry(s)
		var js Expiry
		jsErr := js.UnmarshalJSON([]byte(s))
		git, gitOK := expiryOf(&Credential{PasswordExpiryUTC: s})
		if (wantErr == nil) != (textErr == nil) || (wantErr == nil) != (jsErr == nil) || (wantErr == nil) != gitOK {
			t.Errorf("%s: UnixExpiry err %v, ParseExpiry err %v, JSON err %v, git ok %v: the readers disagree", s, wantErr, textErr, jsErr, gitOK)
			continue
		}
		if wantErr == nil && (!text.Equal(want.Time) || !js.Equal(want.Time) || !git.Equal(want.Time)) {
			t.Errorf("%s: UnixExpiry %v, ParseExpiry %v, JSON %v, git %v", s, want, text, js, git)
		}
		if wantErr == nil && want.String() != "" {
			if back, err := ParseExpiry(want.String()); err != nil || !back.Equal(want.Time) {
				t.Errorf("%s: %v does not read back: %v, %v", s, want, back, err)
			}
		}
	}
	if _, err := UnixExpiry("9223372036854775807"); err == nil {
		t.Error("UnixExpiry took a number past the last second a time holds")
	}
}
