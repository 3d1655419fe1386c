package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/api"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/dbtest"
)

// cutter ends the server process of a pool's connection just before the
// pool's nth statement from the moment it is armed, as if the database
// went away at that point of a command.
type cutter struct {
	admin *pgx.Conn

	mu    sync.Mutex
	at    int // 0: disarmed
	count int
	err   error
}

func (c *cutter) arm(n int) {
	c.mu.Lock()
	c.at, c.count, c.err = n, 0, nil
	c.mu.Unlock()
}

// statements disarms the cutter and says how many statements ran since arm.
func (c *cutter) statements() (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = 0
	return c.count, c.err
}

func (c *cutter) TraceQueryStart(ctx context.Context, conn *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return c.step(ctx, conn)
}

// A command sends its events and its COMMIT as one batch: one round trip,
// cut as one step.
func (c *cutter) TraceBatchStart(ctx context.Context, conn *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return c.step(ctx, conn)
}

func (c *cutter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (c *cutter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

func (c *cutter) step(ctx context.Context, conn *pgx.Conn) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.count++
	if c.count == c.at {
		// Waits until the backend is gone, so the statement meets a dead
		// connection.
		_, err := c.admin.Exec(context.Background(), "SELECT pg_terminate_backend($1, 5000)", conn.PgConn().PID())
		if err != nil {
			c.err = err
		}
	}
	return ctx
}

func (c *cutter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// effects counts what commands leave behind. One command adds the same
// to each count every time, so a command applied whole (its rows, its
// event, its key) or not at all shows as exactly one step or none.
type effects [7]int64

func effectsOf(t *testing.T, db *gorm.DB) effects {
	t.Helper()
	var e effects
	err := db.Raw(`SELECT (SELECT count(*) FROM tasks), (SELECT sum(version) FROM tasks),
		(SELECT count(*) FROM comments), (SELECT count(*) FROM events), (SELECT sum(n) FROM project_event_seqs),
		(SELECT count(*) FROM notifications), (SELECT count(*) FROM idempotency_keys)`).Row().
		Scan(&e[0], &e[1], &e[2], &e[3], &e[4], &e[5], &e[6])
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// plus returns e after one more step.
func (e effects) plus(step effects) effects {
	for i := range e {
		e[i] += step[i]
	}
	return e
}

func (e effects) minus(o effects) effects {
	for i := range e {
		e[i] -= o[i]
	}
	return e
}

// TestConnectionCutAtEveryStatement cuts the database connection at each
// statement of a create, a move and a comment, in turn. Every answer is a
// JSON 503 with Retry-After (never a 500), the database holds the command
// whole or not at all, and a retry with the same Idempotency-Key leaves it
// applied exactly once.
func TestConnectionCutAtEveryStatement(t *testing.T) {
	t.Parallel()
	dsn := dbtest.URL(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	cut := &cutter{admin: admin}
	st, db, w := dbtest.Traced(t, dsn, cut)
	tokens, err := auth.NewTokens([]byte("0123456789abcdef0123456789abcdef-test-key"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	e, err := api.New(api.Params{Store: st, Tokens: tokens, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), SiteURL: testSite, Origins: []string{testSite}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	defer srv.Close()
	tok, _, err := tokens.Issue(w.Dev)
	if err != nil {
		t.Fatal(err)
	}
	send := func(method, path, body, key string) (int, http.Header, string) {
		t.Helper()
		hr, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		hr.Header.Set("Authorization", "Bearer "+tok)
		hr.Header.Set("Content-Type", "application/json")
		hr.Header.Set("Idempotency-Key", key)
		res, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header, string(b)
	}
	// A move goes to whichever column the card is not in, so every run
	// makes the same change.
	moveBody := func() string {
		t.Helper()
		var cur models.Task
		if err := db.Table("tasks").Where("id = ?", w.TaskA.ID).Take(&cur).Error; err != nil {
			t.Fatal(err)
		}
		to := models.StatusInProgress
		if cur.Status == to {
			to = models.StatusSet
		}
		return fmt.Sprintf(`{"version": %d, "status": %q}`, cur.Version, to)
	}
	commands := []struct {
		name, method, path string
		body               func() string
		ok                 int
	}{
		{"create", "POST", "/api/projects/" + id(w.ProjectA.ID) + "/tasks", func() string { return `{"title": "Cut while saving"}` }, 201},
		{"move", "POST", "/api/tasks/" + id(w.TaskA.ID) + "/move", moveBody, 200},
		{"comment", "POST", "/api/tasks/" + id(w.TaskA.ID) + "/comments", func() string {
			return `{"body": "Cut while commenting @Alice", "mentions": [` + id(w.ClientA.ID) + `]}`
		}, 201},
	}
	key := 0
	for _, cmd := range commands {
		// One clean run gives the statements to cut and what a whole
		// command leaves behind.
		before := effectsOf(t, db)
		key++
		cut.arm(-1)
		status, _, body := send(cmd.method, cmd.path, cmd.body(), fmt.Sprint("clean-", key))
		n, _ := cut.statements()
		if status != cmd.ok {
			t.Fatalf("%s: %d %s", cmd.name, status, body)
		}
		step := effectsOf(t, db).minus(before)
		if step == (effects{}) {
			t.Fatalf("%s changed nothing", cmd.name)
		}
		var unavailable, answered, unknown int
		for at := 1; at <= n; at++ {
			before := effectsOf(t, db)
			key++
			k := fmt.Sprint("cut-", key)
			b := cmd.body()
			cut.arm(at)
			status, header, body := send(cmd.method, cmd.path, b, k)
			if _, err := cut.statements(); err != nil {
				t.Fatalf("%s, cut at statement %d: %v", cmd.name, at, err)
			}
			got := effectsOf(t, db)
			whole := got == before.plus(step)
			switch {
			case status == cmd.ok:
				// The pool replaced the connection before the statement
				// went out, or the cut came after the answer was sent.
				if !whole {
					t.Errorf("%s, cut at statement %d: answered %d but the effects are %v after %v", cmd.name, at, status, got, before)
				}
				answered++
				continue
			case status != 503 || header.Get("Retry-After") == "" || !strings.Contains(body, `"code":"unavailable"`):
				t.Errorf("%s, cut at statement %d of %d: %d Retry-After %q %s, want a JSON 503 with Retry-After",
					cmd.name, at, n, status, header.Get("Retry-After"), body)
			case got != before && !whole:
				t.Errorf("%s, cut at statement %d: half a command stayed: %v, before %v", cmd.name, at, got, before)
			}
			// No answer: the client sends the same request again with the
			// same key. The command is then applied exactly once; if the
			// cut came after the commit, the retry is told the first
			// request's answer is not known (409), and nothing runs twice.
			unavailable++
			status, _, body = send(cmd.method, cmd.path, b, k)
			if status == 409 {
				unknown++
			}
			if status != cmd.ok && !(whole && status == 409) {
				t.Errorf("%s, cut at statement %d, retried: %d %s", cmd.name, at, status, body)
			}
			if after := effectsOf(t, db); after != before.plus(step) {
				t.Errorf("%s, cut at statement %d, retried: effects %v, want the command once after %v", cmd.name, at, after, before)
			}
		}
		if unavailable == 0 {
			t.Errorf("%s: no cut made the command fail; the cutter does not work", cmd.name)
		}
		t.Logf("%s: cut at each of %d statements: %d answered 503 (%d of them after the commit, retried: 409), %d answered anyway",
			cmd.name, n, unavailable, unknown, answered)
	}
}
