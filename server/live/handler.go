package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Limits bound the sockets one party holds open; past them a socket is
// closed with 4429.
type Limits struct {
	PerUser int // signed-in sockets of one user; 0: 50
	PerIP   int // sockets of one address yet to send their auth frame; 0: 100
	// ClientIP names the caller's address, believing the same proxies as
	// the HTTP API; nil: the peer's address.
	ClientIP func(*http.Request) string
}

// Handler upgrades /api/ws. The Origin must be one of the site's origins
// (a browser always sends it; a socket from another site would otherwise
// ride on the user's session: CSWSH). Authentication is the first frame,
// never a token in the URL, which would land in logs.
func (h *Hub) Handler(origins []string, lim Limits) http.Handler {
	if lim.PerUser == 0 {
		lim.PerUser = 50
	}
	if lim.PerIP == 0 {
		lim.PerIP = 100
	}
	if lim.ClientIP == nil {
		lim.ClientIP = func(r *http.Request) string {
			host, _, _ := net.SplitHostPort(r.RemoteAddr)
			return host
		}
	}
	// Idle sockets should cost little memory: a small read buffer, and
	// write buffers taken from a pool only while a frame is written.
	up := websocket.Upgrader{
		ReadBufferSize:  1024,
		WriteBufferSize: 4096,
		WriteBufferPool: &sync.Pool{},
		CheckOrigin: func(r *http.Request) bool {
			o := r.Header.Get("Origin")
			return o == "" || slices.Contains(origins, o)
		},
		Error: func(w http.ResponseWriter, _ *http.Request, status int, _ error) {
			httpError(w, status, "bad_request", "Connect to this address with a websocket client.")
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" && !slices.Contains(origins, o) {
			httpError(w, http.StatusForbidden, "forbidden", "Open Doska from its own site; other origins are not allowed.")
			return
		}
		// Counted before the upgrade, so sockets are let in in the order
		// they came.
		ip := lim.ClientIP(r)
		held := h.hold(h.waiting, ip, lim.PerIP)
		ws, err := up.Upgrade(w, r, nil)
		if err == nil {
			h.serve(r, ws, lim, held)
		}
		if held {
			h.release(h.waiting, ip)
		}
	})
}

func (h *Hub) serve(r *http.Request, ws *websocket.Conn, lim Limits, held bool) {
	if !held {
		closeNow(ws, closeTooMany, "too many sockets from this address")
		return
	}
	sess, pos, ok := h.authenticate(r, ws)
	if !ok {
		return
	}
	if !h.hold(h.signedIn, sess.User.ID, lim.PerUser) {
		closeNow(ws, closeTooMany, "too many sockets for this account: close some tabs")
		return
	}
	// The reader holds the wait group for as long as the socket lives, so
	// the writer and the worker, started whenever they have work, are
	// counted before Shutdown can see it at zero.
	h.wg.Add(1)
	spawn := func(f func()) {
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			f()
		}()
	}
	c := newConn(ws, sess.User, spawn, h.work)
	c.start(sess.Expires)
	c.enqueue(encode(helloFrame{Type: "hello", UserID: c.userID}))
	h.register(c)
	c.ask(pos) // within the limit: positions() checked it
	// The reader runs on a fresh goroutine and the HTTP handler returns:
	// its deep stack (server, router, middleware) is not kept for every
	// idle socket. The request's context ends with it, so the reader uses
	// its own.
	go func() {
		defer h.wg.Done()
		defer h.release(h.signedIn, c.userID)
		defer h.unregister(c)
		h.readPump(c)
	}()
}

// authenticate reads the auth frame; on failure it closes the socket.
func (h *Hub) authenticate(r *http.Request, ws *websocket.Conn) (Session, positions, bool) {
	ws.SetReadDeadline(time.Now().Add(authWait))
	var first clientFrame
	raw, err := readFrame(ws)
	if err == nil {
		err = json.Unmarshal(raw, &first)
	}
	switch {
	case errors.Is(err, errFrameTooLarge):
		closeNow(ws, closeBadFrame, err.Error())
		return Session{}, nil, false
	case err != nil || first.Type != "auth":
		closeNow(ws, closeUnauthenticated, "send an auth frame first")
		return Session{}, nil, false
	}
	sess, err := h.acc.Authenticate(r.Context(), first.Token)
	if err != nil {
		closeNow(ws, closeUnauthenticated, "sign in again")
		return Session{}, nil, false
	}
	pos, ok := first.positions()
	if !ok {
		closeNow(ws, closeBadFrame, "projects must map project IDs to event numbers")
	}
	return sess, pos, ok
}

// hold counts one more socket against key's limit; false if it is reached.
func (h *Hub) hold(counts map[any]int, key any, limit int) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if counts[key] >= limit {
		return false
	}
	counts[key]++
	return true
}

func (h *Hub) release(counts map[any]int, key any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if counts[key]--; counts[key] <= 0 {
		delete(counts, key)
	}
}

var errFrameTooLarge = fmt.Errorf("frames are at most %d KiB", readLimit>>10)

// readFrame reads one message of at most readLimit bytes. The limit is
// checked here rather than by gorilla's SetReadLimit, which closes with
// 1009 on its own: an oversized frame is one the server could not read.
func readFrame(ws *websocket.Conn) ([]byte, error) {
	_, r, err := ws.NextReader()
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(io.LimitReader(r, readLimit+1))
	if err == nil && len(raw) > readLimit {
		// Closing with the frame's rest unread makes the kernel reset the
		// connection, and the client would lose the 4400 that says why.
		// So read a bounded rest away first, for at most closeGrace.
		_ = ws.SetReadDeadline(time.Now().Add(closeGrace))
		_, _ = io.CopyN(io.Discard, r, drainLimit)
		err = errFrameTooLarge
	}
	return raw, err
}

// drainLimit bounds what an oversized frame may still make the server read.
const drainLimit = 4 << 20

// readPump reads the client's frames until the socket ends.
func (h *Hub) readPump(c *conn) {
	defer c.close(websocket.CloseNormalClosure, "")
	c.ws.SetReadDeadline(time.Now().Add(pongWait))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		raw, err := readFrame(c.ws)
		if errors.Is(err, errFrameTooLarge) {
			c.close(closeBadFrame, err.Error())
			return
		}
		if err != nil {
			return
		}
		var f clientFrame
		if err := json.Unmarshal(raw, &f); err != nil {
			c.close(closeBadFrame, "frames are JSON objects")
			return
		}
		switch f.Type {
		case "subscribe":
			pos, ok := f.positions()
			if !ok {
				c.close(closeBadFrame, "projects must map project IDs to event numbers")
				return
			}
			if !c.ask(pos) {
				c.enqueue(tooMany)
			}
		case "unsubscribe":
			ids, ok := f.projectList()
			if !ok {
				c.close(closeBadFrame, "projects must be a list of project IDs")
				return
			}
			c.leave(ids)
		case "reauth":
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			sess, err := h.acc.Authenticate(ctx, f.Token)
			cancel()
			if err != nil || sess.User.ID != c.userID {
				c.close(closeUnauthenticated, "sign in again")
				return
			}
			c.expiry.Reset(time.Until(sess.Expires))
		default:
			c.close(closeBadFrame, "unknown frame type")
			return
		}
	}
}

var tooMany = encode(errorFrame{Type: "error", Message: "too many subscriptions"})

func closeNow(ws *websocket.Conn, code int, text string) {
	_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(closeGrace))
	ws.Close()
}

// httpError answers a failed upgrade in the API's error shape.
func httpError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"error":      map[string]string{"code": code, "message": message},
		"request_id": w.Header().Get("X-Request-Id"),
	})
}
