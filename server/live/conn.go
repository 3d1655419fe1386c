package live

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/doska/doska/models"
)

// Timings of a connection. The server pings; a client that does not answer
// within pongWait is gone.
const (
	writeWait  = 10 * time.Second
	pongWait   = 60 * time.Second
	pingEvery  = 25 * time.Second
	authWait   = 5 * time.Second
	readLimit  = 64 << 10 // bytes in a client's frame
	sendQueue  = 64       // frames; a socket further behind is closed and resumes
	replayMax  = 1000     // events a client may be behind before it must reload
	replayPage = 100      // events read at a time while replaying
	closeGrace = time.Second
)

// conn is one browser socket: a reader goroutine, a writer goroutine, a
// worker that serves its subscriptions while it has some to serve, and a
// bounded send queue between hub and writer. The queue is never closed; done tells
// the writer to stop, so the hub can never send on a closed channel.
type conn struct {
	ws     *websocket.Conn
	userID int64
	staff  bool // a user never moves between staff and client
	send   chan []byte
	// replay hands the worker's frames (replays and the answers to
	// subscribe) to the writer one at a time: they go at the socket's pace
	// and never fill the send queue, however many projects one frame asks.
	replay chan []byte
	renew  chan time.Time
	done   chan struct{}
	// ctx ends with the socket, abandoning the worker's queries.
	ctx    context.Context
	cancel context.CancelFunc

	closeOnce sync.Once
	closeCode int
	closeText string

	// user is set by the dispatcher when the account changes and read by
	// the worker.
	user atomic.Pointer[models.User]
	// The socket's subscriptions, under mu. projects are those it is live
	// on: only the hub's dispatcher changes them. asked holds the subscribe
	// and unsubscribe frames the worker has yet to take, merged by project:
	// the position to follow from, or leaving. serving holds the projects
	// the worker took to follow and is not done with. working is whether
	// a worker runs: it is started by ring and ends once nothing is asked,
	// so an idle socket holds no goroutine (and stack) for it.
	mu          sync.Mutex
	projects    map[int64]bool
	asked       map[int64]int64
	serving     map[int64]bool
	working     bool
	startWorker func()
}

// leaving is asked of a project the client unsubscribed from.
const leaving = -1

// newConn returns a socket's state; start runs its worker on a goroutine
// of its own, whenever frames are asked and none runs.
func newConn(ws *websocket.Conn, u models.User, start func(*conn)) *conn {
	ctx, cancel := context.WithCancel(context.Background())
	c := &conn{ws: ws, userID: u.ID, staff: u.Role.Staff(), send: make(chan []byte, sendQueue), replay: make(chan []byte),
		renew: make(chan time.Time, 1), done: make(chan struct{}), ctx: ctx, cancel: cancel,
		projects: map[int64]bool{}, asked: map[int64]int64{}, serving: map[int64]bool{}}
	c.user.Store(&u)
	c.startWorker = func() { start(c) }
	return c
}

// enqueue hands a frame to the writer without ever blocking the hub: a
// client that cannot keep up is disconnected and resumes from its last
// event number when it reconnects, so it misses nothing.
func (c *conn) enqueue(frame []byte) {
	select {
	case <-c.done:
		return
	default:
	}
	select {
	case c.send <- frame:
	default:
		c.close(closeTooSlow, "too slow: reconnect and resume")
		// The writer may be stuck in a write to a peer that stopped
		// reading: make that write fail now rather than after writeWait.
		_ = c.ws.UnderlyingConn().SetWriteDeadline(time.Now())
	}
}

// close asks the writer to send a close frame with code and stop.
func (c *conn) close(code int, text string) {
	c.closeOnce.Do(func() {
		c.closeCode, c.closeText = code, text
		close(c.done)
		c.cancel()
	})
}

// push hands a frame of the worker to the writer, waiting as long as the
// socket takes to read; false once the socket is closing.
func (c *conn) push(frame []byte) bool {
	select {
	case c.replay <- frame:
		return true
	case <-c.done:
		return false
	}
}

// ask hands a subscribe frame's positions to the worker. The reader never
// waits for the worker, which may be replaying for minutes, or it would
// read neither pongs nor reauth meanwhile: frames the worker has yet to
// take are merged instead, a later position for a project replacing an
// earlier one, so they take no more room than the subscriptions. False,
// asking nothing, if the socket would follow more than maxSubscriptions
// projects.
func (c *conn) ask(pos positions) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.following(pos) > maxSubscriptions {
		return false
	}
	for p, from := range pos {
		c.asked[p] = from
	}
	c.ring()
	return true
}

// leave hands an unsubscribe frame to the worker, never waiting for it: a
// project the worker has not taken yet is simply no longer asked.
func (c *conn) leave(ids []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range ids {
		if c.projects[p] || c.serving[p] {
			c.asked[p] = leaving
		} else {
			delete(c.asked, p)
		}
	}
	c.ring()
}

// ring, under mu, starts a worker unless one runs.
func (c *conn) ring() {
	if !c.working {
		c.working = true
		c.startWorker()
	}
}

// following counts, under mu, the projects the socket will follow once
// the worker has served what was asked and pos.
func (c *conn) following(pos positions) int {
	wanted := func(p int64) bool {
		if from, ok := c.asked[p]; ok {
			return from != leaving
		}
		return c.projects[p] || c.serving[p]
	}
	n := 0
	for p := range pos {
		if !wanted(p) {
			n++
		}
	}
	for _, from := range c.asked {
		if from != leaving {
			n++
		}
	}
	for p := range c.projects {
		if _, ok := c.asked[p]; !ok {
			n++
		}
	}
	for p := range c.serving {
		if _, ok := c.asked[p]; !ok && !c.projects[p] {
			n++
		}
	}
	return n
}

// take gives the worker what was asked. The projects to follow move to
// serving; those to leave stay asked until the worker has dropped them
// (see left), so that they are never counted meanwhile. With nothing
// asked the worker ends (ok is false), and the next ring starts another.
func (c *conn) take() (follow positions, leave []int64, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.asked) == 0 {
		c.working = false
		return nil, nil, false
	}
	follow = positions{}
	for p, from := range c.asked {
		if from == leaving {
			leave = append(leave, p)
			continue
		}
		follow[p] = from
		c.serving[p] = true
		delete(c.asked, p)
	}
	return follow, leave, true
}

// left forgets the projects the worker dropped, unless asked again since.
func (c *conn) left(ids []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range ids {
		if from, ok := c.asked[p]; ok && from == leaving {
			delete(c.asked, p)
		}
	}
}

// current reports whether the worker should still follow p as it took
// it: not once a later frame asked about p again, which ends serving it.
func (c *conn) current(p int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, again := c.asked[p]; again {
		delete(c.serving, p)
		return false
	}
	return true
}

// served ends the worker's serving p, live on it or not.
func (c *conn) served(p int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.serving, p)
}

// setLive records, on the dispatcher, whether the socket is live on p.
func (c *conn) setLive(p int64, live bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if live {
		c.projects[p] = true
	} else {
		delete(c.projects, p)
	}
}

// liveOn reports whether the socket is live on p, for other goroutines
// than the dispatcher.
func (c *conn) liveOn(p int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.projects[p]
}

func (c *conn) closed() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// writePump is the only goroutine that writes to the socket.
func (c *conn) writePump(expires time.Time) {
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	expiry := time.NewTimer(time.Until(expires))
	defer expiry.Stop()
	defer c.ws.Close()
	write := func(frame []byte) bool {
		c.ws.SetWriteDeadline(time.Now().Add(writeWait))
		if err := c.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
			c.close(websocket.CloseAbnormalClosure, "")
			return false
		}
		return true
	}
	for {
		// The send queue goes first: hello precedes any replay, and live
		// frames are not held up behind a long one.
		select {
		case frame := <-c.send:
			if !write(frame) {
				return
			}
			continue
		default:
		}
		select {
		case frame := <-c.send:
			if !write(frame) {
				return
			}
		case frame := <-c.replay:
			if !write(frame) {
				return
			}
		case <-ping.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				c.close(websocket.CloseAbnormalClosure, "")
				return
			}
		case t := <-c.renew:
			expiry.Reset(time.Until(t))
		case <-expiry.C:
			c.close(closeUnauthenticated, "access token expired: send reauth before it does")
		case <-c.done:
			if c.closeCode != websocket.CloseAbnormalClosure {
				msg := websocket.FormatCloseMessage(c.closeCode, c.closeText)
				_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(closeGrace))
			}
			return
		}
	}
}
