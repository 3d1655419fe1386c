package models

import (
	"time"
	"unicode/utf8"
)

// TimeEntry is time a person spent on a task: written by hand, or by a
// timer, which runs while EndedAt is nil.
type TimeEntry struct {
	ID        int64      `gorm:"column:id;primaryKey" json:"id"`
	UserID    int64      `gorm:"column:user_id" json:"user_id"`
	UserName  string     `gorm:"column:user_name;->;-:migration" json:"user_name"`
	TaskID    int64      `gorm:"column:task_id" json:"task_id"`
	TaskTitle string     `gorm:"column:task_title;->;-:migration" json:"task_title"`
	Number    int64      `gorm:"column:task_number;->;-:migration" json:"task_number"`
	ProjectID int64      `gorm:"column:project_id" json:"project_id"`
	StartedAt time.Time  `gorm:"column:started_at" json:"started_at"`
	EndedAt   *time.Time `gorm:"column:ended_at" json:"ended_at"`
	Minutes   int        `gorm:"column:minutes" json:"minutes"`
	Note      string     `gorm:"column:note" json:"note"`
	Billable  bool       `gorm:"column:billable" json:"billable"`
	// Internal keeps the note for staff: no client-facing view shows it.
	Internal bool `gorm:"column:internal" json:"internal"`
	// Review marks a timer that ran longer than ReviewAfter: it is kept
	// whole, and its owner is asked to check it. Editing the entry clears it.
	Review bool `gorm:"column:review" json:"review"`
	// StatementID is the issued statement that bills the entry: it is
	// locked, and no longer changes.
	StatementID *int64    `gorm:"column:statement_id" json:"statement_id"`
	CreatedAt   time.Time `gorm:"column:created_at" json:"created_at"`
	UpdatedAt   time.Time `gorm:"column:updated_at" json:"updated_at"`
}

// Limits of a time entry.
const (
	EntryNoteMax = 2000
	// EntryMinutesMax is the longest entry one may write by hand: a day.
	EntryMinutesMax = 24 * 60
	// ReviewAfter is how long a timer runs before it is flagged: people
	// forget to stop them, but the time may be real, so it is never cut.
	ReviewAfter = 10 * time.Hour
)

// Rounding is the step, in minutes, every entry is rounded up to.
type Rounding int

// Roundings are the steps the agency may choose; 1 keeps whole minutes.
var Roundings = []Rounding{1, 6, 15}

// DefaultRounding rounds to the minute.
const DefaultRounding Rounding = 1

// CheckRounding records a problem when r is not one of Roundings.
func CheckRounding(p Problems, field string, r Rounding) {
	for _, ok := range Roundings {
		if r == ok {
			return
		}
	}
	p.Add(field, RoundingChoice)
}

// Round gives the minutes an entry of d counts for: d rounded up to the
// step, as agencies bill a started increment. Nothing rounds to nothing.
func (r Rounding) Round(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	step := time.Duration(max(int(r), 1)) * time.Minute
	return int((d + step - 1) / step * step / time.Minute)
}

// RoundMinutes rounds minutes written by hand up to the step.
func (r Rounding) RoundMinutes(m int) int { return r.Round(time.Duration(m) * time.Minute) }

// Stopped is what a timer that ran from start to end becomes: its minutes
// by the rounding, and whether it ran long enough to be reviewed.
func (r Rounding) Stopped(start, end time.Time) (minutes int, review bool) {
	d := end.Sub(start)
	return r.Round(d), d > ReviewAfter
}

// EntryInput is a time entry written by hand.
type EntryInput struct {
	StartedAt time.Time
	Minutes   int
	Note      string
}

// Check records the problems of an entry written by hand.
func (e EntryInput) Check(p Problems) {
	if e.StartedAt.IsZero() {
		p.Add("started_at", StartedAtRequired)
	}
	if e.Minutes < 1 || e.Minutes > EntryMinutesMax {
		p.Add("minutes", EntryMinutesRange, EntryMinutesMax/60)
	}
	CheckNote(p, e.Note)
}

// CheckNote records a problem with an entry's note.
func CheckNote(p Problems, note string) {
	if n := utf8.RuneCountInString(note); n > EntryNoteMax {
		p.Add("note", TooLong, EntryNoteMax, n)
	}
}

// CanChangeEntry reports whether the actor may change or delete an entry
// of owner: their own, or anyone's for managers and admins.
func (a Actor) CanChangeEntry(owner int64) bool {
	return a.Can(ActEditAllTime) || (a.Can(ActLogTime) && a.UserID == owner)
}

// DayMinutes are the minutes of an entry that fall on one calendar day.
type DayMinutes struct {
	Day     Date
	Minutes int
}

// SplitByDay cuts the span of an entry (minutes from start) at the
// midnights of loc, so an entry that crosses midnight or the end of a
// month counts on each day for its own part. Days are the calendar days
// of loc, whose midnights move with daylight saving time. Seconds are
// carried to the last day, so the parts always add up to minutes.
func SplitByDay(start time.Time, minutes int, loc *time.Location) []DayMinutes {
	start = start.In(loc)
	end := start.Add(time.Duration(minutes) * time.Minute)
	var out []DayMinutes
	left := minutes
	for day := start; ; {
		y, m, d := day.Date()
		next := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
		date := Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
		if !next.Before(end) {
			return append(out, DayMinutes{date, left})
		}
		part := int(next.Sub(day) / time.Minute)
		out = append(out, DayMinutes{date, part})
		left -= part
		day = next
	}
}
