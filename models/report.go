package models

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// ReportGroup is what a time report adds its minutes up by.
type ReportGroup string

// The groupings of a time report.
const (
	GroupClient  ReportGroup = "client"
	GroupProject ReportGroup = "project"
	GroupTask    ReportGroup = "task"
	GroupPerson  ReportGroup = "person"
	GroupDay     ReportGroup = "day"
)

// ReportGroups lists the groupings, in the order the page offers them.
var ReportGroups = []ReportGroup{GroupClient, GroupProject, GroupTask, GroupPerson, GroupDay}

// ReportDaysMax is the longest period one report covers: a year, so that
// one request cannot add up the agency's whole history.
const ReportDaysMax = 366

// ReportFilter is the period and filters of a time report. Zero IDs and a
// nil Billable filter nothing.
type ReportFilter struct {
	From, To  Date // both days count
	Group     ReportGroup
	ClientID  int64
	ProjectID int64
	TaskID    int64
	UserID    int64
	Billable  *bool
}

// Check records the problems of a filter.
func (f ReportFilter) Check(p Problems) {
	ok := false
	for _, g := range ReportGroups {
		ok = ok || f.Group == g
	}
	if !ok {
		p.Add("group", ReportGroupChoice)
	}
	CheckPeriod(p, f.From, f.To)
}

// ReportPerson is whose time the actor's report shows: a manager or admin
// sees everyone's (0) or the one person asked for; anyone else who logs
// time sees only their own, and asking for another person is forbidden.
func (a Actor) ReportPerson(asked int64) (int64, error) {
	switch {
	case a.Can(ActEditAllTime):
		return asked, nil
	case a.Can(ActLogTime) && (asked == 0 || asked == a.UserID):
		return a.UserID, nil
	}
	return 0, fmt.Errorf("models: time report of %d: %w", asked, ErrForbidden)
}

// ReportRow is the minutes of one group: Key is the client's, project's,
// task's or person's ID (0 for a day), Label its name or the day.
type ReportRow struct {
	Key             int64  `json:"key" gorm:"column:key"`
	Label           string `json:"label" gorm:"column:label"`
	Minutes         int    `json:"minutes" gorm:"column:minutes"`
	BillableMinutes int    `json:"billable_minutes" gorm:"column:billable_minutes"`
}

// Report is the time of a period grouped one way, with its totals.
type Report struct {
	From            Date        `json:"from"`
	To              Date        `json:"to"`
	Group           ReportGroup `json:"group"`
	Rows            []ReportRow `json:"rows"`
	Minutes         int         `json:"minutes"`
	BillableMinutes int         `json:"billable_minutes"`
}

// Total adds up the rows into the report's totals.
func (r *Report) Total() {
	r.Minutes, r.BillableMinutes = 0, 0
	for _, row := range r.Rows {
		r.Minutes += row.Minutes
		r.BillableMinutes += row.BillableMinutes
	}
}

// WriteCSV writes the report as CSV: a header, a row per group, the total.
// Hours are decimal with two places, as spreadsheets sum them. A label a
// spreadsheet would run as a formula (=, +, -, @, tab, carriage return
// first) gets a leading apostrophe: labels are names people typed.
func (r Report) WriteCSV(w io.Writer, header [3]string, total string) error {
	out := csv.NewWriter(w)
	rec := func(label string, minutes, billable int) []string {
		return []string{cell(label), hours(minutes), hours(billable)}
	}
	_ = out.Write(header[:])
	for _, row := range r.Rows {
		_ = out.Write(rec(row.Label, row.Minutes, row.BillableMinutes))
	}
	_ = out.Write(rec(total, r.Minutes, r.BillableMinutes))
	out.Flush()
	return out.Error()
}

func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func hours(minutes int) string { return fmt.Sprintf("%d.%02d", minutes/60, minutes%60*100/60) }
