package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/store"
)

// TestBoardCardsMatchTheCard: the board and the team board read cards
// with their own scan, column by column. Every card they show must encode
// exactly as the same card read on its own, for staff and for a client,
// with every field set somewhere: labels, dates, estimate, plan, approval
// on the client's behalf with a deploy day, comments public and internal.
func TestBoardCardsMatchTheCard(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()

	labels := []string{"checkout", "mobile"}
	due := models.Date{Time: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC)}
	kind, prio := models.KindBug, models.PriorityUrgent
	dev := &w.Dev.ID
	duePtr := &due
	if _, err := st.UpdateTask(ctx, pm, w.TaskA.ID, w.TaskA.Version, models.TaskFields{
		Labels: &labels, DueDate: &duePtr, Kind: &kind, Priority: &prio, AssigneeID: &dev,
	}); err != nil {
		t.Fatal(err)
	}
	checkout := "Checkout on staging"
	staged, err := st.CreateTask(ctx, pm, store.NewTask{ProjectID: w.ProjectA.ID, Status: models.StatusApproval,
		Fields: models.TaskFields{Title: &checkout}, Move: models.MoveInput{StagingURL: "https://staging.acme.test/checkout", CheckNote: "Pay with the test card"}})
	if err != nil {
		t.Fatal(err)
	}
	deploy := models.Date{Time: time.Now().AddDate(0, 0, 9).UTC().Truncate(24 * time.Hour)}
	if _, _, err := st.ApproveTask(ctx, pm, staged.ID, store.Approval{Version: staged.Version, DeployOn: &deploy, Reason: "Approved by phone"}); err != nil {
		t.Fatal(err)
	}

	check := func(who string, a models.Actor, cards []models.Task) {
		t.Helper()
		if len(cards) < 6 {
			t.Fatalf("%s: %d cards, want the seeded ones", who, len(cards))
		}
		for _, c := range cards {
			one, err := st.Task(ctx, a, c.ID)
			if err != nil {
				t.Fatalf("%s: card %d: %v", who, c.ID, err)
			}
			one.Description = "" // the board leaves it out
			if !a.IsStaff() {
				one = one.ForClient()
			}
			got, _ := json.Marshal(c)
			want, _ := json.Marshal(one)
			if string(got) != string(want) {
				t.Errorf("%s: card %d on the board\n %s\nread on its own\n %s", who, c.ID, got, want)
			}
		}
	}
	for _, u := range []models.User{w.Manager, w.ClientA} {
		b, err := st.Board(ctx, u.Actor(), w.ProjectA.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(u.Email+" board", u.Actor(), b.Tasks)
	}
	head, err := st.TeamBoardHead(ctx, pm)
	if err != nil {
		t.Fatal(err)
	}
	team, err := st.TeamBoard(ctx, pm, head)
	if err != nil {
		t.Fatal(err)
	}
	check("team board", pm, team.Tasks)
	if team.Seqs[w.ProjectA.ID] == 0 || team.Seqs[w.ProjectB.ID] == 0 {
		t.Errorf("team board event numbers %v, want both projects' numbers", team.Seqs)
	}
}

// TestBoardChangesInOneRoundTrip: bringing a cached board forward by the
// cards its events touched is one round trip to the database (its
// transaction and three reads as one batch), and the delta holds the
// touched card as it is now.
func TestBoardChangesInOneRoundTrip(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	st, _, w := dbtest.Traced(t, dbtest.URL(t), log)
	ctx := context.Background()
	pm := w.Manager.Actor()
	_, since, err := st.BoardHead(ctx, pm, w.ProjectA.ID)
	if err != nil {
		t.Fatal(err)
	}
	title := "Renamed for the delta"
	if _, err := st.UpdateTask(ctx, pm, w.TaskA.ID, w.TaskA.Version, models.TaskFields{Title: &title}); err != nil {
		t.Fatal(err)
	}
	log.take()
	d, ok, err := st.BoardChanges(ctx, pm, w.ProjectA.ID, since, 200)
	if err != nil || !ok {
		t.Fatalf("changes: %v, ok %v", err, ok)
	}
	if d.Seq != since+1 || len(d.Touched) != 1 || d.Touched[0] != w.TaskA.ID || len(d.Cards) != 1 || d.Cards[0].Title != title {
		t.Fatalf("delta %+v, want card %d renamed at %d", d, w.TaskA.ID, since+1)
	}
	log.mu.Lock()
	sent, batches := log.sql, log.batches
	log.mu.Unlock()
	if len(batches) != 1 || len(sent) != len(batches[0]) {
		t.Fatalf("%d statements in %d batches, want all in one: %q", len(sent), len(batches), sent)
	}
	if _, ok, _ := st.BoardChanges(ctx, pm, w.ProjectA.ID, since-1, 1); ok {
		t.Fatal("two events behind with a limit of one: want the board read whole")
	}
}
