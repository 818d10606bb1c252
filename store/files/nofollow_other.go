//go:build !unix

package files

// oNoFollow is 0 where the OS has no such flag (Windows): openNoFollow's
// Lstat alone refuses a link there.
const oNoFollow = 0
