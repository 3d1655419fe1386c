package models

import (
	"database/sql/driver"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of task fields.
const (
	TitleMax         = 300
	LabelMax         = 40
	LabelsMax        = 20
	StagingURLMax    = 2000
	EstimateMaxHours = 1000
)

// Task is a card on a project board. Description is kept out of the JSON:
// boards and live events carry cards without it, and the detail view adds
// it explicitly (rendered for the reader).
type Task struct {
	ID              int64    `gorm:"column:id;primaryKey" json:"id"`
	Number          int64    `gorm:"column:number;->" json:"number"`
	ProjectID       int64    `gorm:"column:project_id" json:"project_id"`
	Title           string   `gorm:"column:title" json:"title"`
	Description     string   `gorm:"column:description" json:"-"`
	Status          Status   `gorm:"column:status" json:"status"`
	Rank            string   `gorm:"column:rank" json:"rank"`
	Kind            Kind     `gorm:"column:kind" json:"kind"`
	Priority        Priority `gorm:"column:priority" json:"priority"`
	AssigneeID      *int64   `gorm:"column:assignee_id" json:"assignee_id"`
	ReporterID      int64    `gorm:"column:reporter_id" json:"reporter_id"`
	EstimateMinutes *int     `gorm:"column:estimate_minutes" json:"estimate_minutes"`
	DueDate         *Date    `gorm:"column:due_date" json:"due_date"`
	StagingURL      string   `gorm:"column:staging_url" json:"staging_url"`
	// PageURL is where the client sees the problem; Request marks a card a
	// client user filed (the triage inbox lists those nobody picked up).
	PageURL         string     `gorm:"column:page_url" json:"page_url"`
	Request         bool       `gorm:"column:request" json:"request"`
	Labels          Labels     `gorm:"column:labels" json:"labels"`
	Version         int64      `gorm:"column:version" json:"version"`
	StatusChangedAt time.Time  `gorm:"column:status_changed_at" json:"status_changed_at"`
	CreatedAt       time.Time  `gorm:"column:created_at" json:"created_at"`
	UpdatedAt       time.Time  `gorm:"column:updated_at" json:"updated_at"`
	ArchivedAt      *time.Time `gorm:"column:archived_at" json:"archived_at"`

	// Client delivery: the change on staging and its approval.
	ApprovalState    ApprovalState `gorm:"column:approval_state" json:"approval_state"`
	CheckNote        string        `gorm:"column:check_note" json:"check_note"`
	ApprovedBy       *int64        `gorm:"column:approved_by" json:"approved_by"`
	ApprovedByName   string        `gorm:"column:approved_by_name;->;-:migration" json:"approved_by_name,omitempty"`
	ApprovedAt       *time.Time    `gorm:"column:approved_at" json:"approved_at"`
	ApprovalOnBehalf bool          `gorm:"column:approval_on_behalf" json:"approval_on_behalf"`
	ApprovalReason   string        `gorm:"column:approval_reason" json:"approval_reason"`
	DeployOn         *Date         `gorm:"column:deploy_on" json:"deploy_on"`
	DeployedAt       *time.Time    `gorm:"column:deployed_at" json:"deployed_at"`

	// The quote: hours the client accepts before paid work starts.
	QuoteMinutes *int       `gorm:"column:quote_minutes" json:"quote_minutes"`
	QuoteState   QuoteState `gorm:"column:quote_state" json:"quote_state"`
	QuoteReason  string     `gorm:"column:quote_reason" json:"quote_reason"`

	// The weekly plan: the sprint (none = backlog), the position in the
	// assignee's queue, and when it was planned. Staff only.
	SprintID   *int64     `gorm:"column:sprint_id" json:"sprint_id"`
	SprintRank string     `gorm:"column:sprint_rank;->" json:"sprint_rank,omitempty"`
	PlannedAt  *time.Time `gorm:"column:planned_at" json:"planned_at"`
	// Comment counts are computed by queries, never stored: clients count
	// only comments they can read.
	CommentCount       int `gorm:"column:comment_count;->;-:migration" json:"comment_count"`
	PublicCommentCount int `gorm:"column:public_comment_count;->;-:migration" json:"-"`
}

// For returns the card as the actor may see it: the store hands every card
// to its reader through here.
func (t Task) For(a Actor) Task {
	if a.IsStaff() {
		return t
	}
	return t.ForClient()
}

// ForClient returns the card as a client user may see it: no estimate or
// plan (the agency's internal planning), no reason a manager gave for
// starting without their acceptance, and only public comments counted.
func (t Task) ForClient() Task {
	t.EstimateMinutes = nil
	t.CommentCount = t.PublicCommentCount
	t.SprintID, t.SprintRank, t.PlannedAt = nil, "", nil
	t.QuoteReason = ""
	return t
}

// Labels are short free-form tags, stored as a JSON array.
type Labels []string

// Value stores labels as JSON.
func (l Labels) Value() (driver.Value, error) { return listValue(l) }

// Scan reads labels stored as JSON.
func (l *Labels) Scan(v any) error { return scanList(v, (*[]string)(l)) }

// TaskFields are the editable fields of a task; nil means "not given".
// The same shape serves creation and partial updates.
type TaskFields struct {
	Title           *string
	Description     *string
	Kind            *Kind
	Priority        *Priority
	AssigneeID      **int64 // set to a nil *int64 to unassign
	EstimateMinutes **int
	DueDate         **Date
	StagingURL      *string
	PageURL         *string
	Labels          *[]string
}

// staffOnly lists the fields a client user may not set.
func (f TaskFields) staffOnly() []string {
	var out []string
	if f.AssigneeID != nil {
		out = append(out, "assignee_id")
	}
	if f.EstimateMinutes != nil {
		out = append(out, "estimate_minutes")
	}
	if f.DueDate != nil {
		out = append(out, "due_date")
	}
	if f.StagingURL != nil {
		out = append(out, "staging_url")
	}
	if f.Labels != nil {
		out = append(out, "labels")
	}
	return out
}

// CheckClientFields refuses staff-only fields in a client's request with a
// message per field, instead of silently dropping them.
func (f TaskFields) CheckClientFields(a Actor, p Problems) {
	if a.IsStaff() {
		return
	}
	for _, name := range f.staffOnly() {
		p.Add(name, AgencyOnly)
	}
}

// Apply validates the given fields and writes them into t. Assignee
// membership is the store's to check, as it needs the project's members.
func (f TaskFields) Apply(t *Task, p Problems) {
	if f.Title != nil {
		t.Title = CleanName(p, "title", *f.Title, TitleMax)
	}
	if f.Description != nil {
		t.Description = CleanText(p, "description", *f.Description, DescriptionMax)
	}
	if f.Kind != nil {
		if !f.Kind.Valid() {
			p.Add("kind", KindChoice)
		}
		t.Kind = *f.Kind
	}
	if f.Priority != nil {
		if !f.Priority.Valid() {
			p.Add("priority", PriorityChoice)
		}
		t.Priority = *f.Priority
	}
	if f.AssigneeID != nil {
		t.AssigneeID = *f.AssigneeID
	}
	if f.EstimateMinutes != nil {
		if m := *f.EstimateMinutes; m != nil && (*m <= 0 || *m > EstimateMaxHours*60) {
			p.Add("estimate_minutes", EstimateRange, EstimateMaxHours)
		}
		t.EstimateMinutes = *f.EstimateMinutes
	}
	if f.DueDate != nil {
		if d := *f.DueDate; d != nil && (d.Year() < 2000 || d.Year() > 2200) {
			p.Add("due_date", DueDateRange, 2000, 2200)
		}
		t.DueDate = *f.DueDate
	}
	if f.StagingURL != nil {
		t.StagingURL = CleanURL(p, "staging_url", *f.StagingURL)
	}
	if f.PageURL != nil {
		t.PageURL = CleanURL(p, "page_url", *f.PageURL)
	}
	if f.Labels != nil {
		t.Labels = cleanLabels(p, *f.Labels)
	}
}

func cleanLabels(p Problems, in []string) Labels {
	out := Labels{}
	seen := map[string]bool{}
	for _, l := range in {
		l = strings.TrimSpace(l)
		key := strings.ToLower(l)
		switch {
		case l == "":
			p.Add("labels", LabelEmpty)
		case utf8.RuneCountInString(l) > LabelMax:
			p.Add("labels", LabelTooLong, LabelMax)
		case SingleLine.Problem(l) != nil:
			p.Add("labels", SingleLine.Problem(l))
		case !seen[key]:
			seen[key] = true
			out = append(out, l)
		}
	}
	if len(out) > LabelsMax {
		p.Add("labels", LabelsTooMany, LabelsMax)
	}
	return out
}

// RequireVersion asks a change of a card for the version the user saw:
// without it the change could overwrite one they never saw.
func RequireVersion(p Problems, version int64) {
	if version <= 0 {
		p.Add("version", VersionRequired)
	}
}

// Check enforces what must hold of any task, whichever command wrote it.
func (t Task) Check() error {
	if t.Status == StatusApproval && t.StagingURL == "" {
		return Invalid("staging_url", StagingURLKeep)
	}
	return nil
}

// CleanURL checks a link the agency gives a client: absolute http(s) only,
// so no javascript: or data: URL can be stored (Kanboard CVE-2023-33969).
// An empty string clears it.
func CleanURL(p Problems, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	u, err := url.Parse(s)
	switch {
	case utf8.RuneCountInString(s) > StagingURLMax:
		p.Add(field, TooLong, StagingURLMax, utf8.RuneCountInString(s))
	case SingleLine.Problem(s) != nil:
		p.Add(field, SingleLine.Problem(s))
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		p.Add(field, URLFormat)
	}
	return s
}
