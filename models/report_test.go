package models

import (
	"bytes"
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
	r.Total()
	var b bytes.Buffer
	if err := r.WriteCSV(&b, [3]string{"Person", "Hours", "Billable hours"}, "Total"); err != nil {
		t.Fatal(err)
	}
	want := "Person,Hours,Billable hours\n" +
		"\"Ann \"\"Bo\"\" Smith, Jr.\",1.50,0.75\n" +
		"\"'=HYPERLINK(\"\"http://x.test\"\")\",1.01,0.00\n" +
		"'-1+2,0.08,0.08\n" +
		"\"two\nlines\",10.00,10.00\n" +
		"Total,12.60,10.83\n"
	if b.String() != want {
		t.Fatalf("csv\n%s\nwant\n%s", b.String(), want)
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
