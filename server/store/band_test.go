package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// TestCardsStayInTheirBand reproduces the sinking critical card: drops
// next to a card of another band land at the nearest place inside the
// moved card's band, the snapshot lists each column band by band, and a
// card whose priority changes moves to its band.
func TestCardsStayInTheirBand(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	dev := w.Dev.Actor()
	add := func(name string, status models.Status, p models.Priority) models.Task {
		t.Helper()
		f := title(name)
		f.Priority = &p
		tk, err := st.CreateTask(ctx, dev, store.NewTask{ProjectID: w.ProjectA.ID, Status: status, Position: store.Position{End: true}, Fields: f})
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	move := func(tk models.Task, pos store.Position) {
		t.Helper()
		cur, err := st.Task(ctx, dev, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.MoveTask(ctx, dev, tk.ID, store.TaskMove{Version: cur.Version, Status: models.StatusInProgress, Position: pos, Move: anyColumn}); err != nil {
			t.Fatal(err)
		}
	}
	column := func() []string {
		t.Helper()
		b, err := st.Board(ctx, dev, w.ProjectA.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tk := range b.Tasks {
			if tk.Status == models.StatusInProgress {
				out = append(out, tk.Title)
			}
		}
		return out
	}
	expect := func(step string, want ...string) {
		t.Helper()
		if got := column(); !slices.Equal(got, want) {
			t.Errorf("%s: in progress is %q, want %q", step, got, want)
		}
	}

	// Normal cards first, so their keys sort before the critical one's.
	n1 := add("n1", models.StatusInProgress, models.PriorityNormal)
	add("n2", models.StatusInProgress, models.PriorityNormal)
	crit := add("crit", models.StatusInProgress, models.PriorityCritical)
	expect("snapshot", "crit", "n1", "n2")

	move(add("above crit", models.StatusSet, models.PriorityNormal), store.Position{Before: crit.ID})
	expect("dropped above a critical card", "crit", "above crit", "n1", "n2")

	move(add("after crit", models.StatusSet, models.PriorityNormal), store.Position{After: crit.ID})
	expect("dropped after a critical card", "crit", "after crit", "above crit", "n1", "n2")

	move(add("urgent", models.StatusSet, models.PriorityUrgent), store.Position{After: n1.ID})
	expect("urgent dropped among normal cards", "crit", "urgent", "after crit", "above crit", "n1", "n2")

	move(add("top", models.StatusSet, models.PriorityNormal), store.Position{})
	expect("placed at the top, as a change request is", "crit", "urgent", "top", "after crit", "above crit", "n1", "n2")

	crit2 := add("crit2", models.StatusSet, models.PriorityCritical)
	move(crit2, store.Position{End: true})
	expect("critical placed at the end", "crit", "crit2", "urgent", "top", "after crit", "above crit", "n1", "n2")

	move(crit2, store.Position{After: n1.ID})
	expect("critical dropped among normal cards", "crit", "crit2", "urgent", "top", "after crit", "above crit", "n1", "n2")

	// Within a band, the order is the user's.
	move(crit2, store.Position{Before: crit.ID})
	expect("critical reordered within its band", "crit2", "crit", "urgent", "top", "after crit", "above crit", "n1", "n2")

	cur, err := st.Task(ctx, dev, n1.ID)
	if err != nil {
		t.Fatal(err)
	}
	critical := models.PriorityCritical
	if _, err := st.UpdateTask(ctx, dev, n1.ID, cur.Version, models.TaskFields{Priority: &critical}); err != nil {
		t.Fatal(err)
	}
	// Its key, older than the other critical cards', places it in the band.
	expect("n1 made critical", "n1", "crit2", "crit", "urgent", "top", "after crit", "above crit", "n2")
}

// TestAMoveNextToACardThatIsNotThere: the neighbour a move names must be
// in the column it goes to, and not be the card itself; otherwise the move
// changes nothing and says why.
func TestAMoveNextToACardThatIsNotThere(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	dev := w.Dev.Actor()
	f := title("waiting in set")
	other, err := st.CreateTask(ctx, dev, store.NewTask{ProjectID: w.ProjectA.ID, Status: models.StatusSet, Fields: f})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		pos   store.Position
		field string // a validation error on it, or else a conflict
	}{
		{"after itself", store.Position{After: w.TaskA.ID}, "after_id"},
		{"before itself", store.Position{Before: w.TaskA.ID}, "before_id"},
		{"after a card of another column", store.Position{After: other.ID}, ""},
		{"before a card of another client's project", store.Position{Before: w.TaskB.ID}, ""},
		{"after no card", store.Position{After: 1 << 40}, ""},
	}
	for _, tc := range cases {
		_, err := st.MoveTask(ctx, dev, w.TaskA.ID, store.TaskMove{Version: w.TaskA.Version, Status: models.StatusInProgress, Position: tc.pos, Move: anyColumn})
		var verr *models.ValidationError
		var conflict *models.ConflictError
		switch {
		case tc.field != "":
			if !errors.As(err, &verr) || verr.Fields[tc.field].Code() != "rank_self" {
				t.Errorf("%s: got %v, want rank_self on %s", tc.name, err, tc.field)
			}
		case !errors.As(err, &conflict) || conflict.Reason.Code() != "neighbour_gone":
			t.Errorf("%s: got %v, want the conflict neighbour_gone", tc.name, err)
		}
	}
	after, err := st.Task(ctx, dev, w.TaskA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != w.TaskA.Version || after.Status != w.TaskA.Status || after.Rank != w.TaskA.Rank {
		t.Errorf("refused moves changed the card: %+v", after)
	}
}
