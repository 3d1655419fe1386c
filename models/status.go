package models

import "slices"

// Status is the column a task is in. There are exactly five, in this order.
type Status string

const (
	StatusSet           Status = "set"
	StatusInProgress    Status = "in_progress"
	StatusAwaitingReply Status = "awaiting_reply"
	StatusApproval      Status = "approval"
	StatusDone          Status = "done"
)

// Statuses lists the columns left to right.
var Statuses = []Status{StatusSet, StatusInProgress, StatusAwaitingReply, StatusApproval, StatusDone}

// Valid reports whether s is one of the five columns.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// CheckStatus adds a problem when s is not one of the five columns.
func CheckStatus(p Problems, s Status) {
	if !s.Valid() {
		p.Add("status", StatusChoice)
	}
}

// WaitsForClient reports whether it is the client's move in this column.
func (s Status) WaitsForClient() bool { return s == StatusAwaitingReply || s == StatusApproval }

// Kind is what a task is about.
type Kind string

const (
	KindTask     Kind = "task"
	KindBug      Kind = "bug"
	KindQuestion Kind = "question"
	KindChange   Kind = "change"
	KindOrder    Kind = "order" // paid work the client orders, quoted before it starts
)

// Kinds lists every kind.
var Kinds = []Kind{KindTask, KindBug, KindQuestion, KindChange, KindOrder}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Priority says how soon a task must be done: critical means the client's
// site is down.
type Priority string

const (
	PriorityNormal   Priority = "normal"
	PriorityUrgent   Priority = "urgent"
	PriorityCritical Priority = "critical"
)

// Priorities lists every priority, least pressing first.
var Priorities = []Priority{PriorityNormal, PriorityUrgent, PriorityCritical}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return slices.Contains(Priorities, p) }

// Band is a priority's place in every list of cards (a board column, a
// person's queue): critical cards stay on top, then urgent, then normal.
// Lower sorts first.
func (p Priority) Band() int { return len(Priorities) - 1 - slices.Index(Priorities, p) }
