package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A sprint is one ISO week (Monday to Sunday) for the whole team. Each
// person's capacity is split into what can be planned and a buffer kept free
// for the urgent work that always arrives:
//
//	plannable = capacity × (1 − buffer)
//
// Planned work is the estimates of the person's normal tasks in the week
// (and urgent ones planned before it began). Urgent tasks that arrive after
// the week began, and critical ones whenever they come, draw on the buffer:
// critical work jumps the queue outside the plan. A task without an
// estimate is counted as unestimated, never as zero.

// DefaultCapacityMinutes is a full-time week.
const DefaultCapacityMinutes = 40 * 60

// MaxCapacityMinutes bounds a weekly capacity (7 × 24 h would be absurd too).
const MaxCapacityMinutes = 80 * 60

// CapacityNoteMax bounds the note on a week's capacity ("Holiday on Friday").
const CapacityNoteMax = 500

// Week is an ISO week, named by its Monday.
type Week struct{ Monday Date }

// WeekOf returns the ISO week containing t (in UTC).
func WeekOf(t time.Time) Week {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	offset := (int(d.Weekday()) + 6) % 7 // Monday = 0
	return Week{Date{d.AddDate(0, 0, -offset)}}
}

// ParseWeek reads "2026-W48" or any day "2026-11-25" of the week; its
// error is a Problem.
func ParseWeek(s string) (Week, error) {
	if y, w, ok := strings.Cut(s, "-W"); ok {
		year, err1 := strconv.Atoi(y)
		week, err2 := strconv.Atoi(w)
		if err1 != nil || err2 != nil || week < 1 || week > 53 || year < 2000 || year > 2200 {
			return Week{}, WeekFormat.With()
		}
		// ISO week 1 contains January 4th.
		wk := WeekOf(time.Date(year, 1, 4, 0, 0, 0, 0, time.UTC))
		wk.Monday.Time = wk.Monday.AddDate(0, 0, 7*(week-1))
		if y2, w2 := wk.Monday.ISOWeek(); y2 != year || w2 != week {
			return Week{}, WeekMissing.With(year, week)
		}
		return wk, nil
	}
	d, err := ParseDate(s)
	if err != nil {
		return Week{}, WeekFormat.With()
	}
	return WeekOf(d.Time), nil
}

// String names the week as "2026-W48".
func (w Week) String() string {
	y, n := w.Monday.ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, n)
}

// Start is the week's first moment (Monday 00:00 UTC).
func (w Week) Start() time.Time { return w.Monday.Time }

// Next is the following week.
func (w Week) Next() Week { return Week{Date{w.Monday.AddDate(0, 0, 7)}} }

// CheckClosable refuses to close a week that has not begun at now: closing
// freezes the week's report and carries its open cards into the next week,
// which only means something once work in the week has started.
func (w Week) CheckClosable(now time.Time) error {
	if w.Monday.After(WeekOf(now).Monday.Time) {
		return Invalid("week", WeekNotStarted, w.String())
	}
	return nil
}

// PlanItem is what the capacity arithmetic needs of a task in a week.
type PlanItem struct {
	Priority        Priority
	EstimateMinutes *int
	PlannedAt       time.Time // when it was put into the week
	Done            bool
}

// Load is one person's week in numbers (minutes).
type Load struct {
	Capacity    int `json:"capacity_minutes"`
	Plannable   int `json:"plannable_minutes"`
	Buffer      int `json:"buffer_minutes"`
	Planned     int `json:"planned_minutes"`
	Unplanned   int `json:"unplanned_minutes"` // urgent after the start and critical: drawn on the buffer
	BufferFree  int `json:"buffer_free_minutes"`
	Over        int `json:"over_minutes"` // over-commitment beyond what the week holds
	Done        int `json:"done_minutes"`
	Unestimated int `json:"unestimated"`
	Tasks       int `json:"tasks"`
	DoneTasks   int `json:"done_tasks"`
	Urgent      int `json:"urgent"`
	Critical    int `json:"critical"`
}

// ComputeLoad does a person's arithmetic for a week starting at start.
func ComputeLoad(capacity, bufferPercent int, start time.Time, items []PlanItem) Load {
	l := Load{Capacity: capacity}
	l.Buffer = capacity * bufferPercent / 100
	l.Plannable = capacity - l.Buffer
	for _, it := range items {
		l.Tasks++
		if it.Done {
			l.DoneTasks++
		}
		unplanned := it.Priority == PriorityCritical || (it.Priority == PriorityUrgent && it.PlannedAt.After(start))
		switch it.Priority {
		case PriorityUrgent:
			l.Urgent++
		case PriorityCritical:
			l.Critical++
		}
		if it.EstimateMinutes == nil {
			l.Unestimated++
			continue
		}
		m := *it.EstimateMinutes
		if unplanned {
			l.Unplanned += m
		} else {
			l.Planned += m
		}
		if it.Done {
			l.Done += m
		}
	}
	l.BufferFree = max(0, l.Buffer-l.Unplanned)
	// Planned work beyond the plannable share, plus unplanned work beyond
	// the buffer, is what the week cannot hold.
	l.Over = max(0, l.Planned-l.Plannable) + max(0, l.Unplanned-l.Buffer)
	return l
}
