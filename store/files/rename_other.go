//go:build !windows

package files

import "os"

// rename replaces to with from; SyncDir then makes the move durable.
func rename(from, to string) error { return os.Rename(from, to) }
