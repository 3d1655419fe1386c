package live

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/doska/doska/models"
)

// work serves the socket's subscribe and unsubscribe frames as the reader
// hands them over (see conn.ask), until none is left or the socket closes.
func (h *Hub) work(c *conn) {
	for {
		follow, leave, ok := c.take()
		if !ok {
			return
		}
		if len(leave) > 0 {
			if !h.await(c, func() {
				for _, p := range leave {
					h.drop(c, p)
				}
			}) {
				return
			}
			c.left(leave)
		}
		if !h.subscribe(c, follow) {
			return
		}
	}
}

// await runs cmd on the dispatcher and waits for it; false once the socket
// is closing or the hub has stopped.
func (h *Hub) await(c *conn, cmd func()) bool {
	done := make(chan struct{})
	h.do(func(context.Context) {
		cmd()
		close(done)
	})
	select {
	case <-done:
		return true
	case <-c.done:
	case <-h.stopped:
	}
	return false
}

// subscribe brings the socket live on each project it may see, after
// replaying what it missed since the position it gave; a socket too far
// behind is told to reload the snapshot instead. It runs on the socket's
// worker; false once the socket is closing.
func (h *Hub) subscribe(c *conn, pos positions) bool {
	if len(pos) == 0 {
		return true
	}
	var latest map[int64]int64
	err := h.query(c, func(ctx context.Context) (err error) {
		latest, err = h.src.LatestSeqs(ctx, slices.Collect(maps.Keys(pos)))
		return err
	})
	if err != nil {
		return h.unavailable(c, "subscribe", err)
	}
	for p, from := range pos {
		if !c.current(p) {
			continue
		}
		if c.liveOn(p) {
			// Subscribing again restarts from the given position.
			h.do(func(context.Context) { h.drop(c, p) })
		}
		if !h.follow(c, p, from, latest[p]) {
			return false
		}
		c.served(p)
	}
	return true
}

// follow checks access, replays, answers subscribed and attaches the
// socket to one project, or tells it to resync or that it may not see it;
// false once the socket is closing.
func (h *Hub) follow(c *conn, p, from, latest int64) bool {
	revoked := encode(projectFrame{Type: "revoked", ProjectID: p})
	u := c.user.Load()
	if !h.allowed(c, u, p) {
		return c.push(revoked)
	}
	// Only after the access check: to one who may not see the project,
	// resync would tell that it exists and how many events it has.
	if from > latest || latest-from > replayMax {
		return c.push(encode(projectFrame{Type: "resync", ProjectID: p}))
	}
	checked := true // access, just now
	answered := false
	for {
		// A socket at the newest event has nothing to replay.
		if from < latest {
			var allowed, ok bool
			if from, allowed, ok = h.replay(c, u, p, from, checked); !ok {
				return false
			}
			if !allowed {
				return c.push(revoked)
			}
			checked = false
		}
		// The answer goes at the socket's pace, as the replay did: a frame
		// subscribing to thousands of projects must not overrun the send
		// queue. It goes before the socket is attached, so no live event
		// can overtake it; should the project have moved on meanwhile, its
		// new events are replayed after it, in order, as live ones come.
		if !answered {
			if !c.push(encode(projectFrame{Type: "subscribed", ProjectID: p, Seq: from})) {
				return false
			}
			answered = true
		}
		a := attachment{c: c, at: from, user: u, reply: make(chan attached, 1)}
		h.do(func(ctx context.Context) { h.attach(ctx, p, a) })
		var r attached
		select {
		case r = <-a.reply:
		case <-c.done:
			return false
		case <-h.stopped:
			return false
		}
		switch {
		case r.recheck:
			if u = c.user.Load(); !h.allowed(c, u, p) {
				return c.push(revoked)
			}
			checked = true
		case r.resume > from:
			latest = r.resume
		default:
			return !c.closed()
		}
	}
}

// allowed asks whether u may see the project, for the socket's worker.
func (h *Hub) allowed(c *conn, u *models.User, p int64) bool {
	err := h.query(c, func(ctx context.Context) error { return h.acc.CanSee(ctx, u.Actor(), p) })
	if err != nil && !errors.Is(err, models.ErrNotFound) && !c.closed() {
		h.log.Warn("live: access", "project_id", p, "err", err)
	}
	return err == nil
}

// replay sends the project's events after from page by page, each page
// read only once the socket has taken the one before. It returns the last
// seq sent; allowed is false if the project's members changed and u is no
// longer among them.
//
// Access is checked again before each page but a first one just checked:
// a slow socket may take minutes over a replay, and one whose user was
// removed meanwhile must stop within a page, not read on to the event
// that removed them.
func (h *Hub) replay(c *conn, u *models.User, p, from int64, checked bool) (last int64, allowed, ok bool) {
	for ; ; checked = false {
		if !checked && !h.allowed(c, u, p) {
			return from, false, !c.closed()
		}
		var events []models.Event
		err := h.query(c, func(ctx context.Context) (err error) {
			events, err = h.src.EventsAfter(ctx, p, from, replayPage)
			return err
		})
		if err != nil {
			return from, true, h.unavailable(c, "replay", err)
		}
		for _, ev := range events {
			if ev.Kind == models.EventProjectUpdated && !h.allowed(c, u, p) {
				return from, false, !c.closed()
			}
			if v, visible := ev.For(u.Actor()); visible && !c.push(encode(eventFrame{Type: "event", Event: v})) {
				return from, true, false
			}
			from = ev.Seq
		}
		if len(events) < replayPage {
			return from, true, true
		}
	}
}

// query runs one of a worker's reads under the hub's bound on them.
func (h *Hub) query(c *conn, read func(ctx context.Context) error) error {
	select {
	case h.reads <- struct{}{}:
	case <-c.done:
		return context.Canceled
	}
	defer func() { <-h.reads }()
	return read(c.ctx)
}

// unavailable closes a socket whose worker could not read the database:
// the client reconnects and resumes. It returns false.
func (h *Hub) unavailable(c *conn, what string, err error) bool {
	if !c.closed() {
		h.log.Warn("live: "+what, "err", err)
		c.close(closeTooSlow, "temporarily unavailable: reconnect")
	}
	return false
}
