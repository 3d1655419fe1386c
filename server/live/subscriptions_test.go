package live

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/doska/doska/models"
)

// everyProject is revocable for project 1, and lets users see any project
// but 1 and 2 too.
type everyProject struct{ revocable }

func (e *everyProject) CanSee(ctx context.Context, a models.Actor, project int64) error {
	if project > 2 {
		return nil
	}
	return e.revocable.CanSee(ctx, a, project)
}

type projectReply struct {
	Type      string
	ProjectID int64 `json:"project_id"`
	Message   string
}

// answer reads frames until one about project p or an error frame.
func answer(t *testing.T, ws *websocket.Conn, p int64) projectReply {
	t.Helper()
	for {
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		var f projectReply
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatalf("waiting for project %d: %v", p, err)
		}
		if f.ProjectID == p || f.Type == "error" {
			return f
		}
	}
}

// TestSubscriptionLimitCountsWhatIsFollowed: a socket at the limit may
// subscribe again to a project it follows, and to another one once a
// project was revoked; one more is refused.
func TestSubscriptionLimitCountsWhatIsFollowed(t *testing.T) {
	t.Parallel()
	src := &fakeSource{}
	acc := &everyProject{}
	h, url := startHubWith(t, src, acc)
	ws := dialAs(t, url, 1, 0) // live on project 1
	rest := map[string]int64{}
	for p := 2; p <= maxSubscriptions; p++ {
		rest[fmt.Sprint(p)] = 0
	}
	send(t, ws, map[string]any{"type": "subscribe", "projects": rest})
	for range rest {
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		var f projectReply
		if err := ws.ReadJSON(&f); err != nil || f.Type != "subscribed" {
			t.Fatalf("subscribing to the rest: %+v %v", f, err)
		}
	}

	subscribe := func(p int64, want string) {
		t.Helper()
		send(t, ws, map[string]any{"type": "subscribe", "projects": map[string]int64{fmt.Sprint(p): 0}})
		if f := answer(t, ws, p); f.Type != want {
			t.Errorf("subscribe to %d: %+v, want %s", p, f, want)
		}
	}
	subscribe(2, "subscribed") // again: a project followed counts once

	acc.gone.Store(true)
	src.mu.Lock()
	src.events = map[int64][]models.Event{1: {{ProjectID: 1, Seq: 1, Kind: models.EventProjectUpdated}}}
	src.mu.Unlock()
	h.Wake(1, 1)
	if f := answer(t, ws, 1); f.Type != "revoked" {
		t.Fatalf("project 1 taken away: %+v, want revoked", f)
	}
	subscribe(maxSubscriptions+1, "subscribed") // in place of the revoked one
	subscribe(1, "error")
}

// briefAccess is fakeAccess where the token "brief" signs user 1 in for a
// second only.
type briefAccess struct{ fakeAccess }

func (b briefAccess) Authenticate(ctx context.Context, token string) (Session, error) {
	if token == "brief" {
		return Session{User: models.User{ID: 1, Role: models.RoleManager, Active: true}, Expires: time.Now().Add(time.Second)}, nil
	}
	return b.fakeAccess.Authenticate(ctx, token)
}

// TestReaderNeverWaitsForTheWorker: while the worker is stuck subscribing,
// the socket goes on reading frames, however many: a reauth sent then
// keeps it open past the first token's expiry. What was asked meanwhile
// is served merged: one subscribed per project at the last position
// asked, nothing for a subscribe cancelled by an unsubscribe.
func TestReaderNeverWaitsForTheWorker(t *testing.T) {
	t.Parallel()
	gate := make(chan struct{})
	src := &fakeSource{slow: map[int64]chan struct{}{2: gate}}
	src.addTo(1, 5, 10)
	h, url := startHubWith(t, src, briefAccess{})
	opened := false
	open := func() {
		if !opened {
			opened = true
			close(gate)
		}
	}
	t.Cleanup(open) // before the hub stops
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	send(t, ws, map[string]any{"type": "auth", "token": "brief", "projects": map[string]int64{"2": 0}})
	for from := range int64(6) {
		send(t, ws, map[string]any{"type": "subscribe", "projects": map[string]int64{"1": from}})
	}
	send(t, ws, map[string]any{"type": "subscribe", "projects": map[string]int64{"3": 0}})
	send(t, ws, map[string]any{"type": "unsubscribe", "projects": []int64{3}})
	send(t, ws, map[string]any{"type": "reauth", "token": "u1"})
	time.Sleep(1500 * time.Millisecond) // past the first token's expiry
	open()

	type reply struct {
		Type      string
		ProjectID int64 `json:"project_id"`
		Seq       int64
		Event     struct{ Seq int64 }
	}
	next := func() reply {
		t.Helper()
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		var f reply
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	if f := next(); f.Type != "hello" {
		t.Fatalf("first frame %+v", f)
	}
	got := map[string]bool{}
	for range 2 {
		f := next()
		got[fmt.Sprintf("%s %d@%d", f.Type, f.ProjectID, f.Seq)] = true
	}
	if !got["subscribed 1@5"] || !got["subscribed 2@0"] {
		t.Errorf("frames %v, want subscribed 1@5 and 2@0", got)
	}
	// Nothing more was asked: the next frame is the next event.
	h.Wake(1, src.addTo(1, 1, 10))
	if f := next(); f.Type != "event" || f.Event.Seq != 6 {
		t.Errorf("frame %+v, want event 6", f)
	}
}

// send writes one frame; a failed write would make the test's reads wait for
// answers to a frame the server never got.
func send(t *testing.T, ws *websocket.Conn, frame any) {
	t.Helper()
	if err := ws.WriteJSON(frame); err != nil {
		t.Fatal(err)
	}
}

// TestManySubscriptionsAtOnce: the team board follows every project of
// the agency in one frame, the auth frame's or a subscribe frame. When
// access needs no database, the answers come far faster than a send queue
// holds: they must go at the socket's pace, every one of them, and leave
// the socket open and live on each project.
func TestManySubscriptionsAtOnce(t *testing.T) {
	t.Parallel()
	const n = 500 // projects 3 to 502
	projects := map[string]int64{}
	for p := 3; p < 3+n; p++ {
		projects[fmt.Sprint(p)] = 0
	}
	for _, via := range []string{"auth", "subscribe"} {
		t.Run(via, func(t *testing.T) {
			t.Parallel()
			src := &fakeSource{}
			h, url := startHubWith(t, src, &everyProject{}, smallBuffers)
			ws, _, err := websocket.DefaultDialer.Dial(url, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ws.Close() })
			// The client's kernel holds little unread either.
			if err := ws.UnderlyingConn().(*net.TCPConn).SetReadBuffer(4 << 10); err != nil {
				t.Fatal(err)
			}
			if via == "auth" {
				send(t, ws, map[string]any{"type": "auth", "token": "u1", "projects": projects})
			} else {
				send(t, ws, map[string]any{"type": "auth", "token": "u1"})
				send(t, ws, map[string]any{"type": "subscribe", "projects": projects})
			}
			type reply struct {
				Type      string
				ProjectID int64 `json:"project_id"`
				Event     struct {
					ProjectID int64 `json:"project_id"`
				}
			}
			subscribed := map[int64]bool{}
			next := func() reply {
				t.Helper()
				ws.SetReadDeadline(time.Now().Add(5 * time.Second))
				var f reply
				if err := ws.ReadJSON(&f); err != nil {
					// 4408, or 1006 if the close frame did not fit either.
					t.Fatalf("after %d subscribed: %v", len(subscribed), err)
				}
				return f
			}
			// A client busy with something else for a moment: what the
			// server sends meanwhile waits in the buffers and the queue.
			time.Sleep(200 * time.Millisecond)
			for len(subscribed) < n {
				switch f := next(); f.Type {
				case "hello":
				case "subscribed":
					if subscribed[f.ProjectID] {
						t.Fatalf("project %d subscribed twice", f.ProjectID)
					}
					subscribed[f.ProjectID] = true
				default:
					t.Fatalf("after %d subscribed: %+v", len(subscribed), f)
				}
			}
			for _, p := range []int64{3, 250, 502} {
				h.Wake(p, src.addTo(p, 1, 10))
				if f := next(); f.Type != "event" || f.Event.ProjectID != p {
					t.Fatalf("after an event of project %d: %+v", p, f)
				}
			}
		})
	}
}

// smallBuffers makes the server's kernel hold little of what a socket has
// yet to send: a server writing to a client that reads slowly soon waits
// for it.
func smallBuffers(srv *http.Server) {
	srv.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if err := c.(*net.TCPConn).SetWriteBuffer(4 << 10); err != nil {
			panic(err)
		}
		return ctx
	}
}

// TestExpiredSessionClosesTheSocket: a socket whose token expires without
// a reauth is closed with 4401, though it is idle and its writer is not
// running.
func TestExpiredSessionClosesTheSocket(t *testing.T) {
	t.Parallel()
	_, url := startHubWith(t, &fakeSource{}, briefAccess{})
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	send(t, ws, map[string]any{"type": "auth", "token": "brief", "projects": map[string]int64{"1": 0}})
	if got := answer(t, ws, 1); got.Type != "subscribed" {
		t.Fatalf("answer %+v, want subscribed", got)
	}
	if code := closeCode(t, ws); code != closeUnauthenticated {
		t.Errorf("closed with %d, want %d", code, closeUnauthenticated)
	}
}
