package models

import (
	"slices"
	"time"
)

// SLAGoal is one of the two promises of a service agreement.
type SLAGoal string

const (
	// GoalFirstResponse is met by the first public staff comment or the
	// first move out of "set".
	GoalFirstResponse SLAGoal = "first_response"
	// GoalResolution is met when the card reaches approval or done.
	GoalResolution SLAGoal = "resolution"
)

// SLAGoals lists both goals.
var SLAGoals = []SLAGoal{GoalFirstResponse, GoalResolution}

// SLATarget is a client's promise for one priority, in business minutes;
// zero means no promise for that goal.
type SLATarget struct {
	Priority             Priority `json:"priority"`
	FirstResponseMinutes int      `json:"first_response_minutes"`
	ResolutionMinutes    int      `json:"resolution_minutes"`
}

// SLAMinutesMax is a target's upper bound: a year of eight-hour days.
const SLAMinutesMax = 365 * 8 * 60

// Minutes returns the target of a goal.
func (t SLATarget) Minutes(g SLAGoal) int {
	if g == GoalFirstResponse {
		return t.FirstResponseMinutes
	}
	return t.ResolutionMinutes
}

// CheckSLATargets validates a client's whole list of targets: known
// priorities, each at most once, minutes within bounds. Fields are named
// "<priority>.<field>".
func CheckSLATargets(list []SLATarget) error {
	p := Problems{}
	seen := map[Priority]bool{}
	for _, t := range list {
		if !t.Priority.Valid() {
			p.Add("priority", PriorityChoice)
			continue
		}
		if seen[t.Priority] {
			p.Add(string(t.Priority), PriorityTwice)
		}
		seen[t.Priority] = true
		for _, f := range []struct {
			name string
			v    int
		}{{"first_response_minutes", t.FirstResponseMinutes}, {"resolution_minutes", t.ResolutionMinutes}} {
			if f.v < 0 || f.v > SLAMinutesMax {
				p.Add(string(t.Priority)+"."+f.name, SLAMinutesRange, SLAMinutesMax)
			}
		}
	}
	return p.Err()
}

// StatusMove is a card's change of column at a moment.
type StatusMove struct {
	At time.Time
	To Status
}

// RequestHistory is what a client request's clocks are computed from: when
// it was filed (in "set"), its later moves in order, and the first public
// staff comment on it.
type RequestHistory struct {
	CreatedAt       time.Time
	Moves           []StatusMove
	FirstStaffReply *time.Time
}

// ClockState says whether a clock runs.
type ClockState string

const (
	ClockRunning ClockState = "running"
	ClockPaused  ClockState = "paused" // the client's move
	ClockStopped ClockState = "stopped"
)

// ClockStates lists every state.
var ClockStates = []ClockState{ClockRunning, ClockPaused, ClockStopped}

// SLAClock is one goal's clock on a request, in business seconds. Breached
// is set once the used time passed the target, whether it still runs or
// not. DueAt is when a running clock reaches its target.
type SLAClock struct {
	Goal          SLAGoal    `json:"goal"`
	TargetSeconds int64      `json:"target_seconds"`
	UsedSeconds   int64      `json:"used_seconds"`
	State         ClockState `json:"state"`
	Breached      bool       `json:"breached"`
	DueAt         *time.Time `json:"due_at"`
}

// WarnPercent is how much of a target is used when the people on the card
// are warned.
const WarnPercent = 80

// Warned reports whether the clock used at least WarnPercent of its target.
func (c SLAClock) Warned() bool { return c.UsedSeconds*100 >= c.TargetSeconds*WarnPercent }

// SLA holds a request's clocks; a goal without a target has none.
type SLA struct {
	FirstResponse *SLAClock `json:"first_response"`
	Resolution    *SLAClock `json:"resolution"`
}

// Clocks returns the request's clocks at now. The resolution clock runs
// while the card is in "set" or "in progress": it pauses while the card
// awaits the client's reply and while it waits in approval, and stops in
// approval or done (a request for changes starts it again).
func (c Calendar) Clocks(h RequestHistory, t SLATarget, now time.Time) SLA {
	return c.clocks(h, t, now, true)
}

// clocks is Clocks, with the deadlines of running clocks only when due is
// set (a report needs none).
func (c Calendar) clocks(h RequestHistory, t SLATarget, now time.Time, due bool) SLA {
	var out SLA
	if m := t.FirstResponseMinutes; m > 0 {
		end, state := now, ClockRunning
		if len(h.Moves) > 0 && h.Moves[0].At.Before(end) {
			end, state = h.Moves[0].At, ClockStopped
		}
		if r := h.FirstStaffReply; r != nil && r.Before(end) {
			end, state = *r, ClockStopped
		}
		out.FirstResponse = c.clock(GoalFirstResponse, m, c.Between(h.CreatedAt, end), state, now, due)
	}
	if m := t.ResolutionMinutes; m > 0 {
		var used time.Duration
		status, from := StatusSet, h.CreatedAt
		for _, mv := range append(slices.Clip(h.Moves), StatusMove{At: now}) {
			if status == StatusSet || status == StatusInProgress {
				used += c.Between(from, mv.At)
			}
			if mv.To != "" {
				status, from = mv.To, mv.At
			}
		}
		state := ClockStopped
		switch status {
		case StatusSet, StatusInProgress:
			state = ClockRunning
		case StatusAwaitingReply:
			state = ClockPaused
		}
		out.Resolution = c.clock(GoalResolution, m, used, state, now, due)
	}
	return out
}

func (c Calendar) clock(g SLAGoal, minutes int, used time.Duration, state ClockState, now time.Time, due bool) *SLAClock {
	target := time.Duration(minutes) * time.Minute
	k := &SLAClock{Goal: g, TargetSeconds: int64(target / time.Second), UsedSeconds: int64(used / time.Second),
		State: state, Breached: used > target}
	if due && state == ClockRunning && !k.Breached {
		at := c.Add(now, target-used)
		k.DueAt = &at
	}
	return k
}

// SLARequest is one client request as the monthly report counts it.
type SLARequest struct {
	Kind     Kind
	Priority Priority
	Target   SLATarget
	History  RequestHistory
}

// GoalStats sums up one goal over a month's requests, in business seconds.
// Measured counts the requests that reached the goal; Due those with a
// target that either reached it or already passed it, and Met those of
// them that reached it in time.
type GoalStats struct {
	Measured      int    `json:"measured"`
	MedianSeconds *int64 `json:"median_seconds"`
	P90Seconds    *int64 `json:"p90_seconds"`
	Due           int    `json:"due"`
	Met           int    `json:"met"`
}

// SLASummary is the month's figures of the SLA report.
type SLASummary struct {
	Requests      int              `json:"requests"`
	ByKind        map[Kind]int     `json:"by_kind"`
	ByPriority    map[Priority]int `json:"by_priority"`
	FirstResponse GoalStats        `json:"first_response"`
	Resolution    GoalStats        `json:"resolution"`
}

// Summarize computes the report's figures at now. A goal's time is
// measured for every request that reached it, target or not.
func (c Calendar) Summarize(list []SLARequest, now time.Time) SLASummary {
	s := SLASummary{Requests: len(list), ByKind: map[Kind]int{}, ByPriority: map[Priority]int{}}
	var times [2][]int64
	stats := [2]*GoalStats{&s.FirstResponse, &s.Resolution}
	for _, r := range list {
		s.ByKind[r.Kind]++
		s.ByPriority[r.Priority]++
		// Measure with the longest target where none is set: the time is
		// wanted either way.
		measure := SLATarget{Priority: r.Priority, FirstResponseMinutes: SLAMinutesMax, ResolutionMinutes: SLAMinutesMax}
		sla := c.clocks(r.History, measure, now, false)
		for i, k := range []*SLAClock{sla.FirstResponse, sla.Resolution} {
			reached := k.State == ClockStopped
			if reached {
				stats[i].Measured++
				times[i] = append(times[i], k.UsedSeconds)
			}
			target := int64(r.Target.Minutes(SLAGoals[i])) * 60
			if target == 0 {
				continue
			}
			late := k.UsedSeconds > target
			if reached || late {
				stats[i].Due++
				if !late {
					stats[i].Met++
				}
			}
		}
	}
	for i, st := range stats {
		st.MedianSeconds, st.P90Seconds = Percentile(times[i], 50), Percentile(times[i], 90)
	}
	return s
}

// Percentile returns the p-th percentile of the values by nearest rank
// (the smallest value that at least p % of them do not exceed); nil when
// there are none. It sorts values.
func Percentile(values []int64, p int) *int64 {
	if len(values) == 0 {
		return nil
	}
	slices.Sort(values)
	rank := (p*len(values) + 99) / 100
	if rank < 1 {
		rank = 1
	}
	v := values[rank-1]
	return &v
}

// Month returns the first moment of the month and of the next one in the
// calendar's time zone: a month of requests is counted by the agency's
// own calendar.
func (c Calendar) Month(y int, m time.Month) (from, to time.Time) {
	return time.Date(y, m, 1, 0, 0, 0, 0, c.loc), time.Date(y, m+1, 1, 0, 0, 0, 0, c.loc)
}
