package api_test

import (
	"testing"

	"github.com/doska/doska/models"
)

// TestCloseFutureWeekRefused: a week that has not begun cannot be closed
// (closing carries its open cards on and freezes its report); the answer
// names the week field, and the week stays open with its cards.
func TestCloseFutureWeekRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pm := e.token(e.w.Manager)
	next := models.WeekOf(e.clock.Now()).Next().String()
	tk := e.w.TaskA
	planned := e.do(req{method: "POST", path: "/api/sprints/" + next + "/plan", token: pm,
		body: map[string]any{"task_id": tk.ID, "version": tk.Version, "assignee_id": e.w.Dev.ID}})
	if planned.status != 200 {
		t.Fatalf("plan into next week: %d %s", planned.status, planned.body)
	}
	var plan struct {
		Version int64 `json:"version"`
	}
	e.do(req{method: "GET", path: "/api/sprints/" + next, token: pm}).json(t, &plan)

	res := e.do(req{method: "POST", path: "/api/sprints/" + next + "/close", token: pm, body: map[string]int64{"version": plan.Version}})
	if res.status != 422 || res.errorFields(t)["week"] == "" {
		t.Fatalf("closing next week: %d %s; want 422 naming the week", res.status, res.body)
	}
	var report struct {
		Closed bool `json:"closed"`
	}
	e.do(req{method: "GET", path: "/api/sprints/" + next + "/report", token: pm}).json(t, &report)
	if report.Closed {
		t.Error("the refused close closed the week")
	}
	var after struct {
		Version int64 `json:"version"`
	}
	e.do(req{method: "GET", path: "/api/sprints/" + next, token: pm}).json(t, &after)
	if after.Version != plan.Version {
		t.Errorf("the refused close changed the plan: version %d → %d", plan.Version, after.Version)
	}
}
