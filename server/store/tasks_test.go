package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func newStore(t *testing.T) (*store.Store, dbtest.World) {
	t.Helper()
	st := store.New(dbtest.New(t), time.Now)
	return st, dbtest.Seed(t, st)
}

func title(s string) models.TaskFields { return models.TaskFields{Title: &s} }

// anyColumn carries what every column may ask for, so a move can go anywhere.
var anyColumn = models.MoveInput{Question: "Which colour?", StagingURL: "https://staging.acme.test/"}

// TestConcurrentMoves has 16 people drag the same 20 cards around one board
// at once. Every card must end up exactly once, ranks strictly ordered per
// column, versions equal to 1 + the moves accepted, and the events numbered
// without gaps, one per accepted change.
func TestConcurrentMoves(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	dev := w.Dev.Actor()
	var ids []int64
	for i := range 20 {
		tk, err := st.CreateTask(ctx, dev, store.NewTask{ProjectID: w.ProjectA.ID, Fields: title(fmt.Sprintf("card %d", i))})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tk.ID)
	}
	workers, moves := 16, 500
	if testing.Short() {
		moves = 100
	}
	var accepted, conflicts atomic.Int64
	var wg sync.WaitGroup
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 7))
			for range moves {
				id := ids[r.IntN(len(ids))]
				cur, err := st.Task(ctx, dev, id)
				if err != nil {
					t.Error(err)
					return
				}
				// Drop it next to another card, in that card's column, as a
				// drag would; sometimes onto the top of a column instead.
				status := models.Statuses[r.IntN(len(models.Statuses))]
				pos := store.Position{}
				if other := ids[r.IntN(len(ids))]; other != id && r.IntN(4) > 0 {
					nb, err := st.Task(ctx, dev, other)
					if err != nil {
						t.Error(err)
						return
					}
					status = nb.Status
					if r.IntN(2) == 0 {
						pos.After = other
					} else {
						pos.Before = other
					}
				}
				_, err = st.MoveTask(ctx, dev, id, store.TaskMove{Version: cur.Version, Status: status, Position: pos, Move: anyColumn})
				var conflict *models.ConflictError
				switch {
				case err == nil:
					accepted.Add(1)
				case errors.As(err, &conflict):
					conflicts.Add(1) // stale version or a neighbour that moved: the UI reloads
				default:
					t.Errorf("move: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d moves accepted, %d conflicts", accepted.Load(), conflicts.Load())
	if accepted.Load() < int64(workers*moves/2) {
		t.Errorf("only %d of %d moves accepted", accepted.Load(), workers*moves)
	}
	b, err := st.Board(ctx, dev, w.ProjectA.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	var versions int64
	byStatus := map[models.Status][]string{}
	for _, tk := range b.Tasks {
		if seen[tk.ID] {
			t.Errorf("card %d twice on the board", tk.ID)
		}
		seen[tk.ID] = true
		byStatus[tk.Status] = append(byStatus[tk.Status], tk.Rank)
		if slices.Contains(ids, tk.ID) {
			versions += tk.Version - 1
		}
	}
	for _, id := range ids {
		if !seen[id] {
			t.Errorf("card %d lost", id)
		}
	}
	for s, ranks := range byStatus {
		for i := 1; i < len(ranks); i++ {
			if ranks[i] <= ranks[i-1] {
				t.Errorf("column %s: rank %q not after %q", s, ranks[i], ranks[i-1])
			}
		}
	}
	if versions != accepted.Load() {
		t.Errorf("versions moved by %d, accepted moves %d", versions, accepted.Load())
	}
	var count, maxSeq, moved int64
	if err := st.DB().Raw("SELECT count(*), max(seq), count(*) FILTER (WHERE kind = 'task.moved') FROM events WHERE project_id = ?", w.ProjectA.ID).Row().Scan(&count, &maxSeq, &moved); err != nil {
		t.Fatal(err)
	}
	if count != maxSeq || count != b.Seq {
		t.Errorf("events: %d rows, max seq %d, board seq %d: numbering has gaps", count, maxSeq, b.Seq)
	}
	if moved != accepted.Load() {
		t.Errorf("%d move events for %d accepted moves", moved, accepted.Load())
	}
}

// TestSameSpotInsertsRespace drops hundreds of cards at one spot: keys
// would grow without bound, so the column is respaced, order kept.
func TestSameSpotInsertsRespace(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	dev := w.Dev.Actor()
	first, err := st.CreateTask(ctx, dev, store.NewTask{ProjectID: w.ProjectA.ID, Status: models.StatusDone, Fields: title("first")})
	if err != nil {
		t.Fatal(err)
	}
	last, _ := st.CreateTask(ctx, dev, store.NewTask{ProjectID: w.ProjectA.ID, Status: models.StatusDone, Position: store.Position{After: first.ID}, Fields: title("last")})
	want := []int64{first.ID}
	var newest []int64
	for i := range 400 {
		tk, err := st.CreateTask(ctx, dev, store.NewTask{ProjectID: w.ProjectA.ID, Status: models.StatusDone,
			Position: store.Position{After: first.ID}, Fields: title(fmt.Sprint("n", i))})
		if err != nil {
			t.Fatalf("insert %d: %v", i, err)
		}
		newest = append([]int64{tk.ID}, newest...)
	}
	want = append(append(want, newest...), last.ID)
	b, err := st.Board(ctx, dev, w.ProjectA.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	longest := 0
	for _, tk := range b.Tasks {
		if tk.Status == models.StatusDone {
			got = append(got, tk.ID)
			longest = max(longest, len(tk.Rank))
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("order after 400 inserts at one spot is wrong")
	}
	if longest > models.RankMaxLen {
		t.Errorf("longest rank %d characters, want at most %d", longest, models.RankMaxLen)
	}
	var respaced int
	if err := st.DB().Raw("SELECT count(*) FROM events WHERE kind = 'column.respaced'").Row().Scan(&respaced); err != nil {
		t.Fatal(err)
	}
	if respaced == 0 {
		t.Error("no respace happened")
	}
	t.Logf("longest rank %d, %d respaces", longest, respaced)
}

func TestStaleVersionConflicts(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	tk := w.TaskA
	newTitle := "First edit"
	if _, err := st.UpdateTask(ctx, w.Dev.Actor(), tk.ID, tk.Version, title(newTitle)); err != nil {
		t.Fatal(err)
	}
	_, err := st.UpdateTask(ctx, w.Manager.Actor(), tk.ID, tk.Version, title("Second edit"))
	var conflict *models.ConflictError
	if !errors.As(err, &conflict) || conflict.Reason.Code() != "task_stale" {
		t.Fatalf("stale version: %v, want a conflict", err)
	}
	if cur, ok := conflict.Current.(models.Task); !ok || cur.Title != newTitle || cur.Version != tk.Version+1 {
		t.Errorf("conflict carries %+v, want the card with the first edit", conflict.Current)
	}
}
