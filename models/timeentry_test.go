package models

import (
	"reflect"
	"testing"
	"time"
)

func TestRound(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		step Rounding
		d    time.Duration
		want int
	}{
		{1, 0, 0},
		{1, -time.Minute, 0},
		{1, time.Second, 1},
		{1, 59 * time.Second, 1},
		{1, time.Minute, 1},
		{1, time.Minute + time.Second, 2},
		{6, time.Minute, 6},
		{6, 6 * time.Minute, 6},
		{6, 6*time.Minute + time.Second, 12},
		{15, 14 * time.Minute, 15},
		{15, 15 * time.Minute, 15},
		{15, 16 * time.Minute, 30},
		{15, 10 * time.Hour, 600},
	} {
		if got := tc.step.Round(tc.d); got != tc.want {
			t.Errorf("Rounding(%d).Round(%v) = %d, want %d", tc.step, tc.d, got, tc.want)
		}
	}
}

func TestStoppedFlagsLongTimers(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		ran     time.Duration
		minutes int
		review  bool
	}{
		{ReviewAfter, 600, false},
		{ReviewAfter + time.Second, 601, true},
		// Never cut: a forgotten timer keeps every minute for its owner to fix.
		{30 * time.Hour, 1800, true},
	} {
		m, r := Rounding(1).Stopped(start, start.Add(tc.ran))
		if m != tc.minutes || r != tc.review {
			t.Errorf("ran %v: %d min, review %v; want %d, %v", tc.ran, m, r, tc.minutes, tc.review)
		}
	}
}

func TestCheckRounding(t *testing.T) {
	t.Parallel()
	for r, ok := range map[Rounding]bool{1: true, 6: true, 15: true, 0: false, 5: false, 30: false} {
		p := Problems{}
		CheckRounding(p, "time_rounding", r)
		if (len(p) == 0) != ok {
			t.Errorf("rounding %d: problems %v", r, p)
		}
	}
}

func TestEntryInputCheck(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	long := string(make([]rune, EntryNoteMax+1))
	for _, tc := range []struct {
		in     EntryInput
		fields []string
	}{
		{EntryInput{StartedAt: at, Minutes: 30}, nil},
		{EntryInput{StartedAt: at, Minutes: EntryMinutesMax}, nil},
		{EntryInput{Minutes: 30}, []string{"started_at"}},
		{EntryInput{StartedAt: at}, []string{"minutes"}},
		{EntryInput{StartedAt: at, Minutes: EntryMinutesMax + 1}, []string{"minutes"}},
		{EntryInput{StartedAt: at, Minutes: 5, Note: long}, []string{"note"}},
	} {
		p := Problems{}
		tc.in.Check(p)
		var got []string
		for f := range p {
			got = append(got, f)
		}
		if !reflect.DeepEqual(got, tc.fields) {
			t.Errorf("%+v: problems %v, want %v", tc.in.Minutes, p, tc.fields)
		}
	}
}

func TestCanChangeEntry(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a    Actor
		want bool
	}{
		{Actor{UserID: 7, Role: RoleDeveloper}, true},
		{Actor{UserID: 8, Role: RoleDeveloper}, false},
		{Actor{UserID: 8, Role: RoleManager}, true},
		{Actor{UserID: 8, Role: RoleAdmin}, true},
		{Actor{UserID: 7, Role: RoleClient, ClientID: 1}, false},
	} {
		if got := tc.a.CanChangeEntry(7); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.a, got, tc.want)
		}
	}
}

func TestSplitByDay(t *testing.T) {
	t.Parallel()
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	day := func(s string) Date { d, _ := ParseDate(s); return d }
	for _, tc := range []struct {
		name    string
		start   time.Time
		minutes int
		loc     *time.Location
		want    []DayMinutes
	}{
		{"within a day", time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), 90, time.UTC,
			[]DayMinutes{{day("2026-11-02"), 90}}},
		{"across midnight", time.Date(2026, 11, 2, 23, 0, 0, 0, time.UTC), 180, time.UTC,
			[]DayMinutes{{day("2026-11-02"), 60}, {day("2026-11-03"), 120}}},
		{"across the end of a month", time.Date(2026, 11, 30, 22, 30, 0, 0, time.UTC), 120, time.UTC,
			[]DayMinutes{{day("2026-11-30"), 90}, {day("2026-12-01"), 30}}},
		{"across the end of a year, over three days", time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), 26 * 60, time.UTC,
			[]DayMinutes{{day("2026-12-31"), 60}, {day("2027-01-01"), 24 * 60}, {day("2027-01-02"), 60}}},
		// 23:00 UTC on 2 November is midnight in Warsaw: the whole entry is
		// on the 3rd there.
		{"the day is the reader's", time.Date(2026, 11, 2, 23, 0, 0, 0, time.UTC), 60, warsaw,
			[]DayMinutes{{day("2026-11-03"), 60}}},
		// Clocks go back at 03:00 on 25 October 2026: that day has 25 hours,
		// so 31 hours from 22:00 on the 24th are 2 + 25 + 4 h.
		{"a time-zone change", time.Date(2026, 10, 24, 22, 0, 0, 0, warsaw), 31 * 60, warsaw,
			[]DayMinutes{{day("2026-10-24"), 120}, {day("2026-10-25"), 25 * 60}, {day("2026-10-26"), 240}}},
		{"seconds go to the last day", time.Date(2026, 11, 2, 23, 59, 30, 0, time.UTC), 2, time.UTC,
			[]DayMinutes{{day("2026-11-02"), 0}, {day("2026-11-03"), 2}}},
	} {
		got := SplitByDay(tc.start, tc.minutes, tc.loc)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
