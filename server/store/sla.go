package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// A client request is a card whose reporter is a client user. Its clocks
// are computed from its events (the status changes) and its first public
// staff comment, in three set-based queries for any number of requests:
// the requests, their moves, the calendar.

const businessHoursKey = "business_hours"

// readBusinessHours returns the agency's business hours, or the defaults.
func readBusinessHours(tx *gorm.DB) (models.BusinessHours, error) {
	b := models.DefaultBusinessHours
	var raw []byte
	err := tx.Table("settings").Select("value").Where("key = ?", businessHoursKey).Limit(1).Row().Scan(&raw)
	if err == sql.ErrNoRows {
		return b, nil
	}
	if err != nil {
		return b, wrap("business hours", err)
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return b, fmt.Errorf("store: business hours: %w", err)
	}
	return b, nil
}

func (s *Store) calendar(tx *gorm.DB) (models.Calendar, error) {
	b, err := readBusinessHours(tx)
	if err != nil {
		return models.Calendar{}, err
	}
	return b.Calendar()
}

// BusinessHours returns the agency's business hours; every signed-in user
// may read them (clocks are counted in them).
func (s *Store) BusinessHours(ctx context.Context) (models.BusinessHours, error) {
	return readBusinessHours(s.db.WithContext(ctx))
}

// SetBusinessHours replaces the agency's business hours (admins only).
func (s *Store) SetBusinessHours(ctx context.Context, a models.Actor, b models.BusinessHours) (models.BusinessHours, error) {
	if !a.Can(models.ActManageUsers) {
		return b, fmt.Errorf("store: set business hours: %w", models.ErrForbidden)
	}
	b = b.Clean()
	if _, err := b.Calendar(); err != nil {
		return b, err
	}
	v, err := json.Marshal(b)
	if err != nil {
		return b, err
	}
	err = s.db.WithContext(ctx).Exec(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, businessHoursKey, string(v), s.now()).Error
	return b, wrap("set business hours", err)
}

// SLATargets returns a client's targets, one per priority (zero minutes
// where none is set). Anyone who sees the client may read them.
func (s *Store) SLATargets(ctx context.Context, a models.Actor, clientID int64) ([]models.SLATarget, error) {
	db := s.db.WithContext(ctx)
	if _, err := s.client(db, a, clientID); err != nil {
		return nil, err
	}
	return slaTargets(db, clientID)
}

func slaTargets(tx *gorm.DB, clientID int64) ([]models.SLATarget, error) {
	var rows []models.SLATarget
	if err := tx.Table("sla_targets").Where("client_id = ?", clientID).Find(&rows).Error; err != nil {
		return nil, wrap("sla targets", err)
	}
	out := make([]models.SLATarget, len(models.Priorities))
	for i, p := range models.Priorities {
		out[i].Priority = p
		for _, r := range rows {
			if r.Priority == p {
				out[i] = r
			}
		}
	}
	return out, nil
}

// SetSLATargets replaces a client's targets (managers and admins). A
// priority left out keeps no promise.
func (s *Store) SetSLATargets(ctx context.Context, a models.Actor, clientID int64, list []models.SLATarget) ([]models.SLATarget, error) {
	var out []models.SLATarget
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if _, err := s.client(tx, a, clientID); err != nil {
			return err
		}
		if !a.Can(models.ActManageClients) {
			return fmt.Errorf("store: sla targets of client %d: %w", clientID, models.ErrForbidden)
		}
		if err := models.CheckSLATargets(list); err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM sla_targets WHERE client_id = ?", clientID).Error; err != nil {
			return wrap("sla targets", err)
		}
		for _, t := range list {
			if t.FirstResponseMinutes == 0 && t.ResolutionMinutes == 0 {
				continue
			}
			if err := tx.Exec(`INSERT INTO sla_targets (client_id, priority, first_response_minutes, resolution_minutes)
				VALUES (?, ?, ?, ?)`, clientID, t.Priority, t.FirstResponseMinutes, t.ResolutionMinutes).Error; err != nil {
				return wrap("sla targets", err)
			}
		}
		var err error
		out, err = slaTargets(tx, clientID)
		return err
	})
	return out, err
}

// request is a client request with what its clocks need.
type request struct {
	id       int64
	kind     models.Kind
	priority models.Priority
	target   models.SLATarget // zero minutes where none is set
	history  models.RequestHistory
}

// requestsQuery selects client requests with their targets; the caller
// adds the condition ("tasks." columns).
const requestsQuery = `SELECT tasks.id, tasks.kind, tasks.priority, tasks.created_at,
	coalesce(st.first_response_minutes, 0), coalesce(st.resolution_minutes, 0)
FROM tasks
JOIN projects ON projects.id = tasks.project_id
JOIN users reporter ON reporter.id = tasks.reporter_id AND reporter.role = 'client'
LEFT JOIN sla_targets st ON st.client_id = projects.client_id AND st.priority = tasks.priority
WHERE `

// historyQuery reads what the clocks of the requests in $1 are computed
// from, in order: each status change, and each public comment with
// whether staff wrote it (events_sla_idx holds exactly these rows).
const historyQuery = `SELECT e.task_id, e.created_at, coalesce(e.status_to, ''), coalesce(u.role <> 'client', false)
FROM events e LEFT JOIN users u ON u.id = e.actor_id
WHERE e.task_id = ANY(?::bigint[]) AND (e.status_to IS NOT NULL OR (e.kind = 'comment.created' AND e.client_payload IS NOT NULL))
ORDER BY e.task_id, e.seq`

// requests reads the client requests matching where, with their history.
func requests(tx *gorm.DB, where string, args ...any) ([]request, error) {
	rows, err := tx.Raw(requestsQuery+where, args...).Rows()
	if err != nil {
		return nil, wrap("requests", err)
	}
	defer rows.Close()
	var list []request
	index := map[int64]int{}
	ids := []int64{}
	for rows.Next() {
		var r request
		if err := rows.Scan(&r.id, &r.kind, &r.priority, &r.history.CreatedAt,
			&r.target.FirstResponseMinutes, &r.target.ResolutionMinutes); err != nil {
			return nil, wrap("requests", err)
		}
		r.target.Priority = r.priority
		index[r.id] = len(list)
		ids = append(ids, r.id)
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("requests", err)
	}
	if len(list) == 0 {
		return list, nil
	}
	history, err := tx.Raw(historyQuery, pgArray(ids)).Rows()
	if err != nil {
		return nil, wrap("request history", err)
	}
	defer history.Close()
	for history.Next() {
		var id int64
		var at time.Time
		var to models.Status
		var staff bool
		if err := history.Scan(&id, &at, &to, &staff); err != nil {
			return nil, wrap("request history", err)
		}
		h := &list[index[id]].history
		switch {
		case to != "":
			h.Moves = append(h.Moves, models.StatusMove{At: at, To: to})
		case staff && h.FirstStaffReply == nil:
			h.FirstStaffReply = &at
		}
	}
	return list, wrap("request history", history.Err())
}

// Clocks returns the SLA clocks of the open client requests on a board, by
// card ID; requests without a target have none.
func (s *Store) Clocks(ctx context.Context, a models.Actor, projectID int64) (map[int64]models.SLA, error) {
	out := map[int64]models.SLA{}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := access(tx, a, projectID); err != nil {
			return err
		}
		return s.clocksOf(tx, out, "tasks.project_id = ? AND tasks.archived_at IS NULL", projectID)
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	return out, err
}

// clocksOf adds the clocks of the requests matching where to out.
func (s *Store) clocksOf(tx *gorm.DB, out map[int64]models.SLA, where string, args ...any) error {
	cal, err := s.calendar(tx)
	if err != nil {
		return err
	}
	list, err := requests(tx, where+" AND (st.first_response_minutes > 0 OR st.resolution_minutes > 0)", args...)
	if err != nil {
		return err
	}
	now := s.now()
	for _, r := range list {
		out[r.id] = cal.Clocks(r.history, r.target, now)
	}
	return nil
}

// withClocks sets the SLA clocks of the listed cards that are client
// requests with targets; card(i) is the i-th of n listed cards, whatever
// list embeds them.
func (s *Store) withClocks(tx *gorm.DB, n int, card func(i int) *ListedCard) error {
	if n == 0 {
		return nil
	}
	ids := make([]int64, n)
	for i := range n {
		ids[i] = card(i).ID
	}
	clocks := map[int64]models.SLA{}
	if err := s.clocksOf(tx, clocks, "tasks.id = ANY(?::bigint[])", pgArray(ids)); err != nil {
		return err
	}
	for i := range n {
		if c, ok := clocks[card(i).ID]; ok {
			card(i).SLA = &c
		}
	}
	return nil
}

// SLA alert levels, recorded once per request and goal.
const (
	AlertWarning = "warning"
	AlertBreach  = "breach"
)

// SLAAlert is the payload of a sla.alert event: a clock passed 80 % of its
// target or the target itself.
type SLAAlert struct {
	TaskID int64          `json:"task_id"`
	Goal   models.SLAGoal `json:"goal"`
	Level  string         `json:"level"`
}

// CheckSLAs records and announces the warnings and breaches that are due:
// an event in the card's activity and a notification to the managers and
// the assignee. Each goes out once, whichever instance runs the check and
// however often: the (task, goal, level) row is its claim. It returns how
// many were recorded.
func (s *Store) CheckSLAs(ctx context.Context) (int, error) {
	type due struct {
		task  int64
		goal  models.SLAGoal
		level string
	}
	var todo []due
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		cal, err := s.calendar(tx)
		if err != nil {
			return err
		}
		// Open requests, and those finished in the last day (a breach in
		// the minute before the move to done is still recorded).
		list, err := requests(tx, `tasks.archived_at IS NULL AND (tasks.status <> 'done' OR tasks.status_changed_at > ?)
			AND (st.first_response_minutes > 0 OR st.resolution_minutes > 0)`, s.now().Add(-24*time.Hour))
		if err != nil || len(list) == 0 {
			return err
		}
		ids := make([]int64, len(list))
		for i, r := range list {
			ids[i] = r.id
		}
		rows, err := tx.Raw("SELECT task_id, goal, level FROM sla_alerts WHERE task_id = ANY(?::bigint[])", pgArray(ids)).Rows()
		if err != nil {
			return wrap("sla alerts", err)
		}
		defer rows.Close()
		recorded := map[due]bool{}
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.task, &d.goal, &d.level); err != nil {
				return wrap("sla alerts", err)
			}
			recorded[d] = true
		}
		if err := rows.Err(); err != nil {
			return wrap("sla alerts", err)
		}
		now := s.now()
		for _, r := range list {
			sla := cal.Clocks(r.history, r.target, now)
			for _, k := range []*models.SLAClock{sla.FirstResponse, sla.Resolution} {
				var d due
				switch {
				case k == nil:
					continue
				case k.Breached:
					d = due{r.id, k.Goal, AlertBreach}
				case k.Warned() && k.State != models.ClockStopped:
					d = due{r.id, k.Goal, AlertWarning}
				default:
					continue
				}
				if !recorded[d] {
					todo = append(todo, d)
				}
			}
		}
		return nil
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range todo {
		recorded := false
		err := s.command(ctx, func(tx *gorm.DB, out *outbox) error {
			recorded = false
			res := tx.Exec(`INSERT INTO sla_alerts (task_id, goal, level, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, d.task, d.goal, d.level, s.now())
			if res.Error != nil || res.RowsAffected == 0 {
				return wrap("sla alert", res.Error)
			}
			var t models.Task
			if err := tx.Table("tasks").Select(taskColumns).Where("tasks.id = ?", d.task).Take(&t).Error; err != nil {
				return wrap("sla alert", err)
			}
			// Staff only: how the agency keeps its promise is its own affair.
			out.add(newEvent{project: t.ProjectID, kind: models.EventSLAAlert, task: t.ID,
				staff: SLAAlert{TaskID: t.ID, Goal: d.goal, Level: d.level}})
			kind := models.NoteSLAWarning
			if d.level == AlertBreach {
				kind = models.NoteSLABreach
			}
			recorded = true
			return notify(tx, out, models.Actor{}, t, kind, criticalRecipients(t))
		})
		if err != nil {
			return n, fmt.Errorf("store: sla alert on task %d: %w", d.task, err)
		}
		if recorded {
			n++
		}
	}
	return n, nil
}

// SLAReport is a client's monthly service report.
type SLAReport struct {
	ClientID   int64              `json:"client_id"`
	ClientName string             `json:"client_name"`
	Month      string             `json:"month"` // "2026-11"
	TimeZone   string             `json:"time_zone"`
	Targets    []models.SLATarget `json:"targets"`
	models.SLASummary
}

// canReadSLAReport reports whether the actor may read the client's SLA
// report: managers and admins every client's, a client user their own
// company's.
func canReadSLAReport(a models.Actor, clientID int64) bool {
	return a.Can(models.ActManageClients) || (a.Role == models.RoleClient && a.ClientID == clientID)
}

// SLAReport sums up the requests a client filed in a month (by the
// agency's time zone), counted as they stand now.
func (s *Store) SLAReport(ctx context.Context, a models.Actor, clientID int64, month string) (SLAReport, error) {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return SLAReport{}, models.Invalid("month", models.MonthFormat)
	}
	var rep SLAReport
	err = s.inTx(ctx, func(tx *gorm.DB) error {
		c, err := s.client(tx, a, clientID)
		if err != nil {
			return err
		}
		if !canReadSLAReport(a, clientID) {
			return fmt.Errorf("store: sla report of client %d: %w", clientID, models.ErrForbidden)
		}
		hours, err := readBusinessHours(tx)
		if err != nil {
			return err
		}
		cal, err := hours.Calendar()
		if err != nil {
			return err
		}
		if rep.Targets, err = slaTargets(tx, clientID); err != nil {
			return err
		}
		from, to := cal.Month(m.Year(), m.Month())
		list, err := requests(tx, `tasks.project_id IN (SELECT id FROM projects WHERE client_id = ?)
			AND tasks.created_at >= ? AND tasks.created_at < ?`, clientID, from, to)
		if err != nil {
			return err
		}
		in := make([]models.SLARequest, len(list))
		for i, r := range list {
			in[i] = models.SLARequest{Kind: r.kind, Priority: r.priority, Target: r.target, History: r.history}
		}
		rep.ClientID, rep.ClientName, rep.Month, rep.TimeZone = c.ID, c.Name, m.Format("2006-01"), hours.TimeZone
		rep.SLASummary = cal.Summarize(in, s.now())
		return nil
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	return rep, err
}
