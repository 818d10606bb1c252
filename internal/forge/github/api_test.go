package github

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

const token = "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"

func TestUserURL(t *testing.T) {
	tests := []struct{ host, want string }{
		{"github.com", "https://api.github.com/user"},
		{"octocorp.ghe.com", "https://api.octocorp.ghe.com/user"},
		{"ghe.example.com", "https://ghe.example.com/api/v3/user"},
		{"ghe.example.com:8443", "https://ghe.example.com:8443/api/v3/user"},
	}
	for _, tt := range tests {
		if got := UserURL(tt.host); got != tt.want {
			t.Errorf("UserURL(%q) = %q, want %q", tt.host, got, tt.want)
		}
	}
	if got := UserURLOf("https://ghe.example.com/api/v3/"); got != "https://ghe.example.com/api/v3/user" {
		t.Errorf("UserURLOf = %q", got)
	}
}

func TestCheckBaseURL(t *testing.T) {
	for base, ok := range map[string]bool{
		"https://ghe.example.com/api/v3": true,
		"http://ghe.example.com/api/v3":  false,
		"https://u:p@ghe.example.com":    false,
		"https://ghe.example.com/?x=1":   false,
		"ghe.example.com":                false,
	} {
		if err := CheckBaseURL(base); (err == nil) != ok {
			t.Errorf("CheckBaseURL(%q) = %v, want ok=%v", base, err, ok)
		}
	}
}

func TestParseExpiration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2023-01-31 23:00:00 UTC", time.Date(2023, 1, 31, 23, 0, 0, 0, time.UTC), true},
		{"2023-04-26 23:23:18 +0200", time.Date(2023, 4, 26, 21, 23, 18, 0, time.UTC), true},
		{"2023-04-26 01:00:00 -0700", time.Date(2023, 4, 26, 8, 0, 0, 0, time.UTC), true},
		{"2023-04-26 01:00:00 PDT", time.Time{}, false},
		{"2023-04-26T01:00:00Z", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := ParseExpiration(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) || (tt.ok && got.Location() != time.UTC) {
			t.Errorf("ParseExpiration(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseScopes(t *testing.T) {
	if got := ParseScopes("repo, workflow,  read:org"); !slices.Equal(got, []string{"repo", "workflow", "read:org"}) {
		t.Errorf("ParseScopes = %q", got)
	}
	if got := ParseScopes(""); got == nil || len(got) != 0 {
		t.Errorf("ParseScopes(\"\") = %#v, want empty and non-nil", got)
	}
}

// api answers like GET /user with status and headers, after checking what
// GitHub requires of a request.
func api(t *testing.T, status int, headers map[string]string, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v3/user" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+token {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		if !strings.HasPrefix(r.Header.Get("User-Agent"), "git-credential-pat/") {
			t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
		}
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func client(srv *httptest.Server) *forge.Client {
	c := forge.NewClient(5*time.Second, "git-credential-pat/test")
	c.HTTP.Transport = srv.Client().Transport
	return c
}

func TestWho(t *testing.T) {
	srv := api(t, 200, map[string]string{
		"X-OAuth-Scopes":                         "repo, workflow",
		"GitHub-Authentication-Token-Expiration": "2030-05-01 12:00:00 UTC",
	}, `{"login":"octocat","id":1}`)
	id, err := Who(context.Background(), client(srv), srv.URL+"/api/v3/user", token)
	if err != nil {
		t.Fatal(err)
	}
	if id.Login != "octocat" || !slices.Equal(id.Scopes, []string{"repo", "workflow"}) ||
		!id.Expires.Equal(time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("Who = %+v", id)
	}
}

func TestWhoFineGrainedHasNoScopes(t *testing.T) {
	srv := api(t, 200, nil, `{"login":"octocat"}`)
	id, err := Who(context.Background(), client(srv), srv.URL+"/api/v3/user", token)
	if err != nil || id.Scopes != nil || !id.Expires.IsZero() {
		t.Errorf("Who = %+v, %v; want no scopes, no expiry", id, err)
	}
}

func TestWhoFailures(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		headers map[string]string
		body    string
		want    string
	}{
		{"401", 401, nil, `{"message":"Bad credentials"}`, "HTTP 401"},
		{"403 with message", 403, nil, `{"message":"Resource protected by organization SAML enforcement"}`, "SAML"},
		{"500", 500, nil, `oops`, "HTTP 500"},
		{"redirect is not followed", 302, map[string]string{"Location": "https://elsewhere.example/user"}, ``, "redirects to https://elsewhere.example/user"},
		{"not an API", 200, nil, `<html>`, "no login"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := api(t, tt.status, tt.headers, tt.body)
			_, err := Who(context.Background(), client(srv), srv.URL+"/api/v3/user", token)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Who error = %v, want %q", err, tt.want)
			}
			if (tt.status == 401) != errors.Is(err, ErrUnauthorized) {
				t.Errorf("errors.Is(err, ErrUnauthorized) is wrong for HTTP %d", tt.status)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("the error holds the token: %v", err)
			}
		})
	}
}

func TestWhoTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer srv.Close()
	defer close(release)
	c := client(srv)
	c.HTTP.Timeout = 100 * time.Millisecond
	_, err := Who(context.Background(), c, srv.URL+"/api/v3/user", token)
	if err == nil || !strings.Contains(err.Error(), "Timeout") {
		t.Fatalf("Who error = %v, want a timeout", err)
	}
}

func TestWhoRefusesUnknownCertificate(t *testing.T) {
	srv := api(t, 200, nil, `{"login":"octocat"}`)
	c := forge.NewClient(5*time.Second, "git-credential-pat/test") // the system roots only
	_, err := Who(context.Background(), c, srv.URL+"/api/v3/user", token)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("Who error = %v, want a certificate error", err)
	}
}
