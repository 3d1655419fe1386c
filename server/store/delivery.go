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

// Approval is the input of ApproveTask.
type Approval struct {
	Version  int64
	DeployOn *models.Date
	Reason   string // required when a manager approves for the client
}

// ApproveTask records the client's approval of a change on staging; the
// card stays in the approval column, now on the deploy list. It returns
// the card and a warning when the deploy day is outside the window.
func (s *Store) ApproveTask(ctx context.Context, a models.Actor, id int64, in Approval) (models.Task, *models.DeployWarning, error) {
	var t models.Task
	var warning *models.DeployWarning
	err := s.changeTask(ctx, a, cardChange{id, in.Version, "", nil}, &t, func(tx *gorm.DB, out *outbox, before models.Task) error {
		step, err := models.Approve(&t, a, s.now(), in.DeployOn, in.Reason)
		if err != nil {
			return fmt.Errorf("store: approve task %d: %w", id, err)
		}
		window, err := s.deployWindow(tx)
		if err != nil {
			return err
		}
		warning = window.Warning(t.DeployOn, t.Hotfix())
		t, err = s.carryOut(tx, out, a, before, t, step, Position{}, writeNow)
		return err
	})
	return t, warning, err
}

// RequestChanges sends a change on staging back to the agency with the
// client's comment; the card returns to the top of in progress.
func (s *Store) RequestChanges(ctx context.Context, a models.Actor, id, version int64, comment string) (models.Task, error) {
	probs := models.Problems{}
	comment = models.CleanText(probs, "comment", comment, models.CommentMax)
	var t models.Task
	err := s.changeTask(ctx, a, cardChange{id, version, "", probs.Err()}, &t, func(tx *gorm.DB, out *outbox, before models.Task) error {
		step, err := models.RequestChanges(&t, a, comment)
		if err != nil {
			return fmt.Errorf("store: request changes on task %d: %w", id, err)
		}
		t, err = s.carryOut(tx, out, a, before, t, step, Position{}, writeNow)
		return err
	})
	return t, err
}

// MarkDeployed records that an approved change reached production and
// moves the card to the top of done.
func (s *Store) MarkDeployed(ctx context.Context, a models.Actor, id, version int64) (models.Task, error) {
	var t models.Task
	err := s.changeTask(ctx, a, cardChange{id, version, models.ActEditTasks, versionGiven(version)}, &t, func(tx *gorm.DB, out *outbox, before models.Task) error {
		step, err := models.Deploy(&t, s.now())
		if err != nil {
			return fmt.Errorf("store: deploy task %d: %w", id, err)
		}
		t, err = s.carryOut(tx, out, a, before, t, step, Position{}, writeNow)
		return err
	})
	return t, err
}

// ListedCard is a card in a list across projects, with where it belongs.
type ListedCard struct {
	models.Task
	ProjectName string `gorm:"column:project_name" json:"project_name"`
	ClientID    int64  `gorm:"column:client_id" json:"client_id"`
	ClientName  string `gorm:"column:client_name" json:"client_name"`
	// SLA is set on client requests with targets.
	SLA *models.SLA `gorm:"-" json:"sla,omitempty"`
}

// listedColumns are what a ListedCard reads.
const listedColumns = taskColumns + ", projects.name AS project_name, clients.id AS client_id, clients.name AS client_name"

// listedCards reads open cards of open projects, whoever may see them.
func listedCards(tx *gorm.DB, where string, args ...any) *gorm.DB {
	return tx.Table("tasks").Select(listedColumns).
		Joins("JOIN projects ON projects.id = tasks.project_id").
		Joins("JOIN clients ON clients.id = projects.client_id").
		Where("tasks.archived_at IS NULL AND projects.archived_at IS NULL").Where(where, args...)
}

// cardsAcross reads open cards of every project the actor can see.
func cardsAcross(tx *gorm.DB, a models.Actor, where string, args ...any) *gorm.DB {
	return scopeTasks(listedCards(tx, where, args...), a.ProjectScope())
}

// findCards reads a list of cards as the actor may see them, with the SLA
// clocks of client requests.
func (s *Store) findCards(q *gorm.DB, a models.Actor, op string) ([]ListedCard, error) {
	list := []ListedCard{}
	if err := q.Find(&list).Error; err != nil {
		return nil, wrap(op, err)
	}
	for i := range list {
		list[i].Task = list[i].Task.For(a)
	}
	return list, s.withClocks(q.Session(&gorm.Session{NewDB: true}), len(list), func(i int) *ListedCard { return &list[i] })
}

// Approvals lists the changes on staging that wait for approval: a client
// user's inbox (their company's only), or all the actor can see for staff.
func (s *Store) Approvals(ctx context.Context, a models.Actor) ([]ListedCard, error) {
	q := cardsAcross(s.db.WithContext(ctx), a, "tasks.status = ? AND tasks.approval_state = ?", models.StatusApproval, models.ApprovalPending).
		Order("tasks.status_changed_at, tasks.id").Limit(1000)
	return s.findCards(q, a, "approvals")
}

// DeployList is the approved changes not yet deployed, by planned day
// (those without a day last): what developers take in the morning.
func (s *Store) DeployList(ctx context.Context, a models.Actor) ([]ListedCard, error) {
	if !a.IsStaff() {
		return nil, fmt.Errorf("store: deploy list: %w", models.ErrForbidden)
	}
	q := cardsAcross(s.db.WithContext(ctx), a, "tasks.status = ? AND tasks.approval_state = ?", models.StatusApproval, models.ApprovalApproved).
		Order("tasks.deploy_on NULLS LAST, tasks.approved_at, tasks.id").Limit(1000)
	return s.findCards(q, a, "deploy list")
}

// Home is a client user's start page across their company's projects.
type Home struct {
	// Requested: cards in set, the requests nobody started on yet.
	Requested     []ListedCard `json:"requested"`
	NeedsAnswer   []ListedCard `json:"needs_answer"`
	NeedsApproval []ListedCard `json:"needs_approval"`
	InProgress    []ListedCard `json:"in_progress"`
	RecentlyDone  []ListedCard `json:"recently_done"`
	// Quotes: estimates waiting for the client to accept or decline.
	Quotes []ListedCard    `json:"quotes"`
	Seqs   map[int64]int64 `json:"seqs"`
}

// HomeDoneDays is how far back "recently done" reaches.
const HomeDoneDays = 14

// Home reads the home sections in one repeatable-read transaction with
// each project's event number, so the page can follow every project live.
func (s *Store) Home(ctx context.Context, a models.Actor) (Home, error) {
	var h Home
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		sections := []struct {
			into  *[]ListedCard
			where string
			args  []any
			order string
		}{
			{&h.Requested, "tasks.status = ? AND tasks.request", []any{models.StatusSet}, "tasks.created_at DESC"},
			{&h.NeedsAnswer, "tasks.status = ?", []any{models.StatusAwaitingReply}, "tasks.status_changed_at"},
			{&h.NeedsApproval, "tasks.status = ? AND tasks.approval_state = ?", []any{models.StatusApproval, models.ApprovalPending}, "tasks.status_changed_at"},
			// The status list first, so the (project_id, status) index finds them.
			{&h.InProgress, "tasks.status IN ? AND (tasks.status = ? OR tasks.approval_state = ?)",
				[]any{[]models.Status{models.StatusInProgress, models.StatusApproval}, models.StatusInProgress, models.ApprovalApproved}, "tasks.status_changed_at DESC"},
			{&h.RecentlyDone, "tasks.status = ? AND tasks.status_changed_at > ?", []any{models.StatusDone, s.now().Add(-HomeDoneDays * 24 * time.Hour)}, "tasks.status_changed_at DESC"},
			{&h.Quotes, "tasks.quote_state = ?", []any{models.QuoteSent}, "tasks.updated_at"},
		}
		for _, sec := range sections {
			q := cardsAcross(tx, a, sec.where, sec.args...).Order(sec.order).Limit(200)
			if *sec.into, err = s.findCards(q, a, "home"); err != nil {
				return err
			}
		}
		var projects []int64
		if err := scopeProjects(tx.Table("projects").Where("archived_at IS NULL"), a.ProjectScope()).Pluck("id", &projects).Error; err != nil {
			return wrap("home", err)
		}
		h.Seqs, err = projectSeqs(tx, projects)
		return err
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	return h, err
}

// Settings are the agency-wide settings.
type Settings struct {
	DeployDays    []time.Weekday `json:"deploy_days"`
	BufferPercent int            `json:"buffer_percent"`
	// DefaultLocale is the language of invitations and of people who have
	// not chosen one.
	DefaultLocale models.Locale `json:"default_locale"`
	// AttachmentMaxMB is the size limit of one uploaded file, in MB.
	AttachmentMaxMB int `json:"attachment_max_mb"`
	// TimeRounding is the step every time entry is rounded up to, in minutes.
	TimeRounding models.Rounding `json:"time_rounding"`
	// StuckDays is how many working days without an event put a card in
	// progress on the next workshop's agenda as stuck.
	StuckDays int `json:"stuck_days"`
	// ShowMoneyToDevs lets developers read rates and amounts, which only
	// managers and clients see by default.
	ShowMoneyToDevs bool `json:"show_money_to_devs"`
}

// DefaultBufferPercent is the share of every week kept free for urgent work.
const DefaultBufferPercent = 20

func (s *Store) deployWindow(tx *gorm.DB) (models.DeployWindow, error) {
	set, err := readSettings(tx)
	return models.DeployWindow{Days: set.DeployDays}, err
}

func readSettings(tx *gorm.DB) (Settings, error) {
	set := Settings{DeployDays: models.DefaultDeployWindow.Days, BufferPercent: DefaultBufferPercent, DefaultLocale: models.DefaultLocale,
		AttachmentMaxMB: models.DefaultAttachmentMaxMB, TimeRounding: models.DefaultRounding, StuckDays: models.DefaultStuckDays}
	var rows []struct {
		Key   string `gorm:"column:key"`
		Value []byte `gorm:"column:value"`
	}
	if err := tx.Table("settings").Find(&rows).Error; err != nil {
		return set, wrap("settings", err)
	}
	for _, r := range rows {
		var err error
		switch r.Key {
		case "deploy_days":
			err = json.Unmarshal(r.Value, &set.DeployDays)
		case "buffer_percent":
			err = json.Unmarshal(r.Value, &set.BufferPercent)
		case "default_locale":
			err = json.Unmarshal(r.Value, &set.DefaultLocale)
		case "attachment_max_mb":
			err = json.Unmarshal(r.Value, &set.AttachmentMaxMB)
		case "time_rounding":
			err = json.Unmarshal(r.Value, &set.TimeRounding)
		case "stuck_days":
			err = json.Unmarshal(r.Value, &set.StuckDays)
		case "show_money_to_devs":
			err = json.Unmarshal(r.Value, &set.ShowMoneyToDevs)
		}
		if err != nil {
			return set, fmt.Errorf("store: setting %s: %w", r.Key, err)
		}
	}
	return set, nil
}

// Settings returns the agency-wide settings; every signed-in user may read
// them (clients pick deploy days).
func (s *Store) Settings(ctx context.Context) (Settings, error) {
	return readSettings(s.db.WithContext(ctx))
}

// SettingsPatch changes some settings; nil fields stay.
type SettingsPatch struct {
	DeployDays      *[]time.Weekday
	BufferPercent   *int
	DefaultLocale   *models.Locale
	AttachmentMaxMB *int
	TimeRounding    *models.Rounding
	StuckDays       *int
	ShowMoneyToDevs *bool
}

// UpdateSettings changes settings (admins only).
func (s *Store) UpdateSettings(ctx context.Context, a models.Actor, p SettingsPatch) (Settings, error) {
	if !a.Can(models.ActManageUsers) {
		return Settings{}, fmt.Errorf("store: update settings: %w", models.ErrForbidden)
	}
	values := map[string]any{}
	if p.DeployDays != nil {
		if err := (models.DeployWindow{Days: *p.DeployDays}).Check(); err != nil {
			return Settings{}, err
		}
		values["deploy_days"] = *p.DeployDays
	}
	if p.BufferPercent != nil {
		if *p.BufferPercent < 0 || *p.BufferPercent > 90 {
			return Settings{}, models.Invalid("buffer_percent", models.BufferRange, 90)
		}
		values["buffer_percent"] = *p.BufferPercent
	}
	if p.DefaultLocale != nil {
		probs := models.Problems{}
		models.CheckLocale(probs, "default_locale", *p.DefaultLocale)
		if err := probs.Err(); err != nil {
			return Settings{}, err
		}
		values["default_locale"] = *p.DefaultLocale
	}
	if p.AttachmentMaxMB != nil {
		if *p.AttachmentMaxMB < 1 || *p.AttachmentMaxMB > models.AttachmentMaxMBLimit {
			return Settings{}, models.Invalid("attachment_max_mb", models.AttachmentSizeRange, models.AttachmentMaxMBLimit)
		}
		values["attachment_max_mb"] = *p.AttachmentMaxMB
	}
	if p.TimeRounding != nil {
		probs := models.Problems{}
		models.CheckRounding(probs, "time_rounding", *p.TimeRounding)
		if err := probs.Err(); err != nil {
			return Settings{}, err
		}
		values["time_rounding"] = *p.TimeRounding
	}
	if p.StuckDays != nil {
		if *p.StuckDays < 1 || *p.StuckDays > 30 {
			return Settings{}, models.Invalid("stuck_days", models.StuckDaysRange)
		}
		values["stuck_days"] = *p.StuckDays
	}
	if p.ShowMoneyToDevs != nil {
		values["show_money_to_devs"] = *p.ShowMoneyToDevs
	}
	var set Settings
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		for k, v := range values {
			b, err := json.Marshal(v)
			if err != nil {
				return err
			}
			if err := tx.Exec(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, k, string(b), s.now()).Error; err != nil {
				return wrap("update settings", err)
			}
		}
		var err error
		set, err = readSettings(tx)
		return err
	})
	return set, err
}
