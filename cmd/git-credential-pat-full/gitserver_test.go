package main

import (
	"crypto/subtle"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// gitServer is a local HTTPS git server for scripts: git http-backend run
// as CGI, behind HTTP Basic auth where each owner (the first path segment,
// as on GitHub) accepts only its own token, the way fine-grained tokens
// serve one resource owner each.
type gitServer struct {
	root    string            // GIT_PROJECT_ROOT: OWNER/REPO.git bare repositories
	home    string            // HOME of the backend, so no script config leaks in
	backend string            // path of git-http-backend
	tokens  map[string]string // owner -> the one token it accepts
	logPath string            // one line per request: what auth reached the server

	mu sync.Mutex
}

// cmdGitServer starts the server for the rest of the script:
//
//	gitserver [-http] OWNER=TOKEN...
//
// It sets GITSERVER (https://127.0.0.1:PORT), GITHOST (127.0.0.1:PORT) and
// GIT_SSL_CAINFO (the server's certificate, so git trusts it); with -http it
// serves plain http:// instead, as local test servers do. Repositories
// live under $WORK/gitserver/repos, made with gitrepo; every request is
// logged to $WORK/gitserver/auth.log. The server stops when the script ends.
func cmdGitServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! gitserver")
	}
	plainHTTP := len(args) > 0 && args[0] == "-http"
	if plainHTTP {
		args = args[1:]
	}
	if len(args) == 0 {
		ts.Fatalf("usage: gitserver [-http] OWNER=TOKEN...")
	}
	if ts.Getenv("GITSERVER") != "" {
		ts.Fatalf("gitserver is running already at %s", ts.Getenv("GITSERVER"))
	}
	dir := filepath.Join(ts.Getenv("WORK"), "gitserver")
	s := &gitServer{
		root:    filepath.Join(dir, "repos"),
		home:    filepath.Join(dir, "home"),
		tokens:  map[string]string{},
		logPath: filepath.Join(dir, "auth.log"),
	}
	for _, arg := range args {
		owner, token, ok := strings.Cut(arg, "=")
		if !ok || owner == "" || token == "" {
			ts.Fatalf("gitserver: %q is not OWNER=TOKEN", arg)
		}
		s.tokens[strings.ToLower(owner)] = token
	}
	for _, d := range []string{s.root, s.home} {
		ts.Check(os.MkdirAll(d, 0o700))
	}
	ts.Check(os.WriteFile(s.logPath, nil, 0o600))
	execPath, err := exec.Command("git", "--exec-path").Output()
	ts.Check(err)
	s.backend = filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend")

	if plainHTTP {
		srv := httptest.NewServer(s)
		ts.Defer(srv.Close)
		ts.Setenv("GITSERVER", srv.URL)
		ts.Setenv("GITHOST", strings.TrimPrefix(srv.URL, "http://"))
		return
	}
	srv := httptest.NewTLSServer(s)
	ts.Defer(srv.Close)
	caPath := filepath.Join(dir, "ca.pem")
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	ts.Check(os.WriteFile(caPath, ca, 0o600))

	ts.Setenv("GITSERVER", srv.URL)
	ts.Setenv("GITHOST", strings.TrimPrefix(srv.URL, "https://"))
	ts.Setenv("GIT_SSL_CAINFO", caPath)
}

// cmdGitRepo makes a bare repository the running gitserver serves, with
// pushes allowed and one commit holding README:
//
//	gitrepo OWNER/[GROUP/...]NAME.git
//
// Groups between owner and name nest as GitLab's do.
func cmdGitRepo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 || !strings.HasSuffix(args[0], ".git") || !strings.Contains(args[0], "/") {
		ts.Fatalf("usage: gitrepo OWNER/[GROUP/...]NAME.git")
	}
	dir := filepath.Join(ts.Getenv("WORK"), "gitserver")
	bare := filepath.Join(dir, "repos", args[0])
	seed := filepath.Join(dir, "seed", args[0])
	ts.Check(os.MkdirAll(seed, 0o700))
	ts.Check(os.WriteFile(filepath.Join(seed, "README"), []byte("This is "+args[0]+".\n"), 0o600))
	env := append(os.Environ(),
		"HOME="+filepath.Join(dir, "home"), "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Server", "GIT_AUTHOR_EMAIL=server@example.com",
		"GIT_COMMITTER_NAME=Server", "GIT_COMMITTER_EMAIL=server@example.com")
	for _, cmd := range [][]string{
		{"init", "-q", "--bare", "-b", "main", bare},
		{"-C", bare, "config", "http.receivepack", "true"},
		{"-C", seed, "init", "-q", "-b", "main"},
		{"-C", seed, "add", "README"},
		{"-C", seed, "commit", "-q", "-m", "Start " + args[0]},
		{"-C", seed, "push", "-q", bare, "main"},
	} {
		c := exec.Command("git", cmd...)
		c.Env = env
		if out, err := c.CombinedOutput(); err != nil {
			ts.Fatalf("git %s: %v\n%s", strings.Join(cmd, " "), err, out)
		}
	}
}

func (s *gitServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Owners and repositories are found in any case, as on GitHub.
	owner, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	owner = s.onDisk(s.root, owner)
	repo, rest, _ := strings.Cut(rest, "/")
	repo = s.onDisk(filepath.Join(s.root, owner), repo)
	r.URL.Path = "/" + owner + "/" + repo + "/" + rest
	want, known := s.tokens[strings.ToLower(owner)]
	if !known {
		s.log(r, "404 no such owner")
		http.NotFound(w, r)
		return
	}
	user, password, sent := r.BasicAuth()
	switch {
	case !sent:
		s.log(r, "401 no credentials")
		w.Header().Set("WWW-Authenticate", `Basic realm="gitserver"`)
		http.Error(w, "authentication required", http.StatusUnauthorized)
		return
	case subtle.ConstantTimeCompare([]byte(password), []byte(want)) != 1:
		// The token itself is never logged, only whose it is not.
		s.log(r, fmt.Sprintf("401 refused user %s: not the token of %s", user, owner))
		w.Header().Set("WWW-Authenticate", `Basic realm="gitserver"`)
		http.Error(w, "bad credentials", http.StatusUnauthorized)
		return
	}
	s.log(r, fmt.Sprintf("accepted user %s with the token of %s", user, owner))
	backend := &cgi.Handler{
		Path: s.backend,
		Dir:  s.root,
		Env: []string{
			"GIT_PROJECT_ROOT=" + s.root,
			"GIT_HTTP_EXPORT_ALL=1",
			"REMOTE_USER=" + user,
			"HOME=" + s.home,
			"GIT_CONFIG_NOSYSTEM=1",
		},
		InheritEnv: []string{"PATH"},
	}
	backend.ServeHTTP(w, r)
}

// onDisk is the name in dir that equals name but for ASCII case, else name.
func (s *gitServer) onDisk(dir, name string) string {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.EqualFold(e.Name(), name) {
			return e.Name()
		}
	}
	return name
}

// log records one request: method, path with query, and what auth did.
func (s *gitServer) log(r *http.Request, outcome string) {
	appendRequestLog(&s.mu, s.logPath, r, outcome)
}

// appendRequestLog appends "METHOD PATH: outcome" to the log at path, one
// writer at a time: what the test servers' auth did with each request.
func appendRequestLog(mu *sync.Mutex, path string, r *http.Request, outcome string) {
	mu.Lock()
	defer mu.Unlock()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %s: %s\n", r.Method, r.URL.RequestURI(), outcome)
}
