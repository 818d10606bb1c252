package main

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

const tokenUsage = `Usage: git-credential-pat token [TARGET|URL]

Prints the token git would get for TARGET (github.com/OWNER,
github.com/OWNER/REPO, HOST:PORT/..., or any of these as an https:// URL),
chosen as git's get chooses it, for scripts and the tools that take a token:
  GH_TOKEN=$(git-credential-pat token github.com/acme) gh repo list acme
Without TARGET, it is the current checkout's origin remote, as git reads it
(git remote get-url origin). Only the token is printed, on a line of its own.
When no token serves there, or the one that would has expired or was refused
by the host, nothing is printed, the reason goes to standard error, and the
exit code is 1.

`

func (env *environment) token(args []string) error {
	fs := env.newFlags("token", tokenUsage)
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) > 1 {
		return usagef("token takes at most one TARGET or URL; run git-credential-pat token --help")
	}
	where := ""
	if len(positional) == 1 {
		where = positional[0]
	}
	served, err := env.served(where)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(env.stdout, served.Token)
	return err
}

// servedEntry is the stored entry git's get answers with at a target, and
// the request that asked for it.
type servedEntry struct {
	credential.Entry
	request credential.Request
}

// served is the entry whose token git would get at where (a TARGET or URL;
// "" for the current checkout's origin), decided by credential.Decide, the
// decision of git's get, on the same entries. An expired or refused token,
// or none, is an error that says what to do.
func (env *environment) served(where string) (servedEntry, error) {
	req, err := requestFor(where)
	if err != nil {
		return servedEntry{}, err
	}
	r := credential.RequestOf(req)
	tokens, err := env.tokens()
	if err != nil {
		return servedEntry{}, err
	}
	var entries []credential.Entry
	if ht, ok := tokens.(credential.HostTokens); ok {
		entries, err = ht.ListHost(r.Host)
	} else {
		entries, err = tokens.List()
	}
	if err != nil {
		return servedEntry{}, err
	}
	at := credential.Escape(credential.Target{Host: r.Host, Path: r.Path, Username: req.Username, HasUsername: req.HasUsername}.String())
	verdict, i := credential.Decide(req, entries, env.now(), 0)
	switch verdict {
	case credential.Serve, credential.ServeAndWarn:
		return servedEntry{Entry: entries[i], request: r}, nil
	case credential.Expired:
		e := entries[i]
		return servedEntry{}, fmt.Errorf("the token for %s expired on %s; %s",
			credential.Escape(e.Target.String()), e.Expires.UTC().Format(time.DateOnly), credential.Escape(credential.ReplaceAdvice(e)))
	case credential.Refused:
		e := entries[i]
		return servedEntry{}, fmt.Errorf("%s, the token for %s, was %s; replace it with: git-credential-pat rotate %s",
			credential.Masked(e.Token), credential.Escape(e.Target.String()), credential.RefusedWhen(e), credential.Escape(e.Target.String()))
	}
	return servedEntry{}, fmt.Errorf("no stored token serves %s; add one with: git-credential-pat add %s", at, at)
}

// requestFor is the request git would make at where: a TARGET or URL as
// typed, or, for "", the URL of the current checkout's origin remote.
func requestFor(where string) (*credential.Credential, error) {
	if where == "" {
		origin, err := originURL()
		if err != nil {
			return nil, err
		}
		where = origin
	} else if https, ok := sshToHTTPS(where, true); ok {
		return nil, usagef("%s is an SSH address, and tokens are for HTTPS; give its https URL: %s", credential.Escape(redactUserinfo(where)), credential.Escape(https))
	}
	target, err := credential.ParseTarget(where)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	protocol := "https"
	if scheme, _, ok := strings.Cut(where, "://"); ok && strings.EqualFold(scheme, "http") {
		protocol = "http"
	}
	return &credential.Credential{
		Protocol: protocol, Host: target.Host, Path: target.Path,
		Username: target.Username, HasUsername: target.HasUsername,
	}, nil
}

// originURL is the URL git fetches the current checkout's origin from,
// with url.<base>.insteadOf applied, as git remote get-url prints it. An
// SSH remote is refused with its https URL, which tokens serve.
func originURL() (string, error) {
	out, err := exec.Command("git", "remote", "get-url", "origin").Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", usagef("found no origin remote here (git remote get-url origin: %s); run this in a checkout, or give a TARGET such as github.com/OWNER",
				strings.TrimSpace(string(exitErr.Stderr)))
		}
		return "", fmt.Errorf("cannot ask git for the origin remote: %w; give a TARGET such as github.com/OWNER", err)
	}
	origin := strings.TrimSpace(string(out))
	if https, ok := sshToHTTPS(origin, false); ok {
		return "", usagef("the origin remote %s is an SSH address, and tokens are for HTTPS; give its https URL: %s", credential.Escape(redactUserinfo(origin)), credential.Escape(https))
	}
	if scheme, _, ok := strings.Cut(origin, "://"); !ok || !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "http") {
		return "", usagef("the origin remote %s is not an https URL, and tokens are for HTTPS; give a TARGET such as github.com/OWNER", credential.Escape(redactUserinfo(origin)))
	}
	return origin, nil
}

// sshToHTTPS is the https URL of an SSH remote (ssh://[user@]host[:port]/path
// or git's scp-like [user@]host:path); ok is false for any other address.
// The SSH port and user name are not HTTPS's and are left out. A typed
// target's HOST:PORT/PATH is no SSH address: typed, host:path is one only
// when what follows the colon is not a port.
func sshToHTTPS(remote string, typed bool) (string, bool) {
	var host, path string
	if scheme, rest, ok := strings.Cut(remote, "://"); ok {
		switch strings.ToLower(scheme) {
		case "ssh", "git+ssh", "ssh+git":
		default:
			return "", false
		}
		host, path, _ = strings.Cut(rest, "/")
		if at := strings.LastIndexByte(host, '@'); at >= 0 {
			host = host[at+1:]
		}
		host = strings.TrimPrefix(forgeHostName(host), "[")
		host = strings.TrimSuffix(host, "]")
	} else {
		// git reads host:path as SSH when the colon comes before any slash.
		colon := strings.IndexByte(remote, ':')
		slash := strings.IndexByte(remote, '/')
		if colon <= 1 || slash >= 0 && slash < colon {
			return "", false // a local path, or C:\ on Windows
		}
		host, path = remote[:colon], remote[colon+1:]
		if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, "@") {
			// user:PASSWORD@host, not SSH: ParseTarget refuses it
			// with the password left out.
			return "", false
		}
		if port, _, _ := strings.Cut(path, "/"); typed && port != "" && strings.Trim(port, "0123456789") == "" {
			return "", false
		}
		if at := strings.LastIndexByte(host, '@'); at >= 0 {
			host = host[at+1:]
		}
	}
	path = strings.TrimPrefix(path, "/")
	if host == "" || path == "" {
		return "", false
	}
	return "https://" + host + "/" + path, true
}

// forgeHostName is host without an SSH port.
func forgeHostName(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		return host[:i]
	}
	return host
}

// redactUserinfo leaves out of a URL what comes before its host's "@": a
// remote's URL may hold a password.
func redactUserinfo(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	hostEnd := strings.IndexByte(rest, '/')
	if hostEnd < 0 {
		hostEnd = len(rest)
	}
	if at := strings.LastIndexByte(rest[:hostEnd], '@'); at >= 0 {
		rest = rest[at+1:]
	}
	return scheme + "://" + rest
}
