package cache

import "github.com/git-credential-pat/git-credential-pat/store/cache/relay"

// BuildID is the identity of this build, which every request and reply
// carries: a daemon answers only programs of its own build, and a client
// takes answers only from a daemon of its own, so an upgrade never leaves
// the previous build's daemon deciding. It is set at link time for all
// three programs of one build alike (make build: -X
// ...store/cache/relay.build=ID, ID a hash of the sources and the Go
// version); without it (go build, go install) it is the module's version,
// VCS revision and Go version, as the go command recorded them. It lives
// in store/cache/relay, which the front links instead of this package.
func BuildID() string { return relay.BuildID() }
