//go:build !linux

package daemon

import (
	"time"

	"github.com/git-credential-pat/git-credential-pat/store/cache"
)

// answerAtOnce answers nothing on the accepting goroutine here: telling a
// request whole in the socket without reading it takes POLLRDHUP, which
// is Linux's. Every connection is served on a goroutine of its own.
func (d *daemon) answerAtOnce(netClient, time.Time) (*cache.Request, *lockedBuf, int) {
	return nil, nil, notReady
}
