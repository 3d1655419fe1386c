package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/store"
)

// TestCommandInputRules checks that every command validates its input
// itself, at its boundary, before its transaction: a caller other than the
// HTTP handlers (a test, the demo seed, a future job) gets the same answer,
// a validation error naming the field, and nothing changes.
func TestCommandInputRules(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	dev, client := w.Dev.Actor(), w.ClientA.Actor()
	nobody := (*int64)(nil)
	cases := []struct {
		name  string
		field string
		run   func() error
	}{
		{"move without version", "version", func() error {
			_, err := st.MoveTask(ctx, dev, w.TaskA.ID, store.TaskMove{Status: models.StatusInProgress})
			return err
		}},
		{"move to no column", "status", func() error {
			_, err := st.MoveTask(ctx, dev, w.TaskA.ID, store.TaskMove{Version: w.TaskA.Version, Status: "doing"})
			return err
		}},
		{"update without version", "version", func() error {
			_, err := st.UpdateTask(ctx, dev, w.TaskA.ID, 0, title("renamed"))
			return err
		}},
		{"client sets a staff field", "assignee_id", func() error {
			_, err := st.UpdateTask(ctx, client, w.TaskA.ID, w.TaskA.Version, models.TaskFields{AssigneeID: &nobody})
			return err
		}},
		{"archive without version", "version", func() error {
			_, err := st.ArchiveTask(ctx, dev, w.TaskA.ID, 0)
			return err
		}},
		{"restore without version", "version", func() error {
			_, err := st.RestoreTask(ctx, dev, w.ArchivedA.ID, 0)
			return err
		}},
		{"deploy without version", "version", func() error {
			_, err := st.MarkDeployed(ctx, dev, w.ApprovedA.ID, 0)
			return err
		}},
		{"unplan without version", "version", func() error {
			_, err := st.UnplanTask(ctx, w.Manager.Actor(), w.PlannedA.ID, 0)
			return err
		}},
	}
	before, err := st.Seqs(ctx, w.Admin.Actor())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		err := tc.run()
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Fields[tc.field].Code() == "" {
			t.Errorf("%s: got %v, want a validation error on %q", tc.name, err, tc.field)
		}
	}
	after, err := st.Seqs(ctx, w.Admin.Actor())
	if err != nil {
		t.Fatal(err)
	}
	for p, n := range before {
		if after[p] != n {
			t.Errorf("project %d: events %d → %d; refused commands must change nothing", p, n, after[p])
		}
	}
}

// TestEventsTravelWithTheCommit: a command's event statement, which locks
// its project's counter until the commit, is sent in one round trip with
// the COMMIT, so the lock is never held while an answer travels to the
// server and the COMMIT back: on a busy board every other command waited
// for that trip.
func TestEventsTravelWithTheCommit(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	st, _, w := dbtest.Traced(t, dbtest.URL(t), log)
	ctx := context.Background()
	log.take()
	if _, err := st.MoveTask(ctx, w.Dev.Actor(), w.TaskA.ID, store.TaskMove{Version: w.TaskA.Version,
		Status: models.StatusInProgress}); err != nil {
		t.Fatal(err)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	if len(log.batches) != 1 {
		t.Fatalf("%d batches, want 1 (the event and the commit): %q", len(log.batches), log.batches)
	}
	b := log.batches[0]
	if len(b) != 2 || !strings.Contains(b[0], "insert into events") || b[1] != "commit" {
		t.Fatalf("batch %q, want the event's statement then the commit", b)
	}
}
