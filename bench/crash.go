package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/doska/doska/models"
)

// crashes checks crash safety (docs/ARCHITECTURE.md#idempotency): writers
// move cards, create cards and comment, each command with an idempotency
// key, while the server is killed with SIGKILL every few seconds and started again. A writer
// that gets no answer sends the same command again with the same key
// until it gets one. Afterwards every command must have been carried out
// exactly once, and the invariants of the board must hold.
func crashes(ctx context.Context, e *benchEnv) ([]Result, error) {
	const workers = 8
	rounds, every := e.pick(2, 5), time.Duration(e.pick(5, 20))*time.Second
	project, ids, err := e.project(ctx, "Crashes", workers*10, 5)
	if err != nil {
		return nil, err
	}
	w := newKeyedWriters(e, project, ids)
	started := time.Now()
	stop := w.start(workers)
	var restarts []time.Duration
	for range rounds {
		select {
		case <-ctx.Done():
		case <-time.After(every):
		}
		if ctx.Err() != nil {
			break
		}
		t0 := time.Now()
		if err := restart(ctx, e); err != nil {
			stop()
			return nil, err
		}
		restarts = append(restarts, time.Since(t0))
	}
	time.Sleep(2 * time.Second) // writers go on against the last server
	stop()
	elapsed := time.Since(started)

	broken, err := w.check(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range broken {
		fmt.Printf("bench: crash: %s\n", b)
	}
	r := summarise(restarts)
	r.Scenario, r.Variant, r.Size, r.Concurrency = "crash", fmt.Sprintf("kill -9 every %v", every), len(restarts), workers
	r.Requests = int(w.commands.Load())
	r.RPS = float64(w.commands.Load()) / elapsed.Seconds()
	r.Errors = len(broken) + int(w.gaveUp.Load()+w.refused.Load())
	r.Note = fmt.Sprintf("restart to ready p50/max above; %d resends, %d answers lost with the server, %d refused, %d given up, %d broken invariants",
		w.resends.Load(), w.lost.Load(), w.refused.Load(), w.gaveUp.Load(), len(broken))
	return []Result{r}, nil
}

// restart kills the server with SIGKILL and starts it again.
func restart(ctx context.Context, e *benchEnv) error {
	if err := e.server.Process.Kill(); err != nil {
		return err
	}
	_ = e.server.Wait() // "signal: killed", as intended
	if err := e.launch(); err != nil {
		return err
	}
	return e.waitReady(ctx)
}

// keyedWriters move, create and comment on a project's cards, each command
// with an idempotency key, and keep what they were told, to check it
// against the database afterwards.
type keyedWriters struct {
	e       *benchEnv
	project int64
	own     []int64 // the cards they move and comment on

	mu       sync.Mutex
	versions map[int64]int64 // each card's version as last seen
	moves    int             // moves carried out, answered or not
	titles   []string        // cards asked for
	bodies   []string        // comments asked for

	commands, resends, lost, refused, gaveUp atomic.Int64
}

func newKeyedWriters(e *benchEnv, project int64, ids []int64) *keyedWriters {
	w := &keyedWriters{e: e, project: project, versions: map[int64]int64{}, own: ids}
	for _, id := range ids {
		w.versions[id] = 1
	}
	return w
}

// start runs the writers, each on its own cards, until the returned
// function is called; it returns once they all stopped.
func (w *keyedWriters) start(workers int) (stop func()) {
	own := split(w.own, workers)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for n := range workers {
		wg.Go(func() {
			// Keys are drawn from r: seeded by the project too, so that
			// writers of another run never reuse this one's keys.
			r := rand.New(rand.NewPCG(uint64(n), uint64(w.project)))
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				w.step(r, n, i, own[n])
			}
		})
	}
	return func() {
		close(done)
		wg.Wait()
	}
}

func (w *keyedWriters) step(r *rand.Rand, worker, i int, own []int64) {
	switch r.IntN(4) {
	case 0:
		title := fmt.Sprintf("Crash test card %d-%d", worker, i)
		w.mu.Lock()
		w.titles = append(w.titles, title)
		w.mu.Unlock()
		w.send(r, fmt.Sprintf("/api/projects/%d/tasks", w.project), map[string]any{"title": title}, nil)
	case 1:
		body := fmt.Sprintf("Crash test comment %d-%d", worker, i)
		w.mu.Lock()
		w.bodies = append(w.bodies, body)
		w.mu.Unlock()
		w.send(r, fmt.Sprintf("/api/tasks/%d/comments", own[r.IntN(len(own))]), map[string]any{"body": body}, nil)
	default:
		id := own[r.IntN(len(own))]
		w.mu.Lock()
		version := w.versions[id]
		w.mu.Unlock()
		status := []models.Status{models.StatusSet, models.StatusInProgress, models.StatusDone}[r.IntN(3)]
		var t models.Task
		code := w.send(r, fmt.Sprintf("/api/tasks/%d/move", id), map[string]any{"version": version, "status": status}, &t)
		if code == http.StatusConflict {
			// Either the answer went down with the server, or the card was
			// not where this writer thought: its version tells which.
			if _, err := w.e.call("GET", fmt.Sprintf("/api/tasks/%d", id), nil, &t); err != nil {
				return
			}
		}
		if t.ID == 0 {
			return
		}
		w.mu.Lock()
		if t.Version > version {
			w.moves++
		}
		w.versions[id] = t.Version
		w.mu.Unlock()
	}
}

// send posts a command with a fresh key, and again with the same key
// while there is no answer (the server is down or starting), for up to a
// minute. It returns the final status, 0 if it gave up.
func (w *keyedWriters) send(r *rand.Rand, path string, body, into any) int {
	w.commands.Add(1)
	header := http.Header{"Idempotency-Key": {fmt.Sprintf("%016x%016x", r.Uint64(), r.Uint64())}}
	deadline := time.Now().Add(time.Minute)
	for {
		code, _ := w.e.callWith("POST", path, header, body, into)
		switch {
		case code == http.StatusConflict:
			w.lost.Add(1)
			return code
		case code >= 400 && code < 500:
			w.refused.Add(1)
			return code
		case code > 0 && code < 500:
			return code
		case time.Now().After(deadline):
			w.gaveUp.Add(1)
			return 0
		}
		w.resends.Add(1)
		time.Sleep(100 * time.Millisecond)
	}
}

// check compares the database with what the writers did: every card and
// comment asked for exists once (none lost, none made twice by a resend),
// every move carried out is one version and one event (none answered and
// then lost with the server), and event numbers have no gaps. It returns
// what does not hold. (Unique ranks and the like are the schema's own
// constraints, so they are not checked again here.)
func (w *keyedWriters) check(ctx context.Context) ([]string, error) {
	db := w.e.db.WithContext(ctx)
	var broken []string
	count := func(what string, query string, args ...any) (int64, error) {
		var n int64
		err := db.Raw(query, args...).Row().Scan(&n)
		if err != nil {
			return 0, fmt.Errorf("crash check %s: %w", what, err)
		}
		return n, nil
	}
	for _, title := range w.titles {
		n, err := count("card", "SELECT count(*) FROM tasks WHERE project_id = ? AND title = ?", w.project, title)
		if err != nil {
			return nil, err
		}
		if n != 1 {
			broken = append(broken, fmt.Sprintf("card %q exists %d times", title, n))
		}
	}
	for _, body := range w.bodies {
		n, err := count("comment", "SELECT count(*) FROM comments WHERE body = ?", body)
		if err != nil {
			return nil, err
		}
		if n != 1 {
			broken = append(broken, fmt.Sprintf("comment %q exists %d times", body, n))
		}
	}
	checks := []struct {
		what  string
		want  int64
		query string
	}{
		{"versions moved", int64(w.moves), "SELECT coalesce(sum(version - 1), 0) FROM tasks WHERE project_id = ?"},
		{"move events", int64(w.moves), "SELECT count(*) FROM events WHERE project_id = ? AND kind = 'task.moved'"},
		{"gaps in event numbers", 0, "SELECT max(seq) - count(*) FROM events WHERE project_id = ?"},
	}
	for _, c := range checks {
		n, err := count(c.what, c.query, w.project)
		if err != nil {
			return nil, err
		}
		if n != c.want {
			broken = append(broken, fmt.Sprintf("%s: %d, want %d", c.what, n, c.want))
		}
	}
	return broken, nil
}
