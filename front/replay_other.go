//go:build !linux

package front

import "errors"

// replaySupported: without memfd, the front does not read standard input,
// and every action goes to the full program untouched.
const replaySupported = false

func replayStdin([]byte) error { return errors.New("not supported on this system") }
