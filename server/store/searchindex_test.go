package store_test

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/store"
)

// silentListener hears every channel and does nothing with it; a test sets
// the callbacks it watches.
func silentListener(dsn string) *store.Listener {
	nothing := func(int64) {}
	return &store.Listener{DSN: dsn, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Event: func(int64, int64) {}, User: nothing, Notification: nothing, Sprint: func(string) {}, Projects: nothing,
		Workshop: func(int64, int64) {}, Connected: func() {}, Time: nothing, Balance: nothing, Search: func() {}}
}

// listen runs l until the test ends, once it is connected.
func listen(t *testing.T, l *store.Listener) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { _ = l.Run(ctx); close(stopped) }()
	t.Cleanup(func() { cancel(); <-stopped })
	for deadline := time.Now().Add(10 * time.Second); !l.Healthy(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("listener did not connect")
		}
	}
}

// queued counts what waits for the indexer.
func queued(t *testing.T, st *store.Store) int {
	t.Helper()
	var n int
	if err := st.DB().Raw("SELECT count(*) FROM search_queue").Row().Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// indexAll drains the queue as the server's indexer does.
func indexAll(t *testing.T, st *store.Store) int {
	t.Helper()
	n, err := st.IndexSearch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// searchNow searches without indexing first: what a reader gets between a
// write and the indexer's next round.
func searchNow(t *testing.T, st *store.Store, a models.Actor, q string) store.SearchPage {
	t.Helper()
	query, err := models.ParseSearch(q)
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.Search(context.Background(), a, store.SearchFilter{Query: query, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	return page
}

// TestSearchQueue: a write only queues its text, in its own transaction;
// the indexer makes it findable and empties the queue. An agenda's items,
// written by one statement, are one batch.
func TestSearchQueue(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	indexAll(t, st)
	if _, err := st.CreateTask(ctx, w.Admin.Actor(), store.NewTask{ProjectID: w.ProjectA.ID, Fields: title("Quokka migration")}); err != nil {
		t.Fatal(err)
	}
	if n := queued(t, st); n != 1 {
		t.Errorf("queued after one create: %d, want 1", n)
	}
	if p := searchNow(t, st, w.Manager.Actor(), "quokka"); len(p.Items) != 0 {
		t.Errorf("found before indexing: %v (the write indexed its text itself)", hits(p))
	}
	if n := indexAll(t, st); n != 1 {
		t.Errorf("indexed %d changes, want 1", n)
	}
	if p := searchNow(t, st, w.Manager.Actor(), "quokka"); len(p.Items) != 1 || queued(t, st) != 0 {
		t.Errorf("after indexing: %v, %d still queued", hits(p), queued(t, st))
	}

	// A statement inserting many rows queues them all; a batch takes them.
	ws := newWorkshop(t, st, w.Manager.Actor(), w.A.ID)
	indexAll(t, st)
	if err := st.DB().Exec(`INSERT INTO workshop_items (workshop_id, position, source, title)
		SELECT ?, 100 + g, 'free', 'Wombat point ' || g FROM generate_series(1, 75) g`, ws.ID).Error; err != nil {
		t.Fatal(err)
	}
	if n := queued(t, st); n != 75 {
		t.Errorf("queued after 75 items in one statement: %d, want 75", n)
	}
	indexAll(t, st)
	if p := searchNow(t, st, w.Manager.Actor(), "wombat"); p.Total != 75 {
		t.Errorf("agenda items found: %d, want 75", p.Total)
	}
}

// TestSearchHiddenBeforeIndexing: whatever narrows who may see a text
// takes effect in the writing transaction, not when the indexer comes by.
// Between the write and the indexer, Acme's client must not find a comment
// turned internal, a deleted comment or an agenda item turned internal,
// not even as a count.
func TestSearchHiddenBeforeIndexing(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	card, err := st.CreateTask(ctx, pm, store.NewTask{ProjectID: w.ProjectA.ID, Fields: title("Invoice layout")})
	if err != nil {
		t.Fatal(err)
	}
	flipped, err := st.AddComment(ctx, w.Dev.Actor(), card.ID, store.NewComment{Body: "Ocelot discount for the launch"})
	if err != nil {
		t.Fatal(err)
	}
	deleted, err := st.AddComment(ctx, w.Dev.Actor(), card.ID, store.NewComment{Body: "Pangolin password is hunter2"})
	if err != nil {
		t.Fatal(err)
	}
	ws := newWorkshop(t, st, pm, w.A.ID)
	ws, err = st.UpdateWorkshop(ctx, pm, ws.ID, store.WorkshopPatch{Version: ws.Version,
		Items: &[]store.ItemInput{{Title: "Marmoset pricing"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []models.WorkshopState{models.WorkshopHeld, models.WorkshopPublished} {
		if ws, err = st.UpdateWorkshop(ctx, pm, ws.ID, store.WorkshopPatch{Version: ws.Version, State: &s}); err != nil {
			t.Fatal(err)
		}
	}
	indexAll(t, st)
	client := w.ClientA.Actor()
	for _, q := range []string{"ocelot", "pangolin", "marmoset"} {
		if p := searchNow(t, st, client, q); p.Total != 1 {
			t.Fatalf("before the change, Acme's client finds %q %d times, want 1", q, p.Total)
		}
	}

	if err := st.DB().Exec("UPDATE comments SET internal = true WHERE id = ?", flipped.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteComment(ctx, w.Dev.Actor(), deleted.ID); err != nil {
		t.Fatal(err)
	}
	item := ws.Items[len(ws.Items)-1]
	items := make([]store.ItemInput, len(ws.Items))
	for i, it := range ws.Items {
		items[i] = store.ItemInput{ID: it.ID, Title: it.Title, Notes: it.Notes, Decision: it.Decision, Internal: it.ID == item.ID || it.Internal}
	}
	if _, err = st.UpdateWorkshop(ctx, pm, ws.ID, store.WorkshopPatch{Version: ws.Version, Items: &items}); err != nil {
		t.Fatal(err)
	}
	if queued(t, st) == 0 {
		t.Fatal("nothing queued: the indexer would never rebuild these rows")
	}
	for _, q := range []string{"ocelot", "pangolin", "marmoset"} {
		if p := searchNow(t, st, client, q); p.Total != 0 || len(p.Items) != 0 {
			t.Errorf("before indexing, Acme's client finds %q: %v (total %d)", q, hits(p), p.Total)
		}
	}
	// Staff still find what is internal now; nobody finds the deleted one.
	indexAll(t, st)
	for q, want := range map[string]int{"ocelot": 1, "pangolin": 0, "marmoset": 1} {
		if p := searchNow(t, st, pm, q); p.Total != want {
			t.Errorf("after indexing, the manager finds %q %d times, want %d", q, p.Total, want)
		}
		if p := searchNow(t, st, client, q); p.Total != 0 {
			t.Errorf("after indexing, Acme's client finds %q %d times", q, p.Total)
		}
	}
}

// TestSearchIndexersSkipLocked runs two indexers at once: the second
// neither waits for the first nor rebuilds a text the first holds, and
// nothing queued is lost.
func TestSearchIndexersSkipLocked(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	admin := w.Admin.Actor()
	indexAll(t, st)
	first, err := st.CreateTask(ctx, admin, store.NewTask{ProjectID: w.ProjectA.ID, Fields: title("Axolotl tank")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateTask(ctx, admin, store.NewTask{ProjectID: w.ProjectA.ID, Fields: title("Capybara pool")}); err != nil {
		t.Fatal(err)
	}
	// The first indexer takes the oldest change (the axolotl card) and
	// stops before committing.
	n, commit, err := st.HoldSearchBatch(ctx, 1)
	if err != nil || n != 1 {
		t.Fatalf("first indexer took %d: %v", n, err)
	}
	// The axolotl card changes again meanwhile.
	newTitle := "Axolotl aquarium"
	if _, err := st.UpdateTask(ctx, admin, first.ID, first.Version, models.TaskFields{Title: &newTitle}); err != nil {
		t.Fatal(err)
	}
	second, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	n, err = st.IndexSearch(second)
	if err != nil {
		t.Fatalf("second indexer: %v (it waited for the first)", err)
	}
	if n != 1 {
		t.Errorf("second indexer took %d changes, want 1: the capybara card, not the axolotl card the first holds", n)
	}
	if err := commit(); err != nil {
		t.Fatal(err)
	}
	if n := indexAll(t, st); n != 1 {
		t.Errorf("after the first committed, %d changes were left, want 1 (the new title)", n)
	}
	var got []string
	for _, q := range []string{"axolotl", "aquarium", "capybara", "tank"} {
		if p := searchNow(t, st, w.Manager.Actor(), q); p.Total > 0 {
			got = append(got, q)
		}
	}
	if want := []string{"axolotl", "aquarium", "capybara"}; !slices.Equal(got, want) {
		t.Errorf("found %v, want %v", got, want)
	}
}

// TestSearchVanishedSource: a queued text whose source is gone loses its
// row when the indexer comes by.
func TestSearchVanishedSource(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	indexAll(t, st)
	err := st.DB().Exec(`INSERT INTO search_docs (source, source_id, client_id, body, tsv, updated_at)
		VALUES ('comment', 987654, ?, '', to_tsvector('simple', 'narwhal'), now())`, w.A.ID).Error
	if err == nil {
		err = st.DB().Exec("INSERT INTO search_queue (source, source_id) VALUES ('comment', 987654)").Error
	}
	if err != nil {
		t.Fatal(err)
	}
	indexAll(t, st)
	var left int
	if err := st.DB().Raw("SELECT count(*) FROM search_docs WHERE source = 'comment' AND source_id = 987654").Row().Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Error("the row of a vanished comment is still there")
	}
}

// TestSearchIndexerWokenByNotify: the server's indexer runs when a writing
// transaction commits, not at its next poll (an hour here), and stops when
// told to: woken by the event of a card (migration 00031), by the ring of
// doska_search for a client.
func TestSearchIndexerWokenByNotify(t *testing.T) {
	t.Parallel()
	dsn := dbtest.URL(t)
	log := &statementLog{}
	st, _, w := dbtest.Traced(t, dsn, log)
	ctx := context.Background()
	indexer := store.NewSearchIndexer(st, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Hour)
	lctx, cancel := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() { _ = indexer.Run(lctx); close(stopped) }()
	t.Cleanup(func() { cancel(); <-stopped })
	listener := silentListener(dsn)
	listener.Search = indexer.Wake
	listen(t, listener)
	for deadline := time.Now().Add(10 * time.Second); queued(t, st) > 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the indexer did not take the seed at start")
		}
	}
	log.take()
	written := time.Now()
	if _, err := st.CreateTask(ctx, w.Admin.Actor(), store.NewTask{ProjectID: w.ProjectA.ID, Fields: title("Manatee feed")}); err != nil {
		t.Fatal(err)
	}
	for searchNow(t, st, w.Manager.Actor(), "manatee").Total == 0 {
		if time.Since(written) > 5*time.Second {
			t.Fatal("not found 5 s after the write: the indexer was not woken")
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("found %v after the write", time.Since(written).Round(time.Millisecond))
	// A round ends with its first batch that is not full: going back for
	// what came meanwhile would pay a batch's fixed cost for a few texts.
	time.Sleep(300 * time.Millisecond)
	takes := 0
	for _, sql := range log.take() {
		if strings.Contains(sql, "from search_queue order by id") {
			takes++
		}
	}
	if takes != 1 {
		t.Errorf("the round took the queue %d times, want once", takes)
	}
	// A client comes with no event: its trigger rings the indexer itself.
	written = time.Now()
	if _, err := st.CreateClient(ctx, w.Admin.Actor(), "Quokka Logistics"); err != nil {
		t.Fatal(err)
	}
	for searchNow(t, st, w.Manager.Actor(), "quokka").Total == 0 {
		if time.Since(written) > 5*time.Second {
			t.Fatal("the new client not found 5 s after the write: the indexer was not woken")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSearchMovedBeforeIndexing: a card moved to another company's project,
// and a project moved to another company, leave the first company's search
// in the moving transaction; the new company finds them once indexed.
func TestSearchMovedBeforeIndexing(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	card, err := st.CreateTask(ctx, w.Admin.Actor(), store.NewTask{ProjectID: w.ProjectA.ID, Fields: title("Wallaby export")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddComment(ctx, w.Dev.Actor(), card.ID, store.NewComment{Body: "Wallaby numbers attached"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateTask(ctx, w.Admin.Actor(), store.NewTask{ProjectID: w.ProjectA.ID, Fields: title("Dingo import")}); err != nil {
		t.Fatal(err)
	}
	indexAll(t, st)
	found := func(who models.Actor, q string) int { t.Helper(); return searchNow(t, st, who, q).Total }
	if found(w.ClientA.Actor(), "wallaby") != 2 || found(w.ClientA.Actor(), "dingo") != 1 {
		t.Fatal("Acme's client does not find Acme's texts to begin with")
	}
	if err := st.DB().Exec("UPDATE tasks SET project_id = ?, rank = rank || 'm' WHERE id = ?", w.ProjectB.ID, card.ID).Error; err != nil {
		t.Fatal(err)
	}
	if n := found(w.ClientA.Actor(), "wallaby"); n != 0 {
		t.Errorf("before indexing, Acme's client still finds the card moved to Globex: %d", n)
	}
	if n := found(w.Dev.Actor(), "wallaby"); n != 0 {
		t.Errorf("before indexing, Acme's developer still finds the card moved to Globex: %d", n)
	}
	if err := st.DB().Exec("UPDATE projects SET client_id = ? WHERE id = ?", w.B.ID, w.ProjectA.ID).Error; err != nil {
		t.Fatal(err)
	}
	if n := found(w.ClientA.Actor(), "dingo"); n != 0 {
		t.Errorf("before indexing, Acme's client still finds a card of the project moved to Globex: %d", n)
	}
	indexAll(t, st)
	if n := found(w.ClientB.Actor(), "wallaby") + found(w.ClientB.Actor(), "dingo"); n != 3 {
		t.Errorf("after indexing, Globex's client finds %d of the 3 moved texts", n)
	}
}

// TestSearchQueueStaysCheapAfterAnImport: an import queues tens of
// thousands of texts; once they are indexed, taking the next change must
// not walk the dead entries they left in the queue's index, since every
// move and comment rings for a round. The indexer vacuums the queue after
// a large round.
func TestSearchQueueStaysCheapAfterAnImport(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	indexAll(t, st)
	if err := st.DB().Exec(`INSERT INTO search_queue (source, source_id) SELECT 'card', ? FROM generate_series(1, 20000)`, w.TaskA.ID).Error; err != nil {
		t.Fatal(err)
	}
	if n := indexAll(t, st); n != 20000 {
		t.Fatalf("indexed %d changes, want 20000", n)
	}
	if err := st.DB().Exec(`INSERT INTO search_queue (source, source_id) VALUES ('card', ?)`, w.TaskA.ID).Error; err != nil {
		t.Fatal(err)
	}
	var plan []string
	if err := st.DB().Raw(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) SELECT id FROM search_queue ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED`).Pluck("QUERY PLAN", &plan).Error; err != nil {
		t.Fatal(err)
	}
	// The first Buffers line is the whole plan's: pages found in shared
	// buffers (hit) and read into them (read).
	pages := 0
	for _, line := range plan {
		if m := bufferCounts.FindAllStringSubmatch(line, -1); m != nil {
			for _, c := range m {
				n, err := strconv.Atoi(c[1])
				if err != nil {
					t.Fatal(err)
				}
				pages += n
			}
			break
		}
	}
	// 20,000 dead entries fill about 55 index pages; the live one is in one.
	if pages == 0 || pages > 10 {
		t.Errorf("taking the next change read %d pages, want a few:\n%s", pages, strings.Join(plan, "\n"))
	}
}

var bufferCounts = regexp.MustCompile(`shared (?:hit|read)=(\d+)`)
