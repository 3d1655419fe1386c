package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/store"
)

// queryLog records every SELECT a store runs, with its arguments.
type queryLog struct {
	mu      sync.Mutex
	queries []loggedQuery
}

type loggedQuery struct {
	sql  string
	args []any
}

func (l *queryLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if q := strings.ToUpper(strings.TrimSpace(d.SQL)); strings.HasPrefix(q, "SELECT") || strings.HasPrefix(q, "WITH") {
		l.mu.Lock()
		l.queries = append(l.queries, loggedQuery{d.SQL, d.Args})
		l.mu.Unlock()
	}
	return ctx
}

func (l *queryLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (l *queryLog) take() []loggedQuery {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.queries
	l.queries = nil
	return q
}

// bigRelations are the tables that grow with the agency's history: a read
// for one board must never scan them whole.
var bigRelations = map[string]bool{"tasks": true, "comments": true, "events": true}

// planNode is the part of EXPLAIN (ANALYZE, FORMAT JSON) the test reads.
type planNode struct {
	NodeType       string     `json:"Node Type"`
	Relation       string     `json:"Relation Name"`
	Index          string     `json:"Index Name"`
	ActualRows     float64    `json:"Actual Rows"`
	ActualLoops    float64    `json:"Actual Loops"`
	RemovedFilter  float64    `json:"Rows Removed by Filter"`
	RemovedRecheck float64    `json:"Rows Removed by Index Recheck"`
	Plans          []planNode `json:"Plans"`
}

// scanned adds up, per big relation, the rows the plan's scans touched
// (returned and thrown away), and lists the seq scans of big relations.
func (n planNode) scanned(rows map[string]float64, seq *[]string, outline *[]string, depth int) {
	if n.Relation != "" {
		touched := (n.ActualRows + n.RemovedFilter + n.RemovedRecheck) * n.ActualLoops
		rows[n.Relation] += touched
		if n.NodeType == "Seq Scan" && bigRelations[n.Relation] {
			*seq = append(*seq, n.Relation)
		}
		*outline = append(*outline, fmt.Sprintf("%s%s on %s %s: %.0f rows touched", strings.Repeat("  ", depth), n.NodeType, n.Relation, n.Index, touched))
	}
	for _, c := range n.Plans {
		c.scanned(rows, seq, outline, depth+1)
	}
}

// TestBoardReadsUseIndexes seeds a database where the board under test is
// about 1 % of the cards and comments, runs every board, team-board, plan
// and list read as a developer of that board, and explains each query the
// store sent: no query may scan the cards, comments or events whole, nor
// touch more than a tenth of them. A read right after a change once
// scanned every task and comment of the database for a 200-card board.
func TestBoardReadsUseIndexes(t *testing.T) {
	t.Parallel()
	dsn := dbtest.URL(t)
	log := &queryLog{}
	st, db, w := dbtest.Traced(t, dsn, log)
	ctx := context.Background()

	// 200 cards with two comments and an event each on the board (project
	// A), 100 times as many on another client's project.
	const boardCards, otherCards = 200, 20000
	for _, p := range []struct {
		id    int64
		cards int
	}{{w.ProjectA.ID, boardCards}, {w.ProjectB.ID, otherCards}} {
		if err := db.Exec(`INSERT INTO tasks (project_id, title, status, rank, reporter_id, assignee_id, archived_at, staging_url)
			SELECT ?, 'Card ' || g, (ARRAY['set','in_progress','awaiting_reply','approval','done'])[1 + g % 5],
				'b' || lpad(g::text, 8, '0'), ?, ?, CASE WHEN g % 10 = 0 THEN now() END, 'https://staging.test/'
			FROM generate_series(1, ?) g`, p.id, w.Admin.ID, w.Dev.ID, p.cards).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(`INSERT INTO comments (task_id, author_id, body, internal)
			SELECT tasks.id, ?, 'Comment', g = 2 FROM tasks, generate_series(1, 2) g WHERE project_id = ? AND title LIKE 'Card %'`,
			w.Admin.ID, p.id).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(`INSERT INTO events (project_id, seq, kind, actor_id, task_id, payload)
			SELECT project_id, 1000 + id, 'task.created', reporter_id, id, '{}' FROM tasks WHERE project_id = ? AND title LIKE 'Card %'`,
			p.id).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec("ANALYZE").Error; err != nil {
		t.Fatal(err)
	}
	var total = map[string]float64{}
	for rel := range bigRelations {
		var n int64
		db.Raw("SELECT count(*) FROM " + rel).Scan(&n)
		total[rel] = float64(n)
	}

	dev, pm := w.Dev.Actor(), w.Manager.Actor()
	week := models.WeekOf(time.Now())
	reads := []struct {
		name string
		read func() error
	}{
		{"board", func() error { _, err := st.Board(ctx, pm, w.ProjectA.ID); return err }},
		{"board for the client", func() error { _, err := st.Board(ctx, w.ClientA.Actor(), w.ProjectA.ID); return err }},
		{"team board", func() error {
			head, err := st.TeamBoardHead(ctx, dev)
			if err == nil {
				_, err = st.TeamBoard(ctx, dev, head)
			}
			return err
		}},
		{"plan", func() error { _, err := st.Plan(ctx, dev, week); return err }},
		{"report", func() error { _, err := st.Report(ctx, dev, week); return err }},
		{"backlog", func() error { _, err := st.Backlog(ctx, dev, store.BacklogFilter{}); return err }},
		{"backlog of the board", func() error {
			_, err := st.Backlog(ctx, pm, store.BacklogFilter{ProjectID: w.ProjectA.ID})
			return err
		}},
		{"waiting", func() error { _, err := st.Waiting(ctx, dev); return err }},
		{"approvals", func() error { _, err := st.Approvals(ctx, dev); return err }},
		{"deploys", func() error { _, err := st.DeployList(ctx, dev); return err }},
		{"home", func() error { _, err := st.Home(ctx, dev); return err }},
		{"home for the client", func() error { _, err := st.Home(ctx, w.ClientA.Actor()); return err }},
		{"approvals for the client", func() error { _, err := st.Approvals(ctx, w.ClientA.Actor()); return err }},
		{"archived", func() error { _, err := st.ArchivedTasks(ctx, dev, w.ProjectA.ID); return err }},
		{"comments", func() error { _, err := st.Comments(ctx, dev, w.TaskA.ID); return err }},
		{"activity", func() error { _, err := st.Activity(ctx, dev, w.TaskA.ID); return err }},
		{"projects", func() error { _, err := st.ListProjects(ctx, dev, store.ProjectFilter{}); return err }},
	}
	explain, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer explain.Close(ctx)
	for _, r := range reads {
		log.take()
		if err := r.read(); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		queries := log.take()
		if len(queries) == 0 {
			t.Fatalf("%s ran no query the log saw", r.name)
		}
		for _, q := range queries {
			var out []struct{ Plan planNode }
			if err := explain.QueryRow(ctx, "EXPLAIN (ANALYZE, FORMAT JSON) "+q.sql, q.args...).Scan(&out); err != nil {
				t.Fatalf("%s: explain %s: %v", r.name, q.sql, err)
			}
			rows := map[string]float64{}
			var seq, outline []string
			out[0].Plan.scanned(rows, &seq, &outline, 0)
			var over []string
			for rel, n := range rows {
				if bigRelations[rel] && n > total[rel]/10 {
					over = append(over, fmt.Sprintf("%s: %.0f of %.0f rows", rel, n, total[rel]))
				}
			}
			if len(seq) > 0 || len(over) > 0 {
				t.Errorf("%s reads whole tables (seq scans %v, %v):\n%s\n%s", r.name, seq, over, q.sql, strings.Join(outline, "\n"))
			} else if testing.Verbose() {
				t.Logf("%s:\n%s", r.name, strings.Join(outline, "\n"))
			}
		}
	}
}
