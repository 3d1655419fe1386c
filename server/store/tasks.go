package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// cardColumns are a task's own columns; taskColumns add what is computed
// per card (the approver's name, comment counts) for reads of a few cards.
const cardColumns = "tasks.id, tasks.number, tasks.project_id, tasks.title, tasks.status, tasks.rank, tasks.kind, " +
	"tasks.priority, tasks.assignee_id, tasks.reporter_id, tasks.estimate_minutes, tasks.due_date, tasks.staging_url, " +
	"tasks.labels, tasks.version, tasks.status_changed_at, tasks.created_at, tasks.updated_at, tasks.archived_at, " +
	"tasks.approval_state, tasks.check_note, tasks.approved_by, tasks.approved_at, tasks.approval_on_behalf, " +
	"tasks.approval_reason, tasks.deploy_on, tasks.deployed_at, tasks.sprint_id, tasks.sprint_rank, tasks.planned_at, " +
	"tasks.page_url, tasks.request, tasks.quote_minutes, tasks.quote_state, tasks.quote_reason, "

const taskColumns = cardColumns +
	"(SELECT name FROM users WHERE users.id = tasks.approved_by) AS approved_by_name, " +
	"(SELECT count(*) FROM comments c WHERE c.task_id = tasks.id) AS comment_count, " +
	"(SELECT count(*) FROM comments c WHERE c.task_id = tasks.id AND NOT c.internal) AS public_comment_count"

func (s *Store) taskForRead(tx *gorm.DB, a models.Actor, id int64) (models.Task, error) {
	return loadTask(tx, a, id, false)
}

// Task returns one task the actor can see, with its description.
func (s *Store) Task(ctx context.Context, a models.Actor, id int64) (models.Task, error) {
	t, err := s.taskForRead(s.db.WithContext(ctx), a, id)
	return t.For(a), err
}

// TaskByNumber finds a task by its #number for a shared link.
func (s *Store) TaskByNumber(ctx context.Context, a models.Actor, number int64) (models.Task, error) {
	var id int64
	err := s.db.WithContext(ctx).Raw("SELECT id FROM tasks WHERE number = ?", number).Row().Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return models.Task{}, fmt.Errorf("store: task #%d: %w", number, models.ErrNotFound)
	}
	if err != nil {
		return models.Task{}, wrap("task by number", err)
	}
	return s.Task(ctx, a, id)
}

// VisibleNumbers returns which of the task numbers the actor can see, with
// their titles: markdown links "#123" only for those.
func (s *Store) VisibleNumbers(ctx context.Context, a models.Actor, numbers []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(numbers) == 0 {
		return out, nil
	}
	var rows []struct {
		Number int64  `gorm:"column:number"`
		Title  string `gorm:"column:title"`
	}
	q := scopeProjects(s.db.WithContext(ctx).Table("tasks").Select("tasks.number, tasks.title").
		Joins("JOIN projects ON projects.id = tasks.project_id"), a.ProjectScope()).
		Where("tasks.number IN ? AND tasks.archived_at IS NULL", numbers)
	if err := q.Find(&rows).Error; err != nil {
		return nil, wrap("visible numbers", err)
	}
	for _, r := range rows {
		out[r.Number] = r.Title
	}
	return out, nil
}

// Board is a project's board at one event number: a client that then
// resumes its socket from Seq misses nothing and sees nothing twice.
type Board struct {
	Project models.Project `json:"project"`
	Seq     int64          `json:"seq"`
	Tasks   []models.Task  `json:"tasks"`
}

// BoardHead returns what identifies a board's snapshot for the actor: the
// project (access checked) and its current event number. Every change to
// the cards appends an event, so the same head means the same cards.
func (s *Store) BoardHead(ctx context.Context, a models.Actor, projectID int64) (models.Project, int64, error) {
	db := s.db.WithContext(ctx)
	p, err := s.project(db, a, projectID)
	if err != nil {
		return p, 0, err
	}
	seqs, err := projectSeqs(db, []int64{projectID})
	return p, seqs[projectID], err
}

// Board reads the project (access checked) and its open cards with the
// event number they are the result of.
func (s *Store) Board(ctx context.Context, a models.Actor, projectID int64) (Board, error) {
	db := s.db.WithContext(ctx)
	if err := access(db, a, projectID); err != nil {
		return Board{}, err
	}
	seqs, cards, err := s.readCards(ctx, []int64{projectID}, nil)
	if err != nil {
		return Board{}, err
	}
	// Read after the event number: a change to the project made after it
	// is then shown here and replayed to the socket, never missed.
	p, err := s.project(db, a, projectID)
	if err != nil {
		return Board{}, err
	}
	return Board{Project: p, Seq: seqs[projectID], Tasks: cardsFor(a, cards)}, nil
}

// Position says where a card goes in its list: right after After, or
// right before Before, or at the end when End is set, or else at the top.
// Neighbours are card IDs, never indexes: the server finds their keys in
// the full list.
type Position struct {
	After  int64
	Before int64
	End    bool
}

// NewTask is the input of CreateTask.
type NewTask struct {
	ProjectID int64
	Status    models.Status // staff only; clients' requests land in "set"
	Fields    models.TaskFields
	Position  Position
	Move      models.MoveInput // the question or staging link a column needs
	// Files are the actor's uploads sent before the card existed (a
	// client's request form), attached to it in the same transaction.
	Files []int64
}

// CreateTask adds a card to a project board.
func (s *Store) CreateTask(ctx context.Context, a models.Actor, n NewTask) (models.Task, error) {
	probs := models.Problems{}
	n.Fields.CheckClientFields(a, probs)
	if n.Fields.Title == nil {
		probs.Add("title", models.TitleRequired)
	}
	t := models.Task{ProjectID: n.ProjectID, Status: models.StatusSet, Kind: models.KindTask, Priority: models.PriorityNormal,
		ReporterID: a.UserID, Labels: models.Labels{}, ApprovalState: models.ApprovalNone, Request: a.Role == models.RoleClient}
	status := models.StatusSet
	if n.Status != "" {
		models.CheckStatus(probs, n.Status)
		if n.Status.Valid() && n.Status != models.StatusSet && !a.Can(models.ActEditTasks) {
			probs.Add("status", models.StatusOnCreate)
		}
		status = n.Status
	}
	n.Fields.Apply(&t, probs)
	if err := probs.Err(); err != nil {
		return t, err
	}
	step, err := models.Move(&t, status, n.Move)
	if err != nil {
		return t, err
	}
	err = s.taskCommand(ctx, a, &t, func(tx *gorm.DB, out *outbox) error {
		if err := s.insertTask(tx, out, a, &t, n.Position, step, nil); err != nil {
			return err
		}
		return attachToNewCard(tx, a, t, n.Files)
	})
	return t, err
}

// insertTask writes a new card that the rules already checked into its
// column at pos, with its event, the comment and notice its step entails.
// plan, when set, also puts it at the end of that week's unassigned or
// assignee's queue before the event is read.
func (s *Store) insertTask(tx *gorm.DB, out *outbox, a models.Actor, t *models.Task, pos Position, step models.Step, plan *models.Week) error {
	if err := access(tx, a, t.ProjectID); err != nil {
		return err
	}
	if err := checkAssignee(tx, t.ProjectID, t.AssigneeID); err != nil {
		return err
	}
	err := withRank(tx, out, a.UserID, columnList(t.ProjectID, t.Status), *t, pos, func(rank string) error {
		t.Rank = rank
		now := s.now()
		t.StatusChangedAt, t.CreatedAt, t.UpdatedAt, t.Version = now, now, now, 1
		// A new card carries no quote; one is sent to the client later.
		t.QuoteState = models.QuoteNone
		return tx.Table("tasks").Omit("number", "comment_count", "public_comment_count").Create(t).Error
	})
	if err != nil {
		return err
	}
	if plan != nil {
		sp, err := ensureSprint(tx, *plan)
		if err != nil {
			return err
		}
		err = withRank(tx, out, a.UserID, queueList(sp.ID, t.AssigneeID), *t, Position{End: true}, func(rank string) error {
			return tx.Table("tasks").Where("id = ?", t.ID).
				Updates(map[string]any{"sprint_id": sp.ID, "sprint_rank": rank, "planned_at": s.now()}).Error
		})
		if err != nil {
			return err
		}
		if err := touchSprint(tx, sp.ID); err != nil {
			return err
		}
	}
	if err := s.requeue(tx, out, a, models.Task{}, *t); err != nil {
		return err
	}
	// The row as stored: the database numbers the card.
	if err := tx.Table("tasks").Select(taskColumns+", tasks.description").Where("tasks.id = ?", t.ID).Take(t).Error; err != nil {
		return wrap("read new task", err)
	}
	*t = publishTask(out, a, taskEvent{kind: models.EventTaskCreated, task: *t})
	if err := notifyChanges(tx, out, a, models.Task{}, *t, models.NoteAssigned); err != nil {
		return err
	}
	return follow(tx, out, a, t, step)
}

// checkAssignee allows only active staff members of the project.
func checkAssignee(tx *gorm.DB, project int64, assignee *int64) error {
	if assignee == nil {
		return nil
	}
	var ok bool
	err := tx.Raw(`SELECT EXISTS (SELECT 1 FROM project_members m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = ? AND m.user_id = ? AND u.active AND u.role <> 'client')`, project, *assignee).Row().Scan(&ok)
	if err != nil {
		return wrap("check assignee", err)
	}
	if !ok {
		return models.Invalid("assignee_id", models.AssigneeNotMember)
	}
	return nil
}

// taskEvent describes the event a task command appends.
type taskEvent struct {
	kind   models.EventKind
	task   models.Task  // as this transaction wrote it
	before *models.Task // with it, the event lists what changed
	reason string
	waited int64
	note   string
}

// publishTask appends the event of a task as this transaction wrote it.
func publishTask(out *outbox, a models.Actor, te taskEvent) models.Task {
	t := te.task
	ev := models.TaskEvent{Task: t, Reason: te.reason, WaitedSeconds: te.waited, Note: te.note}
	if te.before != nil {
		ev.Changes = taskChanges(*te.before, t)
	}
	out.add(newEvent{project: t.ProjectID, kind: te.kind, actor: a.UserID, task: t.ID, staff: ev, client: ev.ForClient()})
	return t
}

// taskChanges lists the fields that differ. A description change is noted
// without its text, which can be long and is in the task itself.
func taskChanges(old, cur models.Task) map[string]models.Change {
	c := map[string]models.Change{}
	add := func(name string, from, to any, differ bool) {
		if differ {
			c[name] = models.Change{From: from, To: to}
		}
	}
	add("title", old.Title, cur.Title, old.Title != cur.Title)
	add("description", nil, nil, old.Description != cur.Description)
	add("status", old.Status, cur.Status, old.Status != cur.Status)
	add("rank", old.Rank, cur.Rank, old.Rank != cur.Rank)
	add("kind", old.Kind, cur.Kind, old.Kind != cur.Kind)
	add("priority", old.Priority, cur.Priority, old.Priority != cur.Priority)
	add("assignee_id", old.AssigneeID, cur.AssigneeID, !equalPtr(old.AssigneeID, cur.AssigneeID))
	add("estimate_minutes", old.EstimateMinutes, cur.EstimateMinutes, !equalPtr(old.EstimateMinutes, cur.EstimateMinutes))
	add("due_date", old.DueDate, cur.DueDate, !equalPtr(old.DueDate, cur.DueDate))
	add("staging_url", old.StagingURL, cur.StagingURL, old.StagingURL != cur.StagingURL)
	add("page_url", old.PageURL, cur.PageURL, old.PageURL != cur.PageURL)
	add("labels", old.Labels, cur.Labels, strings.Join(old.Labels, "\x00") != strings.Join(cur.Labels, "\x00"))
	add("approval_state", old.ApprovalState, cur.ApprovalState, old.ApprovalState != cur.ApprovalState)
	add("deploy_on", old.DeployOn, cur.DeployOn, !equalPtr(old.DeployOn, cur.DeployOn))
	add("sprint_id", old.SprintID, cur.SprintID, !equalPtr(old.SprintID, cur.SprintID))
	return c
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// UpdateTask changes a task's fields (not its column: see MoveTask). A
// client user may change their own request until work on it starts.
func (s *Store) UpdateTask(ctx context.Context, a models.Actor, id, version int64, f models.TaskFields) (models.Task, error) {
	probs := models.Problems{}
	f.CheckClientFields(a, probs)
	models.RequireVersion(probs, version)
	var t models.Task
	err := s.changeTask(ctx, a, cardChange{id, version, "", probs.Err()}, &t, func(tx *gorm.DB, out *outbox, before models.Task) error {
		if err := models.CheckEdit(before, a, f); err != nil {
			return fmt.Errorf("store: update task %d: %w", id, err)
		}
		probs := models.Problems{}
		f.Apply(&t, probs)
		if err := probs.Err(); err != nil {
			return err
		}
		var err error
		t, err = s.writeFields(tx, out, a, before, t, taskEvent{kind: models.EventTaskUpdated, before: &before}, models.NoteAssigned)
		return err
	})
	return t, err
}

// writeFields writes the editable fields of t, which was loaded as before,
// with its event (te, without the card: the row as written goes in) and the
// notices the edit entails.
func (s *Store) writeFields(tx *gorm.DB, out *outbox, a models.Actor, before, t models.Task, te taskEvent, assigned models.NotificationKind) (models.Task, error) {
	if err := t.Check(); err != nil {
		return t, err
	}
	if !equalPtr(before.AssigneeID, t.AssigneeID) {
		if err := checkAssignee(tx, t.ProjectID, t.AssigneeID); err != nil {
			return t, err
		}
	}
	set := map[string]any{
		"title": t.Title, "description": t.Description, "kind": t.Kind, "priority": t.Priority,
		"assignee_id": t.AssigneeID, "estimate_minutes": t.EstimateMinutes, "due_date": t.DueDate,
		"staging_url": t.StagingURL, "page_url": t.PageURL, "labels": t.Labels,
	}
	if t.SprintID != nil && !equalPtr(before.AssigneeID, t.AssigneeID) {
		// Leaving one person's queue for another's: a key that cannot
		// collide until requeue places it.
		set["sprint_rank"] = gorm.Expr("'zzzzzzzzzzzzzzzzzzzzzzzzzzz~' || id")
	}
	written, err := s.writeTask(tx, t.ID, set)
	if err != nil {
		return t, wrap("update task", err)
	}
	if err := s.requeue(tx, out, a, before, t); err != nil {
		return t, err
	}
	te.task = written
	t = publishTask(out, a, te)
	return t, notifyChanges(tx, out, a, before, t, assigned)
}

// Escalate hands a client's request from the first line to a developer
// with a reason, which the card's activity keeps.
func (s *Store) Escalate(ctx context.Context, a models.Actor, id, version int64, to *int64, reason string) (models.Task, error) {
	var t models.Task
	err := s.changeTask(ctx, a, cardChange{id, version, "", versionGiven(version)}, &t, func(tx *gorm.DB, out *outbox, before models.Task) error {
		if err := models.Escalate(&t, a, to, reason); err != nil {
			return fmt.Errorf("store: escalate task %d: %w", id, err)
		}
		var err error
		t, err = s.writeFields(tx, out, a, before, t, taskEvent{kind: models.EventTaskEscalated, before: &before,
			note: strings.TrimSpace(reason)}, models.NoteEscalated)
		return err
	})
	return t, err
}

// TaskMove is the input of MoveTask.
type TaskMove struct {
	Version  int64 // of the card as the user saw it
	Status   models.Status
	Position Position
	Move     models.MoveInput // the question or staging link a column needs
}

// MoveTask puts a card in a column at a position: the drag and drop. It
// writes the one moved row, and in the same transaction what the column
// asks for: the question to the client, the request for approval.
func (s *Store) MoveTask(ctx context.Context, a models.Actor, id int64, m TaskMove) (models.Task, error) {
	probs := models.Problems{}
	models.RequireVersion(probs, m.Version)
	models.CheckStatus(probs, m.Status)
	var t models.Task
	spot := &placing{board: boardColumn{status: m.Status}, pos: m.Position}
	err := s.changeTaskAt(ctx, a, cardChange{id, m.Version, models.ActEditTasks, probs.Err()}, spot, &t, func(tx *gorm.DB, out *outbox, before models.Task) error {
		step, err := models.Move(&t, m.Status, m.Move)
		if err != nil {
			return err
		}
		t, err = s.carryOut(tx, out, a, before, t, step, m.Position, writeAtCommit)
		return err
	})
	return t, err
}

// writeTask writes columns of one card and returns the row as written, for
// its event: one statement, where a re-read would be a second round trip on
// every command. Every change of a card's own row goes through here: its
// version moves on (the optimistic check of the next edit) and so does
// updated_at.
func (s *Store) writeTask(tx *gorm.DB, id int64, set map[string]any) (models.Task, error) {
	set["version"], set["updated_at"] = gorm.Expr("version + 1"), s.now()
	q, vars := taskUpdate(set, func(int) string { return "?" }, id)
	var t models.Task
	res := tx.Raw(q+" RETURNING "+taskColumns+", tasks.description", vars...).Find(&t)
	if res.Error == nil && res.RowsAffected == 0 {
		return t, fmt.Errorf("store: write task %d: %w", id, models.ErrNotFound)
	}
	return t, res.Error
}

// taskUpdate is the UPDATE of the columns set of card id, with the
// placeholders of the driver that sends it (GORM's "?", pgx's "$n").
// The columns are sorted, so each set of columns is one statement text the
// driver's statement cache keeps. The names are this package's, never
// input.
func taskUpdate(set map[string]any, placeholder func(n int) string, id int64) (string, []any) {
	cols := slices.Sorted(maps.Keys(set))
	var q strings.Builder
	vars := make([]any, 0, len(cols)+1)
	q.WriteString("UPDATE tasks SET ")
	for i, c := range cols {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(c + " = " + placeholder(i+1))
		vars = append(vars, set[c])
	}
	q.WriteString(" WHERE id = " + placeholder(len(cols)+1))
	return q.String(), append(vars, id)
}

// writeTaskAtCommit is writeTask for a card written once, right after the
// command loaded and locked it, and by nothing after (MoveTask): the UPDATE
// goes with the events and the COMMIT (commitWith), a round trip fewer on
// the busiest command. The row as written is t with its next version and
// the time of the change: nothing else can change the locked row first.
// A key another move took meanwhile fails the commit as a collision, and
// the command runs again (see withRank).
func (s *Store) writeTaskAtCommit(out *outbox, list rankList, before, t models.Task, set map[string]any) models.Task {
	// pgx sends a time in whole microseconds, as PostgreSQL keeps it.
	now := s.now().Truncate(time.Microsecond)
	set["version"], set["updated_at"] = before.Version+1, now
	t.Version, t.UpdatedAt = before.Version+1, now
	if _, ok := set["status_changed_at"]; ok {
		set["status_changed_at"], t.StatusChangedAt = now, now
	}
	if rank, ok := set["rank"].(string); ok {
		t.Rank = rank
	}
	q, vars := taskUpdate(set, func(n int) string { return "$" + strconv.Itoa(n) }, t.ID)
	out.writes = append(out.writes, commitWrite{sql: q, args: vars, failed: list.placeFailed})
	return t
}

// cardWrite is when carryOut writes the card's row.
type cardWrite int

const (
	writeNow cardWrite = iota
	// writeAtCommit: the step is the command's one change of the card, and
	// nothing else in the command reads the card's row (writeTaskAtCommit).
	writeAtCommit
)

// carryOut writes a step of the status flow that a rule in models decided:
// t is the card as the rule left it, before as it was loaded. The card goes
// into its column (where the step says), then come its event, the comment
// the actor posts with it and the notice, in that order.
func (s *Store) carryOut(tx *gorm.DB, out *outbox, a models.Actor, before, t models.Task, step models.Step, pos Position, when cardWrite) (models.Task, error) {
	set := map[string]any{"status": t.Status, "staging_url": t.StagingURL, "approval_state": t.ApprovalState,
		"check_note": t.CheckNote, "approved_by": t.ApprovedBy, "approved_at": t.ApprovedAt,
		"approval_on_behalf": t.ApprovalOnBehalf, "approval_reason": t.ApprovalReason, "deploy_on": t.DeployOn,
		"quote_minutes": t.QuoteMinutes, "quote_state": t.QuoteState, "quote_reason": t.QuoteReason}
	if t.Status != before.Status {
		set["status_changed_at"] = s.now()
	}
	if !equalPtr(before.DeployedAt, t.DeployedAt) {
		set["deployed_at"], set["deployed_by"] = t.DeployedAt, a.UserID
	}
	list := columnList(t.ProjectID, t.Status)
	write := func() (models.Task, error) { return s.writeTask(tx, t.ID, set) }
	// A new approver's name (approved_by_name) and a deploy's time come
	// from the database.
	if when == writeAtCommit && equalPtr(before.ApprovedBy, t.ApprovedBy) && equalPtr(before.DeployedAt, t.DeployedAt) {
		write = func() (models.Task, error) { return s.writeTaskAtCommit(out, list, before, t, set), nil }
	}
	var written models.Task
	var err error
	switch step.Place {
	case models.StayPut:
		written, err = write()
		err = wrap("write task", err)
	case models.PlaceOnTop:
		pos = Position{}
		fallthrough
	default:
		err = withRank(tx, out, a.UserID, list, t, pos, func(rank string) error {
			set["rank"] = rank
			written, err = write()
			return err
		})
	}
	if err != nil {
		return t, err
	}
	t = publishTask(out, a, taskEvent{kind: step.Event, task: written, before: &before, reason: step.Reason, waited: step.Waited})
	err = follow(tx, out, a, &t, step)
	return t, err
}

// follow does what a step entails besides the card itself: the comment
// the actor posts with it (a question to the client becomes one they can
// answer), counted on the card the command answers with, and the notice to
// the people whose move it now is. The card's own event went out before
// the comment and counts without it; the comment's event brings the count.
func follow(tx *gorm.DB, out *outbox, a models.Actor, t *models.Task, step models.Step) error {
	if step.Comment != "" {
		if _, err := insertComment(tx, out, a, t, models.Comment{Body: step.Comment}, nil); err != nil {
			return err
		}
	}
	if step.Notice == "" {
		return nil
	}
	return notify(tx, out, a, *t, step.Notice, recipientsOf(step.To, *t))
}

// ArchiveTask takes a card off the board; its history stays.
func (s *Store) ArchiveTask(ctx context.Context, a models.Actor, id, version int64) (models.Task, error) {
	var t models.Task
	err := s.changeTask(ctx, a, cardChange{id, version, models.ActEditTasks, versionGiven(version)}, &t, func(tx *gorm.DB, out *outbox, before models.Task) error {
		written, err := s.writeTask(tx, id, map[string]any{"archived_at": s.now()})
		if err != nil {
			return wrap("archive task", err)
		}
		t = publishTask(out, a, taskEvent{kind: models.EventTaskArchived, task: written, before: &before})
		return nil
	})
	return t, err
}

// RestoreTask puts an archived card back at the top of its column.
func (s *Store) RestoreTask(ctx context.Context, a models.Actor, id, version int64) (models.Task, error) {
	if err := versionGiven(version); err != nil {
		return models.Task{}, err
	}
	var t models.Task
	err := s.taskCommand(ctx, a, &t, func(tx *gorm.DB, out *outbox) error {
		var err error
		if t, err = loadTask(tx, a, id, true); err != nil {
			return err
		}
		switch {
		case !a.Can(models.ActEditTasks):
			return fmt.Errorf("store: restore task %d: %w", id, models.ErrForbidden)
		case t.ArchivedAt == nil: // restored meanwhile, which changed the version too
			return &models.ConflictError{Reason: models.TaskNotArchived.With(), Current: t}
		case t.Version != version:
			return &models.ConflictError{Reason: models.TaskStale.With(), Current: t}
		}
		before := t
		var written models.Task
		err = withRank(tx, out, a.UserID, columnList(t.ProjectID, t.Status), t, Position{}, func(rank string) error {
			written, err = s.writeTask(tx, id, map[string]any{"archived_at": nil, "rank": rank})
			return err
		})
		if err != nil {
			return err
		}
		t = publishTask(out, a, taskEvent{kind: models.EventTaskRestored, task: written, before: &before})
		return nil
	})
	return t, err
}

// ArchivedTasks lists a project's archived cards, newest first.
func (s *Store) ArchivedTasks(ctx context.Context, a models.Actor, projectID int64) ([]models.Task, error) {
	db := s.db.WithContext(ctx)
	if err := access(db, a, projectID); err != nil {
		return nil, err
	}
	list := []models.Task{}
	err := db.Table("tasks").Select(taskColumns).Where("tasks.project_id = ? AND tasks.archived_at IS NOT NULL", projectID).
		Order("tasks.archived_at DESC").Limit(500).Find(&list).Error
	return cardsFor(a, list), wrap("archived tasks", err)
}

// cardsFor hands a list of cards to the actor as they may see them.
func cardsFor(a models.Actor, cards []models.Task) []models.Task {
	for i := range cards {
		cards[i] = cards[i].For(a)
	}
	return cards
}
