package models

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
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
	// Amounts is the billable time at its rates, one per currency; absent
	// for a reader who may not see money and where nothing has a rate.
	Amounts []Money `json:"amounts,omitempty" gorm:"-"`
}

// ReportLine is a group's minutes on one project, with the project's
// effective hourly rate (0: none) and its client's currency, which a row's
// amounts add up from.
type ReportLine struct {
	ReportRow
	RateCents int64  `gorm:"column:rate_cents"`
	Currency  string `gorm:"column:currency"`
}

// Report is the time of a period grouped one way, with its totals.
type Report struct {
	From            Date        `json:"from"`
	To              Date        `json:"to"`
	Group           ReportGroup `json:"group"`
	Rows            []ReportRow `json:"rows"`
	Minutes         int         `json:"minutes"`
	BillableMinutes int         `json:"billable_minutes"`
	// Amounts are the totals per currency: amounts in different currencies
	// are never added into one number.
	Amounts []Money `json:"amounts,omitempty"`
}

// Fold adds up lines, in any order, into the report's rows and totals: the
// days in order, other groups the most time first. With money, each line's
// billable minutes are priced at its rate and rounded, as a statement
// prices each card, and added per currency.
func (r *Report) Fold(lines []ReportLine, money bool) {
	type group struct {
		key   int64
		label string
	}
	at := map[group]int{}
	r.Rows, r.Minutes, r.BillableMinutes, r.Amounts = []ReportRow{}, 0, 0, nil
	for _, l := range lines {
		g := group{l.Key, l.Label}
		i, ok := at[g]
		if !ok {
			i, at[g] = len(r.Rows), len(r.Rows)
			r.Rows = append(r.Rows, ReportRow{Key: l.Key, Label: l.Label})
		}
		row := &r.Rows[i]
		row.Minutes += l.Minutes
		row.BillableMinutes += l.BillableMinutes
		r.Minutes += l.Minutes
		r.BillableMinutes += l.BillableMinutes
		if money && l.RateCents > 0 {
			m := Money{AmountCents: Amount(l.BillableMinutes, l.RateCents), Currency: l.Currency}
			row.Amounts = addMoney(row.Amounts, m)
			r.Amounts = addMoney(r.Amounts, m)
		}
	}
	slices.SortStableFunc(r.Rows, func(a, b ReportRow) int {
		if r.Group != GroupDay && a.Minutes != b.Minutes {
			return b.Minutes - a.Minutes
		}
		return strings.Compare(a.Label, b.Label)
	})
}

// addMoney adds m to the amount of its currency in list, kept in the order
// of currency codes.
func addMoney(list []Money, m Money) []Money {
	i, found := slices.BinarySearchFunc(list, m.Currency, func(x Money, c string) int { return strings.Compare(x.Currency, c) })
	if found {
		list[i].AmountCents += m.AmountCents
		return list
	}
	return slices.Insert(list, i, m)
}

// WriteCSV writes the report as CSV: a header, a row per group, the total.
// Hours are decimal with two places, as spreadsheets sum them. A label a
// spreadsheet would run as a formula (=, +, -, @, tab, carriage return
// first) gets a leading apostrophe: labels are names people typed.
//
// A report with amounts gains the columns amount and currency (header[3:]);
// a group billed in several currencies gets a further row per currency,
// with its label and no hours, so the hours still add up and the amounts
// add up per currency.
func (r Report) WriteCSV(w io.Writer, header [5]string, total string) error {
	out := csv.NewWriter(w)
	money := r.Amounts != nil
	write := func(label string, minutes, billable int, amounts []Money) {
		rec := []string{cell(label), hours(minutes), hours(billable)}
		if !money {
			_ = out.Write(rec)
			return
		}
		if len(amounts) == 0 {
			_ = out.Write(append(rec, "", ""))
		}
		for i, m := range amounts {
			if i > 0 {
				rec = []string{cell(label), "", ""}
			}
			_ = out.Write(append(rec, cents(m.AmountCents), m.Currency))
		}
	}
	if money {
		_ = out.Write(header[:])
	} else {
		_ = out.Write(header[:3])
	}
	for _, row := range r.Rows {
		write(row.Label, row.Minutes, row.BillableMinutes, row.Amounts)
	}
	write(total, r.Minutes, r.BillableMinutes, r.Amounts)
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
