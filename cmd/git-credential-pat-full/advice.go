package main

import (
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	"github.com/git-credential-pat/git-credential-pat/internal/forge/github"
)

// The fix for each situation a person meets, in the words every command
// uses: check, doctor, get's warnings (through credential), --help, the
// README and the Makefile's install message say the same. One place, so
// that they cannot drift apart; TestAdvice holds the texts outside Go to it.
//
//	an expired token            credential.ReplaceAdvice: replace it with: git-credential-pat new TARGET
//	a token expiring soon       credential.RenewAdvice:   renew it with: git-credential-pat new TARGET
//	an expiry not known         learnExpiry:              verify TARGET, or edit TARGET --expires
//	git does not ask this helper setupCommand:            git config --global --replace-all credential.helper PATH
//	no repository path from git credential.UseHTTPPathCommand

// setupCommand makes git ask this helper, named by its full path: git then
// runs it directly instead of starting another git to find
// git-credential-pat on PATH (see BENCHMARKS.md). --replace-all also works
// where several helpers are set, where plain "git config" fails.
func setupCommand(path string) string {
	return "git config --global --replace-all credential.helper " + path
}

// setupHelpPath is the path in setupCommand where the help cannot know it.
const setupHelpPath = `"$(command -v git-credential-pat)"`

// learnExpiry says how to learn the expiry of a token stored without one:
// GitHub's and GitLab's APIs report it (verify); else the person gives it
// (edit).
func learnExpiry(e credential.Entry) string {
	target := credential.Escape(e.Target.String())
	edit := "git-credential-pat edit " + target + " --expires YYYY-MM-DD"
	// A listed entry may come without its token: its kind and its stored
	// forge tell what the host's API can say.
	switch f := forge.For(e); {
	case f != nil && f.Name() == "gitlab":
	case (f == nil || f.Name() == "github") && github.Prefix(e.Kind) != "":
	default:
		return "give its date with: " + edit
	}
	return "ask the host with: git-credential-pat verify " + target + " (or give its date with: " + edit + ")"
}

// pathArg is path as the shell reads it: as it is when that is safe.
func pathArg(path string) string {
	if strings.Trim(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:@") == "" {
		return path
	}
	return shellQuote(path)
}
