package live

import (
	"sync"
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
	readLimit  = 64 << 10
	sendQueue  = 64   // frames; a socket further behind is closed and resumes
	replayMax  = 1000 // events a client may be behind before it must reload
	closeGrace = time.Second
)

// conn is one browser socket: a reader (the HTTP handler's goroutine), a
// writer goroutine, and a bounded send queue between hub and writer. The
// queue is never closed; done tells the writer to stop, so the hub can
// never send on a closed channel.
type conn struct {
	ws     *websocket.Conn
	userID int64
	send   chan []byte
	renew  chan time.Time
	done   chan struct{}

	closeOnce sync.Once
	closeCode int
	closeText string

	// Owned by the hub's dispatcher goroutine.
	user     models.User
	projects map[int64]bool
}

func newConn(ws *websocket.Conn) *conn {
	return &conn{ws: ws, send: make(chan []byte, sendQueue), renew: make(chan time.Time, 1),
		done: make(chan struct{}), projects: map[int64]bool{}}
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
	})
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
	for {
		select {
		case frame := <-c.send:
			c.ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
				c.close(websocket.CloseAbnormalClosure, "")
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
