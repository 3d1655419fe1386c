package store

// The command frame. Every command that changes something runs through
// command: one transaction that
//
//  1. claims the request's idempotency key, when the request carries one
//     (WithIdempotencyKey puts it in the context; it is the only value the
//     store reads from a context), so the command and its key commit
//     together or not at all, even if the server dies between the commit
//     and the answer;
//  2. runs the command's body, which loads what it needs scoped by the
//     actor (changeTask loads and locks the one card most commands change),
//     asks a rule in models what the change is, and writes it (a card's
//     row through writeTask, which moves its version on);
//  3. appends the events the body put in its outbox, numbered per project,
//     with their pg_notify, last, in the same round trip as the COMMIT
//     (commandTx): the event exists and is announced if and only if the
//     change commits. A write whose result the body knows beforehand goes
//     in that round trip too, ahead of the events (a move's card row,
//     writeTaskAtCommit).
//
// A command's input is validated once, by the rules in models, at the top
// of the command before the transaction starts (cardChange.invalid);
// handlers only decode the wire format. A command that answers with a card
// hands it over as the actor may see it (taskCommand).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// outbox collects the events of a command. They are appended when the
// command's work is done, together with the commit, so the project's
// counter row is locked only while they run: on one busy board, commands
// wait for each other only that long.
type outbox struct {
	writes  []commitWrite // sent with the commit, before the events
	events  []newEvent
	attempt int      // how often the command ran before (rank collisions)
	placed  *placing // where the card goes, seen with it (changeTaskAt)
}

func (o *outbox) add(ev newEvent) { o.events = append(o.events, ev) }

// atCommit queues q (GORM's placeholders), a write whose result the
// command does not need, to go with the commit; what names it in an
// error.
func (o *outbox) atCommit(what, q string, args ...any) {
	o.writes = append(o.writes, commitWrite{sql: numbered(q), args: args, failed: func(err error) error { return wrap(what, err) }})
}

// commitWrite is a statement sent with the commit, when its result is
// known beforehand: it changes a row the command holds locked. failed
// says what its error means.
type commitWrite struct {
	sql    string
	args   []any
	failed func(error) error
}

// command runs fn in one transaction and appends the events it produced at
// the end. Events of several projects are appended in project order, so
// two commands never take the counters in opposite orders.
//
// A command that collided with a concurrent one on a card's rank runs again
// from the start, reading everything anew: up to ten times. A request's
// idempotency key, if any, is claimed first, in the same transaction.
func (s *Store) command(ctx context.Context, fn func(tx *gorm.DB, out *outbox) error) error {
	for attempt := 0; ; attempt++ {
		err := s.commandTx(ctx, func(tx *gorm.DB) (*outbox, error) {
			if err := claimKey(ctx, tx); err != nil {
				return nil, err
			}
			out := &outbox{attempt: attempt}
			if err := fn(tx, out); err != nil {
				return nil, err
			}
			sort.SliceStable(out.events, func(i, j int) bool { return out.events[i].project < out.events[j].project })
			return out, nil
		})
		if !errors.Is(err, errRankCollision) || attempt == 9 {
			if r, _ := ctx.Value(idempotentCtx{}).(*IdempotentRequest); r != nil && err == nil {
				r.claimed = true
			}
			return err
		}
	}
}

// commandTx runs fn in a transaction on one connection of the pool, then
// sends the events fn returns and the COMMIT in one round trip. The first
// event locks its project's counter row until the commit; sent apart, the
// lock would also be held while the event's answer travels to this process
// and the COMMIT travels back, and on a busy board every other command
// waits for that lock in turn. With the server's cores busy, that trip
// took milliseconds; now the lock is held only while PostgreSQL appends
// the events and commits. The BEGIN travels with fn's first statement
// (txConn).
func (s *Store) commandTx(ctx context.Context, fn func(tx *gorm.DB) (*outbox, error)) error {
	pool, err := s.db.DB()
	if err != nil {
		return err
	}
	release, err := s.writers.take(ctx)
	if err != nil {
		return unavailable(err)
	}
	defer release()
	conn, err := pool.Conn(ctx)
	if err != nil {
		return unavailable(err)
	}
	// A connection left inside the transaction (a panic, or the context
	// ended before the rollback) is dropped by the pool, never reused.
	defer conn.Close()
	c := &txConn{conn: conn}
	tx := s.db.Session(&gorm.Session{Context: ctx, NewDB: true})
	tx.Statement.ConnPool = c
	out, err := fn(tx)
	if c.failed != nil {
		err = c.failed
	}
	if err == nil {
		err = c.pgx(func(pc *pgx.Conn) error { return commitWith(ctx, pc, c, out) })
	}
	if err != nil {
		_ = c.pgx(func(pc *pgx.Conn) error {
			rollbackOpen(ctx, pc)
			return nil
		})
	}
	return unavailable(err)
}

// txConn is a command's connection, as GORM's statements and the pgx
// batches of the hot paths use it. The transaction opens with the first
// of them: a batch carries the BEGIN along (send), a statement through
// GORM sends it just before. A command's first statement is most often
// the loading of its card (lockTask), and the BEGIN of its own was one
// round trip in five of a move.
type txConn struct {
	conn   *sql.Conn
	begun  bool
	failed error // the BEGIN's error, which a QueryRowContext cannot return
}

func (c *txConn) begin(ctx context.Context) error {
	if c.begun {
		return nil
	}
	if _, err := c.conn.ExecContext(ctx, "BEGIN"); err != nil {
		c.failed = err
		return err
	}
	c.begun = true
	return nil
}

// send sends the statements queue puts in a batch, behind the BEGIN if
// the transaction is not open yet, and reads the BEGIN's result: what is
// left to read are queue's statements' results.
func (c *txConn) send(ctx context.Context, pc *pgx.Conn, queue func(b *pgx.Batch) error) (pgx.BatchResults, error) {
	b := &pgx.Batch{}
	opening := !c.begun
	if opening {
		b.Queue("BEGIN")
	}
	if err := queue(b); err != nil {
		return nil, err
	}
	br := pc.SendBatch(ctx, b)
	if opening {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			return nil, err
		}
		c.begun = true
	}
	return br, nil
}

// pgx runs fn on the pgx connection under the command's.
func (c *txConn) pgx(fn func(pc *pgx.Conn) error) error {
	return c.conn.Raw(func(dc any) error { return fn(dc.(*stdlib.Conn).Conn()) })
}

func (c *txConn) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	return c.conn.PrepareContext(ctx, query)
}

func (c *txConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	return c.conn.ExecContext(ctx, query, args...)
}

func (c *txConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	return c.conn.QueryContext(ctx, query, args...)
}

// QueryRowContext has no error of its own to return: after a failed BEGIN
// the row fails as its context is cancelled, and commandTx reports the
// BEGIN's error (failed).
func (c *txConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if err := c.begin(ctx); err != nil {
		dead, cancel := context.WithCancel(ctx)
		cancel()
		return c.conn.QueryRowContext(dead, query, args...)
	}
	return c.conn.QueryRowContext(ctx, query, args...)
}

// queryRows runs q (GORM's placeholders) on a command's connection
// through pgx and hands each row to each. The hot commands' own queries go
// this way: through GORM and database/sql, a query cost the server several
// times the CPU (statement building, reflection, two layers of conversion).
func queryRows(tx *gorm.DB, q string, args []any, each func(row pgx.Rows) error) error {
	c := tx.Statement.ConnPool.(*txConn)
	ctx := tx.Statement.Context
	if err := c.begin(ctx); err != nil {
		return err
	}
	return c.pgx(func(pc *pgx.Conn) error {
		rows, err := pc.Query(ctx, numbered(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := each(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// commitWith sends the outbox's writes, its events and the COMMIT as one
// batch. A write that fails ends the batch: PostgreSQL skips the rest of
// it, the COMMIT too, and the caller rolls back. A body that sent no
// statement has no transaction to commit.
func commitWith(ctx context.Context, pc *pgx.Conn, c *txConn, out *outbox) error {
	if !c.begun && len(out.writes) == 0 && len(out.events) == 0 {
		return nil
	}
	br, err := c.send(ctx, pc, func(b *pgx.Batch) error {
		for _, w := range out.writes {
			b.Queue(w.sql, w.args...)
		}
		for _, ev := range out.events {
			if err := queueEvent(b, ev); err != nil {
				return err
			}
		}
		b.Queue("COMMIT")
		return nil
	})
	if err != nil {
		return wrap("commit", err)
	}
	defer br.Close()
	for _, w := range out.writes {
		if _, err := br.Exec(); err != nil {
			return w.failed(err)
		}
	}
	for range out.events {
		if _, err := br.Exec(); err != nil {
			return wrap("commit", err)
		}
	}
	// PostgreSQL answers the COMMIT of a transaction that an error ended
	// with ROLLBACK, not with an error.
	tag, err := br.Exec()
	if err == nil && tag.String() != "COMMIT" {
		err = fmt.Errorf("the transaction was rolled back (%s)", tag)
	}
	if err != nil {
		return wrap("commit", err)
	}
	return wrap("commit", br.Close())
}

// taskCommand is command for the commands that answer with one card: fn
// leaves the card in *t, which the actor then gets as they may see it, and
// so does a conflict that carries the card.
func (s *Store) taskCommand(ctx context.Context, a models.Actor, t *models.Task, fn func(tx *gorm.DB, out *outbox) error) error {
	err := s.command(ctx, fn)
	*t = t.For(a)
	var conflict *models.ConflictError
	if errors.As(err, &conflict) {
		if cur, ok := conflict.Current.(models.Task); ok {
			conflict.Current = cur.For(a)
		}
	}
	return err
}

// cardChange names the card a command changes and what the command needs
// checked before it runs.
type cardChange struct {
	id, version int64
	act         models.Action // what the actor's role must allow; "" leaves it to the rule
	invalid     error         // the verdict of the rules on the command's input
}

// changeTask runs a command that changes one card: an invalid input is
// refused before the transaction; then the card is loaded and locked
// (visible, allowed, current, on the board) into *t, and fn gets it as it
// was loaded to change *t.
func (s *Store) changeTask(ctx context.Context, a models.Actor, c cardChange, t *models.Task, fn func(tx *gorm.DB, out *outbox, before models.Task) error) error {
	return s.changeTaskAt(ctx, a, c, nil, t, fn)
}

// changeTaskAt is changeTask for a command that places the card in a
// column it knows beforehand (spot): the neighbours there are read with
// the card.
func (s *Store) changeTaskAt(ctx context.Context, a models.Actor, c cardChange, spot *placing, t *models.Task, fn func(tx *gorm.DB, out *outbox, before models.Task) error) error {
	if c.invalid != nil {
		return c.invalid
	}
	return s.taskCommand(ctx, a, t, func(tx *gorm.DB, out *outbox) error {
		var err error
		if spot != nil {
			out.placed = &placing{board: spot.board, pos: spot.pos}
		}
		if *t, err = lockTask(tx, a, c.id, c.version, c.act, out.placed); err != nil {
			return err
		}
		return fn(tx, out, *t)
	})
}

// lockTask loads and locks a task for a change by the actor: it must be
// visible (else not found), the actor's role allowed act (else forbidden;
// no act leaves the decision to the rule), the version current and the card
// not archived (else a conflict that carries the card as it is now). It is
// the first statement of most commands, so it goes in one batch with the
// BEGIN, through pgx (txConn). The lock comes first and the card is read
// by the next statement: read in the locking statement, the card's comment
// counts and approver would be of the moment before it waited for the
// lock, and a comment added meanwhile (which holds the lock) would be
// missing from what the command answers and announces. A spot, if given,
// is asked about by the same statement (placing).
func lockTask(tx *gorm.DB, a models.Actor, id, version int64, act models.Action, spot *placing) (models.Task, error) {
	var t models.Task
	var access models.ProjectAccess
	q, args := loadTaskQuery, []any{a.UserID, id}
	dest := append(cardDest(&t), &t.ArchivedAt, &t.PageURL, &t.Request, &t.Description, &access.ClientID, &access.IsMember)
	var seen seenPivot
	if spot != nil {
		q, args = spot.loadQuery(id, a.UserID)
		dest = append(dest, seen.dest()...)
	}
	c := tx.Statement.ConnPool.(*txConn)
	err := c.pgx(func(pc *pgx.Conn) error {
		br, err := c.send(tx.Statement.Context, pc, func(b *pgx.Batch) error {
			b.Queue("SELECT FROM tasks WHERE id = $1 FOR UPDATE", id)
			b.Queue(q, args...)
			return nil
		})
		if err != nil {
			return err
		}
		defer br.Close()
		if _, err := br.Exec(); err != nil {
			return err
		}
		err = br.QueryRow().Scan(dest...)
		if errors.Is(err, pgx.ErrNoRows) {
			return models.ErrNotFound
		}
		return err
	})
	if spot != nil && err == nil {
		spot.board.project = t.ProjectID
		k := seen.pivot()
		spot.seen = &k
	}
	if err != nil {
		return models.Task{}, wrap(fmt.Sprintf("task %d", id), err)
	}
	if err := checkAccess(a, t.ProjectID, access); err != nil {
		return models.Task{}, fmt.Errorf("store: task %d: %w", id, err)
	}
	if act != "" && !a.Can(act) {
		return t, fmt.Errorf("store: task %d: %s: %w", id, act, models.ErrForbidden)
	}
	return t, current(t, version)
}

// loadTaskQuery is loadTask's query in pgx's terms: the access of user $1
// to the card's project, and the card $2 as loadTask reads it.
var loadTaskQuery = numbered(loadTaskSQL("", ""))

// loadTaskSQL is loadTaskQuery with GORM's placeholders, and more columns
// from more joined tables: the user's placeholder comes first, the card's
// last.
func loadTaskSQL(columns, joins string) string {
	return `SELECT ` + cardFields + `, tasks.archived_at, tasks.page_url, tasks.request, tasks.description,
	projects.client_id, ` + fmt.Sprintf(isMember, "tasks.project_id", "?") + columns + `
FROM ` + cardsFrom + `
JOIN projects ON projects.id = tasks.project_id` + joins + `
WHERE tasks.id = ?`
}

// current checks that the card is on the board and that the caller saw it
// as it is; otherwise the conflict carries the card as it is now. Archiving
// changes the version too, and "archived" is the reason that tells the
// caller why no retry helps.
func current(t models.Task, version int64) error {
	if t.ArchivedAt != nil {
		return &models.ConflictError{Reason: models.TaskArchived.With(), Current: t}
	}
	if t.Version != version {
		return &models.ConflictError{Reason: models.TaskStale.With(), Current: t}
	}
	return nil
}

// versionGiven is the input rule of the commands whose only input is the
// version of the card.
func versionGiven(version int64) error {
	p := models.Problems{}
	models.RequireVersion(p, version)
	return p.Err()
}

// Idempotency keys: a client that did not hear the answer to a command
// sends it again with the same key, and the command is carried out once.

// IdempotencyKeyTTL is how long a key is kept: retries come within
// seconds; a day covers a laptop closed mid-request.
const IdempotencyKeyTTL = 24 * time.Hour

// IdempotentRequest is one request that carries a key. The first command
// of the request that commits claims the key.
type IdempotentRequest struct {
	userID      int64
	key         string
	fingerprint []byte
	claimed     bool
}

// Claimed tells whether a command of this request committed with the key.
func (r *IdempotentRequest) Claimed() bool { return r.claimed }

// ErrKeyClaimed says that another request with the same key committed first.
var ErrKeyClaimed = errors.New("store: idempotency key already claimed")

type idempotentCtx struct{}

// WithIdempotencyKey returns a context whose commands claim the key.
func WithIdempotencyKey(ctx context.Context, userID int64, key string, fingerprint []byte) (context.Context, *IdempotentRequest) {
	r := &IdempotentRequest{userID: userID, key: key, fingerprint: fingerprint}
	return context.WithValue(ctx, idempotentCtx{}, r), r
}

// claimKey writes the request's key in the command's transaction. A second
// request with the key waits here until the first commits or rolls back.
func claimKey(ctx context.Context, tx *gorm.DB) error {
	r, _ := ctx.Value(idempotentCtx{}).(*IdempotentRequest)
	if r == nil || r.claimed {
		return nil
	}
	res := tx.Exec("INSERT INTO idempotency_keys (user_id, key, fingerprint) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
		r.userID, r.key, r.fingerprint)
	if res.Error != nil {
		return wrap("idempotency key", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrKeyClaimed
	}
	return nil
}

// IdempotentAnswer is what is known of a key: the request it was first
// used with and, once sent, the answer.
type IdempotentAnswer struct {
	Fingerprint []byte `gorm:"column:fingerprint"`
	Status      *int   `gorm:"column:status"`
	Body        []byte `gorm:"column:body"`
}

// IdempotencyKey reads a key of the user; models.ErrNotFound if unused.
func (s *Store) IdempotencyKey(ctx context.Context, userID int64, key string) (IdempotentAnswer, error) {
	var a IdempotentAnswer
	err := s.db.WithContext(ctx).Table("idempotency_keys").Select("fingerprint, status, body").
		Where("user_id = ? AND key = ?", userID, key).Take(&a).Error
	return a, wrap("idempotency key", err)
}

// SaveAnswer keeps the answer sent for a claimed key, to send it again.
func (s *Store) SaveAnswer(ctx context.Context, r *IdempotentRequest, status int, body []byte) error {
	if !r.claimed {
		return fmt.Errorf("store: answer for an unclaimed idempotency key")
	}
	err := s.db.WithContext(ctx).Exec("UPDATE idempotency_keys SET status = ?, body = ? WHERE user_id = ? AND key = ?",
		status, body, r.userID, r.key).Error
	return wrap("idempotency answer", err)
}
