package store

// Month-end statements. A draft is computed from the client's billable
// entries each time it is read; issuing it numbers it, stores what it
// reads as a snapshot that is never computed again, and locks its entries
// (time_entries.statement_id, which a trigger also guards). The entries a
// statement lists are those of the period no issued statement holds yet,
// so periods that overlap never bill an entry twice.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// StatementSummary is one line of a client's list of statements; the
// figures are an issued statement's (a draft's change until it is issued).
type StatementSummary struct {
	ID          int64       `json:"id" gorm:"column:id"`
	Number      *string     `json:"number" gorm:"column:number"`
	From        models.Date `json:"from" gorm:"column:period_from"`
	To          models.Date `json:"to" gorm:"column:period_to"`
	IssuedAt    *time.Time  `json:"issued_at" gorm:"column:issued_at"`
	Minutes     *int        `json:"minutes" gorm:"column:minutes"`
	AmountCents *int64      `json:"amount_cents" gorm:"column:amount_cents"`
	Currency    *string     `json:"currency" gorm:"column:currency"`
}

// statementRow is a statement as stored.
type statementRow struct {
	ID       int64       `gorm:"column:id"`
	ClientID int64       `gorm:"column:client_id"`
	From     models.Date `gorm:"column:period_from"`
	To       models.Date `gorm:"column:period_to"`
	Number   *string     `gorm:"column:number"`
	Snapshot []byte      `gorm:"column:snapshot"`
}

// seesMoney reports whether the actor reads amounts (show_money_to_devs).
func seesMoney(tx *gorm.DB, a models.Actor) (bool, error) {
	set, err := readSettings(tx)
	return a.SeesMoney(set.ShowMoneyToDevs), err
}

// Statements lists a client's statements, newest period first: staff who
// see the client read drafts too; the client's users only issued ones.
func (s *Store) Statements(ctx context.Context, a models.Actor, clientID int64) ([]StatementSummary, error) {
	db := s.db.WithContext(ctx)
	if _, err := s.client(db, a, clientID); err != nil {
		return nil, err
	}
	money, err := seesMoney(db, a)
	if err != nil {
		return nil, err
	}
	q := db.Table("statements").Select(`id, number, period_from, period_to, issued_at,
		(snapshot->>'minutes')::int AS minutes, (snapshot->>'amount_cents')::bigint AS amount_cents, snapshot->>'currency' AS currency`).
		Where("client_id = ?", clientID)
	if !a.CanReadStatement(clientID, false) {
		q = q.Where("number IS NOT NULL")
	}
	out := []StatementSummary{}
	if err := q.Order("period_from DESC, id DESC").Limit(500).Find(&out).Error; err != nil {
		return nil, wrap("statements", err)
	}
	if !money {
		for i := range out {
			out[i].AmountCents = nil
		}
	}
	return out, nil
}

// CreateStatement opens a draft statement of a client for a period
// (managers and admins).
func (s *Store) CreateStatement(ctx context.Context, a models.Actor, clientID int64, from, to models.Date) (models.Statement, error) {
	var out models.Statement
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if _, err := s.client(tx, a, clientID); err != nil {
			return err
		}
		if !a.Can(models.ActManageClients) {
			return fmt.Errorf("store: statement of client %d: %w", clientID, models.ErrForbidden)
		}
		probs := models.Problems{}
		models.CheckPeriod(probs, from, to)
		if err := probs.Err(); err != nil {
			return err
		}
		var id int64
		if err := tx.Raw("INSERT INTO statements (client_id, period_from, period_to) VALUES (?, ?, ?) RETURNING id",
			clientID, from, to).Row().Scan(&id); err != nil {
			return wrap("create statement", err)
		}
		var err error
		out, err = s.renderStatement(tx, a, id, false)
		return err
	})
	return out, err
}

// DefaultPeriod is a new statement's period: the last calendar month in
// the agency's time zone.
func (s *Store) DefaultPeriod(ctx context.Context) (from, to models.Date, err error) {
	loc, err := agencyZone(s.db.WithContext(ctx))
	if err != nil {
		return from, to, err
	}
	from, to = models.LastMonth(s.now(), loc)
	return from, to, nil
}

// Statement reads a statement the actor may see: an issued one as it was
// issued, a draft as its entries stand now.
func (s *Store) Statement(ctx context.Context, a models.Actor, id int64) (models.Statement, error) {
	return s.renderStatement(s.db.WithContext(ctx), a, id, false)
}

// loadStatement reads a statement of a client the actor sees (else not
// found), locked when lock is set; a client's user never sees a draft.
func (s *Store) loadStatement(tx *gorm.DB, a models.Actor, id int64, lock bool) (statementRow, models.Client, error) {
	var row statementRow
	q := tx.Table("statements").Where("id = ?", id)
	if lock {
		q = q.Clauses(forUpdateOf("statements"))
	}
	if err := q.Take(&row).Error; err != nil {
		return row, models.Client{}, wrap(fmt.Sprintf("statement %d", id), err)
	}
	c, err := s.client(tx, a, row.ClientID)
	if err != nil {
		return row, c, err
	}
	if !a.CanReadStatement(row.ClientID, row.Number != nil) {
		return row, c, fmt.Errorf("store: statement %d: %w", id, models.ErrNotFound)
	}
	return row, c, nil
}

// renderStatement reads statement id for the actor: the snapshot of an
// issued one, else the draft computed from its entries (locking them when
// lock is set, for issuing). Money is left out for whoever may not see it.
func (s *Store) renderStatement(tx *gorm.DB, a models.Actor, id int64, lock bool) (models.Statement, error) {
	row, c, err := s.loadStatement(tx, a, id, lock)
	if err != nil {
		return models.Statement{}, err
	}
	var st models.Statement
	if row.Snapshot != nil {
		if err := json.Unmarshal(row.Snapshot, &st); err != nil {
			return st, fmt.Errorf("store: statement %d snapshot: %w", id, err)
		}
	} else if st, err = s.draft(tx, row, c, lock); err != nil {
		return st, err
	}
	money, err := seesMoney(tx, a)
	if !money {
		st.HideMoney()
	}
	return st, err
}

// draft computes a draft from the client's finished billable entries of
// the period (days of the agency's zone) that no issued statement holds.
func (s *Store) draft(tx *gorm.DB, row statementRow, c models.Client, lock bool) (models.Statement, error) {
	st := models.Statement{ID: row.ID, ClientID: c.ID, ClientName: c.Name, From: row.From, To: row.To}
	loc, err := agencyZone(tx)
	if err != nil {
		return st, err
	}
	set, err := readSettings(tx)
	if err != nil {
		return st, err
	}
	r, err := rates(tx, c.ID)
	if err != nil {
		return st, err
	}
	from := time.Date(row.From.Year(), row.From.Month(), row.From.Day(), 0, 0, 0, 0, loc)
	to := time.Date(row.To.Year(), row.To.Month(), row.To.Day()+1, 0, 0, 0, 0, loc)
	lockRows := ""
	if lock {
		lockRows = " FOR UPDATE OF e"
	}
	q := tx.Raw(`SELECT e.id, e.task_id, t.number AS task_number, t.title AS task_title, e.project_id, p.name AS project_name,
	e.started_at, e.minutes, e.note, e.internal, n.note AS wording
FROM time_entries e JOIN tasks t ON t.id = e.task_id JOIN projects p ON p.id = e.project_id
LEFT JOIN statement_notes n ON n.statement_id = ? AND n.entry_id = e.id
WHERE p.client_id = ? AND e.billable AND e.ended_at IS NOT NULL AND e.statement_id IS NULL
	AND e.started_at >= ? AND e.started_at < ?
ORDER BY e.started_at, e.id`+lockRows, row.ID, c.ID, from, to)
	var list []models.StatementEntry
	if err := q.Scan(&list).Error; err != nil {
		return st, wrap("statement entries", err)
	}
	models.BuildStatement(&st, list, r, set.TimeRounding, loc)
	b, err := clientBalance(tx, c.ID, row.From, row.To)
	st.SetBalance(b, r)
	return st, err
}

// lockDraft loads and locks a draft a manager changes: an issued
// statement no longer changes.
func (s *Store) lockDraft(tx *gorm.DB, a models.Actor, id int64) (statementRow, models.Client, error) {
	row, c, err := s.loadStatement(tx, a, id, true)
	switch {
	case err != nil:
		return row, c, err
	case !a.Can(models.ActManageClients):
		return row, c, fmt.Errorf("store: statement %d: %w", id, models.ErrForbidden)
	case row.Number != nil:
		return row, c, models.Locked("statement", models.StatementIssued)
	}
	return row, c, nil
}

// SetStatementNote sets the wording of an entry's note on a draft, as the
// client will read it; the entry keeps its own note.
func (s *Store) SetStatementNote(ctx context.Context, a models.Actor, id, entryID int64, note string) (models.Statement, error) {
	var out models.Statement
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if _, _, err := s.lockDraft(tx, a, id); err != nil {
			return err
		}
		probs := models.Problems{}
		models.CheckNote(probs, note)
		if err := probs.Err(); err != nil {
			return err
		}
		draft, err := s.renderStatement(tx, a, id, false)
		if err != nil {
			return err
		}
		if !slices.Contains(draft.EntryIDs(), entryID) {
			return models.Invalid("entry_id", models.StatementEntryIn)
		}
		if err := tx.Exec(`INSERT INTO statement_notes (statement_id, entry_id, note) VALUES (?, ?, ?)
			ON CONFLICT (statement_id, entry_id) DO UPDATE SET note = excluded.note`, id, entryID, note).Error; err != nil {
			return wrap("statement note", err)
		}
		out, err = s.renderStatement(tx, a, id, false)
		return err
	})
	return out, err
}

// IssueStatement gives a draft the year's next number, stores it as it
// reads now and locks its entries, all in one transaction: the number
// counter's row lock makes concurrent issuers take turns, and a rollback
// gives the number back, so numbers have no gaps.
func (s *Store) IssueStatement(ctx context.Context, a models.Actor, id int64) (models.Statement, error) {
	var out models.Statement
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		row, c, err := s.lockDraft(tx, a, id)
		if err != nil {
			return err
		}
		st, err := s.draft(tx, row, c, true)
		if err != nil {
			return err
		}
		loc, err := agencyZone(tx)
		if err != nil {
			return err
		}
		now := s.now().Truncate(time.Microsecond)
		var n int
		if err := tx.Raw(`INSERT INTO statement_numbers (year, last) VALUES (?, 1)
			ON CONFLICT (year) DO UPDATE SET last = statement_numbers.last + 1 RETURNING last`, now.In(loc).Year()).Row().Scan(&n); err != nil {
			return wrap("statement number", err)
		}
		number := models.StatementNumber(now.In(loc).Year(), n)
		st.Number, st.IssuedAt = &number, &now
		snapshot, err := json.Marshal(st)
		if err != nil {
			return fmt.Errorf("store: statement %d snapshot: %w", id, err)
		}
		if err := tx.Exec("UPDATE statements SET number = ?, snapshot = ?, issued_at = ? WHERE id = ?", number, snapshot, now, id).Error; err != nil {
			return wrap("issue statement", err)
		}
		if err := tx.Exec("UPDATE time_entries SET statement_id = ? WHERE id IN (?)", id, st.EntryIDs()).Error; err != nil {
			return wrap("lock statement entries", err)
		}
		if err := tx.Exec("DELETE FROM statement_notes WHERE statement_id = ?", id).Error; err != nil {
			return wrap("issue statement", err)
		}
		out, err = s.renderStatement(tx, a, id, false)
		return err
	})
	return out, err
}

// entryLocked refuses a change to an entry an issued statement holds.
func entryLocked(tx *gorm.DB, e models.TimeEntry) error {
	if e.StatementID == nil {
		return nil
	}
	var number string
	if err := tx.Raw("SELECT number FROM statements WHERE id = ?", *e.StatementID).Row().Scan(&number); err != nil {
		return wrap("statement number", err)
	}
	return models.Locked("entry", models.EntryLocked, number)
}
