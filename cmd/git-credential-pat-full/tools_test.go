package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// The tools other than git that scripts run for real: GitHub CLI (gh),
// git-lfs and the go command. CI installs them (.ci/run).
func init() {
	scriptCmds["needs"] = cmdNeeds
}

// cmdNeeds fails a script in CI when a program it runs is not installed;
// elsewhere the script skips itself with testscript's condition:
//
//	needs PROGRAM...
//	[!exec:PROGRAM] skip 'PROGRAM is not installed'
func cmdNeeds(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: needs PROGRAM...")
	}
	for _, p := range args {
		if _, err := exec.LookPath(p); err != nil && os.Getenv("CI") == "true" {
			ts.Fatalf("CI must run this script, but %s is not installed: add its package to .ci/run", p)
		}
	}
}

func init() {
	scriptCmds["modproxy"] = cmdModProxy
	scriptCmds["lfsserver"] = cmdLFSServer
}

// ownerAuth is HTTP Basic auth where each owner accepts only its own
// token, with a log of what each request carried, as gitServer does: the
// token itself is never logged, only whose it is.
type ownerAuth struct {
	tokens  map[string]string // owner (lower case) -> the one token it accepts
	logPath string
	mu      sync.Mutex
}

func newOwnerAuth(ts *testscript.TestScript, name, usage string, args []string) *ownerAuth {
	if len(args) == 0 {
		ts.Fatalf("usage: %s", usage)
	}
	dir := filepath.Join(ts.Getenv("WORK"), name)
	ts.Check(os.MkdirAll(dir, 0o700))
	a := &ownerAuth{tokens: map[string]string{}, logPath: filepath.Join(dir, "auth.log")}
	for _, arg := range args {
		owner, token, ok := strings.Cut(arg, "=")
		if !ok || owner == "" || token == "" {
			ts.Fatalf("%s: %q is not OWNER=TOKEN", name, arg)
		}
		a.tokens[strings.ToLower(owner)] = token
	}
	ts.Check(os.WriteFile(a.logPath, nil, 0o600))
	return a
}

// allow reports whether r carries owner's token, answering 404 or 401 when
// it does not, and logs the request with detail.
func (a *ownerAuth) allow(w http.ResponseWriter, r *http.Request, owner, detail string) bool {
	want, known := a.tokens[strings.ToLower(owner)]
	if !known {
		a.log(r, "404 no such owner")
		http.NotFound(w, r)
		return false
	}
	user, password, sent := r.BasicAuth()
	switch {
	case !sent:
		a.log(r, "401 no credentials")
	case subtle.ConstantTimeCompare([]byte(password), []byte(want)) != 1:
		a.log(r, fmt.Sprintf("401 refused user %s: not the token of %s", user, owner))
	default:
		a.log(r, fmt.Sprintf("accepted user %s with the token of %s%s", user, owner, detail))
		return true
	}
	w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
	http.Error(w, "authentication required", http.StatusUnauthorized)
	return false
}

func (a *ownerAuth) log(r *http.Request, outcome string) {
	appendRequestLog(&a.mu, a.logPath, r, outcome)
}

// startTLS starts handler on a local TLS server for the rest of the script
// and sets PREFIX (https://127.0.0.1:PORT) and PREFIXHOST (127.0.0.1:PORT).
// Its certificate is trusted by Go programs (SSL_CERT_FILE) and by git and
// git-lfs (GIT_SSL_CAINFO, added to the file a gitserver set).
func startTLS(ts *testscript.TestScript, name, prefix string, handler http.Handler) string {
	srv := httptest.NewUnstartedServer(handler)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	ts.Defer(srv.Close)
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	caPath := filepath.Join(ts.Getenv("WORK"), name, "ca.pem")
	ts.Check(os.WriteFile(caPath, cert, 0o600))
	ts.Setenv("SSL_CERT_FILE", caPath)
	if gitCA := ts.Getenv("GIT_SSL_CAINFO"); gitCA != "" {
		f, err := os.OpenFile(gitCA, os.O_APPEND|os.O_WRONLY, 0)
		ts.Check(err)
		_, err = f.Write(cert)
		ts.Check(err)
		ts.Check(f.Close())
	} else {
		ts.Setenv("GIT_SSL_CAINFO", caPath)
	}
	ts.Setenv(prefix, srv.URL)
	ts.Setenv(prefix+"HOST", strings.TrimPrefix(srv.URL, "https://"))
	return srv.URL
}

// modProxyDomain is the first element of the modules a modproxy serves.
const modProxyDomain = "example.test"

// cmdModProxy starts a private Go module proxy (the GOPROXY protocol) for
// the rest of the script:
//
//	modproxy OWNER=TOKEN...
//
// It serves, for each OWNER, the module example.test/OWNER/hello at v1.0.0
// (package hello, const Owner = "OWNER") under
// https://127.0.0.1:PORT/example.test/OWNER/hello/@v/: list, v1.0.0.info,
// .mod and .zip, and @latest; each request needs OWNER's token. It sets
// MODPROXY and MODPROXYHOST and logs every request to
// $WORK/modproxy/auth.log.
func cmdModProxy(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! modproxy")
	}
	auth := newOwnerAuth(ts, "modproxy", "modproxy OWNER=TOKEN...", args)
	const version = "v1.0.0"
	info := `{"Version":"` + version + `","Time":"2030-01-01T00:00:00Z"}`
	startTLS(ts, "modproxy", "MODPROXY", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mod, file, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/@")
		parts := strings.Split(mod, "/")
		if !ok || r.Method != http.MethodGet && r.Method != http.MethodHead || len(parts) != 3 || parts[0] != modProxyDomain || parts[2] != "hello" {
			auth.log(r, "404 no such module")
			http.NotFound(w, r)
			return
		}
		owner := parts[1]
		if !auth.allow(w, r, owner, "") {
			return
		}
		switch file {
		case "v/list":
			fmt.Fprintln(w, version)
		case "latest", "v/" + version + ".info":
			fmt.Fprint(w, info)
		case "v/" + version + ".mod":
			fmt.Fprint(w, modFile(mod))
		case "v/" + version + ".zip":
			w.Header().Set("Content-Type", "application/zip")
			w.Write(moduleZip(ts, mod, version, owner))
		default:
			http.NotFound(w, r)
		}
	}))
}

func modFile(mod string) string { return "module " + mod + "\n\ngo 1.21\n" }

// moduleZip is a module's zip as the go command checks it: every file
// under MODULE@VERSION/, go.mod among them.
func moduleZip(ts *testscript.TestScript, mod, version, owner string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, content := range map[string]string{
		"go.mod":   modFile(mod),
		"hello.go": "// Package hello is " + owner + "'s.\npackage hello\n\n// Owner owns this module.\nconst Owner = \"" + owner + "\"\n",
	} {
		f, err := z.Create(mod + "@" + version + "/" + name)
		ts.Check(err)
		_, err = io.WriteString(f, content)
		ts.Check(err)
	}
	ts.Check(z.Close())
	return b.Bytes()
}

// lfsServer keeps LFS objects per repository, in memory.
type lfsServer struct {
	auth    *ownerAuth
	url     string
	mu      sync.Mutex
	objects map[string][]byte // OWNER/REPO.git/OID -> content
}

// cmdLFSServer starts a Git LFS server on a host of its own for the rest
// of the script, as lfs.url names one:
//
//	lfsserver OWNER=TOKEN...
//
// Under https://127.0.0.1:PORT/OWNER/REPO.git/info/lfs it answers the batch
// API (POST objects/batch, basic transfer), the uploads and downloads it
// hands out (PUT and GET objects/OID, authenticated by the client, no
// header given) and POST locks/verify (no locks); every request needs
// OWNER's token. It sets LFSSERVER and LFSSERVERHOST and logs every request
// to $WORK/lfsserver/auth.log.
func cmdLFSServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! lfsserver")
	}
	s := &lfsServer{auth: newOwnerAuth(ts, "lfsserver", "lfsserver OWNER=TOKEN...", args), objects: map[string][]byte{}}
	s.url = startTLS(ts, "lfsserver", "LFSSERVER", s)
}

func (s *lfsServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	repo, rest, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/info/lfs/")
	owner, _, _ := strings.Cut(repo, "/")
	if !ok || !strings.HasSuffix(repo, ".git") || !strings.Contains(repo, "/") {
		s.auth.log(r, "404 not an LFS address")
		http.NotFound(w, r)
		return
	}
	switch {
	case r.Method == http.MethodPost && rest == "objects/batch":
		var req struct {
			Operation string `json:"operation"`
			Objects   []struct {
				OID  string `json:"oid"`
				Size int64  `json:"size"`
			} `json:"objects"`
		}
		body, _ := io.ReadAll(r.Body)
		if json.Unmarshal(body, &req) != nil || (req.Operation != "upload" && req.Operation != "download") {
			http.Error(w, "bad batch request", http.StatusBadRequest)
			return
		}
		if !s.auth.allow(w, r, owner, fmt.Sprintf(" (%s of %d objects)", req.Operation, len(req.Objects))) {
			return
		}
		var objects []map[string]any
		s.mu.Lock()
		for _, o := range req.Objects {
			obj := map[string]any{"oid": o.OID, "size": o.Size}
			_, have := s.objects[repo+"/"+o.OID]
			href := map[string]any{"href": s.url + "/" + repo + "/info/lfs/objects/" + o.OID}
			switch {
			case req.Operation == "upload" && !have:
				obj["actions"] = map[string]any{"upload": href}
			case req.Operation == "download" && have:
				obj["actions"] = map[string]any{"download": href}
			case req.Operation == "download":
				obj["error"] = map[string]any{"code": 404, "message": "object not found"}
			}
			objects = append(objects, obj)
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/vnd.git-lfs+json")
		json.NewEncoder(w).Encode(map[string]any{"transfer": "basic", "objects": objects})
	case r.Method == http.MethodPost && rest == "locks/verify":
		if !s.auth.allow(w, r, owner, "") {
			return
		}
		w.Header().Set("Content-Type", "application/vnd.git-lfs+json")
		fmt.Fprint(w, `{"ours":[],"theirs":[]}`)
	case (r.Method == http.MethodPut || r.Method == http.MethodGet) && strings.HasPrefix(rest, "objects/"):
		if !s.auth.allow(w, r, owner, "") {
			return
		}
		oid := strings.TrimPrefix(rest, "objects/")
		key := repo + "/" + oid
		if r.Method == http.MethodPut {
			body, err := io.ReadAll(r.Body)
			if sum := sha256.Sum256(body); err != nil || hex.EncodeToString(sum[:]) != oid {
				http.Error(w, "the object's content does not hash to its oid", http.StatusUnprocessableEntity)
				return
			}
			s.mu.Lock()
			s.objects[key] = body
			s.mu.Unlock()
			return
		}
		s.mu.Lock()
		body, have := s.objects[key]
		s.mu.Unlock()
		if !have {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(body)
	default:
		s.auth.log(r, "404 not served")
		http.NotFound(w, r)
	}
}
