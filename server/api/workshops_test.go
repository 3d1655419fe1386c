package api_test

import (
	"strings"
	"testing"
	"time"
)

// TestWorkshopLiveCanary: a change to a workshop rings the sockets of staff
// and of that client's users with the workshop's number only; another
// client's users hear nothing, and the internal note written travels on no
// socket. What a client then reads over HTTP has no internal text either.
func TestWorkshopLiveCanary(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff, clientA, clientB := e.connect(e.w.Admin, nil), e.connect(e.w.ClientA, nil), e.connect(e.w.ClientB, nil)
	res := e.do(req{method: "PATCH", path: "/api/workshops/" + id(e.w.WorkshopA.ID), token: e.token(e.w.Manager),
		body: map[string]any{"version": e.w.WorkshopA.Version, "internal_notes": "INTERNAL-ONLY: they pay late"}})
	if res.status != 200 {
		t.Fatalf("save: %d %s", res.status, res.body)
	}
	for who, s := range map[string]*socket{"staff": staff, "client A": clientA} {
		// The seed's own doorbells may arrive first: the save's is the one
		// after the workshop's version moved on, but the frame names only
		// the workshop, so wait for the first that names it after the save.
		for {
			f := s.nextAny()
			if strings.Contains(f.raw, "INTERNAL-ONLY") {
				t.Fatalf("%s: the internal note travelled on the socket: %s", who, f.raw)
			}
			if f.Type == "workshop" && strings.Contains(f.raw, `"workshop_id":`+id(e.w.WorkshopA.ID)) {
				break
			}
		}
	}
	// The last read of B's socket: a deadline ends it.
	if raw := clientB.drain(); strings.Contains(raw, `"client_id":`+id(e.w.A.ID)+`,`) {
		t.Errorf("client B heard of A's workshop: %s", raw)
	}
	got := e.do(req{method: "GET", path: "/api/workshops/" + id(e.w.WorkshopA.ID), token: e.token(e.w.ClientA)})
	if got.status != 200 || strings.Contains(string(got.body), "INTERNAL-ONLY") {
		t.Errorf("client A reads %d %s", got.status, got.body)
	}
}

// TestWorkshopStaleSave: the second of two saves from the
// same version gets 409 with the workshop as it is now, and changes
// nothing.
func TestWorkshopStaleSave(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path := "/api/workshops/" + id(e.w.WorkshopA.ID)
	first := e.do(req{method: "PATCH", path: path, token: e.token(e.w.Manager), body: map[string]any{"version": e.w.WorkshopA.Version, "notes": "first"}})
	if first.status != 200 {
		t.Fatalf("first save: %d %s", first.status, first.body)
	}
	second := e.do(req{method: "PATCH", path: path, token: e.token(e.w.Admin), body: map[string]any{"version": e.w.WorkshopA.Version, "notes": "second"}})
	if second.status != 409 || !strings.Contains(string(second.body), `"notes":"first"`) {
		t.Errorf("stale save: %d %s, want 409 carrying the saved notes", second.status, second.body)
	}
}

// drain reads what arrives within a short while and returns it; the
// socket cannot be read after it.
func (s *socket) drain() string {
	s.t.Helper()
	var got []string
	for {
		s.ws.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		_, raw, err := s.ws.ReadMessage()
		if err != nil {
			return strings.Join(got, "\n")
		}
		got = append(got, string(raw))
	}
}
