package models

import (
	"strings"
	"time"
)

// ApprovalState says where a change on staging stands with the client.
type ApprovalState string

const (
	ApprovalNone      ApprovalState = "none"
	ApprovalPending   ApprovalState = "pending"  // on staging, waiting for the client
	ApprovalApproved  ApprovalState = "approved" // on the deploy list until deployed
	ApprovalChanges   ApprovalState = "changes_requested"
	QuestionMax                     = CommentMax
	CheckNoteMax                    = 5000
	ApprovalReasonMax               = 1000
)

// ApprovalStates lists every approval state.
var ApprovalStates = []ApprovalState{ApprovalNone, ApprovalPending, ApprovalApproved, ApprovalChanges}

// Hotfix reports whether a change may go out on any day: urgent and
// critical work is exempt from the deploy window.
func (t Task) Hotfix() bool { return t.Priority != PriorityNormal }

// DeployWindow is the weekdays on which changes go to production.
type DeployWindow struct {
	Days []time.Weekday `json:"days"`
}

// DefaultDeployWindow is Monday to Thursday: nobody deploys into a weekend.
var DefaultDeployWindow = DeployWindow{Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday}}

// Warning returns why a deploy day is a bad idea, or "" when it is fine.
func (w DeployWindow) Warning(day *Date, hotfix bool) string {
	if day == nil || hotfix {
		return ""
	}
	for _, d := range w.Days {
		if day.Weekday() == d {
			return ""
		}
	}
	names := make([]string, len(w.Days))
	for i, d := range w.Days {
		names[i] = d.String()[:3]
	}
	return day.Weekday().String() + " is outside the deploy window (" + strings.Join(names, ", ") + ")"
}

// Check validates a window: at least one day, no repeats.
func (w DeployWindow) Check() error {
	seen := map[time.Weekday]bool{}
	for _, d := range w.Days {
		if d < time.Sunday || d > time.Saturday || seen[d] {
			return &ValidationError{Fields: map[string]string{"deploy_days": "Choose distinct weekdays, from 0 (Sunday) to 6 (Saturday)."}}
		}
		seen[d] = true
	}
	if len(w.Days) == 0 {
		return &ValidationError{Fields: map[string]string{"deploy_days": "Pick at least one deploy day."}}
	}
	return nil
}
