package live

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Handler upgrades /api/ws. The Origin must be one of the site's origins
// (a browser always sends it; a socket from another site would otherwise
// ride on the user's session: CSWSH). Authentication is the first frame,
// never a token in the URL, which would land in logs.
func (h *Hub) Handler(origins []string) http.Handler {
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
		Error: func(w http.ResponseWriter, _ *http.Request, status int, reason error) {
			httpError(w, status, "bad_request", reason.Error())
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" && !slices.Contains(origins, o) {
			httpError(w, http.StatusForbidden, "forbidden", "origin not allowed")
			return
		}
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return // the upgrader has answered with an HTTP error
		}
		h.serve(r, ws)
	})
}

func (h *Hub) serve(r *http.Request, ws *websocket.Conn) {
	ws.SetReadLimit(readLimit)
	ws.SetReadDeadline(time.Now().Add(authWait))
	var first clientFrame
	_, raw, err := ws.ReadMessage()
	if err == nil {
		err = json.Unmarshal(raw, &first)
	}
	if err != nil || first.Type != "auth" {
		closeNow(ws, closeUnauthenticated, "send an auth frame first")
		return
	}
	sess, err := h.acc.Authenticate(r.Context(), first.Token)
	if err != nil {
		closeNow(ws, closeUnauthenticated, "sign in again")
		return
	}
	pos, ok := first.positions()
	if !ok {
		closeNow(ws, closeBadFrame, "projects must map project IDs to event numbers")
		return
	}
	c := newConn(ws, sess.User)
	// The pumps and the worker run on fresh goroutines and the HTTP handler
	// returns: its deep stack (server, router, middleware) is not kept for
	// every idle socket. The request's context ends with it, so the reader
	// uses its own.
	h.wg.Add(3)
	go func() {
		defer h.wg.Done()
		c.writePump(sess.Expires)
	}()
	c.enqueue(encode(helloFrame{Type: "hello", UserID: c.userID}))
	h.register(c)
	c.reqs <- request{follow: pos}
	go func() {
		defer h.wg.Done()
		h.work(c)
	}()
	go func() {
		defer h.wg.Done()
		defer h.unregister(c)
		h.readPump(c)
	}()
}

// readPump reads the client's frames until the socket ends.
func (h *Hub) readPump(c *conn) {
	defer c.close(websocket.CloseNormalClosure, "")
	c.ws.SetReadDeadline(time.Now().Add(pongWait))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		_, raw, err := c.ws.ReadMessage()
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
			if !c.ask(request{follow: pos}) {
				return
			}
		case "unsubscribe":
			ids, ok := f.projectList()
			if !ok {
				c.close(closeBadFrame, "projects must be a list of project IDs")
				return
			}
			if !c.ask(request{leave: ids}) {
				return
			}
		case "reauth":
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			sess, err := h.acc.Authenticate(ctx, f.Token)
			cancel()
			if err != nil || sess.User.ID != c.userID {
				c.close(closeUnauthenticated, "sign in again")
				return
			}
			select {
			case c.renew <- sess.Expires:
			default:
			}
		default:
			c.close(closeBadFrame, "unknown frame type")
			return
		}
	}
}

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
