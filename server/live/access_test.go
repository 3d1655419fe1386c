package live

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/doska/doska/models"
)

// TestUnseenProjectsAreRevokedWhateverThePosition: a project the user may
// not see answers revoked for any position, as an absent one does; resync
// for a position past its end would tell a stranger that it exists and how
// many events it has.
func TestUnseenProjectsAreRevokedWhateverThePosition(t *testing.T) {
	t.Parallel()
	src := &fakeSource{}
	src.addTo(3, 5, 10) // project 3 exists; fakeAccess lets nobody see it
	_, url := startHub(t, src)
	ws := dialAs(t, url, 1, 0)
	for _, from := range []int64{0, 5, 6, 5000} {
		if err := ws.WriteJSON(map[string]any{"type": "subscribe", "projects": map[string]int64{"3": from}}); err != nil {
			t.Fatal(err)
		}
		ws.SetReadDeadline(time.Now().Add(3 * time.Second))
		var f struct {
			Type      string
			ProjectID int64 `json:"project_id"`
		}
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatal(err)
		}
		if f.Type != "revoked" || f.ProjectID != 3 {
			t.Errorf("subscribe to an unseen project from %d: %s for %d, want revoked", from, f.Type, f.ProjectID)
		}
	}
}

// revocable is fakeAccess whose project 1 can be taken away.
type revocable struct {
	fakeAccess
	gone atomic.Bool
}

func (r *revocable) CanSee(ctx context.Context, a models.Actor, project int64) error {
	if project == 1 && r.gone.Load() {
		return models.ErrNotFound
	}
	return r.fakeAccess.CanSee(ctx, a, project)
}

// TestRemovalStopsAReplayPromptly: a socket resuming 1,000 events behind at
// its own slow pace loses the project midway. It hears revoked within a
// page of events, not after the rest of the project's history.
func TestRemovalStopsAReplayPromptly(t *testing.T) {
	t.Parallel()
	src := &fakeSource{}
	src.add(replayMax, 32<<10)
	acc := &revocable{}
	h, url := startHubWith(t, src, acc)
	r := resume(t, url, 1, 1, 0)
	seen := func(until func(f frame) bool) (events int) {
		t.Helper()
		for {
			r.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
			var f frame
			if err := r.ws.ReadJSON(&f); err != nil {
				t.Fatalf("after %d events: %v", events, err)
			}
			if f.Type == "event" {
				events++
			}
			if until(f) {
				return events
			}
		}
	}
	seen(func(f frame) bool { return f.Type == "event" && f.Event.Seq == 50 })
	// What the socket has not read yet fills the buffers and the worker
	// waits for it; meanwhile the user is removed from the project.
	time.Sleep(200 * time.Millisecond)
	acc.gone.Store(true)
	src.mu.Lock()
	src.events[1] = append(src.events[1], models.Event{ProjectID: 1, Seq: replayMax + 1, Kind: models.EventProjectUpdated})
	src.mu.Unlock()
	h.Wake(1, replayMax+1)
	after := seen(func(f frame) bool { return f.Type == "revoked" })
	t.Logf("%d events after the removal, then revoked", after)
	// A page still being sent and the socket buffers come after the
	// removal, some hundred events of 32 KiB at most; the rest must not.
	if after > replayMax/2 {
		t.Errorf("%d events of the project reached the socket after the user was removed", after)
	}
}

type frame struct {
	Type  string
	Event struct{ Seq int64 }
}
