package live

import (
	"testing"
	"time"
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
		ws.WriteJSON(map[string]any{"type": "subscribe", "projects": map[string]int64{"3": from}})
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
