package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"testing"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// TestBoardKeptCurrentByEvents runs 1,000 random commands (moves, edits,
// comments, archive and restore, approvals) and after each compares the
// board the server answers, kept current by applying events to its cached
// snapshot, with the board read whole from the database: byte for byte,
// for staff and for the client, compressed or not, from two instances that
// each keep their own snapshots.
func TestBoardKeptCurrentByEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	w := e.w
	pm, client := w.Manager.Actor(), w.ClientA.Actor()
	ids := []int64{w.TaskA.ID, w.WaitingA.ID, w.ApprovalA.ID, w.ApprovedA.ID, w.PlannedA.ID, w.ArchivedA.ID}
	for i := range 14 {
		title := fmt.Sprintf("Card %d", i)
		c, err := e.store.CreateTask(ctx, pm, store.NewTask{ProjectID: w.ProjectA.ID, Fields: models.TaskFields{Title: &title}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	r := rand.New(rand.NewPCG(1, 2))
	current := func(id int64) models.Task {
		tk, err := e.store.Task(ctx, pm, id)
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	commands := []func(tk models.Task) error{
		func(tk models.Task) error { // a move, anywhere
			to := models.Statuses[r.IntN(len(models.Statuses))]
			pos := store.Position{End: r.IntN(2) == 0}
			if other := ids[r.IntN(len(ids))]; r.IntN(3) == 0 && other != tk.ID {
				pos = store.Position{After: other}
			}
			_, err := e.store.MoveTask(ctx, pm, tk.ID, store.TaskMove{Version: tk.Version, Status: to, Position: pos,
				Move: models.MoveInput{Question: "Which colour?", StagingURL: "https://staging.acme.test/"}})
			return err
		},
		func(tk models.Task) error { // an edit
			title, prio := fmt.Sprintf("Renamed %d", r.IntN(1000)), models.Priorities[r.IntN(len(models.Priorities))]
			_, err := e.store.UpdateTask(ctx, pm, tk.ID, tk.Version, models.TaskFields{Title: &title, Priority: &prio})
			return err
		},
		func(tk models.Task) error { // a comment, internal or not
			_, err := e.store.AddComment(ctx, pm, tk.ID, store.NewComment{Body: "Noted.", Internal: r.IntN(2) == 0})
			return err
		},
		func(tk models.Task) error { // the client's answer or comment
			_, err := e.store.AddComment(ctx, client, tk.ID, store.NewComment{Body: "Blue, please."})
			return err
		},
		func(tk models.Task) error {
			if tk.ArchivedAt != nil {
				_, err := e.store.RestoreTask(ctx, pm, tk.ID, tk.Version)
				return err
			}
			_, err := e.store.ArchiveTask(ctx, pm, tk.ID, tk.Version)
			return err
		},
		func(tk models.Task) error { // the client's verdict on staging
			if r.IntN(2) == 0 {
				_, _, err := e.store.ApproveTask(ctx, client, tk.ID, store.Approval{Version: tk.Version})
				return err
			}
			_, err := e.store.RequestChanges(ctx, client, tk.ID, tk.Version, "The button is still grey.")
			return err
		},
	}
	_, second := e.instance()
	servers := []*httptest.Server{e.srv, second}
	applied := 0
	for i := range 1000 {
		tk := current(ids[r.IntN(len(ids))])
		if err := commands[r.IntN(len(commands))](tk); err == nil {
			applied++
		}
		// e.do asks e.srv: point it at each instance in turn.
		e.srv = servers[r.IntN(2)]
		for _, u := range []models.User{w.Manager, w.ClientA} {
			got, _ := e.boardJSON(u, map[string]string{"Accept-Encoding": []string{"gzip", "identity"}[r.IntN(2)]})
			b, err := e.store.Board(ctx, u.Actor(), w.ProjectA.ID)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(b)
			if string(got) != string(want) {
				t.Fatalf("after command %d, the %s board differs from one read whole:\n got %s\nwant %s", i, u.Role, got, want)
			}
		}
	}
	// Far behind, a snapshot is read whole again rather than brought forward.
	for range 250 {
		if _, err := e.store.AddComment(ctx, pm, w.TaskA.ID, store.NewComment{Body: "Still on it."}); err != nil {
			t.Fatal(err)
		}
	}
	for _, srv := range servers {
		e.srv = srv
		got, _ := e.boardJSON(w.ClientA, nil)
		b, _ := e.store.Board(ctx, client, w.ProjectA.ID)
		if want, _ := json.Marshal(b); string(got) != string(want) {
			t.Fatalf("250 events behind, the client's board differs from one read whole:\n got %s\nwant %s", got, want)
		}
	}
	// Most random commands are refused by the flow (a client approving a card
	// not in approval); enough must pass for the test to mean something.
	t.Logf("%d of 1,000 commands applied", applied)
	if applied < 400 {
		t.Errorf("only %d of 1,000 commands applied", applied)
	}
}
