package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/doska/doska/models"
)

type scenario struct {
	name string
	run  func(ctx context.Context, e *benchEnv) ([]Result, error)
	soak bool // long: runs only when named with -only (make soak)
}

// The memory of idle connections is measured first, on a fresh server,
// before big snapshots have grown the heap.
var scenarios = []scenario{
	{"connections", connections, false},
	{"fanout", fanout, false},
	{"teamboard", teamBoard, false},
	{"board", boards, false},
	{"move", moves, false},
	{"move_floor", moveFloor, false},
	{"create", creates, false},
	{"comment", comments, false},
	{"timer", timers, false},
	{"report", reports, false},
	{"workshop", workshops, false},
	{"memory", memory, false},
	{"attach", attachments, false},
	{"sla", slaClocks, false},
	{"search", search, false},
	{"triage", triage, false},
	{"mail", mails, false},
	{"crash", crashes, true},
	{"backup", backups, true},
}

func (e *benchEnv) pick(quick, full int) int {
	if e.quick {
		return quick
	}
	return full
}

// get fetches a path as a browser would (gzip accepted) and returns the
// size on the wire.
func (e *benchEnv) get(path string, gz bool) (int, error) {
	req, _ := http.NewRequest("GET", e.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+e.token)
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	res, err := e.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if res.StatusCode != 200 {
		return int(n), fmt.Errorf("GET %s: %d", path, res.StatusCode)
	}
	return int(n), err
}

// teamBoard measures the team board of 50 people with 5,000 open cards.
// It runs first, before the big boards exist, so it shows exactly those.
func teamBoard(ctx context.Context, e *benchEnv) ([]Result, error) {
	projects, per := 10, e.pick(100, 500)
	for i := range projects {
		if _, _, err := e.project(ctx, fmt.Sprintf("Team project %d", i), per, 50); err != nil {
			return nil, err
		}
	}
	var out []Result
	raw, err := e.get("/api/team-board", false)
	if err != nil {
		return nil, err
	}
	gz, _ := e.get("/api/team-board", true)
	for _, conc := range []int{1, 8} {
		r := measure(ctx, conc, e.pick(20, 200), 20*time.Second, func(int, int) error {
			_, err := e.get("/api/team-board", true)
			return err
		})
		r.Scenario, r.Size, r.Bytes, r.GzipBytes = "teamboard", projects*per, raw, gz
		out = append(out, r)
	}
	return out, e.db.WithContext(ctx).Exec("UPDATE projects SET archived_at = now() WHERE name LIKE 'Team project %'").Error
}

// boards measures the board snapshot at 200, 2,000 and 20,000 cards.
func boards(ctx context.Context, e *benchEnv) ([]Result, error) {
	var out []Result
	for _, size := range []int{200, 2000, e.pick(5000, 20000)} {
		id, ids, err := e.project(ctx, fmt.Sprintf("Board %d", size), size, 5)
		if err != nil {
			return nil, err
		}
		path := fmt.Sprintf("/api/projects/%d/board", id)
		raw, err := e.get(path, false)
		if err != nil {
			return nil, err
		}
		gz, _ := e.get(path, true)
		for _, conc := range []int{1, 32} {
			total := e.pick(30, 300)
			if size > 5000 {
				total = 60
			}
			r := measure(ctx, conc, total, 20*time.Second, func(int, int) error {
				_, err := e.get(path, true)
				return err
			})
			r.Scenario, r.Variant, r.Size, r.Bytes, r.GzipBytes = "board", "unchanged", size, raw, gz
			out = append(out, r)
		}
		r, err := e.afterChanges(path, ids[0])
		if err != nil {
			return nil, err
		}
		r.Scenario, r.Variant, r.Size, r.Bytes, r.GzipBytes = "board", "after a change", size, raw, gz
		out = append(out, r)
	}
	// The same 200-card read, now among 200,000 other tasks with a comment
	// each: a read that scanned whole tables would cost in proportion.
	other, _, err := e.project(ctx, "Elsewhere", 1, 5)
	if err != nil {
		return nil, err
	}
	n := e.pick(20_000, 200_000)
	t0 := time.Now()
	if err := e.db.WithContext(ctx).Exec(`
WITH t AS (
	INSERT INTO tasks (project_id, title, status, rank, reporter_id)
	SELECT ?, 'Old task ' || i, (ARRAY['set','in_progress','awaiting_reply','done'])[1 + i % 4], 'b' || lpad(i::text, 7, '0'), ?
	FROM generate_series(1, ?) AS i
	RETURNING id
)
INSERT INTO comments (task_id, author_id, body) SELECT id, ?, 'Done.' FROM t`, other, e.manager.ID, n, e.manager.ID).Error; err != nil {
		return nil, err
	}
	if err := e.db.WithContext(ctx).Exec("ANALYZE tasks, comments").Error; err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "bench: %d other tasks with a comment each in %s\n", n, time.Since(t0).Round(time.Second))
	id, ids, err := e.project(ctx, "Board 200 among many", 200, 5)
	if err != nil {
		return nil, err
	}
	path := fmt.Sprintf("/api/projects/%d/board", id)
	if _, err := e.get(path, true); err != nil {
		return nil, err
	}
	r, err := e.afterChanges(path, ids[0])
	if err != nil {
		return nil, err
	}
	r.Scenario, r.Variant, r.Size, r.Note = "board", "after a change, large database", 200, fmt.Sprintf("among %d other tasks", n)
	return append(out, r), nil
}

// afterChanges times board reads that each follow a change to card id: a
// busy board changes between loads.
func (e *benchEnv) afterChanges(path string, id int64) (Result, error) {
	var card struct{ Version int64 }
	if _, err := e.call("GET", fmt.Sprintf("/api/tasks/%d", id), nil, &card); err != nil {
		return Result{}, err
	}
	var lat []time.Duration
	errs := 0
	for i := range e.pick(10, 30) {
		var t struct{ Version int64 }
		if _, err := e.call("PATCH", fmt.Sprintf("/api/tasks/%d", id), map[string]any{"version": card.Version, "title": fmt.Sprint("Changed ", i)}, &t); err != nil {
			return Result{}, err
		}
		card.Version = t.Version
		t0 := time.Now()
		if _, err := e.get(path, true); err != nil {
			errs++
			continue
		}
		lat = append(lat, time.Since(t0))
	}
	r := summarise(lat)
	r.Concurrency, r.Errors = 1, errs
	return r, nil
}

// mover drags one worker's own cards around a board, as a person would:
// the card's version is the one they last saw.
type mover struct {
	mu       sync.Mutex
	versions map[int64]int64
	status   map[int64]models.Status
	columns  []models.Status // where cards go
	keyed    bool            // each move with an Idempotency-Key
}

// newMover drags ids around the open columns: set, in progress, awaiting
// reply (with a question) and approval (with a staging link).
func newMover(ids []int64) *mover {
	return newMoverTo(ids, models.Statuses[:4])
}

func newMoverTo(ids []int64, columns []models.Status) *mover {
	m := &mover{versions: map[int64]int64{}, status: map[int64]models.Status{}, columns: columns}
	for _, id := range ids {
		m.versions[id], m.status[id] = 1, ""
	}
	return m
}

func (m *mover) move(e *benchEnv, r *rand.Rand, own []int64) error {
	id := own[r.IntN(len(own))]
	status := m.columns[r.IntN(len(m.columns))]
	body := map[string]any{"status": status, "question": "Which one?", "staging_url": "https://staging.bench.test/"}
	m.mu.Lock()
	body["version"] = m.versions[id]
	for _, other := range own { // drop it after another of our cards in that column, if any
		if other != id && m.status[other] == status && r.IntN(2) == 0 {
			body["after_id"] = other
			break
		}
	}
	m.mu.Unlock()
	var t models.Task
	var conflict struct {
		Current models.Task `json:"current"`
	}
	var header http.Header
	if m.keyed {
		header = http.Header{"Idempotency-Key": {fmt.Sprintf("%x", r.Uint64())}}
	}
	code, err := e.callWith("POST", fmt.Sprintf("/api/tasks/%d/move", id), header, body, &t)
	if code == 409 {
		// A neighbour moved meanwhile or our version is old: reload, as
		// the board would, and count it as a failed drag.
		_, _ = e.call("GET", fmt.Sprintf("/api/tasks/%d", id), nil, &conflict.Current)
		m.mu.Lock()
		m.versions[id], m.status[id] = conflict.Current.Version, conflict.Current.Status
		m.mu.Unlock()
		return fmt.Errorf("conflict")
	}
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.versions[id], m.status[id] = t.Version, t.Status
	m.mu.Unlock()
	return nil
}

func moves(ctx context.Context, e *benchEnv) ([]Result, error) {
	var out []Result
	_, ids, err := e.project(ctx, "Moves", 2000, 5)
	if err != nil {
		return nil, err
	}
	m := newMover(ids)
	for _, conc := range []int{1, 16} {
		own := split(ids[:conc*20], conc)
		r, err := e.counted(ctx, func() Result {
			return measure(ctx, conc, e.pick(200, 3000), 20*time.Second, func(w, i int) error {
				return m.move(e, rand.New(rand.NewPCG(uint64(w), uint64(i))), own[w])
			})
		})
		if err != nil {
			return nil, err
		}
		r.Scenario, r.Variant, r.Size = "move", "one board", 2000
		out = append(out, r)
	}
	// As the web app sends them: each with an idempotency key, which costs
	// a lookup before, an insert inside and the saved answer after.
	keyed := newMover(ids[400:720])
	keyed.keyed = true
	own := split(ids[400:720], 16)
	r := measure(ctx, 16, e.pick(200, 3000), 20*time.Second, func(w, i int) error {
		return keyed.move(e, rand.New(rand.NewPCG(uint64(w), uint64(i))), own[w])
	})
	r.Scenario, r.Variant, r.Size = "move", "one board, with keys", 2000
	out = append(out, r)
	// Sixteen people on sixteen boards: events of different projects do
	// not wait for each other's counter.
	var across []int64
	for b := range 16 {
		_, bids, err := e.project(ctx, fmt.Sprintf("Moves %d", b), 100, 5)
		if err != nil {
			return nil, err
		}
		across = append(across, bids[:20]...)
	}
	ma := newMover(across)
	own = make([][]int64, 16) // worker w drags the cards of board w
	for w := range own {
		own[w] = across[w*20 : (w+1)*20]
	}
	r = measure(ctx, 16, e.pick(200, 3000), 20*time.Second, func(w, i int) error {
		return ma.move(e, rand.New(rand.NewPCG(uint64(w), uint64(i))), own[w])
	})
	r.Scenario, r.Variant, r.Size = "move", "16 boards", 100
	return append(out, r), nil
}

func split(ids []int64, n int) [][]int64 {
	out := make([][]int64, n)
	for i, id := range ids {
		out[i%n] = append(out[i%n], id)
	}
	return out
}

func creates(ctx context.Context, e *benchEnv) ([]Result, error) {
	id, _, err := e.project(ctx, "Creates", 200, 5)
	if err != nil {
		return nil, err
	}
	r, err := e.counted(ctx, func() Result {
		return measure(ctx, 16, e.pick(200, 2000), 20*time.Second, func(w, i int) error {
			_, err := e.call("POST", fmt.Sprintf("/api/projects/%d/tasks", id), map[string]any{"title": fmt.Sprintf("New request %d", i)}, nil)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	r.Scenario, r.Size = "create", 200
	return []Result{r}, nil
}

func comments(ctx context.Context, e *benchEnv) ([]Result, error) {
	_, ids, err := e.project(ctx, "Comments", 200, 5)
	if err != nil {
		return nil, err
	}
	r, err := e.counted(ctx, func() Result {
		return measure(ctx, 16, e.pick(200, 2000), 20*time.Second, func(w, i int) error {
			_, err := e.call("POST", fmt.Sprintf("/api/tasks/%d/comments", ids[i%len(ids)]),
				map[string]any{"body": "Checked on staging: looks **good**, see #1."}, nil)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	r.Scenario, r.Size = "comment", 200
	return []Result{r}, nil
}

// timers measures starting and stopping timers: 16 developers at once,
// each starting theirs on a card of the project and stopping it in turn.
// Every start and stop also rings the person's sockets.
func timers(ctx context.Context, e *benchEnv) ([]Result, error) {
	const people = 16
	_, ids, err := e.project(ctx, "Timers", 200, people)
	if err != nil {
		return nil, err
	}
	as := make([]http.Header, people)
	for i := range as {
		tok, err := e.login(e.people[i].Email)
		if err != nil {
			return nil, err
		}
		as[i] = http.Header{"Authorization": {"Bearer " + tok}}
	}
	// Timed while the search indexer still takes the earlier scenarios'
	// cards and comments (and this project's), the slowest 1 % of clicks
	// measured its rounds (57 ms each) rather than the timer.
	if err := e.searchDrained(ctx); err != nil {
		return nil, err
	}
	done := make([]int, people) // per worker: its own slot, no sharing
	r, err := e.counted(ctx, func() Result {
		return measure(ctx, people, e.pick(400, 4000), 20*time.Second, func(w, _ int) error {
			n := done[w]
			done[w]++
			if n%2 == 1 {
				_, err := e.callWith("POST", "/api/timer/stop", as[w], map[string]any{}, nil)
				return err
			}
			_, err := e.callWith("POST", "/api/timer", as[w], map[string]any{"task_id": ids[(w+people*n)%len(ids)]}, nil)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	r.Scenario, r.Variant, r.Size = "timer", "start and stop, 16 people", len(ids)
	return []Result{r}, nil
}

// subscriber is one websocket following a board.
type subscriber struct {
	ws *websocket.Conn
}

func (e *benchEnv) subscribe(project, seq int64) (*subscriber, error) {
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(e.base, "http")+"/api/ws", nil)
	if err != nil {
		return nil, err
	}
	projects := map[string]int64{}
	if project != 0 {
		projects[fmt.Sprint(project)] = seq
	}
	if err := ws.WriteJSON(map[string]any{"type": "auth", "token": e.token, "projects": projects}); err != nil {
		ws.Close()
		return nil, err
	}
	want := "hello"
	if project != 0 {
		want = "subscribed"
	}
	for {
		ws.SetReadDeadline(time.Now().Add(30 * time.Second))
		var f struct{ Type string }
		if err := ws.ReadJSON(&f); err != nil {
			ws.Close()
			return nil, err
		}
		if f.Type == want {
			ws.SetReadDeadline(time.Time{})
			return &subscriber{ws: ws}, nil
		}
	}
}

// openMany opens n subscribers with 64 dialers at a time.
func (e *benchEnv) openMany(ctx context.Context, n int, project, seq int64) ([]*subscriber, error) {
	subs := make([]*subscriber, n)
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s, err := e.subscribe(project, seq)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			subs[i] = s
		}()
	}
	wg.Wait()
	if firstErr != nil {
		closeAll(subs)
		return nil, firstErr
	}
	return subs, nil
}

func closeAll(subs []*subscriber) {
	for _, s := range subs {
		if s != nil {
			s.ws.Close()
		}
	}
}

// fanout measures the time from sending a move to the last of K
// subscribers receiving its event.
func fanout(ctx context.Context, e *benchEnv) ([]Result, error) {
	var out []Result
	for _, k := range []int{100, e.pick(300, 1000)} {
		id, ids, err := e.project(ctx, fmt.Sprintf("Fanout %d", k), 50, 5)
		if err != nil {
			return nil, err
		}
		var board struct{ Seq int64 }
		if _, err := e.call("GET", fmt.Sprintf("/api/projects/%d/board", id), nil, &board); err != nil {
			return nil, err
		}
		subs, err := e.openMany(ctx, k, id, board.Seq)
		if err != nil {
			return nil, err
		}
		type receipt struct {
			seq int64
			at  time.Time
		}
		got := make(chan receipt, k*4)
		for _, s := range subs {
			go func() {
				for {
					var f struct {
						Type  string
						Event struct{ Seq int64 }
					}
					if err := s.ws.ReadJSON(&f); err != nil {
						return
					}
					if f.Type == "event" {
						got <- receipt{f.Event.Seq, time.Now()}
					}
				}
			}()
		}
		// Moves between columns that add no comment: one event each.
		m := newMoverTo(ids, []models.Status{models.StatusSet, models.StatusInProgress, models.StatusApproval})
		r := rand.New(rand.NewPCG(1, uint64(k)))
		var lat []time.Duration
		errs := 0
		for range e.pick(20, 100) {
			t0 := time.Now()
			if err := m.move(e, r, ids); err != nil {
				errs++
				continue
			}
			seen, last := map[int64]int{}, time.Time{}
			timeout := time.After(10 * time.Second)
		wait:
			for {
				select {
				case rc := <-got:
					seen[rc.seq]++
					if rc.at.After(last) {
						last = rc.at
					}
					if complete(seen, k) {
						break wait
					}
				case <-timeout:
					errs++
					break wait
				}
			}
			lat = append(lat, last.Sub(t0))
		}
		closeAll(subs)
		res := summarise(lat)
		res.Scenario, res.Size, res.Concurrency, res.Errors, res.Conns = "fanout", 50, 1, errs, k
		res.Variant = fmt.Sprintf("%d subscribers", k)
		out = append(out, res)
	}
	return out, nil
}

// complete reports whether every event of a move reached all k sockets.
func complete(seen map[int64]int, k int) bool {
	for _, n := range seen {
		if n < k {
			return false
		}
	}
	return len(seen) > 0
}

// connections measures the server's memory for many idle sockets, each
// authenticated and following one board.
func connections(ctx context.Context, e *benchEnv) ([]Result, error) {
	n := e.pick(1000, 10000)
	id, _, err := e.project(ctx, "Idle", 20, 5)
	if err != nil {
		return nil, err
	}
	var board struct{ Seq int64 }
	if _, err := e.call("GET", fmt.Sprintf("/api/projects/%d/board", id), nil, &board); err != nil {
		return nil, err
	}
	time.Sleep(time.Second)
	before, err := e.rssMB()
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	subs, err := e.openMany(ctx, n, id, board.Seq)
	if err != nil {
		return nil, err
	}
	opened := time.Since(t0)
	time.Sleep(3 * time.Second)
	after, err := e.rssMB()
	closeAll(subs)
	if err != nil {
		return nil, err
	}
	return []Result{{Scenario: "connections", Size: 20, Concurrency: 64, Requests: n, Conns: n, RSSMB: after,
		KBPerConn: (after - before) * 1024 / float64(n), RPS: float64(n) / opened.Seconds(),
		Note: fmt.Sprintf("RSS before %.0f MB", before)}}, nil
}

// memory keeps the server busy with moves and board reads for a minute,
// lets it idle, then reads its resident memory: snapshots of boards that
// changed must not pile up.
func memory(ctx context.Context, e *benchEnv) ([]Result, error) {
	before, err := e.rssMB()
	if err != nil {
		return nil, err
	}
	id, ids, err := e.project(ctx, "Memory", 2000, 5)
	if err != nil {
		return nil, err
	}
	path := fmt.Sprintf("/api/projects/%d/board", id)
	m := newMover(ids)
	own := split(ids[:16*20], 16)
	peak := before
	sampled := make(chan struct{})
	stop := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			select {
			case <-stop:
				return
			case <-time.After(500 * time.Millisecond):
				if mb, err := e.rssMB(); err == nil {
					peak = max(peak, mb)
				}
			}
		}
	}()
	load, idle := e.pick(5, 60), e.pick(3, 30)
	r := measure(ctx, 16, 1<<30, time.Duration(load)*time.Second, func(w, i int) error {
		if w%4 == 0 { // a quarter of the workers reload the board
			_, err := e.get(path, true)
			return err
		}
		return m.move(e, rand.New(rand.NewPCG(uint64(w), uint64(i))), own[w])
	})
	close(stop)
	<-sampled
	time.Sleep(time.Duration(idle) * time.Second)
	if r.RSSMB, err = e.rssMB(); err != nil {
		return nil, err
	}
	r.Scenario, r.Size = "memory", 2000
	r.Note = fmt.Sprintf("%.0f MB before, peak %.0f MB; %d s of moves and board reads at c=16, then %d s idle", before, peak, load, idle)
	return []Result{r}, nil
}
