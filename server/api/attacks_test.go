package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Attacks that real kanban products suffered, one class per test, replayed
// against Doska (the rules are in docs/ARCHITECTURE.md#security).

// Class 1: a child ID from another tenant in the body. Dropping A's card
// next to B's card must not move it, nor tell anything about B's card.
func TestNeighbourFromAnotherTenant(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tk := e.w.TaskA
	before := e.snapshot()
	res := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/move", tk.ID), token: e.token(e.w.Manager),
		body: map[string]any{"version": tk.Version, "status": "set", "after_id": e.w.TaskB.ID}})
	if res.status != 409 || strings.Contains(string(res.body), "CANARY-B") {
		t.Errorf("neighbour from B: %d %s", res.status, res.body)
	}
	if e.snapshot() != before {
		t.Error("the refused move changed the database")
	}
}

// Class 2: no existence oracle. A task of another client and a task that
// does not exist answer the same bytes (but for the request id).
func TestNoExistenceOracle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	strip := func(r response) string {
		var v map[string]any
		if err := json.Unmarshal(r.body, &v); err != nil {
			t.Fatalf("answer is not JSON: %s", r.body)
		}
		delete(v, "request_id")
		b, _ := json.Marshal(v)
		return fmt.Sprintf("%d %s", r.status, b)
	}
	tok := e.token(e.w.ClientA)
	for _, path := range []string{"/api/tasks/%d", "/api/tasks/%d/comments", "/api/tasks/%d/activity", "/api/projects/%d", "/api/projects/%d/board"} {
		var hidden int64
		if strings.HasPrefix(path, "/api/projects") {
			hidden = e.w.ProjectB.ID
		} else {
			hidden = e.w.TaskB.ID
		}
		forbidden := e.do(req{method: "GET", path: fmt.Sprintf(path, hidden), token: tok})
		absent := e.do(req{method: "GET", path: fmt.Sprintf(path, 987654), token: tok})
		if strip(forbidden) != strip(absent) || forbidden.status != 404 {
			t.Errorf("%s: hidden %s, absent %s", path, strip(forbidden), strip(absent))
		}
	}
	hiddenNumber := e.do(req{method: "GET", path: fmt.Sprintf("/api/tasks/by-number/%d", e.w.TaskB.Number), token: tok})
	absentNumber := e.do(req{method: "GET", path: "/api/tasks/by-number/987654", token: tok})
	if strip(hiddenNumber) != strip(absentNumber) {
		t.Errorf("by number: hidden %s, absent %s", strip(hiddenNumber), strip(absentNumber))
	}
}

// Class 5: identity fields in a body are refused, never trusted
// (WeKan CVE-2026-25567).
func TestIdentityFieldsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token(e.w.ClientA)
	for _, field := range []string{"author_id", "user_id", "client_id", "role", "version", "approved_by", "reporter_id"} {
		body := map[string]any{"body": "hello", field: e.w.Admin.ID}
		res := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/comments", e.w.TaskA.ID), token: tok, body: body})
		if res.status != 400 || res.errorFields(t)[field] == "" {
			t.Errorf("comment with %s: %d %s", field, res.status, res.body)
		}
	}
	for _, field := range []string{"reporter_id", "version", "project_id", "approval_state", "sprint_id"} {
		res := e.do(req{method: "POST", path: fmt.Sprintf("/api/projects/%d/tasks", e.w.ProjectA.ID), token: tok, body: map[string]any{"title": "x", field: 1}})
		if res.status != 400 {
			t.Errorf("task with %s: %d %s", field, res.status, res.body)
		}
	}
	// Staff-only fields from a client are refused by name, not dropped.
	res := e.do(req{method: "POST", path: fmt.Sprintf("/api/projects/%d/tasks", e.w.ProjectA.ID), token: tok,
		body: map[string]any{"title": "x", "estimate_minutes": 60, "assignee_id": e.w.Dev.ID}})
	if f := res.errorFields(t); res.status != 422 || f["estimate_minutes"] == "" || f["assignee_id"] == "" {
		t.Errorf("client setting staff fields: %d %s", res.status, res.body)
	}
}

// Class 8: deleting or editing an internal comment sends nothing to a
// client's socket (Mattermost CVE-2026-2578: deletion events leaked).
func TestInternalCommentChangesNeverReachClientSockets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.w.ProjectA.ID
	client := e.connect(e.w.ClientA, map[int64]int64{p: e.seq(p)})
	client.until("subscribed")
	ctx := context.Background()
	if _, err := e.store.EditComment(ctx, e.w.Dev.Actor(), e.w.InternalA.ID, "INTERNAL-ONLY edited"); err != nil {
		t.Fatal(err)
	}
	if err := e.store.DeleteComment(ctx, e.w.Dev.Actor(), e.w.InternalA.ID); err != nil {
		t.Fatal(err)
	}
	// A public change afterwards proves the socket is alive and in order.
	res := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/comments", e.w.TaskA.ID), token: e.token(e.w.Dev), body: map[string]string{"body": "public"}})
	if res.status != 201 {
		t.Fatal(res.status)
	}
	client.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	f := client.next()
	if ev := f.event(t); ev.Kind != "comment.created" || strings.Contains(f.raw, `"internal":true`) {
		t.Errorf("client's first frame after internal edits: %s", f.raw)
	}
}
