package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// SprintsChannel announces "<week>" (2026-W48): that week's plan changed
// in a way task events do not show (capacities, closing, queue respacing).
const SprintsChannel = "doska_sprints"

type sprintRow struct {
	ID        int64           `gorm:"column:id"`
	WeekStart models.Date     `gorm:"column:week_start"`
	ClosedAt  *time.Time      `gorm:"column:closed_at"`
	Report    json.RawMessage `gorm:"column:report"`
	Version   int64           `gorm:"column:version"`
}

func findSprint(tx *gorm.DB, w models.Week) (*sprintRow, error) {
	var rows []sprintRow
	if err := tx.Table("sprints").Where("week_start = ?", w.Monday).Find(&rows).Error; err != nil {
		return nil, wrap("sprint", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// ensureSprint returns the week's sprint, creating it when first needed.
// A closed week refuses new plans.
func ensureSprint(tx *gorm.DB, w models.Week) (sprintRow, error) {
	if err := tx.Exec("INSERT INTO sprints (week_start) VALUES (?) ON CONFLICT (week_start) DO NOTHING", w.Monday).Error; err != nil {
		return sprintRow{}, wrap("sprint", err)
	}
	sp, err := findSprint(tx, w)
	if err != nil {
		return sprintRow{}, err
	}
	if sp.ClosedAt != nil {
		return *sp, &models.ConflictError{Reason: models.WeekClosed.With(w.String())}
	}
	return *sp, nil
}

// touchSprint records that a week's plan changed: its version moves on
// (closing it then needs the plan as it is now) and every staff socket
// hears of it.
func touchSprint(tx *gorm.DB, sprintID int64) error {
	err := tx.Exec(`UPDATE sprints SET version = version + 1 WHERE id = ? AND closed_at IS NULL`, sprintID).Error
	if err == nil {
		err = tx.Exec(`SELECT pg_notify(?, to_char(week_start, 'IYYY-"W"IW')) FROM sprints WHERE id = ?`, SprintsChannel, sprintID).Error
	}
	return wrap("touch sprint", err)
}

// PlanTask puts a task into a week for a person at a position in their
// queue: it assigns and plans in one step, and also moves a planned task
// between people or within a queue. Managers and admins plan.
func (s *Store) PlanTask(ctx context.Context, a models.Actor, w models.Week, id, version int64, assignee *int64, pos Position) (models.Task, error) {
	var t models.Task
	err := s.changeTask(ctx, a, cardChange{id, version, models.ActManageProjects, nil}, &t, func(tx *gorm.DB, out *outbox, before models.Task) error {
		if t.Status.Finished() {
			return &models.ConflictError{Reason: models.TaskDoneUnplannable.With(), Current: t}
		}
		if err := checkAssignee(tx, t.ProjectID, assignee); err != nil {
			return err
		}
		sp, err := ensureSprint(tx, w)
		if err != nil {
			return err
		}
		var written models.Task
		err = withRank(tx, out, a.UserID, queueList(sp.ID, assignee), t, pos, func(rank string) error {
			set := map[string]any{"sprint_id": sp.ID, "sprint_rank": rank, "assignee_id": assignee}
			if t.SprintID == nil || *t.SprintID != sp.ID {
				set["planned_at"] = s.now()
			}
			written, err = s.writeTask(tx, id, set)
			return err
		})
		if err != nil {
			return err
		}
		t = publishTask(out, a, taskEvent{kind: models.EventTaskUpdated, task: written, before: &before})
		if err := notifyChanges(tx, out, a, before, t, models.NoteAssigned); err != nil {
			return err
		}
		return touchSprint(tx, sp.ID)
	})
	return t, err
}

// UnplanTask takes a task out of its week, back to the backlog.
func (s *Store) UnplanTask(ctx context.Context, a models.Actor, id, version int64) (models.Task, error) {
	var t models.Task
	err := s.changeTask(ctx, a, cardChange{id, version, models.ActManageProjects, versionGiven(version)}, &t, func(tx *gorm.DB, out *outbox, before models.Task) error {
		if t.SprintID == nil {
			return &models.ConflictError{Reason: models.TaskNotPlanned.With(), Current: t}
		}
		written, err := s.writeTask(tx, id, map[string]any{"sprint_id": nil, "sprint_rank": nil, "planned_at": nil})
		if err != nil {
			return wrap("unplan task", err)
		}
		t = publishTask(out, a, taskEvent{kind: models.EventTaskUpdated, task: written, before: &before})
		return touchSprint(tx, *before.SprintID)
	})
	return t, err
}

// requeue keeps a planned task in a queue after a change of assignee: it
// goes to the end of the new person's queue. Critical tasks go to the top
// of the current week at once, whatever the plan.
func (s *Store) requeue(tx *gorm.DB, out *outbox, a models.Actor, before, t models.Task) error {
	critical := t.Priority == models.PriorityCritical && before.Priority != models.PriorityCritical
	moved := t.SprintID != nil && !equalPtr(before.AssigneeID, t.AssigneeID)
	if !critical && !moved {
		return nil
	}
	sprintID, pos := int64(0), Position{End: true}
	if t.SprintID != nil {
		sprintID = *t.SprintID
	}
	if critical && !t.Status.Finished() {
		sp, err := ensureSprint(tx, models.WeekOf(s.now()))
		var conflict *models.ConflictError
		if errors.As(err, &conflict) {
			return nil // the current week is closed: nothing to jump
		}
		if err != nil {
			return err
		}
		sprintID, pos = sp.ID, Position{}
	}
	if sprintID == 0 {
		return nil
	}
	err := withRank(tx, out, a.UserID, queueList(sprintID, t.AssigneeID), t, pos, func(rank string) error {
		set := map[string]any{"sprint_id": sprintID, "sprint_rank": rank}
		if t.SprintID == nil || *t.SprintID != sprintID {
			set["planned_at"] = s.now()
		}
		return tx.Table("tasks").Where("id = ?", t.ID).Updates(set).Error
	})
	if err != nil {
		return err
	}
	return touchSprint(tx, sprintID)
}

// SetCapacity sets a staff member's default weekly capacity.
func (s *Store) SetCapacity(ctx context.Context, a models.Actor, userID int64, minutes int) (models.User, error) {
	if !a.Can(models.ActManageProjects) {
		return models.User{}, fmt.Errorf("store: set capacity: %w", models.ErrForbidden)
	}
	if minutes < 0 || minutes > models.MaxCapacityMinutes {
		return models.User{}, models.Invalid("minutes", models.CapacityRange, models.MaxCapacityMinutes/60)
	}
	var u models.User
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Table("users").Where("id = ? AND role <> 'client'", userID).Updates(map[string]any{"weekly_capacity_minutes": minutes, "updated_at": s.now()})
		if res.Error != nil {
			return wrap("set capacity", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("store: set capacity of user %d: %w", userID, models.ErrNotFound)
		}
		// Every open week from this one on plans with the new default.
		if err := tx.Exec(`SELECT pg_notify(?, to_char(week_start, 'IYYY-"W"IW')) FROM sprints WHERE closed_at IS NULL AND week_start > ?
			UNION ALL SELECT pg_notify(?, ?)`, SprintsChannel, models.WeekOf(s.now()).Monday, SprintsChannel, models.WeekOf(s.now()).String()).Error; err != nil {
			return wrap("set capacity", err)
		}
		return wrap("set capacity", usersQuery(tx).Where("users.id = ?", userID).Take(&u).Error)
	})
	return u, err
}

// SetOverride sets (minutes non-nil) or removes a person's capacity for one
// week: holidays, sick days.
func (s *Store) SetOverride(ctx context.Context, a models.Actor, w models.Week, userID int64, minutes *int, note string) error {
	if !a.Can(models.ActManageProjects) {
		return fmt.Errorf("store: capacity override: %w", models.ErrForbidden)
	}
	probs := models.Problems{}
	if minutes != nil && (*minutes < 0 || *minutes > models.MaxCapacityMinutes) {
		probs.Add("minutes", models.CapacityRange, models.MaxCapacityMinutes/60)
	}
	note = models.CleanText(probs, "note", note, models.CapacityNoteMax)
	if err := probs.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var staff int64
		if err := tx.Table("users").Where("id = ? AND role <> 'client'", userID).Count(&staff).Error; err != nil {
			return wrap("capacity override", err)
		}
		if staff == 0 {
			return fmt.Errorf("store: capacity override for user %d: %w", userID, models.ErrNotFound)
		}
		sp, err := ensureSprint(tx, w)
		if err != nil {
			return err
		}
		if minutes == nil {
			err = tx.Exec("DELETE FROM capacity_overrides WHERE sprint_id = ? AND user_id = ?", sp.ID, userID).Error
		} else {
			err = tx.Exec(`INSERT INTO capacity_overrides (sprint_id, user_id, minutes, note) VALUES (?, ?, ?, ?)
				ON CONFLICT (sprint_id, user_id) DO UPDATE SET minutes = excluded.minutes, note = excluded.note`, sp.ID, userID, *minutes, note).Error
		}
		if err != nil {
			return wrap("capacity override", err)
		}
		return touchSprint(tx, sp.ID)
	})
}

// PersonPlan is one person's column on the planning screen.
type PersonPlan struct {
	models.Member
	Capacity int         `json:"capacity_minutes"`
	Override *string     `json:"override_note"` // set when the week's capacity differs from the default
	Load     models.Load `json:"load"`
	// Spent is the time the person logged in the week, on any project.
	Spent int          `json:"spent_minutes"`
	Tasks []ListedCard `json:"tasks"`
	// Hidden counts the person's tasks in projects the reader cannot see:
	// they are in the load, not in the list.
	Hidden int `json:"hidden_tasks"`
}

// Plan is a week as the planning screen shows it.
type Plan struct {
	Week          string          `json:"week"`
	Monday        models.Date     `json:"monday"`
	SprintID      *int64          `json:"sprint_id"`
	Closed        bool            `json:"closed"`
	ClosedAt      *time.Time      `json:"closed_at"`
	Version       int64           `json:"version"`
	BufferPercent int             `json:"buffer_percent"`
	People        []PersonPlan    `json:"people"`
	Unassigned    []ListedCard    `json:"unassigned"`
	Seqs          map[int64]int64 `json:"seqs"`
}

// Plan reads a week's plan (staff only): every active staff member with
// capacity or work that week, their queue in order and their load. A week
// nobody planned yet is shown empty, without creating it.
func (s *Store) Plan(ctx context.Context, a models.Actor, w models.Week) (Plan, error) {
	if !a.IsStaff() {
		return Plan{}, fmt.Errorf("store: plan: %w", models.ErrForbidden)
	}
	var p Plan
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		visible, _, err := visibleSets(tx, a)
		if err != nil {
			return err
		}
		p, err = plan(tx, w, visible)
		return err
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	return p, err
}

// plan reads a week for a reader who sees the visible projects, or for the
// whole team when visible is nil. Loads count every task of the week, so
// everyone sees the same numbers; the lists hold only the cards of projects
// the reader can see, and Seqs their event numbers.
func plan(tx *gorm.DB, w models.Week, visible map[int64]bool) (Plan, error) {
	p := Plan{Week: w.String(), Monday: w.Monday, People: []PersonPlan{}, Unassigned: []ListedCard{}, Seqs: map[int64]int64{}}
	set, err := readSettings(tx)
	if err != nil {
		return p, err
	}
	p.BufferPercent = set.BufferPercent
	shown := func(project int64) bool { return visible == nil || visible[project] }
	if p.Seqs, err = projectSeqs(tx, slices.Collect(maps.Keys(visible))); err != nil {
		return p, err
	}
	sp, err := findSprint(tx, w)
	if err != nil {
		return p, err
	}
	var tasks []ListedCard
	overrides := map[int64]struct {
		Minutes int
		Note    string
	}{}
	if sp != nil {
		p.SprintID, p.Closed, p.ClosedAt, p.Version = &sp.ID, sp.ClosedAt != nil, sp.ClosedAt, sp.Version
		if err := listedCards(tx, "tasks.sprint_id = ?", sp.ID).Find(&tasks).Error; err != nil {
			return p, wrap("plan", err)
		}
		queued := models.InBand(models.BySprintRank)
		slices.SortFunc(tasks, func(a, b ListedCard) int { return queued(a.Task, b.Task) })
		var rows []struct {
			UserID  int64  `gorm:"column:user_id"`
			Minutes int    `gorm:"column:minutes"`
			Note    string `gorm:"column:note"`
		}
		if err := tx.Table("capacity_overrides").Where("sprint_id = ?", sp.ID).Find(&rows).Error; err != nil {
			return p, wrap("plan", err)
		}
		for _, r := range rows {
			overrides[r.UserID] = struct {
				Minutes int
				Note    string
			}{r.Minutes, r.Note}
		}
	}
	var people []struct {
		models.Member
		Capacity int `gorm:"column:weekly_capacity_minutes"`
	}
	if err := tx.Table("users").Select("id, name, role, weekly_capacity_minutes").Where("role <> 'client' AND active").
		Order("lower(name), id").Find(&people).Error; err != nil {
		return p, wrap("plan", err)
	}
	spent, err := weekSpent(tx, w)
	if err != nil {
		return p, err
	}
	queues := map[int64][]ListedCard{}
	for _, t := range tasks {
		if t.AssigneeID == nil {
			if shown(t.ProjectID) {
				p.Unassigned = append(p.Unassigned, t)
			}
		} else {
			queues[*t.AssigneeID] = append(queues[*t.AssigneeID], t)
		}
	}
	for _, person := range people {
		queue := queues[person.ID]
		pp := PersonPlan{Member: person.Member, Capacity: person.Capacity, Spent: spent[person.ID], Tasks: []ListedCard{}}
		if o, ok := overrides[person.ID]; ok {
			pp.Capacity, pp.Override = o.Minutes, &o.Note
		}
		if pp.Capacity == 0 && len(queue) == 0 {
			continue
		}
		pp.Load = models.ComputeLoad(pp.Capacity, set.BufferPercent, w.Start(), planItems(queue))
		for _, t := range queue {
			if shown(t.ProjectID) {
				pp.Tasks = append(pp.Tasks, t)
			} else {
				pp.Hidden++
			}
		}
		p.People = append(p.People, pp)
	}
	return p, nil
}

func planItems(cards []ListedCard) []models.PlanItem {
	items := make([]models.PlanItem, len(cards))
	for i, c := range cards {
		items[i] = models.PlanItem{Priority: c.Priority, EstimateMinutes: c.EstimateMinutes, Done: c.Status.Finished()}
		if c.PlannedAt != nil {
			items[i].PlannedAt = *c.PlannedAt
		}
	}
	return items
}

// BacklogFilter narrows the backlog.
type BacklogFilter struct {
	ClientID, ProjectID int64
	Priority            models.Priority
	Kind                models.Kind
}

// Backlog lists the open tasks in no week, most pressing first (staff only).
func (s *Store) Backlog(ctx context.Context, a models.Actor, f BacklogFilter) ([]ListedCard, error) {
	if !a.IsStaff() {
		return nil, fmt.Errorf("store: backlog: %w", models.ErrForbidden)
	}
	probs := models.Problems{}
	if f.Priority != "" && !f.Priority.Valid() {
		probs.Add("priority", models.PriorityChoice)
	}
	if f.Kind != "" && !f.Kind.Valid() {
		probs.Add("kind", models.KindChoice)
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	q := cardsAcross(s.db.WithContext(ctx), a, "tasks.sprint_id IS NULL AND tasks.status <> ?", models.StatusDone)
	if f.ClientID != 0 {
		q = q.Where("projects.client_id = ?", f.ClientID)
	}
	if f.ProjectID != 0 {
		q = q.Where("tasks.project_id = ?", f.ProjectID)
	}
	if f.Priority != "" {
		q = q.Where("tasks.priority = ?", f.Priority)
	}
	if f.Kind != "" {
		q = q.Where("tasks.kind = ?", f.Kind)
	}
	q = q.Order("CASE tasks.priority WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, lower(clients.name), lower(projects.name), tasks.status, tasks.rank").Limit(2000)
	return s.findCards(q, a, "backlog")
}

// PersonReport is one person's line in a sprint report.
type PersonReport struct {
	models.Member
	Load        models.Load `json:"load"`
	CarriedOver int         `json:"carried_over"`
}

// ClientReport is one client's line in a sprint report.
type ClientReport struct {
	ClientID       int64  `json:"client_id"`
	Name           string `json:"name"`
	Tasks          int    `json:"tasks"`
	DoneTasks      int    `json:"done_tasks"`
	PlannedMinutes int    `json:"planned_minutes"`
	DoneMinutes    int    `json:"done_minutes"`
}

// CarriedTask is a task the week did not finish.
type CarriedTask struct {
	ID          int64  `json:"id"`
	Number      int64  `json:"number"`
	Title       string `json:"title"`
	ProjectID   int64  `json:"project_id"`
	ProjectName string `json:"project_name"`
	Assignee    string `json:"assignee"`
}

// SprintReport is planned against done for a week, per person and per
// client, with the urgent load against the buffer and what carried over.
type SprintReport struct {
	Week          string         `json:"week"`
	Closed        bool           `json:"closed"`
	ClosedAt      *time.Time     `json:"closed_at"`
	BufferPercent int            `json:"buffer_percent"`
	People        []PersonReport `json:"people"`
	Clients       []ClientReport `json:"clients"`
	CarriedOver   []CarriedTask  `json:"carried_over"`
}

func reportOf(p Plan) SprintReport {
	r := SprintReport{Week: p.Week, Closed: p.Closed, ClosedAt: p.ClosedAt, BufferPercent: p.BufferPercent,
		People: []PersonReport{}, Clients: []ClientReport{}, CarriedOver: []CarriedTask{}}
	clients := map[int64]*ClientReport{}
	var order []int64
	add := func(name string, cards []ListedCard) int {
		carried := 0
		for _, c := range cards {
			cid := c.ClientID
			cr := clients[cid]
			if cr == nil {
				cr = &ClientReport{ClientID: cid, Name: c.ClientName}
				clients[cid] = cr
				order = append(order, cid)
			}
			cr.Tasks++
			est := 0
			if c.EstimateMinutes != nil {
				est = *c.EstimateMinutes
			}
			cr.PlannedMinutes += est
			if c.Status.Finished() {
				cr.DoneTasks++
				cr.DoneMinutes += est
				continue
			}
			carried++
			r.CarriedOver = append(r.CarriedOver, CarriedTask{ID: c.ID, Number: c.Number, Title: c.Title, ProjectID: c.ProjectID, ProjectName: c.ProjectName, Assignee: name})
		}
		return carried
	}
	for _, pp := range p.People {
		r.People = append(r.People, PersonReport{Member: pp.Member, Load: pp.Load, CarriedOver: add(pp.Name, pp.Tasks)})
	}
	add("", p.Unassigned)
	for _, id := range order {
		r.Clients = append(r.Clients, *clients[id])
	}
	return r
}

// Report returns a week's report: frozen when the week is closed,
// computed from the plan as it stands otherwise. It is the whole team's
// report; a reader who does not see every project gets the lines of the
// clients and the carried-over cards they can see.
func (s *Store) Report(ctx context.Context, a models.Actor, w models.Week) (SprintReport, error) {
	if !a.IsStaff() {
		return SprintReport{}, fmt.Errorf("store: sprint report: %w", models.ErrForbidden)
	}
	var r SprintReport
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		sp, err := findSprint(tx, w)
		if err != nil {
			return err
		}
		if sp != nil && sp.ClosedAt != nil {
			if err := json.Unmarshal(sp.Report, &r); err != nil {
				return fmt.Errorf("store: frozen report of %s: %w", w, err)
			}
			r.ClosedAt = sp.ClosedAt
		} else {
			p, err := plan(tx, w, nil)
			if err != nil {
				return err
			}
			r = reportOf(p)
		}
		if a.ProjectScope().Kind == models.ScopeAll {
			return nil
		}
		projects, clients, err := visibleSets(tx, a)
		if err != nil {
			return err
		}
		r.Clients = slices.DeleteFunc(r.Clients, func(c ClientReport) bool { return !clients[c.ClientID] })
		r.CarriedOver = slices.DeleteFunc(r.CarriedOver, func(c CarriedTask) bool { return !projects[c.ProjectID] })
		return nil
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	return r, err
}

// CloseWeek freezes the week's report and moves its unfinished tasks to the
// end of their person's queue in the next week, recording each move.
func (s *Store) CloseWeek(ctx context.Context, a models.Actor, w models.Week, version int64) (SprintReport, error) {
	if !a.Can(models.ActManageProjects) {
		return SprintReport{}, fmt.Errorf("store: close week: %w", models.ErrForbidden)
	}
	if err := w.CheckClosable(s.now()); err != nil {
		return SprintReport{}, err
	}
	var report SprintReport
	err := s.command(ctx, func(tx *gorm.DB, out *outbox) error {
		var sp sprintRow
		err := tx.Table("sprints").Where("week_start = ?", w.Monday).Clauses(forUpdateOf("sprints")).Take(&sp).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return &models.ConflictError{Reason: models.WeekEmpty.With(w.String())}
		}
		if err != nil {
			return wrap("close week", err)
		}
		if sp.ClosedAt != nil || sp.Version != version {
			return &models.ConflictError{Reason: models.WeekChanged.With()}
		}
		// The report is the whole team's, whatever the closer's own scope.
		p, err := plan(tx, w, nil)
		if err != nil {
			return err
		}
		report = reportOf(p)
		report.Closed = true
		b, err := json.Marshal(report)
		if err != nil {
			return err
		}
		res := tx.Table("sprints").Where("id = ? AND version = ?", sp.ID, version).
			Updates(map[string]any{"closed_at": s.now(), "closed_by": a.UserID, "report": string(b), "version": gorm.Expr("version + 1")})
		if res.Error != nil {
			return wrap("close week", res.Error)
		}
		next, err := ensureSprint(tx, w.Next())
		if err != nil {
			return err
		}
		var planned []models.Task
		if err := tx.Table("tasks").Select(taskColumns+", tasks.description").Where("tasks.sprint_id = ? AND tasks.archived_at IS NULL", sp.ID).
			Order("tasks.assignee_id, tasks.sprint_rank").Clauses(forUpdateOf("tasks")).Find(&planned).Error; err != nil {
			return wrap("close week", err)
		}
		for _, t := range planned {
			if t.Status.Finished() {
				continue
			}
			before := t
			var written models.Task
			err := withRank(tx, out, a.UserID, queueList(next.ID, t.AssigneeID), t, Position{End: true}, func(rank string) error {
				var err error
				written, err = s.writeTask(tx, t.ID, map[string]any{"sprint_id": next.ID, "sprint_rank": rank, "planned_at": s.now()})
				return err
			})
			if err != nil {
				return err
			}
			publishTask(out, a, taskEvent{kind: models.EventTaskUpdated, task: written, before: &before, reason: models.ReasonRollover})
		}
		if err := touchSprint(tx, sp.ID); err != nil {
			return err
		}
		return touchSprint(tx, next.ID)
	})
	return report, err
}
