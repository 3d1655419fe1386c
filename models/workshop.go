package models

import (
	"database/sql/driver"
	"slices"
	"strings"
	"time"
)

// A workshop is the weekly meeting of a client with the agency: an agenda
// drafted from the client's board, notes per item, lines of notes turned
// into cards, and a summary published to the client.

// WorkshopState is where a workshop stands: its agenda is drafted, then the
// meeting is held, then the summary is published to the client.
type WorkshopState string

const (
	WorkshopDraft     WorkshopState = "draft"
	WorkshopHeld      WorkshopState = "held"
	WorkshopPublished WorkshopState = "published"
)

// workshopSteps are the moves a workshop can make; it never goes back, since
// the client may already have read what was published.
var workshopSteps = map[WorkshopState]WorkshopState{WorkshopDraft: WorkshopHeld, WorkshopHeld: WorkshopPublished}

// CheckWorkshopStep refuses a move other than one step forward.
func CheckWorkshopStep(from, to WorkshopState) error {
	if from == to {
		return nil
	}
	if workshopSteps[from] != to {
		return Invalid("state", WorkshopStep)
	}
	return nil
}

// AgendaSource says why an item is on the agenda.
type AgendaSource string

const (
	SourceCarried       AgendaSource = "carried"        // a card from the last workshop, not done yet
	SourceAwaitingReply AgendaSource = "awaiting_reply" // the client owes an answer
	SourceApproval      AgendaSource = "approval"       // the client is to check a change on staging
	SourceStuck         AgendaSource = "stuck"          // in progress, nothing happened for a while
	SourceUrgent        AgendaSource = "urgent"         // critical or urgent, raised since the last workshop
	SourceDeployed      AgendaSource = "deployed"       // went live since the last workshop
	SourceFree          AgendaSource = "free"           // the PM's own point
	SourceProposal      AgendaSource = "proposal"       // a client user's topic
)

// AgendaSources lists every reason an item can be on the agenda.
var AgendaSources = []AgendaSource{SourceCarried, SourceAwaitingReply, SourceApproval, SourceStuck, SourceUrgent,
	SourceDeployed, SourceFree, SourceProposal}

// Drafted reports whether the board put the item on the agenda, so that a
// refresh of the draft may replace it.
func (s AgendaSource) Drafted() bool { return s != SourceFree && s != SourceProposal }

// Workshop is one meeting of a client.
type Workshop struct {
	ID            int64         `gorm:"column:id;primaryKey" json:"id"`
	ClientID      int64         `gorm:"column:client_id" json:"client_id"`
	ClientName    string        `gorm:"column:client_name;->;-:migration" json:"client_name"`
	StartsAt      time.Time     `gorm:"column:starts_at" json:"starts_at"`
	State         WorkshopState `gorm:"column:state" json:"state"`
	Attendees     IDs           `gorm:"column:attendees" json:"attendees"`
	Notes         string        `gorm:"column:notes" json:"notes"`
	InternalNotes string        `gorm:"column:internal_notes" json:"internal_notes"`
	NextMeeting   *Date         `gorm:"column:next_meeting" json:"next_meeting"`
	Version       int64         `gorm:"column:version" json:"version"`
	CreatedBy     int64         `gorm:"column:created_by" json:"created_by"`
	CreatedAt     time.Time     `gorm:"column:created_at" json:"created_at"`
	UpdatedAt     time.Time     `gorm:"column:updated_at" json:"updated_at"`
	PublishedAt   *time.Time    `gorm:"column:published_at" json:"published_at"`
	// LeftOut counts the cards each drafted section found beyond its cap.
	LeftOut LeftOut `gorm:"column:left_out" json:"left_out"`

	// NotesHTML is Notes rendered for the reader (#123 links as in comments).
	NotesHTML string         `gorm:"-" json:"notes_html"`
	Items     []WorkshopItem `gorm:"-" json:"items"`
	Cards     []WorkshopCard `gorm:"-" json:"cards"`
}

// WorkshopItem is one point of the agenda with its notes.
type WorkshopItem struct {
	ID         int64        `gorm:"column:id;primaryKey" json:"id"`
	WorkshopID int64        `gorm:"column:workshop_id" json:"-"`
	Position   int          `gorm:"column:position" json:"position"`
	Source     AgendaSource `gorm:"column:source" json:"source"`
	TaskID     *int64       `gorm:"column:task_id" json:"task_id"`
	Since      *time.Time   `gorm:"column:since" json:"since"`
	Title      string       `gorm:"column:title" json:"title"`
	Notes      string       `gorm:"column:notes" json:"notes"`
	Decision   string       `gorm:"column:decision" json:"decision"`
	Internal   bool         `gorm:"column:internal" json:"internal"`
	ProposedBy *int64       `gorm:"column:proposed_by" json:"proposed_by"`
	// The linked card as it is now, for the #number and the live status.
	TaskNumber *int64 `gorm:"column:task_number;->;-:migration" json:"task_number"`
	TaskStatus Status `gorm:"column:task_status;->;-:migration" json:"task_status,omitempty"`
	ProjectID  *int64 `gorm:"column:project_id;->;-:migration" json:"project_id"`
	// NotesHTML is Notes rendered for the reader (#123 links as in comments).
	NotesHTML string `gorm:"-" json:"notes_html"`
}

// WorkshopCard is a card made from a line of the workshop's notes.
type WorkshopCard struct {
	TaskID     int64  `gorm:"column:task_id" json:"task_id"`
	ItemID     *int64 `gorm:"column:item_id" json:"item_id"`
	ItemNo     int    `gorm:"column:item_no" json:"item_no"`
	Line       string `gorm:"column:line" json:"line"`
	ClientTodo bool   `gorm:"column:client_todo" json:"client_todo"`
	Number     int64  `gorm:"column:number" json:"number"`
	Title      string `gorm:"column:title" json:"title"`
	Status     Status `gorm:"column:status" json:"status"`
	ProjectID  int64  `gorm:"column:project_id" json:"project_id"`
	// EstimateMinutes is the estimate agreed at the workshop, which the
	// client reads in the summary; the card's own estimate may move on
	// and stays the agency's.
	EstimateMinutes *int `gorm:"column:estimate_minutes" json:"estimate_minutes"`
}

// For returns the workshop as the actor may read it, and false when the
// actor may not read it at all. Staff read everything. A client user reads
// a published summary without anything internal, and of a workshop not
// published yet only the date and the points they proposed themselves.
func (w Workshop) For(a Actor) (Workshop, bool) {
	if a.IsStaff() {
		return w, true
	}
	if a.ClientID == 0 || a.ClientID != w.ClientID {
		return Workshop{}, false
	}
	w.InternalNotes = ""
	if w.State != WorkshopPublished {
		w.Notes, w.NextMeeting, w.Cards, w.LeftOut = "", nil, []WorkshopCard{}, LeftOut{}
		w.Items = slices.DeleteFunc(slices.Clone(w.Items), func(it WorkshopItem) bool {
			return it.ProposedBy == nil || *it.ProposedBy != a.UserID
		})
		return w, true
	}
	w.Items = slices.DeleteFunc(slices.Clone(w.Items), func(it WorkshopItem) bool { return it.Internal })
	return w, true
}

// SortWorkshops puts the coming workshops first, the soonest leading,
// then the past ones, the latest leading: the next meeting is on top.
func SortWorkshops(list []Workshop, now time.Time) {
	slices.SortStableFunc(list, func(a, b Workshop) int {
		aPast, bPast := a.StartsAt.Before(now), b.StartsAt.Before(now)
		switch {
		case aPast != bPast && aPast:
			return 1
		case aPast != bPast:
			return -1
		case aPast:
			return b.StartsAt.Compare(a.StartsAt)
		}
		return a.StartsAt.Compare(b.StartsAt)
	})
}

// Workshop text limits, the same as the columns'.
const (
	WorkshopNotesMax    = 20_000
	WorkshopDecisionMax = 2_000
	WorkshopItemsMax    = 200
	WorkshopLineMax     = 2_000
)

// CleanItem checks an agenda item's text fields as a person wrote them;
// prefix names the item in a list ("items.2.").
func CleanItem(p Problems, prefix string, it *WorkshopItem) {
	it.Title = CleanName(p, prefix+"title", it.Title, 300)
	it.Notes = CleanText(p, prefix+"notes", it.Notes, WorkshopNotesMax)
	it.Decision = CleanText(p, prefix+"decision", it.Decision, WorkshopDecisionMax)
}

// The agenda rules.

// FirstWorkshopLookback is how far back "since the last workshop" reaches
// for a client's first workshop: two weeks, the usual time between two.
const FirstWorkshopLookback = 14 * 24 * time.Hour

// SinceLastWorkshop is the moment "since the last workshop" starts: the
// start of the client's previous workshop, or two weeks before this one
// for the first.
func SinceLastWorkshop(previous *time.Time, startsAt time.Time) time.Time {
	if previous != nil {
		return *previous
	}
	return startsAt.Add(-FirstWorkshopLookback)
}

// WorkingDaysBetween counts the working days (Monday to Friday) that began
// after from's day, up to and including to's day: from Friday to the next
// Monday is one working day.
func WorkingDaysBetween(from, to time.Time) int {
	d := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	n := 0
	for d = d.AddDate(0, 0, 1); !d.After(end); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// DefaultStuckDays is how many working days without an event make a card
// in progress count as stuck, until an admin sets another number.
const DefaultStuckDays = 3

// Stuck reports whether a card in progress stands still with the agency:
// nothing happened to it for stuckDays working days.
func Stuck(status Status, lastEvent, now time.Time, stuckDays int) bool {
	return status == StatusInProgress && WorkingDaysBetween(lastEvent, now) >= stuckDays
}

// OverEstimate reports whether a card in progress has taken more time than
// it was estimated at: the agency is stuck on it even while it moves.
func OverEstimate(status Status, estimateMinutes *int, spentMinutes int) bool {
	return status == StatusInProgress && estimateMinutes != nil && *estimateMinutes > 0 && spentMinutes > *estimateMinutes
}

// AgendaCard is what the draft reads about one card of the client.
type AgendaCard struct {
	TaskID      int64
	Title       string
	Priority    Priority
	Wait        WaitFacts
	LastEventAt time.Time
	DeployedAt  *time.Time
	// EstimateMinutes and SpentMinutes (the time logged on it) are read
	// for cards in progress only.
	EstimateMinutes *int
	SpentMinutes    int
	// Carried: the card was made at the client's last workshop.
	Carried bool
}

// AgendaRules are the settings of one draft.
type AgendaRules struct {
	Since     time.Time // the last workshop (SinceLastWorkshop)
	Now       time.Time
	StuckDays int
}

// AgendaPoint is an item the board proposes.
type AgendaPoint struct {
	Source AgendaSource
	TaskID int64
	Title  string
	Since  time.Time
}

// agendaOrder is the order of the draft's sections: what is still open
// from last time, then what the client owes, then the agency's troubles,
// then the news.
var agendaOrder = []AgendaSource{SourceCarried, SourceAwaitingReply, SourceApproval, SourceStuck, SourceUrgent, SourceDeployed}

// AgendaSectionMax is the most points a drafted section proposes: its
// longest-waiting cards. A meeting gets through a few dozen points; a
// section of hundreds is no agenda, and its cards are listed in full
// elsewhere (the client's overview), so the rest are only counted.
// Carried-over action items are not capped: each was agreed with the
// client and is followed up one by one.
const AgendaSectionMax = 15

// AgendaLeftOut is how many cards of one drafted section the draft found
// beyond AgendaSectionMax.
type AgendaLeftOut struct {
	Source AgendaSource `json:"source"`
	Count  int          `json:"count"`
}

// LeftOut lists the sections that left cards out, in the agenda's order;
// stored as JSON with the workshop.
type LeftOut []AgendaLeftOut

// Value stores the counts as JSON.
func (l LeftOut) Value() (driver.Value, error) { return listValue(l) }

// Scan reads counts stored as JSON.
func (l *LeftOut) Scan(v any) error { return scanList(v, (*[]AgendaLeftOut)(l)) }

// DraftAgenda proposes the agenda from the client's cards: each card once,
// for the first reason that applies in the order above, oldest first
// within a section (the longest wait leads), at most AgendaSectionMax per
// section but the carried-over one. It counts, per section, the cards
// left out.
func DraftAgenda(r AgendaRules, cards []AgendaCard) ([]AgendaPoint, LeftOut) {
	sections := map[AgendaSource][]AgendaPoint{}
	for _, c := range cards {
		if src, since, ok := agendaReason(r, c); ok {
			sections[src] = append(sections[src], AgendaPoint{Source: src, TaskID: c.TaskID, Title: c.Title, Since: since})
		}
	}
	var out []AgendaPoint
	left := LeftOut{}
	for _, src := range agendaOrder {
		s := sections[src]
		slices.SortStableFunc(s, func(a, b AgendaPoint) int {
			if c := a.Since.Compare(b.Since); c != 0 {
				return c
			}
			return int(a.TaskID - b.TaskID)
		})
		if src != SourceCarried && len(s) > AgendaSectionMax {
			left = append(left, AgendaLeftOut{Source: src, Count: len(s) - AgendaSectionMax})
			s = s[:AgendaSectionMax]
		}
		out = append(out, s...)
	}
	return out, left
}

func agendaReason(r AgendaRules, c AgendaCard) (AgendaSource, time.Time, bool) {
	open := c.Wait.Status != StatusDone
	w := Whose(c.Wait)
	switch {
	case c.Carried && open:
		return SourceCarried, c.Wait.CreatedAt, true
	case w.Whose == PartyClient && w.Reason == WaitQuestion:
		return SourceAwaitingReply, w.Since, true
	case w.Whose == PartyClient && w.Reason == WaitApproval:
		return SourceApproval, w.Since, true
	case Stuck(c.Wait.Status, c.LastEventAt, r.Now, r.StuckDays):
		return SourceStuck, c.LastEventAt, true
	case OverEstimate(c.Wait.Status, c.EstimateMinutes, c.SpentMinutes):
		return SourceStuck, c.Wait.StatusChangedAt, true
	case open && (c.Priority == PriorityUrgent || c.Priority == PriorityCritical) && c.Wait.CreatedAt.After(r.Since):
		return SourceUrgent, c.Wait.CreatedAt, true
	case c.DeployedAt != nil && c.DeployedAt.After(r.Since):
		return SourceDeployed, *c.DeployedAt, true
	}
	return "", time.Time{}, false
}

// LinePlan says where a card made from a note line goes.
type LinePlan string

const (
	PlanBacklog    LinePlan = "backlog"     // the backlog, planned later
	PlanThisWeek   LinePlan = "week"        // this week's plan
	PlanClientTodo LinePlan = "client_todo" // awaiting the client's reply: the line is their to-do
)

// NoteLine is one line of workshop notes and the card the PM makes of it.
type NoteLine struct {
	ItemID          *int64 // the agenda item it was written under; nil: the free section
	Line            string
	Title           string
	ProjectID       int64
	Kind            Kind
	Priority        Priority
	EstimateMinutes *int
	AssigneeID      *int64
	Plan            LinePlan
	// Question is what the client is asked for a client to-do; the line
	// by default.
	Question string
}

// NoteLinesMax is the most lines one conversion takes.
const NoteLinesMax = 100

// Card checks the line (fields named from prefix, "lines.3.") and returns
// the card to create, its column and what moving it there needs. The card's
// description quotes the line, so the card says what was agreed.
func (l NoteLine) Card(p Problems, prefix string, reporter int64) (Task, Status, MoveInput) {
	line := CleanName(p, prefix+"line", l.Line, WorkshopLineMax)
	title := l.Title
	if strings.TrimSpace(title) == "" {
		title = line
	}
	t := Task{ProjectID: l.ProjectID, Status: StatusSet, Kind: KindTask, Priority: PriorityNormal, ReporterID: reporter,
		Labels: Labels{}, ApprovalState: ApprovalNone, Description: "> " + line}
	probs := Problems{}
	f := TaskFields{Title: &title, AssigneeID: &l.AssigneeID, EstimateMinutes: &l.EstimateMinutes}
	if l.Kind != "" {
		f.Kind = &l.Kind
	}
	if l.Priority != "" {
		f.Priority = &l.Priority
	}
	f.Apply(&t, probs)
	for k, v := range probs {
		p.Put(prefix+k, v)
	}
	if l.ProjectID <= 0 {
		p.Add(prefix+"project_id", LineProject)
	}
	switch l.Plan {
	case PlanBacklog, PlanThisWeek:
		return t, StatusSet, MoveInput{}
	case PlanClientTodo:
		q := strings.TrimSpace(l.Question)
		if q == "" {
			q = line
		}
		return t, StatusAwaitingReply, MoveInput{Question: q}
	}
	p.Add(prefix+"plan", LinePlanChoice)
	return t, StatusSet, MoveInput{}
}
