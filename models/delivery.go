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

// MoveInput is what a move may carry besides the column: the question
// when asking the client, the staging link and what to check when sending
// for approval.
type MoveInput struct {
	Question   string
	StagingURL string
	CheckNote  string
}

// PrepareMove applies the rules of the status flow to a move of t to the
// column to, writing the approval fields into t. Asking the client needs a
// question; sending for approval needs a staging link; leaving the approval
// column other than by deployment withdraws the approval, since it was
// given for what was on staging then.
func PrepareMove(t *Task, to Status, in MoveInput) error {
	p := Problems{}
	from := t.Status
	if to == StatusAwaitingReply && from != StatusAwaitingReply {
		if strings.TrimSpace(in.Question) == "" {
			p.Add("question", "Write the question for the client; it becomes a comment they can answer.")
		}
		CleanText(p, "question", in.Question, QuestionMax)
	}
	if to == StatusApproval && from != StatusApproval {
		if in.StagingURL != "" {
			t.StagingURL = CleanURL(p, "staging_url", in.StagingURL)
		}
		if t.StagingURL == "" {
			p.Add("staging_url", "Enter the staging link where the client can see the change.")
		}
		t.CheckNote = CleanText(p, "check_note", in.CheckNote, CheckNoteMax)
		t.resetApproval()
		t.ApprovalState = ApprovalPending
	}
	if from == StatusApproval && to != StatusApproval {
		t.resetApproval()
	}
	return p.Err()
}

func (t *Task) resetApproval() {
	t.ApprovalState = ApprovalNone
	t.ApprovedBy, t.ApprovedAt, t.DeployOn = nil, nil, nil
	t.ApprovalOnBehalf, t.ApprovalReason = false, ""
}

// Approve records the client's approval of a change on staging. A client
// user of the project's company approves; a manager or admin may record it
// on the client's behalf with a reason, shown as such.
func Approve(t *Task, a Actor, now time.Time, deployOn *Date, reason string) error {
	if t.Status != StatusApproval || t.ApprovalState != ApprovalPending {
		return &ConflictError{Reason: "This card is not waiting for approval; reload to see where it is.", Current: *t}
	}
	p := Problems{}
	reason = strings.TrimSpace(reason)
	switch {
	case a.Role == RoleClient:
		reason = ""
	case a.Can(ActManageProjects):
		if reason == "" {
			p.Add("reason", "Say why you approve on the client's behalf, such as \"approved by phone\".")
		}
		CleanText(p, "reason", reason, ApprovalReasonMax)
	default:
		return ErrForbidden
	}
	// Yesterday in UTC is still today somewhere west of here.
	if deployOn != nil && deployOn.Before(now.Truncate(24*time.Hour).AddDate(0, 0, -1)) {
		p.Add("deploy_on", "Choose a deploy day that is not in the past.")
	}
	if err := p.Err(); err != nil {
		return err
	}
	t.ApprovalState = ApprovalApproved
	t.ApprovedBy, t.ApprovedAt, t.DeployOn = &a.UserID, &now, deployOn
	t.ApprovalOnBehalf, t.ApprovalReason = a.Role != RoleClient, reason
	return nil
}

// RequestChanges sends a change back to the agency: only the client's own
// users may, and they must say what to change.
func RequestChanges(t *Task, a Actor, comment string) error {
	if a.Role != RoleClient {
		return ErrForbidden
	}
	if t.Status != StatusApproval || t.ApprovalState != ApprovalPending {
		return &ConflictError{Reason: "This card is not waiting for approval; reload to see where it is.", Current: *t}
	}
	if strings.TrimSpace(comment) == "" {
		return &ValidationError{Fields: map[string]string{"comment": "Say what should change."}}
	}
	t.resetApproval()
	t.ApprovalState = ApprovalChanges
	return nil
}

// MarkDeployed checks that an approved change may be marked deployed.
func MarkDeployed(t *Task) error {
	if t.Status != StatusApproval || t.ApprovalState != ApprovalApproved {
		return &ConflictError{Reason: "Only approved changes can be deployed; wait for the client's approval.", Current: *t}
	}
	return nil
}

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
