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

// conn is one browser socket: a reader goroutine, a writer that runs while
// frames wait, a worker that serves its subscriptions while some wait, and
// a bounded send queue between hub and writer. An idle socket so holds one
// goroutine and its stack. The queue is never closed; done tells the
// writer to stop, so the hub can never send on a closed channel.
type conn struct {
	ws     *websocket.Conn
	userID int64
	staff  bool // a user never moves between staff and client
	send   chan []byte
	// replay hands the worker's frames (replays and the answers to
	// subscribe) to the writer one at a time: they go at the socket's pace
	// and never fill the send queue, however many projects one frame asks.
	replay chan []byte
	done   chan struct{}
	// ping and expiry are timers, not a goroutine's select: gorilla lets
	// control frames be written alongside the writer's frames.
	ping, expiry *time.Timer
	// spawn runs a function on a goroutine the hub waits for.
	spawn func(func())
	// wmu guards writing, whether a writer runs, and pushers, the worker's
	// frames waiting for it (see push).
	wmu     sync.Mutex
	writing bool
	pushers int
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
	mu       sync.Mutex
	projects map[int64]bool
	asked    map[int64]int64
	serving  map[int64]bool
	working  bool
	work     func(*conn)
}

// leaving is asked of a project the client unsubscribed from.
const leaving = -1

// newConn returns a socket's state; spawn runs its writer and its worker
// on goroutines of their own whenever they have work and do not run.
// Nothing runs until start.
func newConn(ws *websocket.Conn, u models.User, spawn func(func()), work func(*conn)) *conn {
	ctx, cancel := context.WithCancel(context.Background())
	c := &conn{ws: ws, userID: u.ID, staff: u.Role.Staff(), send: make(chan []byte, sendQueue), replay: make(chan []byte),
		spawn: spawn, work: work, done: make(chan struct{}), ctx: ctx, cancel: cancel,
		projects: map[int64]bool{}, asked: map[int64]int64{}, serving: map[int64]bool{}}
	c.user.Store(&u)
	return c
}

// start arms the socket's timers; its session expires at expires unless
// renewed.
func (c *conn) start(expires time.Time) {
	c.ping = time.AfterFunc(pingEvery, c.sendPing)
	c.expiry = time.AfterFunc(time.Until(expires), func() {
		c.close(closeUnauthenticated, "access token expired: send reauth before it does")
	})
}

func (c *conn) sendPing() {
	if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
		c.close(websocket.CloseAbnormalClosure, "")
		return
	}
	if !c.closed() {
		c.ping.Reset(pingEvery)
	}
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
		c.kick()
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
		c.kick() // to send the close frame
	})
}

// kick starts the writer unless it runs.
func (c *conn) kick() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.kickLocked()
}

func (c *conn) kickLocked() {
	if !c.writing {
		c.writing = true
		c.spawn(c.write)
	}
}

// push hands a frame of the worker to the writer, waiting as long as the
// socket takes to read; false once the socket is closing.
func (c *conn) push(frame []byte) bool {
	// Counted, the frame keeps the writer waiting for it; the writer
	// uncounts it as it takes it.
	c.wmu.Lock()
	c.pushers++
	c.kickLocked()
	c.wmu.Unlock()
	select {
	case c.replay <- frame:
		return true
	case <-c.done:
		c.wmu.Lock()
		c.pushers--
		c.wmu.Unlock()
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
		c.spawn(func() { c.work(c) })
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

// write is the only goroutine that writes frames to the socket. It ends
// once no frame waits, and for good when the socket closes, after sending
// the close frame.
func (c *conn) write() {
	for {
		// The send queue goes first: hello precedes any replay, and live
		// frames are not held up behind a long one.
		select {
		case frame := <-c.send:
			if !c.writeFrame(frame) {
				return
			}
			continue
		default:
		}
		// Under wmu: a frame queued or a close after this look kicks a new
		// writer.
		c.wmu.Lock()
		closed := c.closed()
		if !closed && c.pushers == 0 && len(c.send) == 0 {
			c.writing = false
			c.wmu.Unlock()
			return
		}
		c.wmu.Unlock()
		if closed {
			if c.closeCode != websocket.CloseAbnormalClosure {
				msg := websocket.FormatCloseMessage(c.closeCode, c.closeText)
				_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(closeGrace))
			}
			c.finish()
			return
		}
		select {
		case frame := <-c.send:
			if !c.writeFrame(frame) {
				return
			}
		case frame := <-c.replay:
			c.wmu.Lock()
			c.pushers--
			c.wmu.Unlock()
			if !c.writeFrame(frame) {
				return
			}
		case <-c.done:
		}
	}
}

// writeFrame writes one frame; on failure the socket is closed and the
// writer, still counted as running, must stop.
func (c *conn) writeFrame(frame []byte) bool {
	_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	if err := c.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
		c.close(websocket.CloseAbnormalClosure, "")
		c.finish()
		return false
	}
	return true
}

func (c *conn) finish() {
	c.ping.Stop()
	c.expiry.Stop()
	c.ws.Close()
}
