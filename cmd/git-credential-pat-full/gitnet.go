package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitHTTPSettings are the settings git itself would use to reach a URL:
// where its trusted certificates are, and its proxy. verify sends a token
// where git's own settings say it is safe to, and reaches hosts git
// reaches: a host behind a company CA that git trusts through
// http.sslCAInfo must not fail here with "certificate signed by unknown
// authority".
type gitHTTPSettings struct {
	CAInfo string // a PEM file of trusted certificates: http.sslCAInfo, GIT_SSL_CAINFO
	CAPath string // a folder of them: http.sslCAPath, GIT_SSL_CAPATH
	Proxy  string // http.proxy; unset, HTTPS_PROXY and NO_PROXY apply
}

// readGitHTTPSettings reads the settings for requestURL as git's URL
// matching picks them (git config --get-urlmatch); a key unset for it is
// read for the git host's own URL, https://HOST/, so that settings scoped
// to the host git fetches from also serve its API (api.github.com for
// github.com). The environment variables git reads win, as in git.
func readGitHTTPSettings(requestURL, host string) gitHTTPSettings {
	get := func(key string) string {
		for _, u := range []string{requestURL, "https://" + host + "/"} {
			if v := gitConfigURLMatch("http."+key, u); v != "" {
				return v
			}
		}
		return ""
	}
	s := gitHTTPSettings{CAInfo: get("sslCAInfo"), CAPath: get("sslCAPath"), Proxy: get("proxy")}
	if v := os.Getenv("GIT_SSL_CAINFO"); v != "" {
		s.CAInfo = v
	}
	if v := os.Getenv("GIT_SSL_CAPATH"); v != "" {
		s.CAPath = v
	}
	return s
}

// gitConfigURLMatch asks git for key as it applies to u, paths expanded
// ("~/ca.pem"), as git reads a path; "" when unset or when git cannot be
// asked.
func gitConfigURLMatch(key, u string) string {
	args := []string{"config", "--get-urlmatch", key, u}
	if !strings.EqualFold(key, "http.proxy") {
		args = []string{"config", "--type=path", "--get-urlmatch", key, u}
	}
	out, err := exec.Command("git", args...).Output()
	if err != nil {
		return ""
	}
	return strings.TrimRight(string(out), "\r\n")
}

// transport is an HTTP transport that trusts and proxies as s says.
func (s gitHTTPSettings) transport() (*http.Transport, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if s.CAInfo != "" || s.CAPath != "" {
		// As with git's curl, a CA file replaces the system's list; a CA
		// folder alone adds to it.
		pool := x509.NewCertPool()
		if s.CAInfo == "" {
			if system, err := x509.SystemCertPool(); err == nil {
				pool = system
			}
		}
		if s.CAInfo != "" {
			pem, err := os.ReadFile(s.CAInfo)
			if err != nil {
				return nil, fmt.Errorf("cannot read git's CA file (http.sslCAInfo or GIT_SSL_CAINFO): %w; fix the setting, as git needs it too", err)
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("git's CA file %s (http.sslCAInfo or GIT_SSL_CAINFO) holds no PEM certificate; fix the setting, as git needs it too", s.CAInfo)
			}
		}
		if s.CAPath != "" {
			if err := appendCAFolder(pool, s.CAPath); err != nil {
				return nil, err
			}
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	if s.Proxy != "" {
		raw := s.Proxy
		if !strings.Contains(raw, "://") {
			raw = "http://" + raw // git's default proxy protocol
		}
		proxy, err := url.Parse(raw)
		if err != nil || proxy.Host == "" {
			return nil, fmt.Errorf("git's http.proxy %q is not a proxy address; fix it with git config http.proxy HOST:PORT", s.Proxy)
		}
		tr.Proxy = http.ProxyURL(proxy)
	}
	return tr, nil
}

// appendCAFolder adds the PEM certificates of the files in dir to pool, as
// a folder given to http.sslCAPath holds them.
func appendCAFolder(pool *x509.CertPool, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("cannot read git's CA folder (http.sslCAPath or GIT_SSL_CAPATH): %w; fix the setting, as git needs it too", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if pem, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
			pool.AppendCertsFromPEM(pem)
		}
	}
	return nil
}

// untrustedHint says what to do when the host's certificate is not
// trusted: give git's settings the CA, which verify then uses too.
func untrustedHint(err error) string {
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		return "; if git reaches this host through a CA of its own, give it to git with: git config --global http.sslCAInfo FILE.pem (verify reads it as git does)"
	}
	return ""
}
