package store

// Client requests: the intake form, the triage inbox of requests nobody
// picked up, and who waits for whom across the agency and per client.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// FileRequest files a client's request on one of their company's projects:
// a card in set, marked as a request. A critical bug alerts the PMs and the
// project's people in the same transaction (CreateTask's notices).
func (s *Store) FileRequest(ctx context.Context, a models.Actor, projectID int64, in models.Intake) (models.Task, error) {
	if a.Role != models.RoleClient {
		// Staff put cards on the board; a request is the client's voice.
		return models.Task{}, fmt.Errorf("store: file request: %w", models.ErrForbidden)
	}
	probs := models.Problems{}
	if projectID <= 0 {
		probs.Add("project_id", models.RequestProject)
	}
	f := in.Fields(probs)
	f.Apply(&models.Task{}, probs) // every field's problem at once, not the kind's alone
	if err := probs.Err(); err != nil {
		return models.Task{}, err
	}
	return s.CreateTask(ctx, a, NewTask{ProjectID: projectID, Fields: f, Files: in.Files})
}

// TriageCard is a row of the triage inbox.
type TriageCard struct {
	ListedCard
	ReporterName string `gorm:"column:reporter_name" json:"reporter_name"`
}

// TriageMax is how many requests the inbox shows at once: more than a PM
// picks up in a sitting, and the page stays fast with thousands open.
const TriageMax = 100

// triageOrder is most pressing first, then first in, first out; the
// expression is the one tasks_triage_idx is built on.
const triageOrder = "CASE tasks.priority WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, tasks.created_at, tasks.id"

// Triage lists the client requests nobody picked up (no assignee, still in
// set) for those who triage them.
func (s *Store) Triage(ctx context.Context, a models.Actor) ([]TriageCard, error) {
	if !a.Can(models.ActTriage) {
		return nil, fmt.Errorf("store: triage: %w", models.ErrForbidden)
	}
	q := cardsAcross(s.db.WithContext(ctx), a, "tasks.request AND tasks.status = ? AND tasks.assignee_id IS NULL", models.StatusSet).
		Select(listedColumns + ", (SELECT name FROM users WHERE users.id = tasks.reporter_id) AS reporter_name").
		Order(triageOrder).Limit(TriageMax)
	list := []TriageCard{}
	if err := q.Find(&list).Error; err != nil {
		return nil, wrap("triage", err)
	}
	return list, s.withClocks(s.db.WithContext(ctx), len(list), func(i int) *ListedCard { return &list[i].ListedCard })
}

// WaitingCard is a card with whose move it is, why and since when.
type WaitingCard struct {
	ListedCard
	Wait models.Wait `gorm:"-" json:"wait"`
	// BusinessSeconds is how long a client request under an SLA has
	// waited, counted in the agency's business hours as its clocks are;
	// other cards wait in calendar time, which the reader counts.
	BusinessSeconds *int64     `gorm:"-" json:"business_seconds,omitempty"`
	ClientRepliedAt *time.Time `gorm:"column:client_replied_at" json:"-"`
	StaffRepliedAt  *time.Time `gorm:"column:staff_replied_at" json:"-"`
	FirstResponseAt *time.Time `gorm:"column:first_response_at" json:"-"`
}

// WaitLists splits cards by whose move it is, longest wait first.
type WaitLists struct {
	Agency []WaitingCard `json:"agency"`
	Client []WaitingCard `json:"client"`
}

// WaitMax bounds the open cards one waiting list reads.
const WaitMax = 2000

// publicReply is the time of a card's first or latest public comment by
// one side (client users, or staff).
func publicReply(agg, side string) string {
	return `(SELECT ` + agg + `(c.created_at) FROM comments c JOIN users u ON u.id = c.author_id
		WHERE c.task_id = tasks.id AND NOT c.internal AND u.role ` + side + ` 'client')`
}

var waitColumns = listedColumns + ", " + publicReply("max", "=") + " AS client_replied_at, " +
	publicReply("max", "<>") + " AS staff_replied_at, " + publicReply("min", "<>") + " AS first_response_at"

// waitLists reads the open cards the query selects and sorts them by the
// one rule of who waits for whom, with the SLA clocks of client requests;
// ordinary work is left out unless asked.
func (s *Store) waitLists(q *gorm.DB, a models.Actor, withWork bool) (WaitLists, error) {
	var cards []WaitingCard
	// "Not done" as tasks_open_idx is built, so a developer's or a client's
	// list reads their projects' open cards, not every card.
	if err := q.Select(waitColumns).Where("tasks.status <> 'done'").
		Order("tasks.status_changed_at, tasks.id").Limit(WaitMax).Find(&cards).Error; err != nil {
		return WaitLists{}, wrap("waiting", err)
	}
	out := WaitLists{Agency: []WaitingCard{}, Client: []WaitingCard{}}
	for _, c := range cards {
		c.Wait = models.Whose(models.WaitFacts{Status: c.Status, ApprovalState: c.ApprovalState,
			StatusChangedAt: c.StatusChangedAt, CreatedAt: c.CreatedAt, ApprovedAt: c.ApprovedAt,
			ClientRequest: c.Request, ClientRepliedAt: c.ClientRepliedAt, StaffRepliedAt: c.StaffRepliedAt,
			FirstResponseAt: c.FirstResponseAt})
		c.Task = c.Task.For(a)
		switch {
		case c.Wait.Whose == models.PartyClient:
			out.Client = append(out.Client, c)
		case c.Wait.Whose == models.PartyAgency && (withWork || c.Wait.Reason != models.WaitWork):
			out.Agency = append(out.Agency, c)
		}
	}
	bySince := func(x, y WaitingCard) int { return cmp.Or(x.Wait.Since.Compare(y.Wait.Since), cmp.Compare(x.ID, y.ID)) }
	slices.SortStableFunc(out.Agency, bySince)
	slices.SortStableFunc(out.Client, bySince)
	card := func(i int) *ListedCard {
		if i < len(out.Agency) {
			return &out.Agency[i].ListedCard
		}
		return &out.Client[i-len(out.Agency)].ListedCard
	}
	tx := q.Session(&gorm.Session{NewDB: true})
	n := len(out.Agency) + len(out.Client)
	if err := s.withClocks(tx, n, card); err != nil {
		return WaitLists{}, err
	}
	return out, s.withBusinessWait(tx, out)
}

// withBusinessWait counts the wait of each listed client request under an
// SLA (those with clocks) in business hours.
func (s *Store) withBusinessWait(tx *gorm.DB, out WaitLists) error {
	var cal *models.Calendar
	now := s.now()
	for _, list := range [][]WaitingCard{out.Agency, out.Client} {
		for i := range list {
			c := &list[i]
			if c.SLA == nil {
				continue
			}
			if cal == nil {
				read, err := s.calendar(tx)
				if err != nil {
					return err
				}
				cal = &read
			}
			secs := int64(cal.Between(c.Wait.Since, now) / time.Second)
			c.BusinessSeconds = &secs
		}
	}
	return nil
}

// Waiting is the staff's "who waits for whom": what waits on the agency
// (new requests, answers nobody acted on, changes requested, approved but
// not deployed) and what waits on the client (questions, approvals).
func (s *Store) Waiting(ctx context.Context, a models.Actor) (WaitLists, error) {
	if !a.IsStaff() {
		return WaitLists{}, fmt.Errorf("store: waiting list: %w", models.ErrForbidden)
	}
	return s.waitLists(cardsAcross(s.db.WithContext(ctx), a, "TRUE"), a, false)
}

// ClientOverview is every open card of one client across their projects,
// grouped by whose move it is: what a PM reads before the weekly workshop.
func (s *Store) ClientOverview(ctx context.Context, a models.Actor, clientID int64) (WaitLists, error) {
	if !a.IsStaff() {
		return WaitLists{}, fmt.Errorf("store: client overview: %w", models.ErrForbidden)
	}
	db := s.db.WithContext(ctx)
	if _, err := s.client(db, a, clientID); err != nil {
		return WaitLists{}, err
	}
	return s.waitLists(cardsAcross(db, a, "clients.id = ?", clientID), a, true)
}
