package models

import (
	"fmt"
	"testing"
	"time"
)

func dayPtr(s string) *Date { d := day(s); return &d }

// worked is an entry of minutes at a UTC instant on project 1.
func worked(at string, minutes int) BillableTime {
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		panic(at)
	}
	return BillableTime{StartedAt: t, Minutes: minutes, ProjectID: 1}
}

type left struct{ granted, used, left, before int }

func TestBurn(t *testing.T) {
	t.Parallel()
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	block := func(id int64, start string, hours int) HourPackage {
		return HourPackage{ID: id, Kind: PackageBlock, Minutes: hours * 60, StartsOn: day(start)}
	}
	retainer := func(id int64, start string, hours int, rollover bool) HourPackage {
		return HourPackage{ID: id, Kind: PackageRetainer, Minutes: hours * 60, StartsOn: day(start), Rollover: rollover}
	}
	ended := func(p HourPackage, end string) HourPackage { p.EndsOn = dayPtr(end); return p }
	for _, tc := range []struct {
		name     string
		pkgs     []HourPackage
		entries  []BillableTime
		from, to string
		loc      *time.Location
		want     []left
		overrun  int
	}{
		{"no packages: all is overrun", nil,
			[]BillableTime{worked("2026-11-03T09:00:00Z", 90)}, "2026-11-01", "2026-11-30", time.UTC, nil, 90},
		{"oldest first, then the next", []HourPackage{block(2, "2026-10-15", 10), block(1, "2026-10-01", 2)},
			[]BillableTime{worked("2026-11-03T09:00:00Z", 180)}, "2026-11-01", "2026-11-30", time.UTC,
			[]left{{120, 120, 0, 120}, {600, 60, 540, 600}}, 0},
		{"same start: the lower ID first", []HourPackage{block(2, "2026-10-01", 10), block(1, "2026-10-01", 1)},
			[]BillableTime{worked("2026-11-03T09:00:00Z", 90)}, "2026-11-01", "2026-11-30", time.UTC,
			[]left{{60, 60, 0, 60}, {600, 30, 570, 600}}, 0},
		{"time before the period burns but is not the period's use", []HourPackage{block(1, "2026-10-01", 10)},
			[]BillableTime{worked("2026-10-20T09:00:00Z", 120), worked("2026-11-03T09:00:00Z", 60)}, "2026-11-01", "2026-11-30", time.UTC,
			[]left{{600, 60, 420, 480}}, 0},
		{"overrun once every package is spent", []HourPackage{block(1, "2026-11-01", 1)},
			[]BillableTime{worked("2026-11-03T09:00:00Z", 100)}, "2026-11-01", "2026-11-30", time.UTC,
			[]left{{60, 60, 0, 0}}, 40},
		{"overrun before the period is not the period's", []HourPackage{block(1, "2026-10-01", 1)},
			[]BillableTime{worked("2026-10-03T09:00:00Z", 100), worked("2026-11-03T09:00:00Z", 10)}, "2026-11-01", "2026-11-30", time.UTC,
			[]left{{60, 0, 0, 0}}, 10},
		{"a block draws nothing before its start or after its end", []HourPackage{ended(block(1, "2026-11-10", 10), "2026-11-20")},
			[]BillableTime{worked("2026-11-09T09:00:00Z", 30), worked("2026-11-15T09:00:00Z", 45), worked("2026-11-21T09:00:00Z", 20)},
			"2026-11-01", "2026-11-30", time.UTC, []left{{600, 45, 555, 0}}, 50},
		{"a retainer without rollover starts each month afresh", []HourPackage{retainer(1, "2026-09-01", 10, false)},
			[]BillableTime{worked("2026-09-10T09:00:00Z", 120), worked("2026-11-04T09:00:00Z", 60)}, "2026-11-01", "2026-11-30", time.UTC,
			[]left{{600, 60, 540, 600}}, 0},
		{"a retainer with rollover carries what is left", []HourPackage{retainer(1, "2026-09-01", 10, true)},
			[]BillableTime{worked("2026-09-10T09:00:00Z", 120), worked("2026-11-04T09:00:00Z", 60)}, "2026-11-01", "2026-11-30", time.UTC,
			// September leaves 8 h, October 18 h, November grants 28 h.
			[]left{{1680, 60, 1620, 1080}}, 0},
		{"a retainer's month runs out into overrun", []HourPackage{retainer(1, "2026-11-01", 2, false)},
			[]BillableTime{worked("2026-11-04T09:00:00Z", 100), worked("2026-11-05T09:00:00Z", 50)}, "2026-11-01", "2026-11-30", time.UTC,
			[]left{{120, 120, 0, 0}}, 30},
		{"a balance as of mid-month", []HourPackage{retainer(1, "2026-11-01", 10, false)},
			[]BillableTime{worked("2026-11-04T09:00:00Z", 60), worked("2026-11-20T09:00:00Z", 60)}, "2026-11-01", "2026-11-10", time.UTC,
			[]left{{600, 60, 540, 0}}, 0},
		{"a retainer then a block: the block takes the retainer's excess; nothing was left of it before it started", []HourPackage{block(2, "2026-11-01", 5), retainer(1, "2026-10-01", 1, false)},
			[]BillableTime{worked("2026-11-04T09:00:00Z", 90)}, "2026-11-01", "2026-11-30", time.UTC,
			[]left{{60, 60, 0, 60}, {300, 30, 270, 0}}, 0},
		{"an entry across midnight at a month's end counts on each month", []HourPackage{retainer(1, "2026-10-01", 1, false)},
			// 23:00 on 31 October to 01:00 on 1 November: one hour each month.
			[]BillableTime{worked("2026-10-31T23:00:00Z", 120)}, "2026-11-01", "2026-11-30", time.UTC,
			[]left{{60, 60, 0, 0}}, 0},
		{"the period's first day counts only its own part of the entry", []HourPackage{block(1, "2026-10-01", 1)},
			[]BillableTime{worked("2026-10-31T23:00:00Z", 120)}, "2026-11-01", "2026-11-30", time.UTC,
			[]left{{60, 0, 0, 0}}, 60},
		{"days are the agency's: 23:30 UTC on 31 October is November in Warsaw", []HourPackage{retainer(1, "2026-10-01", 1, false)},
			[]BillableTime{worked("2026-10-31T23:30:00Z", 30)}, "2026-11-01", "2026-11-30", warsaw,
			[]left{{60, 30, 30, 60}}, 0},
		{"the night clocks fall back: the midnight after is still an hour later in UTC", []HourPackage{block(1, "2026-10-25", 10)},
			// 25 October 2026 is 25 hours long in Warsaw: 22:00 UTC on the 25th is 23:00 there, the 26th starts at 23:00 UTC.
			[]BillableTime{worked("2026-10-25T22:00:00Z", 120)}, "2026-10-26", "2026-10-31", warsaw,
			[]left{{600, 60, 480, 540}}, 0},
		{"the night clocks spring forward: a 23-hour day", []HourPackage{block(1, "2026-03-29", 1)},
			// 29 March 2026 in Warsaw runs 23:00 UTC on the 28th to 22:00 UTC on the 29th.
			[]BillableTime{worked("2026-03-29T21:00:00Z", 120)}, "2026-03-30", "2026-03-31", warsaw,
			[]left{{60, 0, 0, 0}}, 60},
		{"entries after the period are ignored", []HourPackage{block(1, "2026-11-01", 1)},
			[]BillableTime{worked("2026-12-02T09:00:00Z", 60)}, "2026-11-01", "2026-11-30", time.UTC,
			[]left{{60, 0, 60, 0}}, 0},
		{"a package outside the period is left out", []HourPackage{ended(block(1, "2026-09-01", 1), "2026-09-30"), block(2, "2026-12-01", 1)},
			nil, "2026-11-01", "2026-11-30", time.UTC, nil, 0},
		{"an ended retainer grants no more months", []HourPackage{ended(retainer(1, "2026-10-01", 1, true), "2026-10-31")},
			[]BillableTime{worked("2026-10-05T09:00:00Z", 30)}, "2026-10-01", "2026-11-30", time.UTC,
			[]left{{60, 30, 30, 0}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := Burn(tc.pkgs, tc.entries, day(tc.from), day(tc.to), tc.loc)
			if len(b.Packages) != len(tc.want) {
				t.Fatalf("packages %+v, want %d", b.Packages, len(tc.want))
			}
			for i, w := range tc.want {
				u := b.Packages[i]
				if got := (left{u.GrantedMinutes, u.UsedMinutes, u.LeftMinutes, u.LeftBeforeMinutes}); got != w {
					t.Errorf("package %d: granted, used, left, before = %v, want %v", u.ID, got, w)
				}
			}
			if b.OverrunMinutes != tc.overrun {
				t.Errorf("overrun %d, want %d", b.OverrunMinutes, tc.overrun)
			}
		})
	}
}

func TestOverrunCentsAtEachProjectsRate(t *testing.T) {
	t.Parallel()
	own := int64(12000)
	r := Rates{Currency: "EUR", HourlyRateCents: 9000, Projects: []ProjectRate{{ProjectID: 2, HourlyRateCents: &own}}}
	b := Balance{Overrun: []ProjectMinutes{{1, 30}, {2, 90}, {3, 1}}}
	// 30 min at 90.00 = 45.00; 90 min at 120.00 = 180.00; 1 min at 90.00 = 1.50.
	if got := b.OverrunCents(r); got != 4500+18000+150 {
		t.Errorf("overrun cents %d", got)
	}
	if got := Amount(1, 100); got != 2 { // 1.67 cents rounds to 2
		t.Errorf("Amount(1, 100) = %d", got)
	}
}

func TestHourPackageCheck(t *testing.T) {
	t.Parallel()
	ok := HourPackage{Kind: PackageRetainer, Minutes: 600, StartsOn: day("2026-11-01")}
	for _, tc := range []struct {
		change func(*HourPackage)
		fields []string
	}{
		{func(*HourPackage) {}, nil},
		{func(p *HourPackage) { p.Kind = "monthly" }, []string{"kind"}},
		{func(p *HourPackage) { p.Minutes = 59 }, []string{"minutes"}},
		{func(p *HourPackage) { p.Minutes = PackageHoursMax*60 + 1 }, []string{"minutes"}},
		{func(p *HourPackage) { p.Kind, p.Rollover = PackageBlock, true }, []string{"rollover"}},
		{func(p *HourPackage) { p.StartsOn = Date{} }, []string{"starts_on"}},
		{func(p *HourPackage) { p.EndsOn = dayPtr("2026-10-31") }, []string{"ends_on"}},
		{func(p *HourPackage) { p.Name = string(make([]rune, PackageNameMax+1)) }, []string{"name"}},
	} {
		pk := ok
		tc.change(&pk)
		p := Problems{}
		pk.Check(p)
		if len(p) != len(tc.fields) {
			t.Errorf("%+v: problems %v, want %v", pk, p, tc.fields)
		}
		for _, f := range tc.fields {
			if _, ok := p[f]; !ok {
				t.Errorf("%+v: no problem on %s: %v", pk, f, p)
			}
		}
	}
}

func TestPackageNoticeLevels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		granted, left int
		reached       []int
	}{
		{600, 600, nil},
		{600, 121, nil},
		{600, 120, []int{80}},
		{600, 1, []int{80}},
		{600, 0, []int{80, 100}},
		{0, 0, nil},
	} {
		u := PackageUse{GrantedMinutes: tc.granted, LeftMinutes: tc.left}
		if got := u.Reached(); fmt.Sprint(got) != fmt.Sprint(tc.reached) {
			t.Errorf("granted %d left %d: reached %v, want %v", tc.granted, tc.left, got, tc.reached)
		}
	}
	r := HourPackage{Kind: PackageRetainer, StartsOn: day("2026-09-15")}
	b := HourPackage{Kind: PackageBlock, StartsOn: day("2026-09-15")}
	if got := r.Period(day("2026-11-20")); got != day("2026-11-01") {
		t.Errorf("retainer period %v", got)
	}
	if got := b.Period(day("2026-11-20")); got != day("2026-09-15") {
		t.Errorf("block period %v", got)
	}
}

// TestNoticeScope: a write reads the current windows' time only, widened by
// a block or a rolling retainer to its start, and by a package that ended
// inside the scope to that one's start.
func TestNoticeScope(t *testing.T) {
	t.Parallel()
	retainer := HourPackage{ID: 1, Kind: PackageRetainer, StartsOn: day("2025-01-01")}
	rolling := HourPackage{ID: 2, Kind: PackageRetainer, Rollover: true, StartsOn: day("2026-06-01")}
	oldBlock := HourPackage{ID: 3, Kind: PackageBlock, StartsOn: day("2024-01-01"), EndsOn: dayPtr("2024-12-31")}
	block := HourPackage{ID: 4, Kind: PackageBlock, StartsOn: day("2026-10-10"), EndsOn: dayPtr("2026-12-31")}
	endedInside := HourPackage{ID: 5, Kind: PackageBlock, StartsOn: day("2026-08-01"), EndsOn: dayPtr("2026-10-20")}
	later := HourPackage{ID: 6, Kind: PackageBlock, StartsOn: day("2027-01-01")}
	for _, tc := range []struct {
		name  string
		pkgs  []HourPackage
		since string
		ids   []int64
	}{
		{"retainer: this month", []HourPackage{retainer, oldBlock, later}, "2026-11-01", []int64{1}},
		{"rolling retainer: its start", []HourPackage{retainer, rolling}, "2026-06-01", []int64{1, 2}},
		{"block: its start", []HourPackage{retainer, block}, "2026-10-10", []int64{1, 4}},
		{"ended inside: its start", []HourPackage{retainer, block, endedInside}, "2026-08-01", []int64{1, 4, 5}},
		{"none running", []HourPackage{oldBlock, later}, "2026-11-20", nil},
	} {
		since, scope := NoticeScope(tc.pkgs, day("2026-11-20"))
		var ids []int64
		for _, pk := range scope {
			ids = append(ids, pk.ID)
		}
		if since != day(tc.since) || fmt.Sprint(ids) != fmt.Sprint(tc.ids) {
			t.Errorf("%s: since %v, scope %v; want %s, %v", tc.name, since, ids, tc.since, tc.ids)
		}
	}
}
