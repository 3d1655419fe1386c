package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// Notification channels. A payload names only what changed; listeners read
// the rows themselves, since NOTIFY is a doorbell, not a queue.
const (
	EventsChannel = "doska_events" // "<project>:<seq>"
	UsersChannel  = "doska_users"  // "<user>": sessions or access changed
)

// newEvent is an event a command is about to append.
type newEvent struct {
	project int64
	kind    models.EventKind
	actor   int64
	task    int64
	staff   any
	client  any // nil: staff only
	// quote is the amount of a quote_sent event, kept outside the payloads
	// (see priceQuote).
	quote *models.Money
}

// queueEvent adds to the batch that commits a command the statement that
// numbers the event with the project's counter, stores it and rings the
// doorbell: the event exists and is announced if and only if the change
// commits.
func queueEvent(b *pgx.Batch, ev newEvent) error {
	staff, err := json.Marshal(ev.staff)
	if err != nil {
		return fmt.Errorf("store: encode event: %w", err)
	}
	var client *string
	if ev.client != nil {
		b, err := json.Marshal(ev.client)
		if err != nil {
			return fmt.Errorf("store: encode event: %w", err)
		}
		s := string(b)
		client = &s
	}
	cents, currency := moneyColumns(ev.quote)
	b.Queue(`
WITH s AS (
    INSERT INTO project_event_seqs AS c (project_id, n) VALUES ($1, 1)
    ON CONFLICT (project_id) DO UPDATE SET n = c.n + 1
    RETURNING n
), e AS (
    INSERT INTO events (project_id, seq, kind, actor_id, task_id, payload, client_payload, quote_amount_cents, quote_currency)
    SELECT $1, s.n, $2, $3, $4, $5, $6, $7, $8 FROM s
    RETURNING seq
)
SELECT pg_notify($9, $10 || e.seq) FROM e`,
		ev.project, string(ev.kind), nullID(ev.actor), nullID(ev.task), string(staff), client, cents, currency,
		EventsChannel, strconv.FormatInt(ev.project, 10)+":")
	return nil
}

// ProjectsChannel rings when the projects of a client changed in a way
// lists across projects show: one was added, archived, renamed, or got
// other members. The payload is the client's ID: staff and that client's
// users read their lists again.
const ProjectsChannel = "doska_projects"

func notifyProjects(tx *gorm.DB, clientID int64) error {
	return wrap("notify projects", tx.Exec("SELECT pg_notify(?, ?)", ProjectsChannel, strconv.FormatInt(clientID, 10)).Error)
}

// notifyUser tells every instance that a user's sessions or access changed,
// so their open sockets are checked again at once.
func notifyUser(tx *gorm.DB, userID int64) error {
	return wrap("notify user", tx.Exec("SELECT pg_notify(?, ?)", UsersChannel, strconv.FormatInt(userID, 10)).Error)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const eventColumns = "events.project_id, events.seq, events.kind, events.actor_id, events.task_id, " +
	"events.payload, events.client_payload, events.created_at, coalesce(users.name, '') AS actor_name"

// EventsAfter returns up to limit events of a project with seq > after, in
// order. The live hub reads through it.
func (s *Store) EventsAfter(ctx context.Context, project, after int64, limit int) ([]models.Event, error) {
	var list []models.Event
	err := s.db.WithContext(ctx).Table("events").Select(eventColumns).
		Joins("LEFT JOIN users ON users.id = events.actor_id").
		Where("events.project_id = ? AND events.seq > ?", project, after).
		Order("events.seq").Limit(limit).Find(&list).Error
	return list, wrap(fmt.Sprintf("events of project %d after %d", project, after), err)
}

// LatestSeqs returns the current event number of each project (0 for a
// project without events). The hub's safety-net poll compares them with
// what it delivered.
func (s *Store) LatestSeqs(ctx context.Context, projects []int64) (map[int64]int64, error) {
	return projectSeqs(s.db.WithContext(ctx), projects)
}

// Seqs returns the current event number of every open project the actor
// can see: lists across projects read it first, then the list, and follow
// the projects live from there.
func (s *Store) Seqs(ctx context.Context, a models.Actor) (map[int64]int64, error) {
	var rows []struct {
		ID int64 `gorm:"column:id"`
		N  int64 `gorm:"column:n"`
	}
	err := scopeProjects(s.db.WithContext(ctx).Table("projects").Select("projects.id, coalesce(project_event_seqs.n, 0) AS n").
		Joins("LEFT JOIN project_event_seqs ON project_event_seqs.project_id = projects.id").
		Where("projects.archived_at IS NULL"), a.ProjectScope()).Find(&rows).Error
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.ID] = r.N
	}
	return out, wrap("seqs", err)
}

// projectSeqs reads the current event number of each project (0 for a
// project without events) in one query.
func projectSeqs(tx *gorm.DB, projects []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(projects))
	for _, id := range projects {
		out[id] = 0
	}
	if len(projects) == 0 {
		return out, nil
	}
	var rows []struct {
		ProjectID int64 `gorm:"column:project_id"`
		N         int64 `gorm:"column:n"`
	}
	err := tx.Table("project_event_seqs").Where("project_id IN ?", projects).Find(&rows).Error
	for _, r := range rows {
		out[r.ProjectID] = r.N
	}
	return out, wrap("project seqs", err)
}

// Activity returns a task's history as the actor may see it, oldest first.
func (s *Store) Activity(ctx context.Context, a models.Actor, taskID int64) ([]models.Event, error) {
	db := s.db.WithContext(ctx)
	t, err := s.taskForRead(db, a, taskID)
	if err != nil {
		return nil, err
	}
	money, err := seesMoney(db, a)
	if err != nil {
		return nil, err
	}
	// A quote's amount (priceQuote) rides along for a reader who sees money.
	var list []struct {
		models.Event
		QuoteCents    *int64  `gorm:"column:quote_amount_cents"`
		QuoteCurrency *string `gorm:"column:quote_currency"`
	}
	q := db.Table("events").Select(eventColumns+", events.quote_amount_cents, events.quote_currency").
		Joins("LEFT JOIN users ON users.id = events.actor_id").
		Where("events.project_id = ? AND events.task_id = ?", t.ProjectID, taskID)
	if !a.IsStaff() {
		q = q.Where("events.client_payload IS NOT NULL")
	}
	if err := q.Order("events.seq").Limit(1000).Find(&list).Error; err != nil {
		return nil, wrap("activity", err)
	}
	out := make([]models.Event, 0, len(list))
	for _, e := range list {
		v, ok := e.For(a)
		if !ok {
			continue
		}
		if money && e.QuoteCents != nil && e.QuoteCurrency != nil {
			v.QuoteAmount = &models.Money{AmountCents: *e.QuoteCents, Currency: *e.QuoteCurrency}
		}
		out = append(out, v)
	}
	return out, nil
}
