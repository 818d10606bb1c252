package cache

import (
	"runtime/debug"
	"sync"
)

// build is the build's identity, set at link time for all three programs
// of one build alike (make build: -X ...store/cache.build=ID, ID a hash of
// the sources and the Go version).
var build string

// BuildID is the identity of this build, which every request and reply
// carries: a daemon answers only programs of its own build, and a client
// takes answers only from a daemon of its own, so an upgrade never leaves
// the previous build's daemon deciding. Without an identity set at link
// time (go build, go install), it is the module's version, VCS revision
// and Go version, as the go command recorded them.
var BuildID = sync.OnceValue(func() string {
	if build != "" {
		return build
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	id := info.Main.Path + "@" + info.Main.Version + " " + info.GoVersion
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision", "vcs.modified", "-ldflags":
			id += " " + s.Key + "=" + s.Value
		}
	}
	return id
})
