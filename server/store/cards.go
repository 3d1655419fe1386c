package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/doska/doska/models"
)

// The board and the team board read thousands of cards at a time. Scanned
// by GORM, a 2,000-card board took about three times as long in Go's
// reflection as in PostgreSQL, so these reads use pgx directly, on a
// connection of the same pool. The columns and the fields they land in
// are listed side by side below; a test checks every card against the
// same card read through GORM.

// cardsQuery reads the open cards of the projects in $1 with their
// comment counts. With $2 set, finished cards count only if they finished
// after it. The counts are one index lookup per card (comments_task_idx):
// a grouped count over the board's comments let PostgreSQL choose to hash
// every comment of the database, which grows with the agency's history,
// not with the board.
const cardsQuery = cardsSelect + `
WHERE tasks.project_id = ANY($1) AND tasks.archived_at IS NULL
	AND ($2::timestamptz IS NULL OR tasks.status <> 'done' OR tasks.status_changed_at > $2)`

// changedEvents are the events of project $1 after number $2, up to number
// $2 + $3 (a board further behind is read whole): touchedQuery reads the
// IDs of their cards, changedCardsQuery those cards still open. ARRAY()
// makes the IDs one value, read first: as a semi-join with IN, the
// planner counted the comments of every card of the board before keeping
// the touched ones.
const changedEvents = `SELECT task_id FROM events
WHERE project_id = $1 AND seq > $2 AND seq <= $2 + $3 AND task_id IS NOT NULL`

const touchedQuery = "SELECT DISTINCT task_id FROM (" + changedEvents + ") e"

const changedCardsQuery = cardsSelect + `
WHERE tasks.project_id = $1 AND tasks.id = ANY(ARRAY(` + changedEvents + `)) AND tasks.archived_at IS NULL`

const cardsSelect = `SELECT ` + cardFields + ` FROM ` + cardsFrom

// cardFields are the columns of a card on a board, in the order of
// cardDest.
const cardFields = `tasks.id, tasks.number, tasks.project_id, tasks.title, tasks.status, tasks.rank, tasks.kind,
	tasks.priority, tasks.assignee_id, tasks.reporter_id, tasks.estimate_minutes, tasks.due_date, tasks.staging_url,
	tasks.labels, tasks.version, tasks.status_changed_at, tasks.created_at, tasks.updated_at,
	tasks.approval_state, tasks.check_note, tasks.approved_by, coalesce(approver.name, ''), tasks.approved_at,
	tasks.approval_on_behalf, tasks.approval_reason, tasks.deploy_on, tasks.deployed_at,
	tasks.sprint_id, coalesce(tasks.sprint_rank, ''), tasks.planned_at,
	tasks.quote_minutes, tasks.quote_state, tasks.quote_reason,
	cc.n, cc.public_n`

// cardsFrom are the tables cardFields read.
const cardsFrom = `tasks
CROSS JOIN LATERAL (
	SELECT count(*) AS n, count(*) FILTER (WHERE NOT comments.internal) AS public_n
	FROM comments WHERE comments.task_id = tasks.id
) cc
LEFT JOIN users approver ON approver.id = tasks.approved_by`

// cardDest are the fields of t that the columns of cardFields land in.
func cardDest(t *models.Task) []any {
	return []any{&t.ID, &t.Number, &t.ProjectID, &t.Title, &t.Status, &t.Rank, &t.Kind,
		&t.Priority, &t.AssigneeID, &t.ReporterID, &t.EstimateMinutes, &t.DueDate, &t.StagingURL,
		&t.Labels, &t.Version, &t.StatusChangedAt, &t.CreatedAt, &t.UpdatedAt,
		&t.ApprovalState, &t.CheckNote, &t.ApprovedBy, &t.ApprovedByName, &t.ApprovedAt,
		&t.ApprovalOnBehalf, &t.ApprovalReason, &t.DeployOn, &t.DeployedAt,
		&t.SprintID, &t.SprintRank, &t.PlannedAt,
		&t.QuoteMinutes, &t.QuoteState, &t.QuoteReason,
		&t.CommentCount, &t.PublicCommentCount}
}

// scanCard reads one row of cardsQuery.
func scanCard(row pgx.CollectableRow) (models.Task, error) {
	var t models.Task
	err := row.Scan(cardDest(&t)...)
	return t, err
}

// readCards reads the open cards of the projects and the projects' event
// numbers in one repeatable-read snapshot, so that the cards are exactly
// those events' result and a socket can resume from the numbers. With
// doneSince set, finished cards are read only if they finished after it.
// The cards come in board order (models.SortBoard), the one the screens
// show.
func (s *Store) readCards(ctx context.Context, projects []int64, doneSince *time.Time) (map[int64]int64, []models.Task, error) {
	seqs := make(map[int64]int64, len(projects))
	for _, id := range projects {
		seqs[id] = 0
	}
	cards := []models.Task{}
	err := s.snapshot(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, "SELECT project_id, n FROM project_event_seqs WHERE project_id = ANY($1)", projects)
		var id, n int64
		if _, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error { seqs[id] = n; return nil }); err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, cardsQuery, projects, doneSince)
		var err error
		cards, err = pgx.AppendRows(cards, rows, scanCard)
		return err
	})
	if err != nil {
		return nil, nil, wrap(fmt.Sprintf("cards of %d projects", len(projects)), err)
	}
	models.SortBoard(cards)
	return seqs, cards, nil
}

// snapshot runs fn in a read-only repeatable-read transaction on a pgx
// connection of the pool: everything fn reads is of one moment.
func (s *Store) snapshot(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return s.onConn(ctx, func(pc *pgx.Conn) error {
		tx, err := pc.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

// rollbackOpen ends a transaction left open on pc (after an error).
func rollbackOpen(ctx context.Context, pc *pgx.Conn) {
	if pc.PgConn().TxStatus() != 'I' {
		_, _ = pc.Exec(context.WithoutCancel(ctx), "ROLLBACK")
	}
}

// onConn runs fn on a pgx connection of the pool and rolls back whatever
// transaction fn left open. A connection still inside one (the context
// ended before the rollback) is dropped by the pool, never reused.
func (s *Store) onConn(ctx context.Context, fn func(pc *pgx.Conn) error) error {
	pool, err := s.db.DB()
	if err != nil {
		return err
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		err := fn(pc)
		rollbackOpen(ctx, pc)
		return err
	})
}

// BoardDelta is what changed on a board after a snapshot: the event number
// it brings the board to, the cards its events touched, and those of them
// still open on the board, as they are at that number. A touched card
// missing from Cards has left the board (archived).
type BoardDelta struct {
	Seq     int64
	Touched []int64
	Cards   []models.Task
}

// BoardChanges reads what changed on a project's board after event number
// since, as the actor sees it, in one snapshot. Each event names its card,
// so this reads the touched cards only: a read after a change costs about
// what a read before it does, however big the board. ok is false when more
// than limit events came after since, where reading the whole board is
// cheaper. The caller has checked the actor's access (BoardHead).
func (s *Store) BoardChanges(ctx context.Context, a models.Actor, projectID, since int64, limit int) (d BoardDelta, ok bool, err error) {
	// One round trip: the transaction and its three reads go as one batch.
	// As five trips, this part of a read after a change took p50 0.8 ms and
	// p90 3.0 ms on a busy machine; as one, 0.7 and 1.1 ms.
	err = s.onConn(ctx, func(pc *pgx.Conn) error {
		b := &pgx.Batch{}
		b.Queue("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
		b.Queue("SELECT coalesce((SELECT n FROM project_event_seqs WHERE project_id = $1), 0)", projectID)
		b.Queue(touchedQuery, projectID, since, limit)
		b.Queue(changedCardsQuery, projectID, since, limit)
		b.Queue("COMMIT")
		br := pc.SendBatch(ctx, b)
		defer br.Close()
		if _, err := br.Exec(); err != nil {
			return err
		}
		if err := br.QueryRow().Scan(&d.Seq); err != nil {
			return err
		}
		rows, _ := br.Query()
		var err error
		if d.Touched, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
			return err
		}
		rows, _ = br.Query()
		if d.Cards, err = pgx.CollectRows(rows, scanCard); err != nil {
			return err
		}
		if _, err := br.Exec(); err != nil {
			return err
		}
		return br.Close()
	})
	if err != nil {
		return d, false, wrap(fmt.Sprintf("board %d changes", projectID), err)
	}
	if d.Seq < since || d.Seq-since > int64(limit) {
		return BoardDelta{Seq: d.Seq}, false, nil
	}
	d.Cards = cardsFor(a, d.Cards)
	return d, true, nil
}
