package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/store"
)

// TestConcurrentTimerStarts starts timers for one person from 20
// goroutines at once, on two cards: every start succeeds, exactly one
// timer runs, and each of the other 19 is stopped, none lost.
func TestConcurrentTimerStarts(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	dev := w.Dev.Actor()
	count := func() (total, running int) {
		t.Helper()
		if err := st.DB().Raw("SELECT count(*), count(*) FILTER (WHERE ended_at IS NULL) FROM time_entries WHERE user_id = ?", w.Dev.ID).
			Row().Scan(&total, &running); err != nil {
			t.Fatal(err)
		}
		return total, running
	}
	before, _ := count()
	var wg sync.WaitGroup
	var stopped atomic.Int32
	errs := make(chan error, 20)
	for i := range 20 {
		task := w.TaskA.ID
		if i%2 == 1 {
			task = w.PlannedA.ID
		}
		wg.Go(func() {
			tm, err := st.StartTimer(ctx, dev, task)
			if err != nil {
				errs <- err
				return
			}
			if tm.Running == nil || tm.Running.EndedAt != nil {
				errs <- errors.New("no running timer in the answer")
			}
			if tm.Stopped != nil {
				stopped.Add(1)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	total, running := count()
	if total-before != 20 || running != 1 || stopped.Load() != 19 {
		t.Fatalf("%d entries, %d running, %d stopped by a start; want 20, 1, 19", total, running, stopped.Load())
	}
	// The database holds the rule even when the code is bypassed.
	err := st.DB().Exec("INSERT INTO time_entries (user_id, task_id, project_id, started_at, billable) VALUES (?, ?, ?, now(), true)",
		w.Dev.ID, w.TaskA.ID, w.ProjectA.ID).Error
	if err == nil {
		t.Fatal("a second running timer was accepted by the database")
	}
}

// TestTimerRoundsAndFlags stops a timer that ran 10 h 7 min under
// 15-minute rounding: it counts 10 h 15 min, whole, flagged for review;
// an edit by its owner clears the flag.
func TestTimerRoundsAndFlags(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	st := store.New(dbtest.New(t), clock)
	w := dbtest.Seed(t, st)
	ctx := context.Background()
	rounding := models.Rounding(15)
	if _, err := st.UpdateSettings(ctx, w.Admin.Actor(), store.SettingsPatch{TimeRounding: &rounding}); err != nil {
		t.Fatal(err)
	}
	dev := w.Dev.Actor()
	if _, err := st.StartTimer(ctx, dev, w.TaskA.ID); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(10*time.Hour + 7*time.Minute)
	mu.Unlock()
	tm, err := st.StopTimer(ctx, dev)
	if err != nil {
		t.Fatal(err)
	}
	if e := tm.Stopped; e == nil || e.Minutes != 615 || !e.Review || tm.Running != nil {
		t.Fatalf("stopped %+v", tm)
	}
	again, err := st.StopTimer(ctx, dev)
	if err != nil || again.Stopped != nil || again.Running != nil {
		t.Fatalf("a second stop: %+v, %v", again, err)
	}
	note := "Checked: migration ran overnight"
	e, err := st.UpdateEntry(ctx, dev, tm.Stopped.ID, store.EntryPatch{Note: &note})
	if err != nil {
		t.Fatal(err)
	}
	if e.Review || e.Minutes != 615 || e.Note != note {
		t.Fatalf("after review: %+v", e)
	}
	spent, err := st.TaskTime(ctx, dev, w.TaskA.ID)
	if err != nil {
		t.Fatal(err)
	}
	seeded := w.EntryA.Minutes + w.EntryPM.Minutes
	if spent.SpentMinutes != seeded+615 || len(spent.Entries) != 3 || spent.EstimateMinutes == nil || *spent.EstimateMinutes != 90 {
		t.Fatalf("task time %+v", spent)
	}
}

// TestEntryOwnership: a developer changes their own entries only; a
// manager changes anyone's; a running timer's time cannot be edited; bad
// input names its field and changes nothing.
func TestEntryOwnership(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	e, err := st.AddEntry(ctx, w.Dev.Actor(), w.TaskA.ID, store.NewEntry{EntryInput: models.EntryInput{StartedAt: at, Minutes: 45, Note: "menu"}})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Billable || e.EndedAt == nil || !e.EndedAt.Equal(at.Add(45*time.Minute)) {
		t.Fatalf("added %+v", e)
	}
	minutes := 60
	// Other is no member of A's project: the entry does not exist for them.
	if _, err := st.UpdateEntry(ctx, w.OtherDev.Actor(), e.ID, store.EntryPatch{Minutes: &minutes}); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("other developer: %v", err)
	}
	if _, err := st.UpdateEntry(ctx, w.ClientA.Actor(), e.ID, store.EntryPatch{Minutes: &minutes}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("client: %v", err)
	}
	bad := 0
	var ve *models.ValidationError
	if _, err := st.UpdateEntry(ctx, w.Dev.Actor(), e.ID, store.EntryPatch{Minutes: &bad}); !errors.As(err, &ve) || ve.Fields["minutes"].Code() != "entry_minutes_range" {
		t.Fatalf("zero minutes: %v", err)
	}
	if e, err = st.UpdateEntry(ctx, w.Manager.Actor(), e.ID, store.EntryPatch{Minutes: &minutes}); err != nil || e.Minutes != 60 {
		t.Fatalf("manager: %+v, %v", e, err)
	}
	tm, err := st.StartTimer(ctx, w.Dev.Actor(), w.TaskA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpdateEntry(ctx, w.Dev.Actor(), tm.Running.ID, store.EntryPatch{Minutes: &minutes}); !errors.As(err, &ve) {
		t.Fatalf("running timer's minutes: %v", err)
	}
	if err := st.DeleteEntry(ctx, w.Dev.Actor(), tm.Running.ID); err != nil {
		t.Fatal(err)
	}
	if cur, err := st.Timer(ctx, w.Dev.Actor()); err != nil || cur.Running != nil {
		t.Fatalf("after discarding: %+v, %v", cur, err)
	}
	// The project's default decides unless the entry says otherwise.
	off, on := false, true
	if _, err := st.UpdateProject(ctx, w.Manager.Actor(), w.ProjectA.ID, store.ProjectPatch{Billable: &off}); err != nil {
		t.Fatal(err)
	}
	in := models.EntryInput{StartedAt: at, Minutes: 10}
	if e, err := st.AddEntry(ctx, w.Dev.Actor(), w.TaskA.ID, store.NewEntry{EntryInput: in}); err != nil || e.Billable {
		t.Fatalf("on a non-billable project: %+v, %v", e, err)
	}
	if e, err := st.AddEntry(ctx, w.Dev.Actor(), w.TaskA.ID, store.NewEntry{EntryInput: in, Billable: &on}); err != nil || !e.Billable {
		t.Fatalf("billable by choice: %+v, %v", e, err)
	}
	if tm, err := st.StartTimer(ctx, w.Dev.Actor(), w.TaskA.ID); err != nil || tm.Running.Billable {
		t.Fatalf("timer on a non-billable project: %+v, %v", tm, err)
	}
	if _, err := st.StartTimer(ctx, w.ClientA.Actor(), w.TaskA.ID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("client timer: %v", err)
	}
	if _, err := st.StartTimer(ctx, w.Dev.Actor(), w.TaskB.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("timer on a hidden card: %v", err)
	}
}

// TestTimesheet splits an entry across midnight in the reader's time zone
// and keeps another person's week to managers.
func TestTimesheet(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	week, err := models.ParseWeek("2026-W41") // Monday 5 October
	if err != nil {
		t.Fatal(err)
	}
	dev := w.Dev.Actor()
	for _, in := range []models.EntryInput{
		{StartedAt: time.Date(2026, 10, 5, 22, 0, 0, 0, time.UTC), Minutes: 180},  // 2 h Monday, 1 h Tuesday
		{StartedAt: time.Date(2026, 10, 11, 23, 30, 0, 0, time.UTC), Minutes: 60}, // 30 min Sunday, 30 min next week
		{StartedAt: time.Date(2026, 10, 4, 23, 0, 0, 0, time.UTC), Minutes: 120},  // 1 h the Sunday before
	} {
		if _, err := st.AddEntry(ctx, dev, w.TaskA.ID, store.NewEntry{EntryInput: in}); err != nil {
			t.Fatal(err)
		}
	}
	ts, err := st.Timesheet(ctx, dev, w.Dev.ID, week, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{120 + 60, 60, 0, 0, 0, 0, 30}
	if len(ts.Rows) != 1 || ts.Total != 270 || !slices.Equal(ts.DayTotals, want) || !slices.Equal(ts.Rows[0].Minutes, want) {
		t.Fatalf("timesheet %+v", ts)
	}
	if _, err := st.Timesheet(ctx, w.OtherDev.Actor(), w.Dev.ID, week, time.UTC); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("another developer's week: %v", err)
	}
	if ts, err := st.Timesheet(ctx, w.Manager.Actor(), w.Dev.ID, week, time.UTC); err != nil || ts.Total != 270 {
		t.Fatalf("manager: %+v, %v", ts, err)
	}
}

// TestWeekSpent: This week and the team board show what each person logged
// this week against what is planned for them.
func TestWeekSpent(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	week := models.WeekOf(time.Now())
	in := models.EntryInput{StartedAt: week.Start().Add(10 * time.Hour), Minutes: 100}
	if _, err := st.AddEntry(ctx, w.Dev.Actor(), w.TaskA.ID, store.NewEntry{EntryInput: in}); err != nil {
		t.Fatal(err)
	}
	// Last week's does not count.
	in.StartedAt = week.Start().Add(-time.Hour)
	if _, err := st.AddEntry(ctx, w.Dev.Actor(), w.TaskA.ID, store.NewEntry{EntryInput: in}); err != nil {
		t.Fatal(err)
	}
	plan, err := st.Plan(ctx, w.Manager.Actor(), week)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range plan.People {
		if p.ID == w.Dev.ID {
			found = p.Spent == 100
		}
	}
	if !found {
		t.Fatalf("plan people %+v", plan.People)
	}
	head, err := st.TeamBoardHead(ctx, w.Manager.Actor())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range head.People {
		// PlannedA (90 min) is in Dev's queue this week.
		if p.ID == w.Dev.ID && (p.Spent != 100 || p.Planned != 90) {
			t.Fatalf("team board person %+v", p)
		}
	}
}

// statementLog records every statement a store sends, in order.
type statementLog struct {
	mu      sync.Mutex
	sql     []string
	batches [][]string // the statements of each batch: one round trip each
}

func (l *statementLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	l.add(d.SQL)
	return ctx
}

// A command's events and its COMMIT go as one batch.
func (l *statementLog) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	l.add(d.SQL)
}

func (l *statementLog) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	batch := make([]string, 0, d.Batch.Len())
	for _, q := range d.Batch.QueuedQueries {
		batch = append(batch, strings.ToLower(strings.TrimSpace(q.SQL)))
	}
	l.mu.Lock()
	l.batches = append(l.batches, batch)
	l.mu.Unlock()
	return ctx
}

func (l *statementLog) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

func (l *statementLog) add(sql string) {
	l.mu.Lock()
	l.sql = append(l.sql, strings.ToLower(strings.TrimSpace(sql)))
	l.mu.Unlock()
}

func (l *statementLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// take returns the statements sent since the last take and forgets them
// and the batches.
func (l *statementLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.sql
	l.sql, l.batches = nil, nil
	return s
}

// TestTimerRingsAfterCommit: a timer command sends no NOTIFY inside its
// transaction, since a notifying commit holds a lock shared by the whole
// cluster until it is flushed, so every timer click of every person took
// turns on the disk. The doorbell follows the commit, in a transaction of
// its own that does not wait for a flush, and a listener hears it. Each
// command makes at most three round trips inside its transaction (four
// when a start stops a timer).
func TestTimerRingsAfterCommit(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	st, w, rang := timeListened(t, log)
	ctx := context.Background()
	dev := w.Dev.Actor()

	for _, c := range []struct {
		name    string
		run     func() error
		maxInTx int
	}{
		{"start", func() error { _, err := st.StartTimer(ctx, dev, w.TaskA.ID); return err }, 3},
		{"start on another card", func() error { _, err := st.StartTimer(ctx, dev, w.PlannedA.ID); return err }, 4},
		{"stop", func() error { _, err := st.StopTimer(ctx, dev); return err }, 3},
	} {
		log.take()
		if err := c.run(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		select {
		case id := <-rang:
			if id != w.Dev.ID {
				t.Errorf("%s: rang for user %d, want %d", c.name, id, w.Dev.ID)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the listener heard no doorbell", c.name)
		}
		sent := log.take()
		begin, commit := slices.Index(sent, "begin"), slices.Index(sent, "commit")
		if begin < 0 || commit < begin {
			t.Fatalf("%s: no transaction in %q", c.name, sent)
		}
		inTx, after := sent[begin+1:commit], sent[commit+1:]
		for _, q := range inTx {
			if strings.Contains(q, "pg_notify") {
				t.Errorf("%s: rings inside its transaction: %s", c.name, q)
			}
		}
		if len(inTx) > c.maxInTx {
			t.Errorf("%s: %d statements in the transaction, want at most %d: %q", c.name, len(inTx), c.maxInTx, inTx)
		}
		if len(after) != 1 || !strings.Contains(after[0], "pg_notify") || !strings.Contains(after[0], "synchronous_commit") {
			t.Errorf("%s: after the commit %q, want one doorbell with synchronous_commit off", c.name, after)
		}
	}
}

// TestTimerAnswersBeforeItsDoorbell: a timer command answers once it has
// committed, without waiting for its doorbell, and the doorbells rung while
// one is on its way go out together in the next round. Every NOTIFY queues
// its transaction's commit for one lock of the whole cluster: with a
// doorbell per click, answered only after it, that queue made the slowest
// clicks at 16 people at once.
func TestTimerAnswersBeforeItsDoorbell(t *testing.T) {
	t.Parallel()
	gate := &bellGate{}
	st, w, rang := timeListened(t, gate)
	ctx := context.Background()

	release := gate.shut()
	t.Cleanup(release)
	answered := make(chan error, 1)
	go func() { _, err := st.StartTimer(ctx, w.Dev.Actor(), w.TaskA.ID); answered <- err }()
	select {
	case err := <-answered:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the start is still waiting for its doorbell to ring")
	}
	for deadline := time.Now().Add(5 * time.Second); gate.rings.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the start rang no doorbell")
		}
	}
	for _, u := range []models.User{w.Manager, w.Admin} {
		if _, err := st.StartTimer(ctx, u.Actor(), w.TaskA.ID); err != nil {
			t.Fatal(err)
		}
	}
	release()
	heard := map[int64]bool{}
	for len(heard) < 3 {
		select {
		case id := <-rang:
			heard[id] = true
		case <-time.After(5 * time.Second):
			t.Fatalf("heard doorbells for %v, want the developer, the manager and the admin", heard)
		}
	}
	if !heard[w.Dev.ID] || !heard[w.Manager.ID] || !heard[w.Admin.ID] {
		t.Errorf("heard doorbells for %v, want %d, %d and %d", heard, w.Dev.ID, w.Manager.ID, w.Admin.ID)
	}
	together := slices.ContainsFunc(gate.rounds(), func(users []string) bool {
		return slices.Contains(users, fmt.Sprint(w.Manager.ID)) && slices.Contains(users, fmt.Sprint(w.Admin.ID))
	})
	if !together {
		t.Errorf("doorbell rounds %q: the manager's and the admin's, rung while one was held, went apart", gate.rounds())
	}
}

// timeListened is a store over a fresh database whose statements pass
// through tracer, and the people whose timer doorbell a listener heard.
func timeListened(t *testing.T, tracer pgx.QueryTracer) (*store.Store, dbtest.World, chan int64) {
	t.Helper()
	dsn := dbtest.URL(t)
	st, _, w := dbtest.Traced(t, dsn, tracer)
	// The seed's time entries rang too, after their commands answered: let
	// those doorbells go out before listening, or a test hears them.
	for deadline := time.Now().Add(5 * time.Second); st.DoorbellsRinging(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the seed's doorbells never went out")
		}
	}
	rang := make(chan int64, 10)
	listener := silentListener(dsn)
	listener.Time = func(id int64) { rang <- id }
	listen(t, listener)
	return st, w, rang
}

// bellGate notes the people each doorbell a store sends rings for and,
// once shut, holds each until it is released.
type bellGate struct {
	mu    sync.Mutex
	held  chan struct{} // nil while open
	users [][]string    // per doorbell sent while shut
	rings atomic.Int32
}

func (g *bellGate) shut() (release func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.held = make(chan struct{})
	return sync.OnceFunc(func() { close(g.held) })
}

// pass holds a doorbell (its second argument names the people: one ID, or
// an array of them) while the gate is shut.
func (g *bellGate) pass(sql string, args []any) {
	if !strings.Contains(sql, "synchronous_commit") || len(args) < 2 {
		return
	}
	g.mu.Lock()
	held := g.held
	if held != nil {
		g.users = append(g.users, strings.Split(strings.Trim(fmt.Sprint(args[1]), "{}"), ","))
		g.rings.Add(1)
	}
	g.mu.Unlock()
	if held != nil {
		<-held
	}
}

func (g *bellGate) rounds() [][]string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.users)
}

func (g *bellGate) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	g.pass(d.SQL, d.Args)
	return ctx
}

func (g *bellGate) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// A doorbell sent in a command's batch is held with the batch.
func (g *bellGate) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	for _, q := range d.Batch.QueuedQueries {
		g.pass(q.SQL, q.Arguments)
	}
	return ctx
}

func (g *bellGate) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (g *bellGate) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}
