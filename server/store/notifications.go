package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/mail"
)

// NotificationsChannel announces "<user>": that user has a new notification.
const NotificationsChannel = "doska_notifications"

// recipients selects users to notify about a task; it runs in SQL so the
// candidates are read in the same transaction as the change.
type recipients struct {
	ids     []int64
	sql     string // a query returning user IDs, when ids is nil
	sqlArgs []any
}

func idsOf(ids models.IDs) recipients { return recipients{ids: ids} }

// clientUsersOf is every active user of the project's client company.
func clientUsersOf(project int64) recipients {
	return recipients{sql: "SELECT u.id FROM users u JOIN projects p ON p.client_id = u.client_id WHERE p.id = ?", sqlArgs: []any{project}}
}

// assigneeOrManagers is the card's assignee, or when there is none the
// managers on the project.
func assigneeOrManagers(t models.Task) recipients {
	if t.AssigneeID != nil {
		return recipients{ids: []int64{*t.AssigneeID}}
	}
	return managersOf(t.ProjectID)
}

// managersOf is the managers on the project.
func managersOf(project int64) recipients {
	return recipients{sql: `SELECT m.user_id FROM project_members m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = ? AND u.role = 'manager'`, sqlArgs: []any{project}}
}

// recipientsOf are the people a step of the status flow tells.
func recipientsOf(to models.Recipients, t models.Task) recipients {
	switch to {
	case models.ClientUsers:
		return clientUsersOf(t.ProjectID)
	case models.AssigneeOrManagers:
		return assigneeOrManagers(t)
	case models.Managers:
		return managersOf(t.ProjectID)
	}
	return recipients{ids: []int64{}}
}

// notify records a notification of kind about t for the recipients who
// can see the task now (never the actor), and rings their doorbells. It is
// part of the command's transaction: no change, no notification. Who they
// are is read now; the notifications and their mails go in with the
// commit (outbox.atCommit), two round trips fewer on a question.
func notify(tx *gorm.DB, out *outbox, a models.Actor, t models.Task, kind models.NotificationKind, to recipients) error {
	if to.ids != nil && len(to.ids) == 0 {
		return nil
	}
	candidates := to.sql
	args := to.sqlArgs
	if to.ids != nil {
		candidates, args = "SELECT unnest(?::bigint[])", []any{pgArray(to.ids)}
	}
	users, err := readers(tx, a, t.ProjectID, candidates, args)
	if err != nil || len(users) == 0 {
		return err
	}
	out.atCommit("notify", ringing(`INSERT INTO notifications (user_id, kind, task_id, project_id, actor_id)
		SELECT unnest(?::bigint[]), ?::text, ?::bigint, ?::bigint, ?::bigint`),
		pgArray(users), kind, t.ID, t.ProjectID, nullID(a.UserID), NotificationsChannel)
	return mailNotice(tx, out, a, t, kind, users)
}

// notifyUsers runs insert, an INSERT INTO notifications, and tells each
// recipient's open tabs that a notification arrived, in the same statement.
func notifyUsers(tx *gorm.DB, insert string, args ...any) error {
	return wrap("notify", tx.Exec(ringing(insert), append(args, NotificationsChannel)...).Error)
}

// ringing makes insert, an INSERT INTO notifications, also ring the
// doorbell of each recipient's open tabs; its last argument is the
// channel.
func ringing(insert string) string {
	return "WITH n AS (" + insert + " RETURNING user_id) SELECT pg_notify(?, n.user_id::text) FROM n"
}

// pgArray writes IDs as a PostgreSQL array literal; GORM would otherwise
// expand a slice into a list of parameters.
func pgArray(ids []int64) string {
	b := []byte{'{'}
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, '}'))
}

// notifyChanges tells people about an edit that concerns them: the new
// assignee (told it as assigned), and everyone on call when a card turns
// critical. A critical card handed to someone alerts them as critical work.
func notifyChanges(tx *gorm.DB, out *outbox, a models.Actor, before, t models.Task, assigned models.NotificationKind) error {
	critical := t.Priority == models.PriorityCritical
	if critical && before.Priority != models.PriorityCritical {
		return notify(tx, out, a, t, models.NoteCritical, criticalRecipients(t))
	}
	if t.AssigneeID != nil && !equalPtr(before.AssigneeID, t.AssigneeID) {
		kind := assigned
		if critical {
			kind = models.NoteCritical
		}
		return notify(tx, out, a, t, kind, recipients{ids: []int64{*t.AssigneeID}})
	}
	return nil
}

// criticalRecipients are who is alerted when a site is down: every PM, and
// the card's assignee or, without one, the project's staff members.
func criticalRecipients(t models.Task) recipients {
	if t.AssigneeID != nil {
		return recipients{sql: "SELECT id FROM users WHERE role = 'manager' OR id = ?", sqlArgs: []any{*t.AssigneeID}}
	}
	return recipients{sql: `SELECT id FROM users WHERE role = 'manager'
		UNION SELECT m.user_id FROM project_members m JOIN users u ON u.id = m.user_id WHERE m.project_id = ? AND u.role <> 'client'`,
		sqlArgs: []any{t.ProjectID}}
}

// Notifications is a user's inbox: the newest notices about tasks they can
// still see, and how many are unread.
type Notifications struct {
	Unread int                   `json:"unread"`
	Items  []models.Notification `json:"items"`
}

// visibleNotifications are the actor's notices about a card they can still
// see, or about a workshop they can open.
func visibleNotifications(tx *gorm.DB, a models.Actor) *gorm.DB {
	cond := tx.Session(&gorm.Session{NewDB: true})
	onTask := scopeProjects(cond.Where("tasks.id IS NOT NULL AND tasks.archived_at IS NULL"), a.ProjectScope())
	workshops := workshopsOf(tx.Session(&gorm.Session{NewDB: true}), a).Select("workshops.id")
	if !a.IsStaff() {
		workshops = workshops.Where("workshops.state = ?", models.WorkshopPublished)
	}
	return tx.Table("notifications").
		Joins("LEFT JOIN tasks ON tasks.id = notifications.task_id").
		Joins("LEFT JOIN projects ON projects.id = notifications.project_id").
		Where("notifications.user_id = ?", a.UserID).
		Where(onTask.Or("notifications.workshop_id IN (?)", workshops).
			Or("notifications.package_id IN (?)", packagesOf(tx.Session(&gorm.Session{NewDB: true}), a)))
}

// packagesOf are the hour packages whose notices the actor may read:
// every one for managers and admins, their company's for a client's user,
// none for developers (they never see package money).
func packagesOf(tx *gorm.DB, a models.Actor) *gorm.DB {
	q := tx.Table("hour_packages").Select("hour_packages.id")
	switch {
	case a.Can(models.ActManageClients):
		return q
	case a.Role == models.RoleClient && a.ClientID != 0:
		return q.Where("hour_packages.client_id = ?", a.ClientID)
	}
	return q.Where("false")
}

// ListNotifications returns the newest 50 notifications of the actor.
func (s *Store) ListNotifications(ctx context.Context, a models.Actor) (Notifications, error) {
	db := s.db.WithContext(ctx)
	out := Notifications{Items: []models.Notification{}}
	var unread int64
	if err := visibleNotifications(db, a).Where("notifications.read_at IS NULL").Count(&unread).Error; err != nil {
		return out, wrap("notifications", err)
	}
	out.Unread = int(unread)
	err := visibleNotifications(db, a).
		Select(`notifications.id, notifications.user_id, notifications.kind, coalesce(notifications.task_id, 0) AS task_id,
			coalesce(notifications.project_id, 0) AS project_id, notifications.workshop_id, notifications.actor_id,
			notifications.created_at, notifications.read_at, coalesce(tasks.number, 0) AS task_number,
			coalesce(tasks.title, '') AS task_title, coalesce(projects.name, '') AS project_name,
			coalesce(users.name, '') AS actor_name, w.starts_at AS workshop_starts_at, coalesce(c.name, '') AS client_name,
			notifications.package_id, notifications.package_level, notifications.package_left_minutes,
			coalesce(hp.name, '') AS package_name, coalesce(hp.kind, '') AS package_kind, coalesce(c.id, 0) AS client_id`).
		Joins("LEFT JOIN users ON users.id = notifications.actor_id").
		Joins("LEFT JOIN workshops w ON w.id = notifications.workshop_id").
		Joins("LEFT JOIN hour_packages hp ON hp.id = notifications.package_id").
		Joins("LEFT JOIN clients c ON c.id = coalesce(w.client_id, hp.client_id)").
		Order("notifications.id DESC").Limit(50).Find(&out.Items).Error
	return out, wrap("notifications", err)
}

// notifyWorkshopPublished tells the client's active users in the bell that
// their workshop's summary is out, and mails it to them, each in their
// language and as they chose for this kind of mail. The mail holds the
// summary as the client reads it: nothing internal.
func notifyWorkshopPublished(tx *gorm.DB, a models.Actor, id int64) error {
	w, err := readWorkshop(tx, a, id, false)
	if err != nil {
		return err
	}
	var users []int64
	err = tx.Table("users").Where("client_id = ? AND role = 'client' AND active AND id <> ?", w.ClientID, a.UserID).
		Order("id").Pluck("id", &users).Error
	if err != nil || len(users) == 0 {
		return wrap("workshop readers", err)
	}
	err = notifyUsers(tx, `INSERT INTO notifications (user_id, kind, workshop_id, actor_id)
		SELECT unnest(?::bigint[]), ?::text, ?::bigint, ?::bigint`, pgArray(users), models.NoteWorkshopSummary, w.ID, nullID(a.UserID))
	if err != nil {
		return err
	}
	w.State = models.WorkshopPublished
	read, _ := w.For(models.Actor{Role: models.RoleClient, ClientID: w.ClientID})
	d := mail.Data{Project: read.ClientName, Title: read.StartsAt.UTC().Format(time.DateOnly), Summary: summaryMail(read)}
	if err := tx.Raw("SELECT name FROM users WHERE id = ?", a.UserID).Row().Scan(&d.Actor); err != nil {
		return wrap("workshop mail", err)
	}
	return queueMail(tx, mail.WorkshopSummary, users, nil, d)
}

// summaryMail is a published workshop as its mail tells it.
func summaryMail(w models.Workshop) *mail.Summary {
	s := &mail.Summary{Workshop: w.ID}
	for _, it := range w.Items {
		s.Points = append(s.Points, mail.Point{Title: it.Title, Decision: it.Decision})
	}
	for _, c := range w.Cards {
		card := mail.Card{Number: c.Number, Title: c.Title, EstimateMinutes: c.EstimateMinutes}
		if c.ClientTodo {
			card.EstimateMinutes = nil
			s.Todos = append(s.Todos, card)
		} else {
			s.Tasks = append(s.Tasks, card)
		}
	}
	if w.NextMeeting != nil {
		s.NextMeeting = w.NextMeeting.String()
	}
	return s
}

// MarkRead marks the given notifications of the actor read, or all of
// them when ids is empty.
func (s *Store) MarkRead(ctx context.Context, a models.Actor, ids []int64) error {
	if len(ids) > 500 {
		return models.Invalid("ids", models.NotificationsTooMany, 500)
	}
	q := s.db.WithContext(ctx).Table("notifications").Where("user_id = ? AND read_at IS NULL", a.UserID)
	if len(ids) > 0 {
		q = q.Where("id IN ?", ids)
	}
	return wrap(fmt.Sprintf("mark read for user %d", a.UserID), q.Update("read_at", s.now()).Error)
}
