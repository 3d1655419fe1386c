// Package reclaim hands back to the system the memory a burst of work left
// behind, once the server goes quiet.
//
// Go keeps freed heap for reuse and returns it only gradually, down to
// about twice the live heap as of the last collection: after a minute of
// writes a quiet server stays near its peak for minutes. When requests stop
// for a while, one forced collection returns every free page at once.
// Under load nothing changes: a soft memory limit would instead make the
// collector run more often exactly when the server is busiest.
package reclaim

import (
	"context"
	"net/http"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// Quiet notes requests and, once none came for a while after some did,
// returns the free memory to the system.
type Quiet struct {
	after    time.Duration
	seen     atomic.Bool // a request came since Run last looked
	inFlight atomic.Int64
}

// New returns a Quiet that reclaims after requests stopped for between
// after and twice after.
func New(after time.Duration) *Quiet {
	return &Quiet{after: after}
}

// Handler notes every request to next. A websocket's request runs as long
// as its page is open: it counts as a request that came, not as one still
// running, or any open browser would keep the server from ever reclaiming.
func (q *Quiet) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q.seen.Store(true)
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		q.inFlight.Add(1)
		defer q.inFlight.Add(-1)
		next.ServeHTTP(w, r)
	})
}

// Run looks every after until ctx ends: once for each quiet spell that
// follows requests, with none started or running, it frees. A server nobody uses is never collected
// again and again.
func (q *Quiet) Run(ctx context.Context) {
	t := time.NewTicker(q.after)
	defer t.Stop()
	owed := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if q.seen.Swap(false) || q.inFlight.Load() > 0 {
			owed = true
			continue
		}
		if owed {
			debug.FreeOSMemory()
			owed = false
		}
	}
}
