package main

// What git's configuration says, asked of git itself: its rules (url
// matching, includes, conditionals) are git's to apply.

import (
	"os/exec"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// useHTTPPathEnabled asks git whether credential.useHttpPath is on for host.
func useHTTPPathEnabled(protocol, host string) bool {
	out, err := exec.Command("git", "config", "--type=bool", "--get-urlmatch", "credential.useHttpPath", protocol+"://"+host+"/").Output()
	return err == nil && strings.TrimSpace(string(out)) == "true"
}

// hintPaths says, for each host where entries are stored per owner or
// repository, that git sends no repository path there until told to: until
// then, git is answered by the host's own token, or by none.
func (env *environment) hintPaths(entries []credential.Entry) {
	for _, u := range pathsOff(entries) {
		say(env.stdout, "git sends repository paths only when asked; turn that on for %s://%s with:", u.protocol, u.host)
		say(env.stdout, "  %s", credential.UseHTTPPathCommand(u.protocol, u.host))
	}
}

// hostURL is a protocol and host of stored entries.
type hostURL struct{ protocol, host string }

// pathsOff lists, once each, the protocols and hosts for which entries
// hold a path but git's credential.useHttpPath is off.
func pathsOff(entries []credential.Entry) []hostURL {
	var off []hostURL
	seen := map[hostURL]bool{}
	for _, e := range entries {
		if e.Path == "" {
			continue
		}
		protocols := []string{"https"}
		if e.AllowHTTP {
			protocols = append(protocols, "http")
		}
		for _, protocol := range protocols {
			u := hostURL{protocol, e.Host}
			if seen[u] {
				continue
			}
			seen[u] = true
			if !useHTTPPathEnabled(protocol, e.Host) {
				off = append(off, u)
			}
		}
	}
	return off
}
