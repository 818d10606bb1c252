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
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Environment variables that set the binary's test-only hooks. Only the
// test binary reads them (setTestOnlyHooksFromEnv, called in TestMain); the
// program itself never does.
const (
	testNowEnv       = "GIT_CREDENTIAL_PAT_TEST_NOW"        // the clock: YYYY-MM-DD or RFC 3339
	testGitHubAPIEnv = "GIT_CREDENTIAL_PAT_TEST_GITHUB_API" // github.com's API base
	testStderrTTYEnv = "GIT_CREDENTIAL_PAT_TEST_STDERR_TTY" // 1: standard error counts as a terminal
)

func setTestOnlyHooksFromEnv() {
	if now := testNowFrom(os.Getenv(testNowEnv)); !now.IsZero() {
		testOnlyNow = func() time.Time { return now }
	}
	testOnlyGitHubAPI = os.Getenv(testGitHubAPIEnv)
	testOnlyStderrIsTerminal = os.Getenv(testStderrTTYEnv) == "1"
}

// testNowFrom reads the test clock's day or time; zero when v is empty.
func testNowFrom(v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	now, err := time.Parse(time.RFC3339, v)
	if err != nil {
		if now, err = time.Parse(time.DateOnly, v); err != nil {
			panic(fmt.Sprintf("%s=%q: %v", testNowEnv, v, err))
		}
		now = now.Add(12 * time.Hour) // midday, far from either edge of the day
	}
	return now
}

func init() {
	scriptCmds["apiserver"] = cmdAPIServer
}

// apiToken is how the test API answers for one token.
type apiToken struct {
	Login      string  `json:"login"`
	Scopes     *string `json:"scopes"`     // X-OAuth-Scopes; absent when nil
	Expiration string  `json:"expiration"` // GitHub-Authentication-Token-Expiration; absent when ""
}

// cmdAPIServer starts a local TLS server answering GET /user (as
// api.github.com) and GET /api/v3/user (as GitHub Enterprise Server) like
// GitHub's API, headers included:
//
//	apiserver [-ca-via-git] TOKENS.json
//
// TOKENS.json maps each token the server knows to its apiToken; any other
// token gets 401 Bad credentials, as GitHub answers. The script's
// environment gets SSL_CERT_FILE (the server's certificate, which Go's
// crypto/x509 trusts on Linux), API_HOST (host:port, for GHES targets),
// API_URL, and github.com's API pointed at the server. Every request is
// appended to $WORK/api.log as "METHOD PATH login-or-401", so a script can
// show which commands used the network. With -ca-via-git, SSL_CERT_FILE is
// left unset: the certificate, in $WORK/api-ca.pem, is trusted only where
// git's own settings name it.
func cmdAPIServer(ts *testscript.TestScript, neg bool, args []string) {
	viaGit := len(args) > 0 && args[0] == "-ca-via-git"
	if viaGit {
		args = args[1:]
	}
	if neg || len(args) != 1 {
		ts.Fatalf("usage: apiserver [-ca-via-git] TOKENS.json")
	}
	var known map[string]apiToken
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[0])), &known))
	logPath := ts.MkAbs("api.log")
	var mu sync.Mutex
	logLine := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		f, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintf(f, format+"\n", a...)
			f.Close()
		}
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if r.Method != http.MethodGet || (r.URL.Path != "/user" && r.URL.Path != "/api/v3/user") {
			logLine("%s %s 404", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"Not Found"}`)
			return
		}
		// GitHub takes "Bearer TOKEN" and, as GitHub CLI sends it, "token TOKEN".
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			token, ok = strings.CutPrefix(r.Header.Get("Authorization"), "token ")
		}
		t, known := known[token]
		if !ok || !known || r.Header.Get("User-Agent") == "" {
			logLine("%s %s 401", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`)
			return
		}
		logLine("%s %s %s", r.Method, r.URL.Path, t.Login)
		if t.Scopes != nil {
			w.Header().Set("X-OAuth-Scopes", *t.Scopes)
			w.Header().Set("X-Accepted-OAuth-Scopes", "")
		}
		if t.Expiration != "" {
			w.Header().Set("GitHub-Authentication-Token-Expiration", t.Expiration)
		}
		w.Header().Set("X-GitHub-Media-Type", "github.v3; format=json")
		json.NewEncoder(w).Encode(map[string]any{"login": t.Login, "id": 1, "type": "User"})
	}))
	// A client that does not trust the certificate is part of what the
	// scripts show; its handshake error is not news for the test log.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	ts.Defer(srv.Close)
	caPath := ts.MkAbs("api-ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	ts.Check(os.WriteFile(caPath, cert, 0o600))
	if viaGit {
		ts.Setenv("SSL_CERT_FILE", "")
	} else {
		ts.Setenv("SSL_CERT_FILE", filepath.Clean(caPath))
	}
	ts.Setenv("API_URL", srv.URL)
	ts.Setenv("API_HOST", strings.TrimPrefix(srv.URL, "https://"))
	ts.Setenv(testGitHubAPIEnv, srv.URL)
}
