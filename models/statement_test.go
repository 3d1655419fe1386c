package models

import (
	"bytes"
	"testing"
	"time"
)

func TestBuildStatement(t *testing.T) {
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	override := int64(12000)
	rates := Rates{Currency: "EUR", HourlyRateCents: 9000, Projects: []ProjectRate{{ProjectID: 2, HourlyRateCents: &override}}}
	wording := "Checkout fixes"
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }
	entries := []StatementEntry{
		{ID: 1, TaskID: 10, Number: 7, TaskTitle: "Menu", ProjectID: 1, ProjectName: "Web", StartedAt: at(2, 9), Minutes: 50, Note: "Markup"},
		// 23:30 UTC on 30 November is 1 December in Warsaw.
		{ID: 2, TaskID: 20, Number: 3, TaskTitle: "Checkout", ProjectID: 2, ProjectName: "Shop", StartedAt: at(30, 23), Minutes: 7,
			Note: "INTERNAL-ONLY hack", Internal: true},
		{ID: 3, TaskID: 10, Number: 7, TaskTitle: "Menu", ProjectID: 1, ProjectName: "Web", StartedAt: at(3, 9), Minutes: 1, Note: "Typo"},
		{ID: 4, TaskID: 20, Number: 3, TaskTitle: "Checkout", ProjectID: 2, ProjectName: "Shop", StartedAt: at(4, 9), Minutes: 30,
			Note: "raw words", Wording: &wording},
	}
	tests := []struct {
		name     string
		rounding Rounding
		minutes  []int // per task, in the statement's order (Shop before Web)
		amounts  []int64
		total    int64
	}{
		// Shop: 7+30 = 37 min at 120.00 = 74.00; Web: 50+1 = 51 min at 90.00 = 76.50.
		{"whole minutes", 1, []int{37, 51}, []int64{7400, 7650}, 15050},
		// Shop: 15+30 = 45 min = 90.00; Web: 60+15 = 75 min = 112.50.
		{"quarter hours", 15, []int{45, 75}, []int64{9000, 11250}, 20250},
		// Shop: 12+30 = 42 min = 84.00; Web: 54+6 = 60 min = 90.00.
		{"six minutes", 6, []int{42, 60}, []int64{8400, 9000}, 17400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s Statement
			BuildStatement(&s, entries, rates, tc.rounding, warsaw)
			if len(s.Tasks) != 2 || s.Tasks[0].ProjectName != "Shop" || s.Tasks[1].ProjectName != "Web" {
				t.Fatalf("tasks %+v", s.Tasks)
			}
			sum := 0
			for i, task := range s.Tasks {
				if task.Minutes != tc.minutes[i] || *task.AmountCents != tc.amounts[i] {
					t.Errorf("task %d: %d min, %d cents; want %d, %d", task.Number, task.Minutes, *task.AmountCents, tc.minutes[i], tc.amounts[i])
				}
				sum += task.Minutes
			}
			if s.Minutes != sum || *s.AmountCents != tc.total {
				t.Errorf("totals %d min, %d cents; want %d, %d", s.Minutes, *s.AmountCents, sum, tc.total)
			}
		})
	}
	var s Statement
	BuildStatement(&s, entries, rates, 1, warsaw)
	shop := s.Tasks[0].Lines
	if shop[0].Day.String() != "2026-12-01" || shop[0].Note != "" || !shop[0].Hidden {
		t.Errorf("internal line past midnight: %+v", shop[0])
	}
	if shop[1].Note != wording || !shop[1].Edited {
		t.Errorf("edited line: %+v", shop[1])
	}
	if *s.Tasks[0].RateCents != override || *s.Tasks[1].RateCents != 9000 {
		t.Errorf("rates %d, %d", *s.Tasks[0].RateCents, *s.Tasks[1].RateCents)
	}
	s.HideMoney()
	if s.AmountCents != nil || s.Tasks[0].RateCents != nil || s.Tasks[1].AmountCents != nil {
		t.Errorf("money left after HideMoney: %+v", s)
	}
}

func TestAmount(t *testing.T) {
	for _, tc := range []struct {
		minutes int
		rate    int64
		want    int64
	}{{0, 9000, 0}, {60, 9000, 9000}, {1, 9000, 150}, {1, 100, 2}, {1, 29, 0}, {1, 30, 1}, {90, 12345, 18518}} {
		if got := Amount(tc.minutes, tc.rate); got != tc.want {
			t.Errorf("Amount(%d, %d) = %d, want %d", tc.minutes, tc.rate, got, tc.want)
		}
	}
}

func TestLastMonth(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	for _, tc := range []struct {
		now      time.Time
		loc      *time.Location
		from, to string
	}{
		{time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC), time.UTC, "2026-11-01", "2026-11-30"},
		{time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), time.UTC, "2025-12-01", "2025-12-31"},
		{time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC), time.UTC, "2026-02-01", "2026-02-28"},
		// 20:00 UTC on 30 November is already 1 December in Tokyo.
		{time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC), tokyo, "2026-11-01", "2026-11-30"},
		{time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC), time.UTC, "2026-10-01", "2026-10-31"},
	} {
		from, to := LastMonth(tc.now, tc.loc)
		if from.String() != tc.from || to.String() != tc.to {
			t.Errorf("LastMonth(%s, %s) = %s..%s, want %s..%s", tc.now, tc.loc, from, to, tc.from, tc.to)
		}
	}
}

func TestStatementCSV(t *testing.T) {
	rate, amount := int64(9000), int64(4500)
	s := Statement{Currency: "EUR", Minutes: 30, AmountCents: &amount, Tasks: []StatementTask{{Number: 4, Title: `Fix "quotes", commas`,
		ProjectName: "=cmd", Minutes: 30, RateCents: &rate, AmountCents: &amount,
		Lines: []StatementLine{{Note: "One"}, {Hidden: true}, {Note: "Two\nlines"}}}}}
	words := StatementWords{"Card", "Project", "Work", "Hours", "Rate", "Amount", "Total"}
	var b bytes.Buffer
	if err := s.WriteCSV(&b, words); err != nil {
		t.Fatal(err)
	}
	want := "Card,Project,Work,Hours,Rate (EUR),Amount (EUR)\n" +
		"\"#4 Fix \"\"quotes\"\", commas\",'=cmd,\"One; Two\nlines\",0.50,90.00,45.00\n" +
		"Total,,,0.50,,45.00\n"
	if b.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", b.String(), want)
	}
	s.HideMoney()
	b.Reset()
	if err := s.WriteCSV(&b, words); err != nil {
		t.Fatal(err)
	}
	if want := "Card,Project,Work,Hours\n\"#4 Fix \"\"quotes\"\", commas\",'=cmd,\"One; Two\nlines\",0.50\nTotal,,,0.50\n"; b.String() != want {
		t.Errorf("CSV without money:\n%s", b.String())
	}
}

func TestStatementBalance(t *testing.T) {
	day := func(s string) Date { d, _ := ParseDate(s); return d }
	override := int64(12000)
	rates := Rates{Currency: "EUR", HourlyRateCents: 9000, Projects: []ProjectRate{{ProjectID: 2, HourlyRateCents: &override}}}
	at := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }
	block := HourPackage{ID: 1, Kind: PackageBlock, Name: "Launch", Minutes: 600, StartsOn: day("2026-10-01")}
	retainer := HourPackage{ID: 2, Kind: PackageRetainer, Name: "Care", Minutes: 120, StartsOn: day("2026-11-01")}
	tests := []struct {
		name     string
		packages []HourPackage
		entries  []BillableTime
		want     []StatementPackage
		overrun  int
		cents    int64
	}{
		{"no packages: no balance", nil, []BillableTime{{at(2), 60, 1}}, nil, 0, 0},
		// October used 540 of the block's 600; November uses the last 60,
		// then 30 on project 1 and 45 on project 2 run over.
		{"a block runs out", []HourPackage{block},
			[]BillableTime{{at(2).AddDate(0, -1, 0), 540, 1}, {at(3), 90, 1}, {at(4), 45, 2}},
			[]StatementPackage{{Name: "Launch", Kind: PackageBlock, GrantedMinutes: 600, LeftBeforeMinutes: 60, UsedMinutes: 60}},
			75, 4500 + 9000},
		// A retainer that starts with the period had its full month before it.
		{"a retainer's first month", []HourPackage{retainer}, []BillableTime{{at(5), 50, 1}},
			[]StatementPackage{{Name: "Care", Kind: PackageRetainer, GrantedMinutes: 120, LeftBeforeMinutes: 120, UsedMinutes: 50, LeftAfterMinutes: 70}},
			0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s Statement
			s.SetBalance(Burn(tc.packages, tc.entries, day("2026-11-01"), day("2026-11-30"), time.UTC), rates)
			if tc.want == nil {
				if s.Balance != nil {
					t.Fatalf("balance %+v, want none", s.Balance)
				}
				return
			}
			b := s.Balance
			if len(b.Packages) != len(tc.want) || b.Packages[0] != tc.want[0] || b.OverrunMinutes != tc.overrun || *b.OverrunCents != tc.cents {
				t.Errorf("balance %+v (overrun %d min, %d cents), want %+v (%d, %d)", b.Packages, b.OverrunMinutes, *b.OverrunCents, tc.want, tc.overrun, tc.cents)
			}
			s.HideMoney()
			if b.OverrunCents != nil {
				t.Error("HideMoney left the overrun's amount")
			}
		})
	}
}
