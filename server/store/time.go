package store

// Time entries and timers. A person's running timer is the entry of theirs
// without an end; the partial unique index time_entries_one_running keeps
// it to one even if two commands raced past the code. Every change of a
// person's entries rings TimeChannel with their ID once it has committed
// (Store.ringTime), so each of their tabs reads its timer again: the top
// bar follows the person across tabs.

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// TimeChannel announces "<user>": that user's timer or entries changed.
const TimeChannel = "doska_time"

// Timer is a person's running timer, if any, and the entry a command just
// stopped, if it stopped one.
type Timer struct {
	Running *models.TimeEntry `json:"running"`
	Stopped *models.TimeEntry `json:"stopped"`
}

// TaskTime is the time spent on a task against its estimate.
type TaskTime struct {
	Entries         []models.TimeEntry `json:"entries"`
	SpentMinutes    int                `json:"spent_minutes"`
	EstimateMinutes *int               `json:"estimate_minutes"`
}

// NewEntry is a time entry written by hand; Billable nil takes the
// project's default.
type NewEntry struct {
	models.EntryInput
	Billable *bool
	Internal bool
}

// EntryPatch changes some fields of an entry; nil fields stay.
type EntryPatch struct {
	StartedAt *time.Time
	Minutes   *int
	Note      *string
	Billable  *bool
	Internal  *bool
}

const entryColumns = "time_entries.*, users.name AS user_name, tasks.title AS task_title, tasks.number AS task_number"

func entries(tx *gorm.DB) *gorm.DB {
	return tx.Table("time_entries").Select(entryColumns).
		Joins("JOIN users ON users.id = time_entries.user_id").
		Joins("JOIN tasks ON tasks.id = time_entries.task_id")
}

func loggable(a models.Actor) error {
	if !a.Can(models.ActLogTime) {
		return fmt.Errorf("store: time: %w", models.ErrForbidden)
	}
	return nil
}

// Timer returns the actor's running timer, if any.
func (s *Store) Timer(ctx context.Context, a models.Actor) (Timer, error) {
	if err := loggable(a); err != nil {
		return Timer{}, err
	}
	running, err := runningTimer(s.db.WithContext(ctx), a.UserID)
	return Timer{Running: running}, err
}

func runningTimer(tx *gorm.DB, userID int64) (*models.TimeEntry, error) {
	var list []models.TimeEntry
	if err := entries(tx).Where("time_entries.user_id = ? AND time_entries.ended_at IS NULL", userID).Find(&list).Error; err != nil {
		return nil, wrap("running timer", err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	return &list[0], nil
}

// StartTimer starts the actor's timer on a task they can see, stopping the
// one that runs, in the same transaction. It is a hot path (people click
// it all day), so it makes few round trips: the card with its access
// check and the person's lock in one, the running timer with the rounding
// setting in one, the new entry in one; the doorbell rings after the
// answer (ringTime).
func (s *Store) StartTimer(ctx context.Context, a models.Actor, taskID int64) (Timer, error) {
	if err := loggable(a); err != nil {
		return Timer{}, err
	}
	var out Timer
	err := s.command(ctx, func(tx *gorm.DB, _ *outbox) error {
		t, err := lockTimedTask(tx, a, taskID)
		if err != nil {
			return err
		}
		if out.Stopped, err = s.stopTimer(tx, a.UserID); err != nil {
			return err
		}
		var e models.TimeEntry
		err = tx.Raw("INSERT INTO time_entries (user_id, task_id, project_id, started_at, billable) VALUES (?, ?, ?, ?, ?) RETURNING *",
			a.UserID, t.ID, t.ProjectID, s.now(), t.Billable).Scan(&e).Error
		if err != nil {
			return wrap("start timer", err)
		}
		e.UserName, e.TaskTitle, e.Number = t.UserName, t.Title, t.Number
		out.Running = &e
		return nil
	})
	if err == nil {
		var billed int64 // a timer that stopped changed its client's billed time
		if out.Stopped != nil {
			billed = out.Stopped.ProjectID
		}
		s.ringTime(a.UserID, billed)
	}
	return out, err
}

// timedTask is what starting a timer needs of its card.
type timedTask struct {
	ID        int64  `gorm:"column:id"`
	ProjectID int64  `gorm:"column:project_id"`
	Number    int64  `gorm:"column:number"`
	Title     string `gorm:"column:title"`
	Archived  bool   `gorm:"column:archived"`
	Billable  bool   `gorm:"column:billable"`
	ClientID  int64  `gorm:"column:client_id"`
	IsMember  bool   `gorm:"column:is_member"`
	UserName  string `gorm:"column:user_name"`
}

// lockTimedTask reads a card the actor can see (else not found) that is on
// the board (else a conflict), with its project's billable default, and
// takes the actor's timer lock (lockTimer) in the same statement. Only the
// lock can share it: the running timer must be read by a later statement,
// whose snapshot sees what the command that held the lock committed.
func lockTimedTask(tx *gorm.DB, a models.Actor, id int64) (timedTask, error) {
	var t timedTask
	err := tx.Raw(`SELECT t.id, t.project_id, t.number, t.title, t.archived_at IS NOT NULL AS archived, p.billable, p.client_id, `+
		fmt.Sprintf(isMember, "p.id", "u.id")+` AS is_member, u.name AS user_name
FROM tasks t JOIN projects p ON p.id = t.project_id JOIN users u ON u.id = ? WHERE t.id = ? FOR NO KEY UPDATE OF u`,
		a.UserID, id).Scan(&t).Error
	if err != nil {
		return t, wrap(fmt.Sprintf("task %d", id), err)
	}
	if t.ID == 0 {
		return t, fmt.Errorf("store: task %d: %w", id, models.ErrNotFound)
	}
	if err := checkAccess(a, t.ProjectID, models.ProjectAccess{ClientID: t.ClientID, IsMember: t.IsMember}); err != nil {
		return t, err
	}
	if t.Archived {
		return t, &models.ConflictError{Reason: models.TaskArchived.With()}
	}
	return t, nil
}

// StopTimer stops the actor's running timer; with none running it stops
// nothing and says so (both fields nil), since another tab may have
// stopped it a moment before.
func (s *Store) StopTimer(ctx context.Context, a models.Actor) (Timer, error) {
	if err := loggable(a); err != nil {
		return Timer{}, err
	}
	var out Timer
	err := s.command(ctx, func(tx *gorm.DB, _ *outbox) error {
		if err := lockTimer(tx, a.UserID); err != nil {
			return err
		}
		var err error
		out.Stopped, err = s.stopTimer(tx, a.UserID)
		return err
	})
	if err == nil && out.Stopped != nil {
		s.ringTime(a.UserID, out.Stopped.ProjectID)
	}
	return out, err
}

// lockTimer locks the person's row, so that their timer commands take
// turns instead of failing on the unique index.
func lockTimer(tx *gorm.DB, userID int64) error {
	return wrap("lock timer", tx.Exec("SELECT FROM users WHERE id = ? FOR NO KEY UPDATE", userID).Error)
}

// stoppable is a running timer with the agency's rounding and its client
// if that has hour packages, read together.
type stoppable struct {
	models.TimeEntry
	Rounding       models.Rounding `gorm:"column:rounding"`
	PackagedClient int64           `gorm:"column:packaged_client"`
}

// stopTimer ends the user's running timer, if any (the caller holds
// lockTimer), rounded by the agency's setting and flagged when it ran too
// long, and sends the package notices its billable time made due.
func (s *Store) stopTimer(tx *gorm.DB, userID int64) (*models.TimeEntry, error) {
	var list []stoppable
	err := entries(tx).Select(entryColumns+", coalesce((SELECT value::int FROM settings WHERE key = 'time_rounding'), ?) AS rounding, "+
		fmt.Sprintf(packagedClientOf, "time_entries.project_id")+" AS packaged_client", models.DefaultRounding).
		Where("time_entries.user_id = ? AND time_entries.ended_at IS NULL", userID).Find(&list).Error
	if err != nil || len(list) == 0 {
		return nil, wrap("running timer", err)
	}
	running := &list[0].TimeEntry
	// The database keeps microseconds: the answer shows what it stored.
	end := s.now().Truncate(time.Microsecond)
	if end.Before(running.StartedAt) {
		end = running.StartedAt
	}
	minutes, review := list[0].Rounding.Stopped(running.StartedAt, end)
	err = tx.Exec("UPDATE time_entries SET ended_at = ?, minutes = ?, review = ?, updated_at = ? WHERE id = ?",
		end, minutes, review, end, running.ID).Error
	if err != nil {
		return nil, wrap("stop timer", err)
	}
	running.EndedAt, running.Minutes, running.Review, running.UpdatedAt = &end, minutes, review, end
	if running.Billable {
		return running, billedTimeChanged(tx, list[0].PackagedClient, end)
	}
	return running, nil
}

// billed sends the package notices a finished billable entry just written
// may have made due. Time that is not billable, or still running, draws
// from no package and costs nothing here. A deleted entry only gives hours
// back, so it cannot reach a level.
func (s *Store) billed(tx *gorm.DB, e *models.TimeEntry) error {
	if !e.Billable || e.EndedAt == nil {
		return nil
	}
	var client int64
	if err := tx.Raw("SELECT "+fmt.Sprintf(packagedClientOf, "?"), e.ProjectID).Row().Scan(&client); err != nil {
		return wrap("packaged client", err)
	}
	return billedTimeChanged(tx, client, s.now())
}

func entryByID(tx *gorm.DB, id int64) (*models.TimeEntry, error) {
	var e models.TimeEntry
	if err := entries(tx).Where("time_entries.id = ?", id).Take(&e).Error; err != nil {
		return nil, wrap(fmt.Sprintf("time entry %d", id), err)
	}
	return &e, nil
}

// ringTime tells the person's tabs that their timer or entries changed,
// and the open pages of the client of projectID (0: none), whose billed
// time changed, that its hours left did. It is called once the command
// has committed and does not wait: the doorbells of all commands go out
// from one goroutine at a time, each round all that were rung since the
// last in one transaction of its own (doorbells.ring).
//
// A NOTIFY takes a lock shared by the whole cluster while its transaction
// commits. Rung by each command, every timer click of every person queued
// for that lock, and the answer waited for it: at 16 people clicking at
// once on 2 cores the queue reached 10-35 ms, the slowest 1 % of clicks.
// One transaction per round takes the lock once for many clicks. It
// writes nothing worth a flush: with synchronous_commit off it holds the
// lock for microseconds.
//
// A doorbell cannot fail the command, which has committed. One lost to a
// crash between the two, or to a lost database, is caught up like any
// other missed one: a tab reads its timer again whenever its socket
// reconnects.
func (s *Store) ringTime(userID, projectID int64) {
	if s.bells.add(userID, projectID) {
		go s.bells.ring(s.db)
	}
}

// doorbells are the people and projects rung since the last round went
// out, and whether a round is under way.
type doorbells struct {
	mu       sync.Mutex
	users    []int64
	projects []int64
	ringing  bool
}

// add notes a doorbell and tells whether the caller must start a round.
func (d *doorbells) add(userID, projectID int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.users = append(d.users, userID)
	if projectID != 0 {
		d.projects = append(d.projects, projectID)
	}
	start := !d.ringing
	d.ringing = true
	return start
}

// ring sends rounds until nothing is left to ring. The goroutine ends with
// the last round, so nothing runs while nobody clicks.
func (d *doorbells) ring(db *gorm.DB) {
	for {
		d.mu.Lock()
		users, projects := d.users, d.projects
		d.users, d.projects = nil, nil
		if len(users) == 0 {
			d.ringing = false
			d.mu.Unlock()
			return
		}
		d.mu.Unlock()
		slices.Sort(users)
		slices.Sort(projects)
		// A round that hangs on a lost database must not hold the rest
		// back for ever; its error is nobody's to handle (ringTime).
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = db.WithContext(ctx).Exec(`SELECT set_config('synchronous_commit', 'off', true), pg_notify(n.channel, n.payload)
FROM (SELECT ? AS channel, u::text AS payload FROM unnest(?::bigint[]) u
	UNION ALL SELECT DISTINCT ?, client_id::text FROM projects WHERE id = ANY(?::bigint[]) AND client_id IS NOT NULL) n`,
			TimeChannel, pgArray(slices.Compact(users)), BalanceChannel, pgArray(slices.Compact(projects))).Error
		cancel()
	}
}

// TaskTime lists the time spent on a task, newest first, for staff who
// can see it.
func (s *Store) TaskTime(ctx context.Context, a models.Actor, taskID int64) (TaskTime, error) {
	db := s.db.WithContext(ctx)
	t, err := loadTask(db, a, taskID, false)
	if err != nil {
		return TaskTime{}, err
	}
	if err := loggable(a); err != nil {
		return TaskTime{}, err
	}
	out := TaskTime{EstimateMinutes: t.EstimateMinutes, Entries: []models.TimeEntry{}}
	if err := entries(db).Where("time_entries.task_id = ?", taskID).
		Order("time_entries.started_at DESC, time_entries.id DESC").Limit(1000).Find(&out.Entries).Error; err != nil {
		return out, wrap("task time", err)
	}
	err = db.Raw("SELECT coalesce(sum(minutes), 0) FROM time_entries WHERE task_id = ?", taskID).Row().Scan(&out.SpentMinutes)
	return out, wrap("task time", err)
}

// AddEntry writes the actor's own entry on a task by hand, rounded up by
// the agency's setting.
func (s *Store) AddEntry(ctx context.Context, a models.Actor, taskID int64, in NewEntry) (models.TimeEntry, error) {
	probs := models.Problems{}
	in.Check(probs)
	if err := probs.Err(); err != nil {
		return models.TimeEntry{}, err
	}
	var e *models.TimeEntry
	err := s.command(ctx, func(tx *gorm.DB, ob *outbox) error {
		t, err := loadTask(tx, a, taskID, false)
		if err != nil {
			return err
		}
		if err := loggable(a); err != nil {
			return err
		}
		set, err := readSettings(tx)
		if err != nil {
			return err
		}
		minutes := set.TimeRounding.RoundMinutes(in.Minutes)
		end := in.StartedAt.Add(time.Duration(minutes) * time.Minute)
		var id int64
		err = tx.Raw(`INSERT INTO time_entries (user_id, task_id, project_id, started_at, ended_at, minutes, note, billable, internal)
			SELECT ?, ?, p.id, ?, ?, ?, ?, coalesce(?, p.billable), ? FROM projects p WHERE p.id = ? RETURNING id`,
			a.UserID, t.ID, in.StartedAt, end, minutes, in.Note, in.Billable, in.Internal, t.ProjectID).Row().Scan(&id)
		if err != nil {
			return wrap("add time entry", err)
		}
		if e, err = entryByID(tx, id); err != nil {
			return err
		}
		return s.billed(tx, e)
	})
	if err != nil {
		return models.TimeEntry{}, err
	}
	s.ringTime(a.UserID, e.ProjectID)
	return *e, nil
}

// lockEntry loads an entry the actor may change, locked: its task must be
// visible (else not found), it must be the actor's own unless they
// manage, and no issued statement may hold it.
func lockEntry(tx *gorm.DB, a models.Actor, id int64) (models.TimeEntry, error) {
	var e models.TimeEntry
	if err := tx.Table("time_entries").Where("id = ?", id).Clauses(forUpdateOf("time_entries")).Take(&e).Error; err != nil {
		return e, wrap(fmt.Sprintf("time entry %d", id), err)
	}
	if err := access(tx, a, e.ProjectID); err != nil {
		return e, err
	}
	if !a.CanChangeEntry(e.UserID) {
		return e, fmt.Errorf("store: time entry %d: %w", id, models.ErrForbidden)
	}
	return e, entryLocked(tx, e)
}

// UpdateEntry changes an entry. A running timer's time is the clock's: only
// its note and billable flag change. An edit is a review, so it clears the
// flag of a long timer.
func (s *Store) UpdateEntry(ctx context.Context, a models.Actor, id int64, p EntryPatch) (models.TimeEntry, error) {
	var out *models.TimeEntry
	err := s.command(ctx, func(tx *gorm.DB, ob *outbox) error {
		e, err := lockEntry(tx, a, id)
		if err != nil {
			return err
		}
		probs := models.Problems{}
		in := models.EntryInput{StartedAt: e.StartedAt, Minutes: max(e.Minutes, 1), Note: e.Note}
		if p.StartedAt != nil {
			in.StartedAt = *p.StartedAt
		}
		if p.Minutes != nil {
			in.Minutes = *p.Minutes
		}
		if p.Note != nil {
			in.Note = *p.Note
		}
		in.Check(probs)
		if e.EndedAt == nil && (p.StartedAt != nil || p.Minutes != nil) {
			probs.Add("minutes", models.TimerRunning)
		}
		if err := probs.Err(); err != nil {
			return err
		}
		set, err := readSettings(tx)
		if err != nil {
			return err
		}
		values := map[string]any{"note": in.Note, "review": false, "updated_at": s.now()}
		if e.EndedAt != nil {
			minutes := set.TimeRounding.RoundMinutes(in.Minutes)
			if p.Minutes == nil {
				minutes = e.Minutes // unchanged time keeps its rounding
			}
			values["started_at"] = in.StartedAt
			values["minutes"] = minutes
			values["ended_at"] = in.StartedAt.Add(time.Duration(minutes) * time.Minute)
		}
		if p.Billable != nil {
			values["billable"] = *p.Billable
		}
		if p.Internal != nil {
			values["internal"] = *p.Internal
		}
		if err := tx.Table("time_entries").Where("id = ?", id).Updates(values).Error; err != nil {
			return wrap("update time entry", err)
		}
		if out, err = entryByID(tx, id); err != nil {
			return err
		}
		return s.billed(tx, out)
	})
	if err != nil {
		return models.TimeEntry{}, err
	}
	s.ringTime(out.UserID, out.ProjectID)
	return *out, nil
}

// DeleteEntry removes an entry; a running timer deleted is discarded.
func (s *Store) DeleteEntry(ctx context.Context, a models.Actor, id int64) error {
	var e models.TimeEntry
	err := s.command(ctx, func(tx *gorm.DB, _ *outbox) error {
		var err error
		if e, err = lockEntry(tx, a, id); err != nil {
			return err
		}
		return wrap("delete time entry", tx.Exec("DELETE FROM time_entries WHERE id = ?", id).Error)
	})
	if err == nil {
		s.ringTime(e.UserID, e.ProjectID)
	}
	return err
}

// Timesheet is a person's week: a row per task with minutes per day,
// Monday first, in the reader's time zone.
type Timesheet struct {
	Week      string            `json:"week"`
	UserID    int64             `json:"user_id"`
	Days      []models.Date     `json:"days"`
	Rows      []TimesheetRow    `json:"rows"`
	DayTotals []int             `json:"day_totals"`
	Total     int               `json:"total"`
	Running   *models.TimeEntry `json:"running"`
}

// TimesheetRow is one task's minutes on each day of the week.
type TimesheetRow struct {
	TaskID    int64  `json:"task_id"`
	Number    int64  `json:"task_number"`
	TaskTitle string `json:"task_title"`
	ProjectID int64  `json:"project_id"`
	Minutes   []int  `json:"minutes"`
	Total     int    `json:"total"`
}

// Timesheet reads a person's week: one's own, or anyone's for managers.
// Entries that cross midnight count on each day for their part; only
// tasks the reader can see are listed.
func (s *Store) Timesheet(ctx context.Context, a models.Actor, userID int64, w models.Week, loc *time.Location) (Timesheet, error) {
	if err := loggable(a); err != nil {
		return Timesheet{}, err
	}
	if userID != a.UserID && !a.Can(models.ActEditAllTime) {
		return Timesheet{}, fmt.Errorf("store: timesheet of %d: %w", userID, models.ErrForbidden)
	}
	m := w.Monday
	from := time.Date(m.Year(), m.Month(), m.Day(), 0, 0, 0, 0, loc)
	to := from.AddDate(0, 0, 7)
	out := Timesheet{Week: w.String(), UserID: userID, Rows: []TimesheetRow{}, DayTotals: make([]int, 7)}
	index := map[models.Date]int{}
	for i := range 7 {
		d := models.Date{Time: m.AddDate(0, 0, i)}
		out.Days = append(out.Days, d)
		index[d] = i
	}
	db := s.db.WithContext(ctx)
	var list []models.TimeEntry
	// An entry of a day at most can start the day before the week.
	q := entries(db).Where("time_entries.user_id = ? AND time_entries.ended_at IS NOT NULL", userID).
		Where("time_entries.started_at >= ? AND time_entries.started_at < ?", from.AddDate(0, 0, -1), to)
	q = scopeTasks(q, a.ProjectScope())
	if err := q.Order("time_entries.started_at").Find(&list).Error; err != nil {
		return out, wrap("timesheet", err)
	}
	rows := map[int64]int{}
	for _, e := range list {
		for _, part := range models.SplitByDay(e.StartedAt, e.Minutes, loc) {
			i, ok := index[part.Day]
			if !ok || part.Minutes == 0 {
				continue
			}
			r, ok := rows[e.TaskID]
			if !ok {
				r = len(out.Rows)
				rows[e.TaskID] = r
				out.Rows = append(out.Rows, TimesheetRow{TaskID: e.TaskID, Number: e.Number, TaskTitle: e.TaskTitle,
					ProjectID: e.ProjectID, Minutes: make([]int, 7)})
			}
			out.Rows[r].Minutes[i] += part.Minutes
			out.Rows[r].Total += part.Minutes
			out.DayTotals[i] += part.Minutes
			out.Total += part.Minutes
		}
	}
	var err error
	if userID == a.UserID {
		out.Running, err = runningTimer(db, userID)
	}
	return out, err
}

// weekSpent sums each person's minutes that started in the week (UTC, as
// sprints are kept), for the spent-against-planned figures of This week
// and the team board.
func weekSpent(tx *gorm.DB, w models.Week) (map[int64]int, error) {
	var rows []struct {
		UserID  int64 `gorm:"column:user_id"`
		Minutes int   `gorm:"column:minutes"`
	}
	err := tx.Raw(`SELECT user_id, sum(minutes) AS minutes FROM time_entries
		WHERE started_at >= ? AND started_at < ? GROUP BY user_id`, w.Start(), w.Next().Start()).Scan(&rows).Error
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.Minutes
	}
	return out, wrap("week spent", err)
}
