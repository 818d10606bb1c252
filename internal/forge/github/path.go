package github

import (
	"errors"
	"fmt"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
)

// IsHost reports whether host (host[:port], as a Target holds it) is one of
// GitHub's own: github.com, or GitHub Enterprise Cloud's SUBDOMAIN.ghe.com.
// A GitHub Enterprise Server has a name of its owner's choosing; callers
// tell it by its tokens (KindOf).
func IsHost(host string) bool {
	name := credential.HostName(host)
	return name == "github.com" || strings.HasSuffix(name, ".ghe.com") && len(name) > len(".ghe.com")
}

// CheckPath refuses a target path GitHub can have no repository under: more
// than OWNER/REPO (GitHub has no nested groups, unlike GitLab), or a name
// with other characters than GitHub allows (letters, digits, "-", "_" and
// "."). A token stored for such a path would never be asked for. The
// error reads after the target's name: "the target X " + err.
func CheckPath(path string) error {
	if path == "" {
		return nil
	}
	segments := strings.Split(path, "/")
	if len(segments) > 2 {
		return errors.New("is deeper than GitHub's OWNER/REPO (GitHub has no nested groups): give HOST/OWNER or HOST/OWNER/REPO")
	}
	for _, seg := range segments {
		for _, r := range seg {
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_' || r == '.') {
				return fmt.Errorf("has %q in its path, which no GitHub owner or repository name holds: give names of letters, digits, \"-\", \"_\" and \".\"", r)
			}
		}
	}
	return nil
}
