package main

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	scriptCmds["forgeapi"] = cmdForgeAPI
}

// forgeToken is how the test API answers for one token.
type forgeToken struct {
	Username  string   `json:"username"`   // the account's user name
	Name      string   `json:"name"`       // GitLab: the token's name
	Scopes    []string `json:"scopes"`     // GitLab: its scopes
	ExpiresAt *string  `json:"expires_at"` // GitLab: a date, or null
	Expired   bool     `json:"expired"`    // GitLab refuses it as expired
	Revoked   bool     `json:"revoked"`    // GitLab refuses it as revoked
}

// cmdForgeAPI starts a local TLS server answering as GitLab's and Gitea's
// REST APIs document, status codes, JSON fields and headers included:
//
//	forgeapi TOKENS.json
//
// GitLab: GET /api/v4/personal_access_tokens/self and GET /api/v4/user,
// with the token in PRIVATE-TOKEN (or Authorization: Bearer). An unknown
// token gets 401 {"message":"401 Unauthorized"}; an expired or revoked one
// 401 with invalid_token and GitLab's description; /user answers 403
// insufficient_scope to a token without read_user, read_api or api.
// Gitea: GET /api/v1/user with "Authorization: token TOKEN".
//
// The script gets SSL_CERT_FILE (the server's certificate), FORGE_API_HOST
// (host:port) and FORGE_API_URL; each request is appended to
// $WORK/forgeapi.log as "METHOD PATH outcome".
func cmdForgeAPI(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: forgeapi TOKENS.json")
	}
	var known map[string]forgeToken
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[0])), &known))
	logPath := ts.MkAbs("forgeapi.log")
	var mu sync.Mutex
	logLine := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		if f, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
			fmt.Fprintf(f, format+"\n", a...)
			f.Close()
		}
	}
	answer := func(w http.ResponseWriter, r *http.Request, status int, outcome string, body any) {
		logLine("%s %s %s", r.Method, r.URL.Path, outcome)
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodGet {
			answer(w, r, 405, "405", map[string]string{"message": "405 Method Not Allowed"})
			return
		}
		switch r.URL.Path {
		case "/api/v4/personal_access_tokens/self", "/api/v4/user":
			token := r.Header.Get("Private-Token")
			if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
				token = bearer
			}
			t, ok := known[token]
			switch {
			case !ok || !strings.HasPrefix(token, "glpat-"):
				answer(w, r, 401, "401", map[string]string{"message": "401 Unauthorized"})
			case t.Expired:
				answer(w, r, 401, "401 expired", map[string]string{"error": "invalid_token", "error_description": "Token has expired."})
			case t.Revoked:
				answer(w, r, 401, "401 revoked", map[string]string{"error": "invalid_token", "error_description": "Token was revoked. You will have to re-authorize from the user."})
			case r.URL.Path == "/api/v4/user" && !slices.ContainsFunc(t.Scopes, func(s string) bool { return s == "read_user" || s == "read_api" || s == "api" }):
				w.Header().Set("WWW-Authenticate", `Bearer realm="", error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", scope="api read_user"`)
				answer(w, r, 403, "403", map[string]string{"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the access token.", "scope": "api read_user"})
			case r.URL.Path == "/api/v4/user":
				answer(w, r, 200, t.Username, map[string]any{"id": 7, "username": t.Username, "name": t.Username, "state": "active"})
			default:
				answer(w, r, 200, t.Name, map[string]any{
					"id": 4, "name": t.Name, "revoked": false, "created_at": "2030-01-01T00:00:00.000Z",
					"description": "", "scopes": t.Scopes, "user_id": 7, "last_used_at": nil, "active": true,
					"expires_at": t.ExpiresAt,
				})
			}
		case "/api/v1/user":
			token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "token ")
			if t, ok := known[token]; ok && !strings.HasPrefix(token, "glpat-") {
				answer(w, r, 200, t.Username, map[string]any{"id": 3, "login": t.Username, "full_name": "", "email": t.Username + "@example.com"})
				return
			}
			answer(w, r, 401, "401", map[string]string{"message": "user does not exist [uid: 0, name: ]", "url": "https://gitea.example/api/swagger"})
		default:
			answer(w, r, 404, "404", map[string]string{"message": "404 Not Found"})
		}
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	ts.Defer(srv.Close)
	caPath := ts.MkAbs("forgeapi-ca.pem")
	ts.Check(os.WriteFile(caPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))
	ts.Setenv("SSL_CERT_FILE", filepath.Clean(caPath))
	ts.Setenv("FORGE_API_URL", srv.URL)
	ts.Setenv("FORGE_API_HOST", strings.TrimPrefix(srv.URL, "https://"))
}
