package models

import "time"

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

// DeployWarning says that a deploy day is outside the deploy window, as a
// code and the days it names: the web app says it in its reader's language
// with that language's weekday names.
type DeployWarning struct {
	Code    string         `json:"code"`    // "outside_deploy_window"
	Weekday time.Weekday   `json:"weekday"` // the chosen day; 0 = Sunday
	Window  []time.Weekday `json:"window"`  // the window's days
}

// Warning returns why a deploy day is a bad idea, or nil when it is fine.
func (w DeployWindow) Warning(day *Date, hotfix bool) *DeployWarning {
	if day == nil || hotfix {
		return nil
	}
	for _, d := range w.Days {
		if day.Weekday() == d {
			return nil
		}
	}
	return &DeployWarning{Code: "outside_deploy_window", Weekday: day.Weekday(), Window: w.Days}
}

// Check validates a window: at least one day, no repeats.
func (w DeployWindow) Check() error {
	seen := map[time.Weekday]bool{}
	for _, d := range w.Days {
		if d < time.Sunday || d > time.Saturday || seen[d] {
			return Invalid("deploy_days", DeployDaysInvalid)
		}
		seen[d] = true
	}
	if len(w.Days) == 0 {
		return Invalid("deploy_days", DeployDaysEmpty)
	}
	return nil
}
