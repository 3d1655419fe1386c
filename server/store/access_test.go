package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/store"
)

// TestCardsLeaveTheStoreForTheirReader: whatever path a card takes out of
// the store (a read, a list, a command's answer, the card inside a
// conflict), a client user gets it without the agency's estimate and plan.
func TestCardsLeaveTheStoreForTheirReader(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm, client := w.Manager.Actor(), w.ClientA.Actor()
	hour := 60
	est := &hour
	withEstimate := func(tk models.Task) models.Task {
		t.Helper()
		tk, err := st.UpdateTask(ctx, pm, tk.ID, tk.Version, models.TaskFields{EstimateMinutes: &est})
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	planned := withEstimate(w.PlannedA)
	approval := withEstimate(w.ApprovalA)
	if planned.EstimateMinutes == nil || planned.SprintID == nil {
		t.Fatal("staff must see the estimate and the plan")
	}
	hidden := func(what string, tk models.Task) {
		t.Helper()
		if tk.EstimateMinutes != nil || tk.SprintID != nil || tk.PlannedAt != nil {
			t.Errorf("%s: a client got the agency's planning: estimate %v, sprint %v", what, tk.EstimateMinutes, tk.SprintID)
		}
	}
	tk, err := st.Task(ctx, client, planned.ID)
	if err != nil {
		t.Fatal(err)
	}
	hidden("read", tk)
	board, err := st.Board(ctx, client, w.ProjectA.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range board.Tasks {
		hidden("board", c)
	}
	list, err := st.Approvals(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		hidden("approvals", c.Task)
	}
	_, _, err = st.ApproveTask(ctx, client, approval.ID, store.Approval{Version: approval.Version - 1})
	var conflict *models.ConflictError
	if !errors.As(err, &conflict) || conflict.Reason.Code() != "task_stale" {
		t.Fatalf("stale approval: %v", err)
	}
	hidden("conflict", conflict.Current.(models.Task))
	tk, _, err = st.ApproveTask(ctx, client, approval.ID, store.Approval{Version: approval.Version})
	if err != nil {
		t.Fatal(err)
	}
	hidden("approve", tk)
}

// TestNotificationsFollowTheScope: a notice reaches exactly the people
// models.Scope lets see the project, whoever the command named: a card
// turning critical names its assignee and every manager.
func TestNotificationsFollowTheScope(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	critical := models.PriorityCritical
	dev := &w.Dev.ID
	if _, err := st.UpdateTask(ctx, w.Admin.Actor(), w.TaskA.ID, w.TaskA.Version,
		models.TaskFields{Priority: &critical, AssigneeID: &dev}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []models.User{w.Admin, w.Manager, w.Dev, w.OtherDev, w.ClientA, w.ClientB, w.Inactive} {
		n, err := st.ListNotifications(ctx, u.Actor())
		if err != nil {
			t.Fatal(err)
		}
		got := slices.ContainsFunc(n.Items, func(x models.Notification) bool { return x.Kind == models.NoteCritical })
		// Not the actor, not the deactivated manager, not those outside
		// the project.
		want := u.ID == w.Manager.ID || u.ID == w.Dev.ID
		if got != want {
			t.Errorf("%s told of the critical card: %v, want %v", u.Name, got, want)
		}
	}
}

// statementCount counts the statements a store sends.
type statementCount struct{ n atomic.Int64 }

func (c *statementCount) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *statementCount) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestListsReadEventNumbersOnce: the plan and the home page read the event
// numbers of all their projects in one query, not one per project.
func TestListsReadEventNumbersOnce(t *testing.T) {
	t.Parallel()
	statements := &statementCount{}
	st, _, w := dbtest.Traced(t, dbtest.URL(t), statements)
	ctx := context.Background()
	week := models.WeekOf(time.Now())
	measure := func() (plan, home int64) {
		statements.n.Store(0)
		if _, err := st.Plan(ctx, w.Admin.Actor(), week); err != nil {
			t.Fatal(err)
		}
		plan = statements.n.Swap(0)
		if _, err := st.Home(ctx, w.ClientA.Actor()); err != nil {
			t.Fatal(err)
		}
		return plan, statements.n.Load()
	}
	plan1, home1 := measure()
	for i := range 5 {
		if _, err := st.CreateProject(ctx, w.Admin.Actor(), store.NewProject{ClientID: w.A.ID, Name: fmt.Sprintf("More %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	plan2, home2 := measure()
	if plan2 != plan1 || home2 != home1 {
		t.Errorf("statements with 5 more projects: plan %d → %d, home %d → %d; want the same", plan1, plan2, home1, home2)
	}
}
