package credential

// Request is a protocol request reduced to what matching needs, normalized
// the same way targets are.
type Request struct {
	Protocol    string
	Host        string
	Path        string // "" when git sent none (credential.useHttpPath off)
	Username    string
	HasUsername bool
	// Invalid is set when the host or path is not one a token could be
	// stored for (a "/" or control character in the host, a ".." segment
	// in the path): no entry matches such a request, whatever its fields.
	Invalid bool
}

// RequestOf normalizes a protocol request for matching.
func RequestOf(c *Credential) Request {
	protocol := asciiLower(c.Protocol)
	r := Request{
		Protocol:    protocol,
		Host:        NormalizeHost(protocol, c.Host),
		Path:        NormalizePath(c.Path),
		Username:    c.Username,
		HasUsername: c.HasUsername,
	}
	r.Invalid = !HostValid(c.Host) || pathValid(r.Path) != nil
	return r
}

// Best returns the index of the entry that answers r, or -1.
//
// The rules, in order: the protocol is https (http only for an entry added
// with AllowHTTP); the host, port included, is equal; when r carries a user
// name, the entry's is equal (an entry without one stands for DefaultUsername);
// when r carries a path, the entry whose path is the longest prefix of it on
// whole segments wins, and an entry without a path is the fallback; without a
// path in r only entries without a path answer. Among equals, an entry
// without a user name comes first, then the earlier one in entries.
func Best(r Request, entries []Entry) int {
	best, bestLen := -1, -1
	for i, e := range entries {
		n := matchLength(r, e)
		if n < 0 {
			continue
		}
		if n > bestLen || (n == bestLen && entries[best].HasUsername && !e.HasUsername) {
			best, bestLen = i, n
		}
	}
	return best
}

// All returns the indexes of every entry that r matches: the set erase acts
// on. As in git's own helpers, a field r lacks matches anything, so a request
// without a path matches entries of every path on the host.
func All(r Request, entries []Entry) []int {
	var out []int
	for i, e := range entries {
		if r.Path == "" && e.Path != "" {
			e.Path = ""
		}
		if matchLength(r, e) >= 0 {
			out = append(out, i)
		}
	}
	return out
}

// matchLength is -1 when e does not serve r, else the length of e's path,
// so longer (more specific) prefixes rank higher.
func matchLength(r Request, e Entry) int {
	if r.Invalid {
		return -1
	}
	switch r.Protocol {
	case "https":
	case "http":
		if !e.AllowHTTP {
			return -1
		}
	default:
		return -1
	}
	if r.Host != e.Host {
		return -1
	}
	if r.HasUsername {
		if e.HasUsername && e.Username != r.Username {
			return -1
		}
		if !e.HasUsername && r.Username != DefaultUsername {
			return -1
		}
	}
	if e.Path == "" {
		return 0
	}
	if !HasPathPrefix(r.Path, e.Path) {
		return -1
	}
	return len(e.Path)
}

// HasPathPrefix reports whether prefix is a prefix of p on whole segments,
// ASCII case aside: "acme" is one of "acme/repo" and "ACME/repo", never of
// "acmecorp/x".
func HasPathPrefix(p, prefix string) bool {
	if prefix == "" {
		return true
	}
	if len(p) < len(prefix) || !SamePath(p[:len(prefix)], prefix) {
		return false
	}
	return len(p) == len(prefix) || p[len(prefix)] == '/'
}
