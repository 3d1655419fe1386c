package models

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestSLAClocks(t *testing.T) {
	t.Parallel()
	c := calendar(t, BusinessHours{Days: weekdays, Start: "09:00", End: "17:00", TimeZone: "UTC"})
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) } // 30 = Monday
	ptr := func(t time.Time) *time.Time { return &t }
	target := SLATarget{Priority: PriorityUrgent, FirstResponseMinutes: 60, ResolutionMinutes: 8 * 60}
	tests := []struct {
		name       string
		h          RequestHistory
		now        time.Time
		first, res SLAClock // DueAt checked separately
		due        *time.Time
	}{
		{"fresh request runs", RequestHistory{CreatedAt: at(30, 9, 0)}, at(30, 9, 30),
			SLAClock{UsedSeconds: 1800, State: ClockRunning}, SLAClock{UsedSeconds: 1800, State: ClockRunning}, ptr(at(30, 17, 0))},
		{"filed on Friday night, Monday 9:30", RequestHistory{CreatedAt: at(27, 22, 0)}, at(30, 9, 30),
			SLAClock{UsedSeconds: 1800, State: ClockRunning}, SLAClock{UsedSeconds: 1800, State: ClockRunning}, ptr(at(30, 17, 0))},
		{"first response by a comment stops that clock",
			RequestHistory{CreatedAt: at(30, 9, 0), FirstStaffReply: ptr(at(30, 9, 20))}, at(30, 11, 0),
			SLAClock{UsedSeconds: 1200, State: ClockStopped}, SLAClock{UsedSeconds: 7200, State: ClockRunning}, ptr(at(30, 17, 0))},
		{"late first response by a move is breached",
			RequestHistory{CreatedAt: at(30, 9, 0), Moves: []StatusMove{{at(30, 11, 0), StatusInProgress}}}, at(30, 12, 0),
			SLAClock{UsedSeconds: 7200, State: ClockStopped, Breached: true}, SLAClock{UsedSeconds: 3 * 3600, State: ClockRunning}, ptr(at(30, 17, 0))},
		{"awaiting reply pauses resolution",
			RequestHistory{CreatedAt: at(30, 9, 0), Moves: []StatusMove{{at(30, 10, 0), StatusAwaitingReply}}}, at(30, 16, 0),
			SLAClock{UsedSeconds: 3600, State: ClockStopped}, SLAClock{UsedSeconds: 3600, State: ClockPaused}, nil},
		{"the answer starts it again",
			RequestHistory{CreatedAt: at(30, 9, 0), Moves: []StatusMove{{at(30, 10, 0), StatusAwaitingReply}, {at(30, 15, 0), StatusInProgress}}}, at(30, 16, 0),
			SLAClock{UsedSeconds: 3600, State: ClockStopped}, SLAClock{UsedSeconds: 7200, State: ClockRunning}, ptr(time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC))},
		{"approval stops resolution",
			RequestHistory{CreatedAt: at(30, 9, 0), Moves: []StatusMove{{at(30, 9, 30), StatusInProgress}, {at(30, 12, 0), StatusApproval}}}, at(30, 16, 0),
			SLAClock{UsedSeconds: 1800, State: ClockStopped}, SLAClock{UsedSeconds: 3 * 3600, State: ClockStopped}, nil},
		{"changes requested run it again, approval time excluded",
			RequestHistory{CreatedAt: at(30, 9, 0), Moves: []StatusMove{{at(30, 9, 30), StatusInProgress}, {at(30, 12, 0), StatusApproval}, {at(30, 15, 0), StatusInProgress}}}, at(30, 16, 0),
			SLAClock{UsedSeconds: 1800, State: ClockStopped}, SLAClock{UsedSeconds: 4 * 3600, State: ClockRunning}, ptr(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))},
		{"resolution across days is breached",
			RequestHistory{CreatedAt: at(26, 15, 0), Moves: []StatusMove{{at(26, 15, 10), StatusInProgress}}}, at(30, 11, 0),
			SLAClock{UsedSeconds: 600, State: ClockStopped}, SLAClock{UsedSeconds: (2 + 8 + 2) * 3600, State: ClockRunning, Breached: true}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := c.Clocks(tc.h, target, tc.now)
			tc.first.Goal, tc.first.TargetSeconds = GoalFirstResponse, 3600
			tc.res.Goal, tc.res.TargetSeconds = GoalResolution, 8*3600
			for _, k := range []struct{ got, want *SLAClock }{{got.FirstResponse, &tc.first}, {got.Resolution, &tc.res}} {
				g := *k.got
				g.DueAt = nil
				if g != *k.want {
					t.Errorf("%s = %+v, want %+v", k.want.Goal, g, *k.want)
				}
			}
			if d := got.Resolution.DueAt; (d == nil) != (tc.due == nil) || (d != nil && !d.Equal(*tc.due)) {
				t.Errorf("resolution due at %v, want %v", d, tc.due)
			}
		})
	}
	t.Run("no target, no clock", func(t *testing.T) {
		t.Parallel()
		got := c.Clocks(RequestHistory{CreatedAt: at(30, 9, 0)}, SLATarget{Priority: PriorityNormal, ResolutionMinutes: 60}, at(30, 10, 0))
		if got.FirstResponse != nil || got.Resolution == nil {
			t.Errorf("clocks = %+v, want only resolution", got)
		}
	})
	t.Run("warned at 80 percent", func(t *testing.T) {
		t.Parallel()
		if (SLAClock{TargetSeconds: 100, UsedSeconds: 79}).Warned() || !(SLAClock{TargetSeconds: 100, UsedSeconds: 80}).Warned() {
			t.Error("the warning starts at 80 % of the target")
		}
	})
}

func TestCheckSLATargets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		list  []SLATarget
		field string
	}{
		{"unknown priority", []SLATarget{{Priority: "asap"}}, "priority"},
		{"twice", []SLATarget{{Priority: PriorityUrgent}, {Priority: PriorityUrgent}}, "urgent"},
		{"negative", []SLATarget{{Priority: PriorityNormal, FirstResponseMinutes: -1}}, "normal.first_response_minutes"},
		{"too long", []SLATarget{{Priority: PriorityCritical, ResolutionMinutes: SLAMinutesMax + 1}}, "critical.resolution_minutes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var ve *ValidationError
			if !errors.As(CheckSLATargets(tc.list), &ve) || ve.Fields[tc.field].Code() == "" {
				t.Errorf("CheckSLATargets(%+v) = %v, want a problem with %s", tc.list, ve, tc.field)
			}
		})
	}
	if err := CheckSLATargets([]SLATarget{{Priority: PriorityCritical, FirstResponseMinutes: 15, ResolutionMinutes: 240}}); err != nil {
		t.Errorf("valid targets refused: %v", err)
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		values []int64
		p      int
		want   int64
	}{
		{[]int64{5}, 50, 5},
		{[]int64{4, 1, 3, 2}, 50, 2},
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90, 9},
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 90, 10},
		{[]int64{3, 1, 2}, 100, 3},
	}
	for _, tc := range tests {
		if got := Percentile(slices.Clone(tc.values), tc.p); got == nil || *got != tc.want {
			t.Errorf("Percentile(%v, %d) = %v, want %d", tc.values, tc.p, got, tc.want)
		}
	}
	if Percentile(nil, 50) != nil {
		t.Error("no values have no percentile")
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	c := calendar(t, BusinessHours{Days: weekdays, Start: "09:00", End: "17:00", TimeZone: "UTC"})
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	urgent := SLATarget{Priority: PriorityUrgent, FirstResponseMinutes: 60, ResolutionMinutes: 4 * 60}
	list := []SLARequest{
		// answered in 1 h (met), resolved in 3 h (met)
		{KindBug, PriorityUrgent, urgent, RequestHistory{CreatedAt: at(23, 9), Moves: []StatusMove{{at(23, 10), StatusInProgress}, {at(23, 12), StatusDone}}}},
		// answered in 2 h (late), resolved in 6 h (late)
		{KindBug, PriorityUrgent, urgent, RequestHistory{CreatedAt: at(24, 9), Moves: []StatusMove{{at(24, 11), StatusInProgress}, {at(24, 15), StatusApproval}}}},
		// not answered yet, 5 h in: late on both, measured on neither
		{KindQuestion, PriorityUrgent, urgent, RequestHistory{CreatedAt: at(30, 9)}},
		// no target: measured, never due
		{KindChange, PriorityNormal, SLATarget{Priority: PriorityNormal}, RequestHistory{CreatedAt: at(25, 9), Moves: []StatusMove{{at(25, 13), StatusInProgress}}}},
	}
	got := c.Summarize(list, at(30, 14))
	if got.Requests != 4 || got.ByKind[KindBug] != 2 || got.ByPriority[PriorityUrgent] != 3 {
		t.Errorf("counts = %+v", got)
	}
	fr, res := got.FirstResponse, got.Resolution
	if fr.Measured != 3 || *fr.MedianSeconds != 7200 || *fr.P90Seconds != 4*3600 || fr.Due != 3 || fr.Met != 1 {
		t.Errorf("first response = %+v (median %d, p90 %d)", fr, *fr.MedianSeconds, *fr.P90Seconds)
	}
	if res.Measured != 2 || *res.MedianSeconds != 3*3600 || *res.P90Seconds != 6*3600 || res.Due != 3 || res.Met != 1 {
		t.Errorf("resolution = %+v", res)
	}
}
