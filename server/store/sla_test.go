package store_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/store"
)

// roundTheClock makes business time equal wall time, so a test can move
// the store's clock instead of waiting for office hours; the calendar's
// own arithmetic is tested in models.
var roundTheClock = models.BusinessHours{Days: []time.Weekday{0, 1, 2, 3, 4, 5, 6}, Start: "00:00", End: "24:00", TimeZone: "UTC"}

var urgentTargets = []models.SLATarget{{Priority: models.PriorityUrgent, FirstResponseMinutes: 60, ResolutionMinutes: 240}}

// slaWorld is the seeded world with a store whose clock runs ahead of the
// database's by shift, and Acme's targets set.
func slaWorld(t *testing.T) (*store.Store, dbtest.World, *atomic.Int64) {
	t.Helper()
	var shift atomic.Int64
	db := dbtest.New(t)
	st := store.New(db, func() time.Time { return time.Now().Add(time.Duration(shift.Load())) })
	w := dbtest.Seed(t, st)
	ctx := context.Background()
	if _, err := st.SetBusinessHours(ctx, w.Admin.Actor(), roundTheClock); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetSLATargets(ctx, w.Manager.Actor(), w.A.ID, urgentTargets); err != nil {
		t.Fatal(err)
	}
	return st, w, &shift
}

// urgentRequest files an urgent request as Acme's client user.
func urgentRequest(t *testing.T, st *store.Store, w dbtest.World, title string) models.Task {
	t.Helper()
	urgent := models.PriorityUrgent
	req, err := st.CreateTask(context.Background(), w.ClientA.Actor(), store.NewTask{ProjectID: w.ProjectA.ID,
		Fields: models.TaskFields{Title: &title, Priority: &urgent}})
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// backdate moves a card's filing and history back by d.
func backdate(t *testing.T, st *store.Store, id int64, d time.Duration) {
	t.Helper()
	db := st.DB()
	for _, q := range []string{"UPDATE tasks SET created_at = created_at - ? * interval '1 second' WHERE id = ?",
		"UPDATE events SET created_at = created_at - ? * interval '1 second' WHERE task_id = ?"} {
		if err := db.Exec(q, d.Seconds(), id).Error; err != nil {
			t.Fatal(err)
		}
	}
}

func near(got int64, want time.Duration) bool {
	return got >= int64(want.Seconds())-5 && got <= int64(want.Seconds())+5
}

// TestSLAClockPausesForTheClient follows a client's urgent request: filed
// two hours ago, asked a question (first response, late), answered by the
// client. The resolution clock counts the two hours before the question,
// not the wait, and runs again after the answer.
func TestSLAClockPausesForTheClient(t *testing.T) {
	t.Parallel()
	st, w, shift := slaWorld(t)
	ctx := context.Background()
	dev := w.Dev.Actor()
	devID := &w.Dev.ID
	req := urgentRequest(t, st, w, "Checkout button missing")
	var err error
	if req, err = st.UpdateTask(ctx, w.Manager.Actor(), req.ID, req.Version, models.TaskFields{AssigneeID: &devID}); err != nil {
		t.Fatal(err)
	}
	backdate(t, st, req.ID, 2*time.Hour)
	clocks, err := st.Clocks(ctx, dev, w.ProjectA.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := clocks[req.ID]
	if got.FirstResponse == nil || !got.FirstResponse.Breached || got.FirstResponse.State != models.ClockRunning {
		t.Fatalf("before any answer the first response runs and is late: %+v", got.FirstResponse)
	}
	if len(clocks) != 1 {
		t.Errorf("clocks on %d cards, want only the client's request: %v", len(clocks), clocks)
	}

	if req, err = st.MoveTask(ctx, dev, req.ID, store.TaskMove{Version: req.Version, Status: models.StatusAwaitingReply,
		Move: models.MoveInput{Question: "Which iOS version?"}}); err != nil {
		t.Fatal(err)
	}
	shift.Store(int64(3 * time.Hour)) // the client thinks for three hours
	got = clock(t, st, dev, w.ProjectA.ID, req.ID)
	if fr := got.FirstResponse; fr.State != models.ClockStopped || !near(fr.UsedSeconds, 2*time.Hour) {
		t.Errorf("first response = %+v, want stopped after 2 h", fr)
	}
	if res := got.Resolution; res.State != models.ClockPaused || !near(res.UsedSeconds, 2*time.Hour) || res.DueAt != nil {
		t.Errorf("resolution while awaiting reply = %+v, want paused at 2 h", res)
	}

	// The answer moves the card back to in progress; the clock runs again.
	shift.Store(0)
	if _, err := st.AddComment(ctx, w.ClientA.Actor(), req.ID, store.NewComment{Body: "iOS 17.2"}); err != nil {
		t.Fatal(err)
	}
	shift.Store(int64(75 * time.Minute))
	got = clock(t, st, dev, w.ProjectA.ID, req.ID)
	if res := got.Resolution; res.State != models.ClockRunning || !near(res.UsedSeconds, 195*time.Minute) || !res.Warned() || res.Breached {
		t.Errorf("resolution after the answer = %+v, want running at 3 h 15 min", res)
	}

	// Lists show the same clocks on their rows, and none on other cards.
	home, err := st.Home(ctx, w.ClientA.Actor())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range home.InProgress {
		switch {
		case c.ID == req.ID:
			found = c.SLA != nil && c.SLA.Resolution != nil && near(c.SLA.Resolution.UsedSeconds, 195*time.Minute)
		case c.SLA != nil:
			t.Errorf("card %d is not a client request but has clocks %+v", c.ID, c.SLA)
		}
	}
	if !found {
		t.Errorf("the client's home lists the request without its clocks: %+v", home.InProgress)
	}
}

func clock(t *testing.T, st *store.Store, a models.Actor, project, id int64) models.SLA {
	t.Helper()
	clocks, err := st.Clocks(context.Background(), a, project)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := clocks[id]
	if !ok || got.FirstResponse == nil || got.Resolution == nil {
		t.Fatalf("no clocks on card %d: %v", id, clocks)
	}
	return got
}

func ptr[T any](v T) *T { return &v }

// TestSLAAlertsOnce runs the periodic check from several instances at once:
// each warning and breach is recorded, in the card's activity and the
// bells of the managers and the assignee, exactly once.
func TestSLAAlertsOnce(t *testing.T) {
	t.Parallel()
	st, w, shift := slaWorld(t)
	ctx := context.Background()
	req := urgentRequest(t, st, w, "Site slow")
	devID := &w.Dev.ID
	if _, err := st.UpdateTask(ctx, w.Manager.Actor(), req.ID, req.Version, models.TaskFields{AssigneeID: &devID}); err != nil {
		t.Fatal(err)
	}
	check := func(instances int) int {
		var wg sync.WaitGroup
		var total atomic.Int64
		for range instances {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := st.CheckSLAs(ctx)
				if err != nil {
					t.Error(err)
				}
				total.Add(int64(n))
			}()
		}
		wg.Wait()
		return int(total.Load())
	}
	if n := check(1); n != 0 {
		t.Fatalf("a fresh request raised %d alerts", n)
	}
	shift.Store(int64(50 * time.Minute)) // 83 % of the first response
	if n := check(4); n != 1 {
		t.Errorf("four instances recorded %d warnings, want 1", n)
	}
	shift.Store(int64(200 * time.Minute)) // first response late, resolution at 83 %
	if n := check(4); n != 2 {
		t.Errorf("four instances recorded %d alerts, want a breach and a warning", n)
	}
	if n := check(2); n != 0 {
		t.Errorf("the check repeated %d alerts", n)
	}

	events, err := st.Activity(ctx, w.Manager.Actor(), req.ID)
	if err != nil {
		t.Fatal(err)
	}
	var alerts []string
	for _, e := range events {
		if e.Kind == models.EventSLAAlert {
			alerts = append(alerts, string(e.Data))
		}
	}
	if len(alerts) != 3 {
		t.Errorf("activity has %d SLA events, want 3: %v", len(alerts), alerts)
	}
	clientEvents, err := st.Activity(ctx, w.ClientA.Actor(), req.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range clientEvents {
		if e.Kind == models.EventSLAAlert {
			t.Errorf("the client sees the agency's SLA alert %s", e.Data)
		}
	}
	for _, u := range []models.User{w.Manager, w.Dev, w.OtherDev, w.ClientA} {
		inbox, err := st.ListNotifications(ctx, u.Actor())
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, it := range inbox.Items {
			if it.TaskID == req.ID && (it.Kind == models.NoteSLAWarning || it.Kind == models.NoteSLABreach) {
				n++
			}
		}
		want := 3
		if u.ID == w.OtherDev.ID || u.ID == w.ClientA.ID {
			want = 0
		}
		if n != want {
			t.Errorf("%s has %d SLA notifications, want %d", u.Name, n, want)
		}
	}
}

// TestSLATargetsAndReportAccess: managers set targets, clients read their
// own; the report is for managers and the client's own users.
func TestSLATargetsAndReportAccess(t *testing.T) {
	t.Parallel()
	st, w, _ := slaWorld(t)
	ctx := context.Background()
	got, err := st.SLATargets(ctx, w.ClientA.Actor(), w.A.ID)
	if err != nil || len(got) != 3 || got[1] != urgentTargets[0] {
		t.Errorf("client reads own targets = %v, %v", got, err)
	}
	if _, err := st.SLATargets(ctx, w.ClientB.Actor(), w.A.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another client reads the targets: %v", err)
	}
	for _, a := range []models.Actor{w.ClientA.Actor(), w.Dev.Actor()} {
		if _, err := st.SetSLATargets(ctx, a, w.A.ID, nil); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s sets targets: %v", a.Role, err)
		}
	}
	var ve *models.ValidationError
	if _, err := st.SetSLATargets(ctx, w.Manager.Actor(), w.A.ID, []models.SLATarget{{Priority: "asap"}}); !errors.As(err, &ve) {
		t.Errorf("bad targets: %v", err)
	}
	if _, err := st.SetBusinessHours(ctx, w.Manager.Actor(), roundTheClock); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a manager sets business hours: %v", err)
	}

	month := time.Now().UTC().Format("2006-01")
	for _, tc := range []struct {
		who  models.Actor
		want error
	}{
		{w.Manager.Actor(), nil}, {w.Admin.Actor(), nil}, {w.ClientA.Actor(), nil},
		{w.Dev.Actor(), models.ErrForbidden}, {w.ClientB.Actor(), models.ErrNotFound},
	} {
		if _, err := st.SLAReport(ctx, tc.who, w.A.ID, month); !errors.Is(err, tc.want) {
			t.Errorf("%s reads the report: %v, want %v", tc.who.Role, err, tc.want)
		}
	}
	if _, err := st.SLAReport(ctx, w.Manager.Actor(), w.A.ID, "2026-13"); !errors.As(err, &ve) || ve.Fields["month"].Code() == "" {
		t.Errorf("bad month: %v", err)
	}
}

// TestSLAReportCounts files requests of several kinds and checks the
// month's figures: only client requests count, in the agency's month.
func TestSLAReportCounts(t *testing.T) {
	t.Parallel()
	st, w, _ := slaWorld(t)
	ctx := context.Background()
	urgent, normal := models.PriorityUrgent, models.PriorityNormal
	bug, question := models.KindBug, models.KindQuestion
	for _, f := range []models.TaskFields{
		{Title: ptr("one"), Priority: &urgent, Kind: &bug},
		{Title: ptr("two"), Priority: &urgent, Kind: &bug},
		{Title: ptr("three"), Priority: &normal, Kind: &question},
	} {
		r, err := st.CreateTask(ctx, w.ClientA.Actor(), store.NewTask{ProjectID: w.ProjectA.ID, Fields: f})
		if err != nil {
			t.Fatal(err)
		}
		if *f.Title == "one" {
			if _, err := st.AddComment(ctx, w.Dev.Actor(), r.ID, store.NewComment{Body: "On it"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep, err := st.SLAReport(ctx, w.ClientA.Actor(), w.A.ID, time.Now().UTC().Format("2006-01"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests != 3 || rep.ByKind[bug] != 2 || rep.ByPriority[urgent] != 2 || rep.ClientName != w.A.Name {
		t.Errorf("report counts = %+v", rep.SLASummary)
	}
	if fr := rep.FirstResponse; fr.Measured != 1 || fr.Due != 1 || fr.Met != 1 || fr.MedianSeconds == nil {
		t.Errorf("first response = %+v, want the one comment, in time", fr)
	}
	last, err := st.SLAReport(ctx, w.Manager.Actor(), w.A.ID, time.Now().UTC().AddDate(0, -1, 0).Format("2006-01"))
	if err != nil || last.Requests != 0 {
		t.Errorf("last month = %+v, %v", last.Requests, err)
	}
}

// TestTriageAndWaitingShowClocks: the triage inbox and both waiting lists
// carry the same clocks as the board; a card without targets has none.
func TestTriageAndWaitingShowClocks(t *testing.T) {
	t.Parallel()
	st, w, _ := slaWorld(t)
	ctx := context.Background()
	req := urgentRequest(t, st, w, "Checkout button missing")
	backdate(t, st, req.ID, 2*time.Hour)
	pm := w.Manager.Actor()
	board := clock(t, st, pm, w.ProjectA.ID, req.ID)

	inbox, err := st.Triage(ctx, pm)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(inbox, func(c store.TriageCard) bool { return c.ID == req.ID })
	if i < 0 || inbox[i].SLA == nil || !sameClock(inbox[i].SLA.FirstResponse, board.FirstResponse) {
		t.Fatalf("triage row has no clock or another one than the board's %+v", board.FirstResponse)
	}

	lists, err := st.Waiting(ctx, pm)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range lists.Agency {
		switch {
		case c.ID == req.ID && (c.SLA == nil || !sameClock(c.SLA.Resolution, board.Resolution)):
			t.Errorf("waiting row has no clock or another one than the board's %+v", board.Resolution)
		case c.ID == req.ID && (c.BusinessSeconds == nil || c.SLA.FirstResponse == nil ||
			!near(c.SLA.FirstResponse.UsedSeconds, time.Duration(*c.BusinessSeconds)*time.Second)):
			// Waiting for its first response, it has waited as long as
			// that clock has run: in business hours, not the two hours since.
			t.Errorf("waiting row of the request waited %v s in business hours, want its first-response clock's %+v", c.BusinessSeconds, c.SLA.FirstResponse)
		case c.ID != req.ID && (c.SLA != nil || c.BusinessSeconds != nil):
			t.Errorf("card %d without targets shows a clock or a business-hours wait", c.ID)
		}
	}
	if !slices.ContainsFunc(lists.Agency, func(c store.WaitingCard) bool { return c.ID == req.ID }) {
		t.Error("the new request does not wait on the agency")
	}
}

// sameClock compares two readings of a clock taken a moment apart.
func sameClock(a, b *models.SLAClock) bool {
	return a != nil && b != nil && a.Goal == b.Goal && a.State == b.State && a.Breached == b.Breached && near(a.UsedSeconds, time.Duration(b.UsedSeconds)*time.Second)
}
