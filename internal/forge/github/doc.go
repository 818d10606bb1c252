// Package github is what git-credential-pat knows of GitHub: the kinds of
// token it issues, told apart by their prefixes; the shape and checksum it
// publishes for each, so a mistyped or truncated token is caught offline;
// the addresses of its token creation pages, filled in for a new token;
// and its REST API, asked who a token belongs to, its classic scopes and its
// expiry (verify).
//
// The API client is git-credential-pat's only use of the network, made by
// the commands a person runs to verify a token (add --verify, verify,
// rotate --verify), never by git's get, store or erase. The front program
// git starts on every fetch and push does not link this package.
package github
