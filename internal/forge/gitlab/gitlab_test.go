package gitlab

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

const token = "glpat-xYz12345678901234567"

func TestLookup(t *testing.T) {
	if f := forge.ForHost("gitlab.com"); f == nil || f.Name() != "gitlab" {
		t.Errorf("ForHost(gitlab.com) = %v", f)
	}
	for _, host := range []string{"gitlab.example.com", "gitlab.com.evil.example", "notgitlab.com"} {
		if f := forge.ForHost(host); f != nil {
			t.Errorf("ForHost(%q) = %s, want none", host, f.Name())
		}
	}
	if f := forge.ForToken(token); f == nil || f.Name() != "gitlab" {
		t.Errorf("ForToken(glpat-...) = %v", f)
	}
	if f := forge.ByName("GitLab"); f == nil || f.Name() != "gitlab" {
		t.Errorf("ByName(GitLab) = %v", f)
	}
	if got := credential.Masked(token); got != "glpat-****4567" {
		t.Errorf("Masked = %q: the prefix is declared", got)
	}
}

func TestKindAndUsername(t *testing.T) {
	for tok, want := range map[string]credential.Kind{
		token:                          KindPAT,
		"GLPAT-xYz12345678901234567":   forge.KindOther,
		"0123456789abcdef0123456789ab": forge.KindOther,
	} {
		if got := (Forge{}).KindOf(tok); got != want {
			t.Errorf("KindOf(%q) = %q, want %q", tok, got, want)
		}
	}
	if got := (Forge{}).DefaultUsername(credential.Target{Host: "gitlab.com", Path: "group/sub"}, KindPAT); got != "oauth2" {
		t.Errorf("DefaultUsername = %q, want oauth2 (any non-blank name does)", got)
	}
}

func TestCheckFormat(t *testing.T) {
	for _, tc := range []struct{ token, want string }{
		{token, ""},
		{"glpat-" + strings.Repeat("a", 40) + ".01.0w1abc", ""}, // a longer, newer format
		{"a-password", ""}, // not GitLab's: not judged
		{"glpat-short", "cut short"},
		{"glpat-xYz1234567890123456!", `holds '!'`},
		{"GLPAT-xYz12345678901234567", `should be "glpat-"`},
		{"glpat_xYz12345678901234567", `should be "glpat-"`},
	} {
		err := (Forge{}).CheckFormat(tc.token)
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckFormat(%q) = %v, want %q", tc.token, err, tc.want)
		}
	}
}

func TestCheckPath(t *testing.T) {
	for path, ok := range map[string]bool{
		"":                       true,
		"group":                  true,
		"group/project":          true,
		"group/sub/project":      true, // nested groups
		"a/b/c/d/e/project.name": true,
		"group/-/project":        false, // GitLab's own pages
		"group/-sub":             false,
		"group/pro ject":         false,
		"group/prøject":          false,
	} {
		if err := (Forge{}).CheckPath(path); (err == nil) != ok {
			t.Errorf("CheckPath(%q) = %v, want ok=%v", path, err, ok)
		}
	}
}

func TestNewTokenURL(t *testing.T) {
	for _, tc := range []struct {
		host string
		in   forge.NewToken
		want string
	}{
		{"gitlab.com", forge.NewToken{Name: "git gitlab.com/group on laptop", Description: "git over HTTPS", Scopes: []string{"write_repository", "self_rotate", "write_repository"}},
			"https://gitlab.com/-/user_settings/personal_access_tokens?description=git+over+HTTPS&name=git+gitlab.com%2Fgroup+on+laptop&scopes=write_repository%2Cself_rotate"},
		{"gitlab.example.com:8443", forge.NewToken{}, "https://gitlab.example.com:8443/-/user_settings/personal_access_tokens?scopes=write_repository"},
		{"gitlab.com", forge.NewToken{Scopes: []string{}}, "https://gitlab.com/-/user_settings/personal_access_tokens"},
		{"gitlab.com", forge.NewToken{Name: "Zoë & co"}, "https://gitlab.com/-/user_settings/personal_access_tokens?name=Zo%C3%AB+%26+co&scopes=write_repository"},
	} {
		got, err := (Forge{}).NewTokenURL(tc.host, tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NewTokenURL(%q, %+v) =\n  %s, %v\nwant\n  %s", tc.host, tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		host  string
		scope string
	}{{"gitlab.com/group", ""}, {"", ""}, {"gitlab.com", "write repository"}, {"gitlab.com", "api,read_user"}} {
		in := forge.NewToken{}
		if tc.scope != "" {
			in.Scopes = []string{tc.scope}
		}
		if got, err := (Forge{}).NewTokenURL(tc.host, in); err == nil {
			t.Errorf("NewTokenURL(%q, %q) = %s, want an error", tc.host, tc.scope, got)
		}
	}
}

// api answers as GitLab's REST API documents GET
// /api/v4/personal_access_tokens/self and GET /api/v4/user.
func api(t *testing.T, selfStatus int, self string, userStatus int) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Private-Token") != token {
			t.Errorf("PRIVATE-TOKEN = %q", r.Header.Get("Private-Token"))
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v4/personal_access_tokens/self":
			w.WriteHeader(selfStatus)
			w.Write([]byte(self))
		case "/api/v4/user":
			w.WriteHeader(userStatus)
			if userStatus == 200 {
				w.Write([]byte(`{"id":7,"username":"alice","name":"Alice"}`))
			} else {
				w.Write([]byte(`{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token."}`))
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func verify(srv *httptest.Server) (forge.Identity, error) {
	c := forge.NewClient(5*time.Second, "git-credential-pat/test")
	c.HTTP.Transport = srv.Client().Transport
	return (Forge{}).Verify(context.Background(), c, strings.TrimPrefix(srv.URL, "https://"), "", token)
}

func TestVerify(t *testing.T) {
	srv := api(t, 200, `{"id":4,"name":"laptop","revoked":false,"created_at":"2030-01-01T00:00:00.000Z","scopes":["write_repository","read_user"],"user_id":7,"last_used_at":null,"active":true,"expires_at":"2030-09-01"}`, 200)
	id, err := verify(srv)
	if err != nil {
		t.Fatal(err)
	}
	if id.Login != "alice" || id.TokenName != "laptop" || !slices.Equal(id.Scopes, []string{"write_repository", "read_user"}) ||
		!id.Expires.Equal(time.Date(2030, 9, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Verify = %+v", id)
	}
}

func TestVerifyWithoutUserScopeOrExpiry(t *testing.T) {
	srv := api(t, 200, `{"id":4,"name":"ci","revoked":false,"scopes":["write_repository"],"user_id":7,"active":true,"expires_at":null}`, 403)
	id, err := verify(srv)
	if err != nil || id.Login != "" || !id.Expires.IsZero() || id.TokenName != "ci" {
		t.Errorf("Verify = %+v, %v; want no login, no expiry", id, err)
	}
}

func TestVerifyFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   string
		dead   bool
	}{
		{"revoked", 401, `{"message":"401 Unauthorized"}`, "401 Unauthorized", true},
		{"expired", 401, `{"error":"invalid_token","error_description":"Token has expired."}`, "Token has expired.", true},
		{"revoked in the answer", 200, `{"id":4,"name":"old","revoked":true,"active":false}`, `"old" is revoked`, true},
		{"inactive in the answer", 200, `{"id":4,"name":"old","revoked":false,"active":false}`, "no longer active", true},
		{"older GitLab", 404, `{"message":"404 Not Found"}`, "from version 15.5", false},
		{"missing scope", 403, `{"error":"insufficient_scope"}`, "read_api or api", false},
		{"not GitLab", 200, `{}`, "not with a GitLab token", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := verify(api(t, tc.status, tc.body, 200))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Verify error = %v, want %q", err, tc.want)
			}
			if errors.Is(err, forge.ErrUnauthorized) != tc.dead {
				t.Errorf("errors.Is(err, ErrUnauthorized) = %v, want %v", !tc.dead, tc.dead)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("the error holds the token: %v", err)
			}
		})
	}
}

func TestParseExpiresAt(t *testing.T) {
	if got, err := ParseExpiresAt("2030-09-01"); err != nil || !got.Equal(time.Date(2030, 9, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseExpiresAt = %v, %v", got, err)
	}
	if _, err := ParseExpiresAt("01/09/2030"); err == nil {
		t.Error("ParseExpiresAt took 01/09/2030")
	}
}

func TestUnknownShape(t *testing.T) {
	tests := []struct {
		host, token string
		refused     bool
	}{
		{"gitlab.com", "MyGitLabPassword1!", true},
		{"gitlab.com", "glpat-abcdefghijklmnopqrst", false},
		{"gitlab.com", "gldt-abcdefghijklmnopqrst", false},
		{"gitlab.com", "glcbt-64_abcdefghijklmnopqrst", false},
		{"gitlab.com", strings.Repeat("0f", 32), false},     // OAuth
		{"gitlab.com", "abcdefghij-_ABCDEFGHI", true},       // 21: no shape
		{"gitlab.com", "abcdefghij-_ABCDEFGH", false},       // 20: from before the prefixes
		{"gitlab.com", "gl-abcdefghijklmnopqrst", true},     // "gl-" is no prefix
		{"gitlab.example.com", "MyGitLabPassword1!", false}, // self-managed: not judged
	}
	for _, tc := range tests {
		err := (Forge{}).UnknownShape(tc.host, tc.token)
		if (err != nil) != tc.refused {
			t.Errorf("UnknownShape(%q, %q) = %v, want refused %v", tc.host, tc.token, err, tc.refused)
		}
	}
}
