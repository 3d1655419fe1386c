package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

func estimate(h int) **int {
	m := h * 60
	p := &m
	return &p
}

func priority(p models.Priority) *models.Priority { return &p }

// TestPlanningWeek plans next week for one person and checks the numbers
// the planning screen shows: planned against plannable, the buffer, the
// unestimated count, and a capacity override.
func TestPlanningWeek(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	next := models.WeekOf(time.Now()).Next()
	var planned []models.Task
	for _, c := range []struct {
		title string
		hours int
		prio  models.Priority
	}{{"a", 20, models.PriorityNormal}, {"b", 14, models.PriorityNormal}, {"c", 0, models.PriorityNormal}, {"d", 3, models.PriorityUrgent}} {
		f := title(c.title)
		if c.hours > 0 {
			f.EstimateMinutes = estimate(c.hours)
		}
		f.Priority = priority(c.prio)
		tk, err := st.CreateTask(ctx, pm, store.NewTask{ProjectID: w.ProjectA.ID, Fields: f})
		if err != nil {
			t.Fatal(err)
		}
		pos := store.Position{End: true}
		if tk, err = st.PlanTask(ctx, pm, next, tk.ID, tk.Version, &w.Dev.ID, pos); err != nil {
			t.Fatal(err)
		}
		planned = append(planned, tk)
	}
	plan, err := st.Plan(ctx, w.Dev.Actor(), next)
	if err != nil {
		t.Fatal(err)
	}
	var dev *store.PersonPlan
	for i := range plan.People {
		if plan.People[i].ID == w.Dev.ID {
			dev = &plan.People[i]
		}
	}
	if dev == nil {
		t.Fatal("the developer is not on the plan")
	}
	// Planned before the week starts, the urgent task is part of the plan.
	want := models.Load{Capacity: 2400, Plannable: 1920, Buffer: 480, Planned: (20 + 14 + 3) * 60, BufferFree: 480,
		Over: 37*60 - 1920, Unestimated: 1, Tasks: 4, Urgent: 1}
	if dev.Load != want {
		t.Errorf("load\n got %+v\nwant %+v", dev.Load, want)
	}
	// Each planned at the end of the queue, the urgent one still comes first.
	queue := []models.Task{planned[3], planned[0], planned[1], planned[2]}
	for i, tk := range dev.Tasks {
		if tk.ID != queue[i].ID {
			t.Fatalf("queue order: position %d is %d, want %d", i, tk.ID, queue[i].ID)
		}
	}
	// A short week: 24 h, of which 20 % buffer.
	short := 24 * 60
	if err := st.SetOverride(ctx, pm, next, w.Dev.ID, &short, "Thursday and Friday off"); err != nil {
		t.Fatal(err)
	}
	plan, _ = st.Plan(ctx, pm, next)
	for _, p := range plan.People {
		if p.ID == w.Dev.ID && (p.Load.Capacity != short || p.Load.Plannable != short*80/100 || p.Override == nil || *p.Override != "Thursday and Friday off") {
			t.Errorf("override not applied: %+v", p)
		}
	}
	backlog, err := st.Backlog(ctx, pm, store.BacklogFilter{ProjectID: w.ProjectA.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range backlog {
		if b.SprintID != nil {
			t.Errorf("planned task %d in the backlog", b.ID)
		}
	}
	if _, err := st.Plan(ctx, w.ClientA.Actor(), next); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a client reading the plan: %v", err)
	}
}

// TestCriticalJumpsTheQueue: a task turning critical goes to the top of its
// assignee's queue this week at once and alerts them and the managers.
func TestCriticalJumpsTheQueue(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	f := title("Site is down")
	f.EstimateMinutes = estimate(2)
	devID := &w.Dev.ID
	f.AssigneeID = &devID
	tk, err := st.CreateTask(ctx, pm, store.NewTask{ProjectID: w.ProjectA.ID, Fields: f})
	if err != nil {
		t.Fatal(err)
	}
	if tk.SprintID != nil {
		t.Fatal("a normal task is not planned by itself")
	}
	tk, err = st.UpdateTask(ctx, pm, tk.ID, tk.Version, models.TaskFields{Priority: priority(models.PriorityCritical)})
	if err != nil {
		t.Fatal(err)
	}
	plan, _ := st.Plan(ctx, pm, models.WeekOf(time.Now()))
	for _, p := range plan.People {
		if p.ID != w.Dev.ID {
			continue
		}
		if len(p.Tasks) < 2 || p.Tasks[0].ID != tk.ID {
			t.Errorf("critical task is not first in the queue: %+v", p.Tasks)
		}
		if p.Load.Critical != 1 || p.Load.Unplanned != 120 {
			t.Errorf("critical work must draw on the buffer: %+v", p.Load)
		}
	}
	for _, u := range []int64{w.Dev.ID, w.Inactive.ID} {
		var n int64
		if err := st.DB().Raw("SELECT count(*) FROM notifications WHERE user_id = ? AND kind = 'critical'", u).Row().Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := map[int64]int64{w.Dev.ID: 1, w.Inactive.ID: 0}[u]; n != want {
			t.Errorf("user %d got %d critical alerts, want %d", u, n, want)
		}
	}
	var managers int64
	if err := st.DB().Raw("SELECT count(*) FROM notifications WHERE user_id = ? AND kind = 'critical'", w.Manager.ID).Row().Scan(&managers); err != nil {
		t.Fatal(err)
	}
	if managers != 0 {
		t.Error("the manager who raised the alert is not alerted about their own change")
	}
}

// TestReassignKeepsThePlan moves a planned task to another person (the team
// board's drag): it stays in the week, at the end of the new queue.
func TestReassignKeepsThePlan(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	if _, err := st.SetMembers(ctx, pm, w.ProjectA.ID, []int64{w.Dev.ID, w.OtherDev.ID}); err != nil {
		t.Fatal(err)
	}
	week := models.WeekOf(time.Now())
	other, err := st.CreateTask(ctx, pm, store.NewTask{ProjectID: w.ProjectA.ID, Fields: title("Otto's")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PlanTask(ctx, pm, week, other.ID, other.Version, &w.OtherDev.ID, store.Position{}); err != nil {
		t.Fatal(err)
	}
	otto := &w.OtherDev.ID
	moved, err := st.UpdateTask(ctx, pm, w.PlannedA.ID, w.PlannedA.Version, models.TaskFields{AssigneeID: &otto})
	if err != nil {
		t.Fatal(err)
	}
	if moved.SprintID == nil || *moved.SprintID != *w.PlannedA.SprintID {
		t.Fatalf("reassigned task left the week: %+v", moved.SprintID)
	}
	plan, _ := st.Plan(ctx, pm, week)
	for _, p := range plan.People {
		if p.ID == w.OtherDev.ID && (len(p.Tasks) != 2 || p.Tasks[1].ID != moved.ID) {
			t.Errorf("Otto's queue: %+v", p.Tasks)
		}
	}
}

// TestCloseWeekRollsOver closes a week: the report is frozen, unfinished
// tasks move to the end of the next week's queues in order, recorded.
func TestCloseWeekRollsOver(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	week := models.WeekOf(time.Now())
	done, err := st.CreateTask(ctx, pm, store.NewTask{ProjectID: w.ProjectA.ID, Fields: title("finished")})
	if err != nil {
		t.Fatal(err)
	}
	done, _ = st.PlanTask(ctx, pm, week, done.ID, done.Version, &w.Dev.ID, store.Position{End: true})
	if _, err := st.MoveTask(ctx, pm, done.ID, store.TaskMove{Version: done.Version, Status: models.StatusDone}); err != nil {
		t.Fatal(err)
	}
	plan, _ := st.Plan(ctx, pm, week)
	report, err := st.CloseWeek(ctx, pm, week, plan.Version)
	if err != nil {
		t.Fatal(err)
	}
	if len(report.CarriedOver) != 1 || report.CarriedOver[0].ID != w.PlannedA.ID {
		t.Errorf("carried over: %+v", report.CarriedOver)
	}
	var acme *store.ClientReport
	for i := range report.Clients {
		if report.Clients[i].Name == "Acme" {
			acme = &report.Clients[i]
		}
	}
	if acme == nil || acme.Tasks != 2 || acme.DoneTasks != 1 {
		t.Errorf("client report: %+v", report.Clients)
	}
	nextPlan, _ := st.Plan(ctx, pm, week.Next())
	found := false
	for _, p := range nextPlan.People {
		for _, tk := range p.Tasks {
			found = found || tk.ID == w.PlannedA.ID
		}
	}
	if !found {
		t.Error("the unfinished task is not in next week's plan")
	}
	var payload []byte
	if err := st.DB().Raw("SELECT payload FROM events WHERE task_id = ? ORDER BY seq DESC LIMIT 1", w.PlannedA.ID).Row().Scan(&payload); err != nil {
		t.Fatal(err)
	}
	var te models.TaskEvent
	if err := json.Unmarshal(payload, &te); err != nil {
		t.Fatal(err)
	}
	if te.Reason != models.ReasonRollover {
		t.Errorf("rollover not recorded: %s", payload)
	}
	// Closed is closed: the frozen report, no second close, no new plans.
	again, err := st.Report(ctx, pm, week)
	if err != nil || !again.Closed || len(again.CarriedOver) != 1 {
		t.Errorf("frozen report: %+v %v", again, err)
	}
	var conflict *models.ConflictError
	if _, err := st.CloseWeek(ctx, pm, week, plan.Version); !errors.As(err, &conflict) || conflict.Reason.Code() != "week_changed" {
		t.Errorf("closing twice: %v", err)
	}
	tk := w.TaskA
	_, err = st.PlanTask(ctx, pm, week, tk.ID, tk.Version, &w.Dev.ID, store.Position{})
	if !errors.As(err, &conflict) || conflict.Reason.Code() != "week_closed" || conflict.Reason.Params()["week"] != week.String() {
		t.Errorf("planning into a closed week: %v", err)
	}
}

// TestPlanIsTheSameForEveryReader: a developer sees everyone's load as the
// manager does, and only the cards of projects they can see; the report
// gives them only their clients' lines and carried-over cards.
func TestPlanIsTheSameForEveryReader(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	week := models.WeekOf(time.Now())
	f := title("CANARY-B export")
	f.EstimateMinutes = estimate(5)
	tb, err := st.CreateTask(ctx, pm, store.NewTask{ProjectID: w.ProjectB.ID, Fields: f})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PlanTask(ctx, pm, week, tb.ID, tb.Version, &w.OtherDev.ID, store.Position{}); err != nil {
		t.Fatal(err)
	}
	loads := func(a models.Actor) (map[int64]models.Load, map[int64]int, int) {
		p, err := st.Plan(ctx, a, week)
		if err != nil {
			t.Fatal(err)
		}
		l, hidden, cards := map[int64]models.Load{}, map[int64]int{}, 0
		for _, pp := range p.People {
			l[pp.ID], hidden[pp.ID] = pp.Load, pp.Hidden
			cards += len(pp.Tasks)
		}
		return l, hidden, cards
	}
	mgrLoads, _, mgrCards := loads(pm)
	devLoads, devHidden, devCards := loads(w.Dev.Actor())
	if mgrLoads[w.OtherDev.ID] != devLoads[w.OtherDev.ID] || devLoads[w.OtherDev.ID].Planned != 300 {
		t.Errorf("Otto's load: manager sees %+v, developer %+v", mgrLoads[w.OtherDev.ID], devLoads[w.OtherDev.ID])
	}
	if devHidden[w.OtherDev.ID] != 1 || devCards != mgrCards-1 {
		t.Errorf("developer sees %d cards (manager %d), hidden %v", devCards, mgrCards, devHidden)
	}
	plan, _ := st.Plan(ctx, pm, week)
	if _, err := st.CloseWeek(ctx, pm, week, plan.Version); err != nil {
		t.Fatal(err)
	}
	r, err := st.Report(ctx, w.Dev.Actor(), week)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	if strings.Contains(string(b), "CANARY-B") || r.ClosedAt == nil {
		t.Errorf("developer's frozen report: %s", b)
	}
}

func TestClosingNeedsTheCurrentPlan(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	week := models.WeekOf(time.Now())
	seen, _ := st.Plan(ctx, pm, week)
	tk := w.TaskA
	if _, err := st.PlanTask(ctx, pm, week, tk.ID, tk.Version, &w.Dev.ID, store.Position{End: true}); err != nil {
		t.Fatal(err)
	}
	var conflict *models.ConflictError
	if _, err := st.CloseWeek(ctx, pm, week, seen.Version); !errors.As(err, &conflict) || conflict.Reason.Code() != "week_changed" {
		t.Errorf("closing with a plan read before a change: %v, want a conflict", err)
	}
}
