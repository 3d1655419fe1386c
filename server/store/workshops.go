package store

// Workshops: a client's meetings with the agency. The agenda is drafted
// from the client's board by models.DraftAgenda; every change of a workshop
// moves its version on and rings WorkshopsChannel, so two people editing
// it see each other's changes and a stale save is refused, not lost.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// WorkshopsChannel rings "<client>:<workshop>" when a workshop changed.
// It carries no text: the open pages read the workshop again, each as its
// reader may see it, so nothing internal can reach a client through it.
const WorkshopsChannel = "doska_workshops"

func notifyWorkshop(tx *gorm.DB, w models.Workshop) error {
	payload := strconv.FormatInt(w.ClientID, 10) + ":" + strconv.FormatInt(w.ID, 10)
	return wrap("notify workshop", tx.Exec("SELECT pg_notify(?, ?)", WorkshopsChannel, payload).Error)
}

// workshopsOf reads the headers of the workshops of the clients the actor
// can see.
func workshopsOf(tx *gorm.DB, a models.Actor) *gorm.DB {
	q := tx.Table("workshops").Select("workshops.*, clients.name AS client_name").
		Joins("JOIN clients ON clients.id = workshops.client_id")
	return scopeClients(q, a.ProjectScope())
}

// ListWorkshops lists the workshops of one client (or of every client the
// actor can see, for 0): the coming ones first, the soonest leading, then
// the past ones, the latest leading. Headers only; the agenda is read one
// workshop at a time.
func (s *Store) ListWorkshops(ctx context.Context, a models.Actor, clientID int64) ([]models.Workshop, error) {
	q := workshopsOf(s.db.WithContext(ctx), a)
	if clientID > 0 {
		q = q.Where("workshops.client_id = ?", clientID)
	}
	var list []models.Workshop
	if err := q.Order("workshops.starts_at DESC, workshops.id").Limit(500).Find(&list).Error; err != nil {
		return nil, wrap("workshops", err)
	}
	models.SortWorkshops(list, s.now())
	out := make([]models.Workshop, 0, len(list))
	for _, w := range list {
		if v, ok := w.For(a); ok {
			v.Items, v.Cards, v.Notes, v.InternalNotes = []models.WorkshopItem{}, []models.WorkshopCard{}, "", ""
			out = append(out, v)
		}
	}
	return out, nil
}

// Workshop reads one workshop with its agenda and cards, as the actor may
// see it.
func (s *Store) Workshop(ctx context.Context, a models.Actor, id int64) (models.Workshop, error) {
	w, err := readWorkshop(s.db.WithContext(ctx), a, id, false)
	if err != nil {
		return w, err
	}
	w, _ = w.For(a)
	return w, nil
}

// readWorkshop loads a visible workshop whole, locking its row for a
// change when lock is set.
func readWorkshop(tx *gorm.DB, a models.Actor, id int64, lock bool) (models.Workshop, error) {
	var w models.Workshop
	q := workshopsOf(tx, a).Where("workshops.id = ?", id)
	if lock {
		q = q.Clauses(forUpdateOf("workshops"))
	}
	if err := q.Take(&w).Error; err != nil {
		return w, wrap(fmt.Sprintf("workshop %d", id), err)
	}
	var err error
	if w.Items, err = workshopItems(tx, id); err != nil {
		return w, err
	}
	w.Cards = []models.WorkshopCard{}
	err = tx.Table("workshop_tasks wt").
		Select("wt.task_id, wt.item_id, wt.item_no, wt.line, wt.client_todo, t.number, t.title, t.status, t.project_id, wt.estimate_minutes").
		Joins("JOIN tasks t ON t.id = wt.task_id").Where("wt.workshop_id = ? AND t.archived_at IS NULL", id).
		Order("wt.item_no, t.number").Find(&w.Cards).Error
	return w, wrap("workshop cards", err)
}

// workshopItems reads a workshop's agenda in order, each item with its
// card's number and status. A drafted agenda may hold a point for each of
// a client's thousands of cards: scanned without GORM's reflection, which
// cost more than the query.
func workshopItems(tx *gorm.DB, id int64) ([]models.WorkshopItem, error) {
	rows, err := tx.Raw(`SELECT i.id, i.workshop_id, i.position, i.source, i.task_id, i.since, i.title, i.notes, i.decision,
		i.internal, i.proposed_by, t.number, coalesce(t.status, ''), t.project_id
		FROM workshop_items i LEFT JOIN tasks t ON t.id = i.task_id
		WHERE i.workshop_id = ? ORDER BY i.position, i.id`, id).Rows()
	if err != nil {
		return nil, wrap("workshop items", err)
	}
	defer rows.Close()
	items := []models.WorkshopItem{}
	for rows.Next() {
		var it models.WorkshopItem
		if err := rows.Scan(&it.ID, &it.WorkshopID, &it.Position, &it.Source, &it.TaskID, &it.Since, &it.Title, &it.Notes,
			&it.Decision, &it.Internal, &it.ProposedBy, &it.TaskNumber, &it.TaskStatus, &it.ProjectID); err != nil {
			return nil, wrap("workshop items", err)
		}
		items = append(items, it)
	}
	return items, wrap("workshop items", rows.Err())
}

// changeWorkshop runs a command on one workshop: loaded and locked,
// visible to the actor (else not found), the actor allowed to run
// workshops (else forbidden) and, for version > 0, the version the actor
// saw (else a conflict carrying the workshop as it is now). fn changes the
// workshop; its version then moves on and the change is announced.
func (s *Store) changeWorkshop(ctx context.Context, a models.Actor, id, version int64, fn func(tx *gorm.DB, out *outbox, w *models.Workshop) error) (models.Workshop, error) {
	var w models.Workshop
	err := s.command(ctx, func(tx *gorm.DB, out *outbox) error {
		var err error
		if w, err = readWorkshop(tx, a, id, true); err != nil {
			return err
		}
		if !a.Can(models.ActRunWorkshops) {
			return fmt.Errorf("store: workshop %d: %w", id, models.ErrForbidden)
		}
		if version > 0 && w.Version != version {
			cur, _ := w.For(a)
			return &models.ConflictError{Reason: models.WorkshopStale.With(), Current: cur}
		}
		if err := fn(tx, out, &w); err != nil {
			return err
		}
		return s.touchWorkshop(tx, a, &w)
	})
	w, _ = w.For(a)
	return w, err
}

// touchWorkshop moves a changed workshop's version on, announces it and
// reads it back whole.
func (s *Store) touchWorkshop(tx *gorm.DB, a models.Actor, w *models.Workshop) error {
	err := tx.Exec("UPDATE workshops SET version = version + 1, updated_at = ? WHERE id = ?", s.now(), w.ID).Error
	if err != nil {
		return wrap("touch workshop", err)
	}
	if err := notifyWorkshop(tx, *w); err != nil {
		return err
	}
	*w, err = readWorkshop(tx, a, w.ID, false)
	return err
}

// NewWorkshop is the input of CreateWorkshop.
type NewWorkshop struct {
	ClientID  int64
	StartsAt  time.Time
	Attendees []int64
}

// CreateWorkshop plans a client's workshop and drafts its agenda from the
// client's board.
func (s *Store) CreateWorkshop(ctx context.Context, a models.Actor, in NewWorkshop) (models.Workshop, error) {
	probs := models.Problems{}
	if in.ClientID <= 0 {
		probs.Add("client_id", models.WorkshopClient)
	}
	if in.StartsAt.IsZero() {
		probs.Add("starts_at", models.WorkshopStartsAt)
	}
	if err := probs.Err(); err != nil {
		return models.Workshop{}, err
	}
	var w models.Workshop
	err := s.command(ctx, func(tx *gorm.DB, _ *outbox) error {
		if _, err := s.client(tx, a, in.ClientID); err != nil {
			return err
		}
		if !a.Can(models.ActRunWorkshops) {
			return fmt.Errorf("store: create workshop: %w", models.ErrForbidden)
		}
		if err := checkAttendees(tx, in.ClientID, in.Attendees); err != nil {
			return err
		}
		now := s.now()
		w = models.Workshop{ClientID: in.ClientID, StartsAt: in.StartsAt, State: models.WorkshopDraft,
			Attendees: models.IDs(in.Attendees), Version: 1, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now}
		if err := tx.Table("workshops").Omit("client_name").Create(&w).Error; err != nil {
			return wrap("create workshop", err)
		}
		if err := s.draftAgenda(tx, w, 0, nil); err != nil {
			return err
		}
		return s.touchWorkshop(tx, a, &w)
	})
	w, _ = w.For(a)
	return w, err
}

// attendeesMax bounds a workshop's list of people: a meeting, not a mailing list.
const attendeesMax = 100

// checkAttendees allows the agency's active staff and the client's own
// active users.
func checkAttendees(tx *gorm.DB, clientID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if len(ids) > attendeesMax {
		return models.Invalid("attendees", models.AttendeesTooMany, attendeesMax)
	}
	var n int64
	err := tx.Table("users").Where("id IN ? AND active AND (role <> 'client' OR client_id = ?)", ids, clientID).Count(&n).Error
	if err != nil {
		return wrap("check attendees", err)
	}
	distinct := map[int64]bool{}
	for _, id := range ids {
		distinct[id] = true
	}
	if int(n) != len(distinct) {
		return models.Invalid("attendees", models.AttendeesPeople)
	}
	return nil
}

// agendaQuery reads the cards a draft may propose: the client's open
// cards, those deployed since the last workshop, and those made at an
// earlier workshop. Only cards in progress need their last event and the
// time logged on them (for "stuck"): an index lookup each. The last event
// is the one with the highest number, one entry at the end of the card's
// range of events_task_idx; max(created_at) read every event of the card,
// and beside a small events table the planner scanned the whole table for
// each card instead (750 scans for one draft).
//
// The cards are read project by project (LATERAL, kept from being merged
// into the join by OFFSET 0). The planner guesses a project's cards from
// the average over all projects: when one client's 30 projects stand
// beside another's few huge ones, that guess was 150,000 cards instead of
// 3,000, and it scanned the whole tasks table.
const agendaQuery = `SELECT t.id, t.title, t.status, t.priority, t.approval_state, t.status_changed_at, t.created_at,
	t.approved_at, t.deployed_at, t.estimate_minutes,
	CASE WHEN t.status = 'in_progress' THEN
		(SELECT e.created_at FROM events e WHERE e.task_id = t.id ORDER BY e.seq DESC LIMIT 1) END AS last_event_at,
	CASE WHEN t.status = 'in_progress' THEN
		(SELECT coalesce(sum(te.minutes), 0) FROM time_entries te WHERE te.task_id = t.id) ELSE 0 END AS spent,
	t.id IN (SELECT wt.task_id FROM workshop_tasks wt JOIN workshops w ON w.id = wt.workshop_id
		WHERE w.client_id = @client AND w.id <> @workshop AND w.starts_at < @starts) AS carried
FROM projects p CROSS JOIN LATERAL (SELECT * FROM tasks WHERE project_id = p.id AND archived_at IS NULL
	AND (status <> 'done' OR deployed_at > @since) OFFSET 0) t
WHERE p.client_id = @client AND p.archived_at IS NULL`

// agendaCards reads the cards a draft may propose, leaving out those in
// skip. A client with thousands of open cards makes this the draft's
// largest read: scanned without GORM's reflection, which cost more than the
// query.
func agendaCards(tx *gorm.DB, w models.Workshop, since time.Time, skip map[int64]bool) ([]models.AgendaCard, error) {
	rows, err := tx.Raw(agendaQuery, map[string]any{"client": w.ClientID, "workshop": w.ID, "starts": w.StartsAt, "since": since}).Rows()
	if err != nil {
		return nil, wrap("agenda cards", err)
	}
	defer rows.Close()
	var cards []models.AgendaCard
	for rows.Next() {
		var c models.AgendaCard
		var lastEvent *time.Time
		if err := rows.Scan(&c.TaskID, &c.Title, &c.Wait.Status, &c.Priority, &c.Wait.ApprovalState, &c.Wait.StatusChangedAt,
			&c.Wait.CreatedAt, &c.Wait.ApprovedAt, &c.DeployedAt, &c.EstimateMinutes, &lastEvent, &c.SpentMinutes, &c.Carried); err != nil {
			return nil, wrap("agenda cards", err)
		}
		if skip[c.TaskID] {
			continue
		}
		// Only cards in progress read their last event; for the others the
		// last move will do.
		c.LastEventAt = c.Wait.StatusChangedAt
		if lastEvent != nil {
			c.LastEventAt = *lastEvent
		}
		cards = append(cards, c)
	}
	return cards, wrap("agenda cards", rows.Err())
}

// draftAgenda adds the board's proposals to a workshop's agenda from
// position from on, leaving out the cards in skip (already on it), and
// stores how many cards each section had beyond its cap.
func (s *Store) draftAgenda(tx *gorm.DB, w models.Workshop, from int, skip map[int64]bool) error {
	var prev *time.Time
	err := tx.Raw("SELECT max(starts_at) FROM workshops WHERE client_id = ? AND id <> ? AND starts_at < ?",
		w.ClientID, w.ID, w.StartsAt).Row().Scan(&prev)
	if err != nil {
		return wrap("previous workshop", err)
	}
	set, err := readSettings(tx)
	if err != nil {
		return err
	}
	rules := models.AgendaRules{Since: models.SinceLastWorkshop(prev, w.StartsAt), Now: s.now(), StuckDays: set.StuckDays}
	cards, err := agendaCards(tx, w, rules.Since, skip)
	if err != nil {
		return err
	}
	points, left := models.DraftAgenda(rules, cards)
	if err := tx.Exec("UPDATE workshops SET left_out = ? WHERE id = ?", left, w.ID).Error; err != nil {
		return wrap("cards left out of the agenda", err)
	}
	if len(points) == 0 {
		return nil
	}
	type item struct {
		Position int                 `json:"position"`
		Source   models.AgendaSource `json:"source"`
		TaskID   int64               `json:"task_id"`
		Since    time.Time           `json:"since"`
		Title    string              `json:"title"`
	}
	items := make([]item, len(points))
	for i, p := range points {
		items[i] = item{Position: from + i, Source: p.Source, TaskID: p.TaskID, Since: p.Since, Title: p.Title}
	}
	b, err := json.Marshal(items)
	if err != nil {
		return err
	}
	// One statement, whatever the agenda's length: the capped sections
	// still make 75 points and the carried ones have no cap, and a row per
	// parameter set cost more than the rules. The titles travel with the
	// points, as agendaCards read them: joining tasks again for them let the
	// planner hash the whole table (40–65 ms among 200,000 tasks).
	err = tx.Exec(`INSERT INTO workshop_items (workshop_id, position, source, task_id, since, title)
		SELECT ?, r.position, r.source, r.task_id, r.since, r.title
		FROM jsonb_to_recordset(?::jsonb) AS r(position int, source text, task_id bigint, since timestamptz, title text)`,
		w.ID, string(b)).Error
	return wrap("draft agenda", err)
}

// RefreshAgenda drafts the agenda again from the board, until the
// workshop is held: the board's points nobody wrote anything under are
// replaced by what the board says now; everything else stays.
func (s *Store) RefreshAgenda(ctx context.Context, a models.Actor, id, version int64) (models.Workshop, error) {
	if err := versionGiven(version); err != nil {
		return models.Workshop{}, err
	}
	return s.changeWorkshop(ctx, a, id, version, func(tx *gorm.DB, _ *outbox, w *models.Workshop) error {
		if w.State != models.WorkshopDraft {
			return &models.ConflictError{Reason: models.AgendaFrozen.With()}
		}
		var stale []int64
		kept, next := map[int64]bool{}, 0
		for _, it := range w.Items {
			if it.Source.Drafted() && it.Notes == "" && it.Decision == "" {
				stale = append(stale, it.ID)
				continue
			}
			if it.TaskID != nil {
				kept[*it.TaskID] = true
			}
			next = max(next, it.Position+1)
		}
		if len(stale) > 0 {
			if err := tx.Exec("DELETE FROM workshop_items WHERE id IN ?", stale).Error; err != nil {
				return wrap("refresh agenda", err)
			}
		}
		return s.draftAgenda(tx, *w, next, kept)
	})
}

// ItemInput is an agenda item as the PM left it: an existing item (by ID)
// or a new free one (ID 0).
type ItemInput struct {
	ID       int64
	Title    string
	Notes    string
	Decision string
	Internal bool
}

// WorkshopPatch changes a workshop; nil fields stay. Items, when given,
// is the whole agenda in its new order: items left out are removed.
type WorkshopPatch struct {
	Version       int64
	StartsAt      *time.Time
	Attendees     *[]int64
	Notes         *string
	InternalNotes *string
	NextMeeting   **models.Date
	State         *models.WorkshopState
	Items         *[]ItemInput
}

func (p *WorkshopPatch) clean() error {
	probs := models.Problems{}
	if p.Version <= 0 {
		probs.Add("version", models.WorkshopVersion)
	}
	if p.StartsAt != nil && p.StartsAt.IsZero() {
		probs.Add("starts_at", models.WorkshopStartsAt)
	}
	if p.Notes != nil {
		*p.Notes = models.CleanText(probs, "notes", *p.Notes, models.WorkshopNotesMax)
	}
	if p.InternalNotes != nil {
		*p.InternalNotes = models.CleanText(probs, "internal_notes", *p.InternalNotes, models.WorkshopNotesMax)
	}
	if p.Items != nil {
		if len(*p.Items) > models.WorkshopItemsMax {
			probs.Add("items", models.AgendaTooLong, models.WorkshopItemsMax)
		}
		for i := range *p.Items {
			in := &(*p.Items)[i]
			it := models.WorkshopItem{Title: in.Title, Notes: in.Notes, Decision: in.Decision}
			models.CleanItem(probs, "items."+strconv.Itoa(i)+".", &it)
			in.Title, in.Notes, in.Decision = it.Title, it.Notes, it.Decision
		}
	}
	return probs.Err()
}

// UpdateWorkshop saves the PM's changes: date, attendees, notes, the
// agenda's items and order, and the step to held or published.
func (s *Store) UpdateWorkshop(ctx context.Context, a models.Actor, id int64, p WorkshopPatch) (models.Workshop, error) {
	if err := p.clean(); err != nil {
		return models.Workshop{}, err
	}
	return s.changeWorkshop(ctx, a, id, p.Version, func(tx *gorm.DB, _ *outbox, w *models.Workshop) error {
		set := map[string]any{}
		publishing := false
		if p.State != nil {
			if err := models.CheckWorkshopStep(w.State, *p.State); err != nil {
				return err
			}
			set["state"] = *p.State
			if *p.State == models.WorkshopPublished && w.State != models.WorkshopPublished {
				set["published_at"] = s.now()
				publishing = true
			}
		}
		if p.StartsAt != nil {
			set["starts_at"] = *p.StartsAt
		}
		if p.Attendees != nil {
			if err := checkAttendees(tx, w.ClientID, *p.Attendees); err != nil {
				return err
			}
			set["attendees"] = models.IDs(*p.Attendees)
		}
		if p.Notes != nil {
			set["notes"] = *p.Notes
		}
		if p.InternalNotes != nil {
			set["internal_notes"] = *p.InternalNotes
		}
		if p.NextMeeting != nil {
			set["next_meeting"] = *p.NextMeeting
		}
		if len(set) > 0 {
			if err := tx.Table("workshops").Where("id = ?", w.ID).Updates(set).Error; err != nil {
				return wrap("update workshop", err)
			}
		}
		if p.Items != nil {
			if err := saveItems(tx, *w, *p.Items); err != nil {
				return err
			}
		}
		if !publishing {
			return nil
		}
		return notifyWorkshopPublished(tx, a, w.ID)
	})
}

// saveItems writes the agenda as the PM left it: existing items changed
// and put in order, new free items added, missing ones removed.
func saveItems(tx *gorm.DB, w models.Workshop, items []ItemInput) error {
	existing := map[int64]bool{}
	for _, it := range w.Items {
		existing[it.ID] = true
	}
	for i, in := range items {
		if in.ID == 0 {
			continue
		}
		if !existing[in.ID] {
			return models.Invalid("items."+strconv.Itoa(i)+".id", models.AgendaItemGone)
		}
		delete(existing, in.ID)
	}
	if len(existing) > 0 {
		gone := make([]int64, 0, len(existing))
		for id := range existing {
			gone = append(gone, id)
		}
		if err := tx.Exec("DELETE FROM workshop_items WHERE id IN ?", gone).Error; err != nil {
			return wrap("remove agenda items", err)
		}
	}
	for i, in := range items {
		fields := map[string]any{"position": i, "title": in.Title, "notes": in.Notes, "decision": in.Decision, "internal": in.Internal}
		var err error
		if in.ID == 0 {
			fields["workshop_id"], fields["source"] = w.ID, models.SourceFree
			err = tx.Table("workshop_items").Create(fields).Error
		} else {
			err = tx.Table("workshop_items").Where("id = ?", in.ID).Updates(fields).Error
		}
		if err != nil {
			return wrap("save agenda item", err)
		}
	}
	return nil
}

// ProposeItem adds a client user's topic to their company's coming
// workshop, before it is held.
func (s *Store) ProposeItem(ctx context.Context, a models.Actor, id int64, title, notes string) (models.Workshop, error) {
	probs := models.Problems{}
	it := models.WorkshopItem{Title: title, Notes: notes}
	models.CleanItem(probs, "", &it)
	if err := probs.Err(); err != nil {
		return models.Workshop{}, err
	}
	var w models.Workshop
	err := s.command(ctx, func(tx *gorm.DB, _ *outbox) error {
		var err error
		if w, err = readWorkshop(tx, a, id, true); err != nil {
			return err
		}
		if a.Role != models.RoleClient {
			return fmt.Errorf("store: propose to workshop %d: %w", id, models.ErrForbidden)
		}
		if w.State != models.WorkshopDraft {
			return &models.ConflictError{Reason: models.ProposalLate.With()}
		}
		it.WorkshopID, it.Position, it.Source, it.ProposedBy = w.ID, len(w.Items), models.SourceProposal, &a.UserID
		if err := tx.Table("workshop_items").Omit("task_number", "task_status", "project_id").Create(&it).Error; err != nil {
			return wrap("propose item", err)
		}
		return s.touchWorkshop(tx, a, &w)
	})
	w, _ = w.For(a)
	return w, err
}

// WorkshopLink is where a card made at a workshop came from.
type WorkshopLink struct {
	WorkshopID int64     `gorm:"column:workshop_id" json:"workshop_id"`
	ClientName string    `gorm:"column:client_name" json:"client_name"`
	StartsAt   time.Time `gorm:"column:starts_at" json:"starts_at"`
	ItemID     *int64    `gorm:"column:item_id" json:"item_id"`
	ItemNo     int       `gorm:"column:item_no" json:"item_no"`
}

// TaskWorkshop returns the workshop a card the actor can see was made at;
// models.ErrNotFound if none. A client user is told only of published
// workshops, the only ones they can open.
func (s *Store) TaskWorkshop(ctx context.Context, a models.Actor, taskID int64) (WorkshopLink, error) {
	db := s.db.WithContext(ctx)
	if _, err := s.taskForRead(db, a, taskID); err != nil {
		return WorkshopLink{}, err
	}
	var l WorkshopLink
	q := db.Table("workshop_tasks wt").Select("wt.workshop_id, c.name AS client_name, w.starts_at, wt.item_id, wt.item_no").
		Joins("JOIN workshops w ON w.id = wt.workshop_id").Joins("JOIN clients c ON c.id = w.client_id").
		Where("wt.task_id = ?", taskID)
	if !a.IsStaff() {
		q = q.Where("w.state = ?", models.WorkshopPublished)
	}
	return l, wrap(fmt.Sprintf("workshop of task %d", taskID), q.Take(&l).Error)
}

// ConvertLines turns note lines into cards in one transaction: the cards,
// their ranks and plans, their events and the links to the workshop are
// written together or not at all. With an idempotency key a retry of the
// same batch is answered without creating anything again.
func (s *Store) ConvertLines(ctx context.Context, a models.Actor, id int64, lines []models.NoteLine) (models.Workshop, error) {
	probs := models.Problems{}
	switch {
	case len(lines) == 0:
		probs.Add("lines", models.LinesRequired)
	case len(lines) > models.NoteLinesMax:
		probs.Add("lines", models.LinesTooMany, models.NoteLinesMax)
	}
	for i, l := range lines {
		l.Card(probs, "lines."+strconv.Itoa(i)+".", a.UserID)
	}
	if err := probs.Err(); err != nil {
		return models.Workshop{}, err
	}
	return s.changeWorkshop(ctx, a, id, 0, func(tx *gorm.DB, out *outbox, w *models.Workshop) error {
		var projects []int64
		err := tx.Table("projects").Where("client_id = ? AND archived_at IS NULL", w.ClientID).Pluck("id", &projects).Error
		if err != nil {
			return wrap("workshop projects", err)
		}
		itemNo := map[int64]int{}
		for i, it := range w.Items {
			itemNo[it.ID] = i + 1
		}
		week := models.WeekOf(s.now())
		links := make([]map[string]any, 0, len(lines))
		// A command that collided on a rank runs again from the start: the
		// cards are built anew each time.
		for i, l := range lines {
			prefix := "lines." + strconv.Itoa(i) + "."
			if !slices.Contains(projects, l.ProjectID) {
				return models.Invalid(prefix+"project_id", models.LineProject)
			}
			no := 0
			if l.ItemID != nil {
				if no = itemNo[*l.ItemID]; no == 0 {
					return models.Invalid(prefix+"item_id", models.AgendaItemGone)
				}
			}
			t, status, move := l.Card(models.Problems{}, prefix, a.UserID)
			step, err := models.Move(&t, status, move)
			if err != nil {
				return err
			}
			var plan *models.Week
			if l.Plan == models.PlanThisWeek {
				plan = &week
			}
			if err := s.insertTask(tx, out, a, &t, Position{End: true}, step, plan); err != nil {
				return prefixed(err, prefix)
			}
			links = append(links, map[string]any{"task_id": t.ID, "workshop_id": w.ID, "item_id": l.ItemID, "item_no": no,
				"line": strings.TrimSpace(l.Line), "client_todo": l.Plan == models.PlanClientTodo, "estimate_minutes": t.EstimateMinutes})
		}
		return wrap("link cards to workshop", tx.Table("workshop_tasks").Create(&links).Error)
	})
}

// prefixed names a line's field problems after the line ("lines.3.assignee_id").
func prefixed(err error, prefix string) error {
	var v *models.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	fields := make(map[string]models.Problem, len(v.Fields))
	for k, m := range v.Fields {
		fields[prefix+k] = m
	}
	return &models.ValidationError{Fields: fields}
}
