package models

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// StatementEntry is one finished billable time entry a statement lists,
// with the manager's wording of its note for the client, if any.
type StatementEntry struct {
	ID          int64     `gorm:"column:id"`
	TaskID      int64     `gorm:"column:task_id"`
	Number      int64     `gorm:"column:task_number"`
	TaskTitle   string    `gorm:"column:task_title"`
	ProjectID   int64     `gorm:"column:project_id"`
	ProjectName string    `gorm:"column:project_name"`
	StartedAt   time.Time `gorm:"column:started_at"`
	Minutes     int       `gorm:"column:minutes"`
	Note        string    `gorm:"column:note"`
	Internal    bool      `gorm:"column:internal"`
	Wording     *string   `gorm:"column:wording"`
}

// Statement is a client's month-end statement: the billable time of a
// period task by task, with the notes the client reads, and what it costs.
// A draft is computed from the entries each time it is read; an issued
// statement (Number set) is this value as stored when it was issued.
type Statement struct {
	ID         int64           `json:"id"`
	ClientID   int64           `json:"client_id"`
	ClientName string          `json:"client_name"`
	Number     *string         `json:"number"`
	From       Date            `json:"from"`
	To         Date            `json:"to"`
	IssuedAt   *time.Time      `json:"issued_at"`
	Currency   string          `json:"currency"`
	Rounding   Rounding        `json:"rounding"`
	Tasks      []StatementTask `json:"tasks"`
	Minutes    int             `json:"minutes"`
	// AmountCents is nil for a reader who may not see money.
	AmountCents *int64 `json:"amount_cents"`
	// Balance is the client's hour packages over the period; nil when the
	// client has none running in it.
	Balance *StatementBalance `json:"balance"`
}

// StatementBalance is what the period did to the client's packages: each
// one's hours left before and after it and used in it, and the time no
// package covered (overrun), billed at the client's rates.
type StatementBalance struct {
	Packages       []StatementPackage `json:"packages"`
	OverrunMinutes int                `json:"overrun_minutes"`
	// OverrunCents is nil for a reader who may not see money.
	OverrunCents *int64 `json:"overrun_cents"`
}

// StatementPackage is one package on a statement.
type StatementPackage struct {
	Name              string      `json:"name"`
	Kind              PackageKind `json:"kind"`
	GrantedMinutes    int         `json:"granted_minutes"`
	LeftBeforeMinutes int         `json:"left_before_minutes"`
	UsedMinutes       int         `json:"used_minutes"`
	LeftAfterMinutes  int         `json:"left_after_minutes"`
}

// SetBalance puts the period's package balance on the statement, its
// overrun priced at r; a client without packages in the period gets none.
// A package's hours before the period are those after it plus those it
// used, so the lines add up for the client: a block or a retainer month
// that starts with the period had its full hours before it, not none.
func (s *Statement) SetBalance(b Balance, r Rates) {
	if len(b.Packages) == 0 {
		s.Balance = nil
		return
	}
	cents := b.OverrunCents(r)
	out := &StatementBalance{Packages: []StatementPackage{}, OverrunMinutes: b.OverrunMinutes, OverrunCents: &cents}
	for _, p := range b.Packages {
		out.Packages = append(out.Packages, StatementPackage{Name: p.Name, Kind: p.Kind, GrantedMinutes: p.GrantedMinutes,
			LeftBeforeMinutes: p.LeftMinutes + p.UsedMinutes, UsedMinutes: p.UsedMinutes, LeftAfterMinutes: p.LeftMinutes})
	}
	s.Balance = out
}

// StatementTask is one card's time on a statement.
type StatementTask struct {
	TaskID      int64           `json:"task_id"`
	Number      int64           `json:"task_number"`
	Title       string          `json:"title"`
	ProjectName string          `json:"project_name"`
	Minutes     int             `json:"minutes"`
	RateCents   *int64          `json:"rate_cents"`
	AmountCents *int64          `json:"amount_cents"`
	Lines       []StatementLine `json:"lines"`
}

// StatementLine is one entry of a task: its day, minutes and the note the
// client reads.
type StatementLine struct {
	EntryID int64  `json:"entry_id"`
	Day     Date   `json:"day"`
	Minutes int    `json:"minutes"`
	Note    string `json:"note"`
	// Edited: the note is the manager's wording, not the entry's.
	Edited bool `json:"edited"`
	// Hidden: the entry's note is internal, so the client reads none.
	Hidden bool `json:"hidden"`
}

// BuildStatement adds up entries into s's tasks and totals: each entry's
// minutes rounded up by the agency's step, a task's amount at its
// project's rate (rounded half up to the cent), the total amount the sum
// of the tasks' so that the lines add up. Internal notes are left out
// unless the manager wrote a wording; days are days of loc.
func BuildStatement(s *Statement, entries []StatementEntry, r Rates, rounding Rounding, loc *time.Location) {
	s.Currency, s.Rounding = r.Currency, rounding
	s.Tasks, s.Minutes = []StatementTask{}, 0
	var total int64
	index := map[int64]int{}
	for _, e := range entries {
		i, ok := index[e.TaskID]
		if !ok {
			i = len(s.Tasks)
			index[e.TaskID] = i
			rate := r.Rate(e.ProjectID)
			s.Tasks = append(s.Tasks, StatementTask{TaskID: e.TaskID, Number: e.Number, Title: e.TaskTitle,
				ProjectName: e.ProjectName, RateCents: &rate, Lines: []StatementLine{}})
		}
		minutes := rounding.RoundMinutes(e.Minutes)
		y, m, d := e.StartedAt.In(loc).Date()
		line := StatementLine{EntryID: e.ID, Day: Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}, Minutes: minutes}
		switch {
		case e.Wording != nil:
			line.Note, line.Edited = *e.Wording, true
		case e.Internal:
			line.Hidden = true
		default:
			line.Note = e.Note
		}
		t := &s.Tasks[i]
		t.Lines = append(t.Lines, line)
		t.Minutes += minutes
		s.Minutes += minutes
	}
	slices.SortStableFunc(s.Tasks, func(a, b StatementTask) int {
		return cmp.Or(cmp.Compare(a.ProjectName, b.ProjectName), cmp.Compare(a.Number, b.Number))
	})
	for i := range s.Tasks {
		t := &s.Tasks[i]
		amount := Amount(t.Minutes, *t.RateCents)
		t.AmountCents = &amount
		total += amount
	}
	s.AmountCents = &total
}

// EntryIDs are the entries the statement lists.
func (s Statement) EntryIDs() []int64 {
	var ids []int64
	for _, t := range s.Tasks {
		for _, l := range t.Lines {
			ids = append(ids, l.EntryID)
		}
	}
	return ids
}

// HideMoney removes the rates and amounts, for a reader who may not see
// money.
func (s *Statement) HideMoney() {
	s.AmountCents = nil
	if s.Balance != nil {
		s.Balance.OverrunCents = nil
	}
	for i := range s.Tasks {
		s.Tasks[i].RateCents, s.Tasks[i].AmountCents = nil, nil
	}
}

// StatementWords are the column names of a statement's CSV file in its
// reader's language.
type StatementWords struct {
	Card, Project, Notes, Hours, Rate, Amount, Total string
}

// WriteCSV writes the statement as CSV: a header, a line per task with its
// notes, and the total. Hours are decimal with two places and amounts in
// the currency's units, as spreadsheets sum them; the rate and amount
// columns are there only when the statement carries money. Text people
// typed is kept from running as a formula (see cell).
func (s Statement) WriteCSV(w io.Writer, words StatementWords) error {
	out := csv.NewWriter(w)
	money := s.AmountCents != nil
	header := []string{words.Card, words.Project, words.Notes, words.Hours}
	if money {
		header = append(header, words.Rate+" ("+s.Currency+")", words.Amount+" ("+s.Currency+")")
	}
	_ = out.Write(header)
	for _, t := range s.Tasks {
		var notes []string
		for _, l := range t.Lines {
			if l.Note != "" {
				notes = append(notes, l.Note)
			}
		}
		rec := []string{cell(fmt.Sprintf("#%d %s", t.Number, t.Title)), cell(t.ProjectName), cell(strings.Join(notes, "; ")), hours(t.Minutes)}
		if money {
			rec = append(rec, cents(*t.RateCents), cents(*t.AmountCents))
		}
		_ = out.Write(rec)
	}
	total := []string{words.Total, "", "", hours(s.Minutes)}
	if money {
		total = append(total, "", cents(*s.AmountCents))
	}
	_ = out.Write(total)
	out.Flush()
	return out.Error()
}

func cents(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }

// StatementNumber is the number of the n-th statement issued in year:
// "2026-0007".
func StatementNumber(year, n int) string { return fmt.Sprintf("%d-%04d", year, n) }

// LastMonth is the calendar month before now's, in loc: a statement's
// default period.
func LastMonth(now time.Time, loc *time.Location) (from, to Date) {
	y, m, _ := now.In(loc).Date()
	first := time.Date(y, m-1, 1, 0, 0, 0, 0, time.UTC)
	return Date{first}, Date{first.AddDate(0, 1, -1)}
}

// CheckPeriod records the problems of a statement's period: in order,
// and at most ReportDaysMax days long.
func CheckPeriod(p Problems, from, to Date) {
	switch days := int(to.Sub(from.Time).Hours()/24) + 1; {
	case days < 1:
		p.Add("to", PeriodOrder)
	case days > ReportDaysMax:
		p.Add("to", PeriodTooLong, ReportDaysMax)
	}
}

// CanReadStatement reports whether the actor may read a client's
// statement: staff who see the client read drafts and issued ones; the
// client's own users only issued ones.
func (a Actor) CanReadStatement(clientID int64, issued bool) bool {
	if a.Role == RoleClient {
		return issued && a.ClientID == clientID
	}
	return true
}
