package models

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// TestReportCSV: names with quotes, commas and line breaks stay one cell,
// and a name a spreadsheet would run as a formula is defused.
func TestReportCSV(t *testing.T) {
	r := Report{Group: GroupPerson, Rows: []ReportRow{
		{Label: `Ann "Bo" Smith, Jr.`, Minutes: 90, BillableMinutes: 45},
		{Label: "=HYPERLINK(\"http://x.test\")", Minutes: 61, BillableMinutes: 0},
		{Label: "-1+2", Minutes: 5, BillableMinutes: 5},
		{Label: "two\nlines", Minutes: 600, BillableMinutes: 600},
	}}
	lines := make([]ReportLine, len(r.Rows))
	for i, row := range r.Rows {
		lines[i] = ReportLine{ReportRow: row, RateCents: 9000, Currency: "EUR"}
	}
	r.Fold(lines, false)
	var b bytes.Buffer
	if err := r.WriteCSV(&b, csvHeader, "Total"); err != nil {
		t.Fatal(err)
	}
	want := "Person,Hours,Billable hours\n" +
		"\"two\nlines\",10.00,10.00\n" +
		"\"Ann \"\"Bo\"\" Smith, Jr.\",1.50,0.75\n" +
		"\"'=HYPERLINK(\"\"http://x.test\"\")\",1.01,0.00\n" +
		"'-1+2,0.08,0.08\n" +
		"Total,12.60,10.83\n"
	if b.String() != want {
		t.Fatalf("csv\n%s\nwant\n%s", b.String(), want)
	}
}

var csvHeader = [5]string{"Person", "Hours", "Billable hours", "Amount", "Currency"}

// TestReportFold: a group's lines add up wherever they come, each line is
// priced at its own rate and rounded, currencies are never added together,
// a line without a rate has no amount, and without money nothing is priced.
func TestReportFold(t *testing.T) {
	line := func(key int64, label string, minutes, billable int, rate int64, currency string) ReportLine {
		return ReportLine{ReportRow{Key: key, Label: label, Minutes: minutes, BillableMinutes: billable}, rate, currency}
	}
	lines := []ReportLine{
		line(1, "Ann", 120, 90, 9000, "EUR"), // 135.00 EUR
		line(2, "Bob", 60, 60, 12000, "PLN"), // 120.00 PLN
		line(1, "Ann", 61, 1, 100, "EUR"),    // 1.67 → 0.02 EUR
		line(1, "Ann", 30, 30, 15000, "PLN"), // 75.00 PLN
		line(2, "Bob", 45, 45, 0, "EUR"),     // no rate: hours only
		line(3, "Cleo", 10, 0, 9000, "EUR"),  // nothing billable: 0.00 EUR
	}
	r := Report{Group: GroupPerson}
	r.Fold(lines, true)
	want := []ReportRow{
		{1, "Ann", 211, 121, []Money{{13502, "EUR"}, {7500, "PLN"}}},
		{2, "Bob", 105, 105, []Money{{12000, "PLN"}}},
		{3, "Cleo", 10, 0, []Money{{0, "EUR"}}},
	}
	if !reflect.DeepEqual(r.Rows, want) {
		t.Fatalf("rows\n%+v\nwant\n%+v", r.Rows, want)
	}
	if r.Minutes != 326 || r.BillableMinutes != 226 || !reflect.DeepEqual(r.Amounts, []Money{{13502, "EUR"}, {19500, "PLN"}}) {
		t.Fatalf("totals %d %d %+v", r.Minutes, r.BillableMinutes, r.Amounts)
	}
	var b bytes.Buffer
	if err := r.WriteCSV(&b, csvHeader, "Total"); err != nil {
		t.Fatal(err)
	}
	csv := "Person,Hours,Billable hours,Amount,Currency\n" +
		"Ann,3.51,2.01,135.02,EUR\n" +
		"Ann,,,75.00,PLN\n" +
		"Bob,1.75,1.75,120.00,PLN\n" +
		"Cleo,0.16,0.00,0.00,EUR\n" +
		"Total,5.43,3.76,135.02,EUR\n" +
		"Total,,,195.00,PLN\n"
	if b.String() != csv {
		t.Fatalf("csv\n%s\nwant\n%s", b.String(), csv)
	}

	r.Fold(lines, false)
	if r.Amounts != nil || r.Rows[0].Amounts != nil || r.Rows[0].Minutes != 211 {
		t.Fatalf("without money: %+v", r)
	}
	b.Reset()
	if err := r.WriteCSV(&b, csvHeader, "Total"); err != nil || !strings.HasPrefix(b.String(), "Person,Hours,Billable hours\n") || strings.Contains(b.String(), "EUR") {
		t.Fatalf("csv without money: %v\n%s", err, b.String())
	}
}

func TestReportFilterCheck(t *testing.T) {
	day := func(s string) Date { d, _ := ParseDate(s); return d }
	for _, c := range []struct {
		from, to string
		group    ReportGroup
		want     map[string]string
	}{
		{"2026-11-01", "2026-11-30", GroupDay, map[string]string{}},
		{"2026-11-01", "2026-11-01", GroupClient, map[string]string{}},
		{"2026-11-02", "2026-11-01", GroupTask, map[string]string{"to": "period_order"}},
		{"2025-01-01", "2026-01-02", GroupPerson, map[string]string{"to": "period_too_long"}},
		{"2026-01-01", "2026-12-31", "week", map[string]string{"group": "report_group_choice"}},
	} {
		p := Problems{}
		ReportFilter{From: day(c.from), To: day(c.to), Group: c.group}.Check(p)
		if len(p) != len(c.want) {
			t.Errorf("%s..%s %s: %v", c.from, c.to, c.group, p)
		}
		for f, code := range c.want {
			if p[f].Code() != code {
				t.Errorf("%s..%s %s: %s is %q, want %q", c.from, c.to, c.group, f, p[f].Code(), code)
			}
		}
	}
}
