package models

import (
	"testing"
	"time"
)

func mins(h int) *int { m := h * 60; return &m }

func TestComputeLoad(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	before, after := start.Add(-time.Hour), start.Add(26*time.Hour)
	tests := []struct {
		name     string
		capacity int
		buffer   int
		items    []PlanItem
		want     Load
	}{
		{"empty week", 40 * 60, 20, nil,
			Load{Capacity: 2400, Plannable: 1920, Buffer: 480, BufferFree: 480}},
		{"no estimates are unestimated, not zero", 2400, 20, []PlanItem{{Priority: PriorityNormal, PlannedAt: before}, {Priority: PriorityNormal, EstimateMinutes: mins(4), PlannedAt: before}},
			Load{Capacity: 2400, Plannable: 1920, Buffer: 480, Planned: 240, BufferFree: 480, Unestimated: 1, Tasks: 2}},
		{"over-commitment", 2400, 20, []PlanItem{{Priority: PriorityNormal, EstimateMinutes: mins(30), PlannedAt: before}, {Priority: PriorityNormal, EstimateMinutes: mins(6), PlannedAt: before}},
			Load{Capacity: 2400, Plannable: 1920, Buffer: 480, Planned: 2160, BufferFree: 480, Over: 240, Tasks: 2}},
		{"capacity override for a short week", 16 * 60, 25, []PlanItem{{Priority: PriorityNormal, EstimateMinutes: mins(12), PlannedAt: before}},
			Load{Capacity: 960, Plannable: 720, Buffer: 240, Planned: 720, BufferFree: 240, Tasks: 1}},
		{"urgent before the start is planned", 2400, 20, []PlanItem{{Priority: PriorityUrgent, EstimateMinutes: mins(5), PlannedAt: before}},
			Load{Capacity: 2400, Plannable: 1920, Buffer: 480, Planned: 300, BufferFree: 480, Tasks: 1, Urgent: 1}},
		{"urgent after the start draws on the buffer", 2400, 20, []PlanItem{{Priority: PriorityUrgent, EstimateMinutes: mins(5), PlannedAt: after}},
			Load{Capacity: 2400, Plannable: 1920, Buffer: 480, Unplanned: 300, BufferFree: 180, Tasks: 1, Urgent: 1}},
		{"critical is outside the plan, and overflowing the buffer is over-commitment", 2400, 20, []PlanItem{
			{Priority: PriorityCritical, EstimateMinutes: mins(6), PlannedAt: before},
			{Priority: PriorityUrgent, EstimateMinutes: mins(4), PlannedAt: after}},
			Load{Capacity: 2400, Plannable: 1920, Buffer: 480, Unplanned: 600, Over: 120, Tasks: 2, Urgent: 1, Critical: 1}},
		{"done work is counted", 2400, 20, []PlanItem{{Priority: PriorityNormal, EstimateMinutes: mins(3), PlannedAt: before, Done: true}},
			Load{Capacity: 2400, Plannable: 1920, Buffer: 480, Planned: 180, Done: 180, BufferFree: 480, Tasks: 1, DoneTasks: 1}},
		{"no buffer", 2400, 0, []PlanItem{{Priority: PriorityUrgent, EstimateMinutes: mins(1), PlannedAt: after}},
			Load{Capacity: 2400, Plannable: 2400, Unplanned: 60, Over: 60, Tasks: 1, Urgent: 1}},
	}
	for _, tt := range tests {
		if got := ComputeLoad(tt.capacity, tt.buffer, start, tt.items); got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestWeeks(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, monday, name string }{
		{"2026-11-23", "2026-11-23", "2026-W48"},
		{"2026-11-29", "2026-11-23", "2026-W48"}, // Sunday belongs to the week before
		{"2026-W48", "2026-11-23", "2026-W48"},
		{"2026-W01", "2025-12-29", "2026-W01"}, // ISO week 1 can start in December
		{"2027-01-01", "2026-12-28", "2026-W53"},
		{"2026-W53", "2026-12-28", "2026-W53"},
	}
	for _, tt := range tests {
		w, err := ParseWeek(tt.in)
		if err != nil || w.Monday.String() != tt.monday || w.String() != tt.name {
			t.Errorf("ParseWeek(%q) = %s %s, %v; want %s %s", tt.in, w.Monday, w, err, tt.monday, tt.name)
		}
	}
	for _, bad := range []string{"2025-W53", "2026-W54", "W48", "next week", "2026-13-01"} {
		if _, err := ParseWeek(bad); err == nil {
			t.Errorf("ParseWeek(%q) accepted", bad)
		}
	}
	if got := (Week{mustDate("2026-12-28")}).Next().String(); got != "2027-W01" {
		t.Errorf("week after 2026-W53 is %s", got)
	}
}

func mustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestCheckClosable(t *testing.T) {
	w, _ := ParseWeek("2026-W48") // Monday 2026-11-23
	for _, tc := range []struct {
		now  string
		want bool
	}{
		{"2026-11-22T23:59:59Z", false}, // the Sunday before
		{"2026-11-23T00:00:00Z", true},
		{"2026-12-14T09:00:00Z", true}, // weeks later
	} {
		now, _ := time.Parse(time.RFC3339, tc.now)
		if err := w.CheckClosable(now); (err == nil) != tc.want {
			t.Errorf("close %s at %s: %v", w, tc.now, err)
		}
	}
}
