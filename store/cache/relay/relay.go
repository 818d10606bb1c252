// Package relay is the cache daemon's client as the front needs it for a
// relayed get or store: plain system calls, and nothing whose package
// initialization would cost every git operation. On Linux it links only
// what bench/floor links (syscall, errors, sync and the runtime), so that
// the front starts as fast as the least a Go helper can be; a test holds it
// to that list. Store/cache speaks the same wire with errors people read;
// this package only needs to know whether the daemon answered.
package relay

import (
	"runtime"
	"sync"
	_ "unsafe" // go:linkname, for the build information
)

// build is the build's identity, set at link time for all three programs
// of one build alike (make build: -X ...store/cache/relay.build=ID, ID a
// hash of the sources and the Go version).
var build string

// modinfo is the build information the go command embeds, which
// runtime/debug.ReadBuildInfo parses; runtime/debug itself links fmt and
// strconv, which the front must not.
//
//go:linkname modinfo runtime/debug.modinfo
func modinfo() string

// BuildID is the identity of this build, which every request and reply
// carries: a daemon answers only programs of its own build, and a client
// takes answers only from a daemon of its own, so an upgrade never leaves
// the previous build's daemon deciding. Without an identity set at link
// time (go build, go install), it is the module's path and version, the Go
// version and the VCS revision the go command recorded: the same for the
// three programs of one go install.
var BuildID = sync.OnceValue(func() string {
	if build != "" {
		return build
	}
	return fromModinfo(modinfo())
})

// fromModinfo reads the main module's path and version and the VCS
// settings from the go command's build information: lines of
// tab-separated fields between two 16-byte markers.
func fromModinfo(info string) string {
	if len(info) < 32 {
		return "unknown"
	}
	info = info[16 : len(info)-16]
	var mod, vcs string
	for len(info) > 0 {
		line := info
		if i := indexByte(info, '\n'); i >= 0 {
			line, info = info[:i], info[i+1:]
		} else {
			info = ""
		}
		switch {
		case hasPrefix(line, "mod\t"):
			f := fields(line)
			if len(f) >= 3 {
				mod = f[1] + "@" + f[2]
			}
		case hasPrefix(line, "build\tvcs.revision="), hasPrefix(line, "build\tvcs.modified="), hasPrefix(line, "build\t-ldflags="):
			vcs += " " + line[len("build\t"):]
		}
	}
	if mod == "" {
		return "unknown"
	}
	return mod + " " + runtime.Version() + vcs
}

func fields(line string) []string {
	var f []string
	for {
		i := indexByte(line, '\t')
		if i < 0 {
			return append(f, line)
		}
		f, line = append(f, line[:i]), line[i+1:]
	}
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func hasPrefix(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

// PassphraseEnv is store/files.PassphraseEnv, which this package cannot
// import (it links os): the vault passphrase never travels to the daemon.
const PassphraseEnv = "GIT_CREDENTIAL_PAT_PASSPHRASE"

// Env is what of an environment a relayed request carries: the helper's
// own variables (but the vault passphrase) and those its files' locations
// follow, so the daemon answers for the client's setup, not its own.
func Env(environ []string) []string {
	var out []string
	for _, kv := range environ {
		name := kv
		if i := indexByte(kv, '='); i >= 0 {
			name = kv[:i]
		}
		switch {
		case name == PassphraseEnv:
		case hasPrefix(name, "GIT_CREDENTIAL_PAT_"),
			name == "HOME", name == "USERPROFILE", hasPrefix(name, "XDG_"),
			name == "PASSWORD_STORE_DIR": // names the pass backend's folder
			if !hasLineBreak(kv) {
				out = append(out, kv)
			}
		}
	}
	return out
}

func hasLineBreak(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' || s[i] == '\r' || s[i] == 0 {
			return true
		}
	}
	return false
}

// Dir is the cache daemon's folder for an environment, as
// store/cache.DirFor finds it, or "" when the environment names none
// (DirFor then asks the system for a home, and the front hands over).
func Dir(getenv func(string) string) string {
	if dir := getenv("XDG_RUNTIME_DIR"); dir != "" && dir[0] == '/' {
		return Clean(dir + "/git-credential-pat")
	}
	if dir := getenv("XDG_CACHE_HOME"); dir != "" && dir[0] == '/' {
		return Clean(dir + "/git-credential-pat")
	}
	if home := getenv("HOME"); home != "" {
		return Clean(home + "/.cache/git-credential-pat")
	}
	return ""
}

// Clean is path.Clean on a slash-separated path, as filepath.Join cleans
// what it joins on Unix: the front must reach the very folder the daemon
// listens in, named the same way.
func Clean(p string) string {
	rooted := p != "" && p[0] == '/'
	var parts []string
	for len(p) > 0 {
		seg := p
		if i := indexByte(p, '/'); i >= 0 {
			seg, p = p[:i], p[i+1:]
		} else {
			p = ""
		}
		switch seg {
		case "", ".":
		case "..":
			if n := len(parts); n > 0 && parts[n-1] != ".." {
				parts = parts[:n-1]
			} else if !rooted {
				parts = append(parts, "..")
			}
		default:
			parts = append(parts, seg)
		}
	}
	out := ""
	for i, seg := range parts {
		if i > 0 {
			out += "/"
		}
		out += seg
	}
	switch {
	case rooted:
		return "/" + out
	case out == "":
		return "."
	}
	return out
}

// Request renders a relayed request as store/cache.Request.Encode does
// (op, build, arg and env lines, a blank line, the body), or reports false
// when a header value holds a line break or NUL.
func Request(op string, args, env []string, body []byte) ([]byte, bool) {
	n := len(body) + 64 + len(BuildID())
	for _, s := range args {
		n += len(s) + 5
	}
	for _, s := range env {
		n += len(s) + 5
	}
	b := make([]byte, 0, n)
	ok := true
	put := func(key, value string) {
		if hasLineBreak(value) {
			ok = false
		}
		b = append(append(append(append(b, key...), '='), value...), '\n')
	}
	put("op", op)
	put("build", BuildID())
	for _, a := range args {
		put("arg", a)
	}
	for _, e := range env {
		put("env", e)
	}
	b = append(append(b, '\n'), body...)
	return b, ok
}

// Answer reads a reply: the body of status=answer from a daemon of this
// build, or false for anything else (the full program then asks, and
// retires a daemon of another build).
func Answer(msg []byte) ([]byte, bool) {
	var status, build string
	for {
		i := 0
		for i < len(msg) && msg[i] != '\n' {
			i++
		}
		if i == len(msg) {
			return nil, false
		}
		line := msg[:i]
		msg = msg[i+1:]
		if len(line) == 0 {
			break
		}
		switch {
		case hasPrefix(string(line), "status="):
			status = string(line[len("status="):])
		case hasPrefix(string(line), "build="):
			build = string(line[len("build="):])
		}
	}
	if status != "answer" || build != BuildID() {
		return nil, false
	}
	return msg, true
}
