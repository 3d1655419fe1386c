package live

import (
	"context"
	"fmt"
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
	// In frames of 50: subscribed frames go through the send queue, which a
	// worker that needs no database to check access could overrun.
	for first := 2; first <= maxSubscriptions; first += 50 {
		batch := map[string]int64{}
		for p := first; p < first+50 && p <= maxSubscriptions; p++ {
			batch[fmt.Sprint(p)] = 0
		}
		ws.WriteJSON(map[string]any{"type": "subscribe", "projects": batch})
		for range batch {
			ws.SetReadDeadline(time.Now().Add(5 * time.Second))
			var f projectReply
			if err := ws.ReadJSON(&f); err != nil || f.Type != "subscribed" {
				t.Fatalf("subscribing to %d and on: %+v %v", first, f, err)
			}
		}
	}

	subscribe := func(p int64, want string) {
		t.Helper()
		ws.WriteJSON(map[string]any{"type": "subscribe", "projects": map[string]int64{fmt.Sprint(p): 0}})
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
