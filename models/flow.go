package models

import (
	"strings"
	"time"
)

// The status flow: every decision about a card changing column, or about
// what a change of column entails, is made here. A rule checks that the
// change is allowed, writes the card's own fields into t and returns a
// Step; the store carries the step out in the command's transaction.
//
//	set ⇄ in_progress ⇄ awaiting_reply ⇄ approval → done
//
//   - Any staff member moves a card to any column (Move). Entering
//     awaiting_reply asks the client a question; entering approval needs a
//     staging link; leaving approval other than by deployment withdraws the
//     approval. The client's users are told of both.
//   - A client user's comment on a card awaiting reply is the answer: the
//     card returns to the top of in_progress (Answered).
//   - On a card in approval, the client approves (Approve: it stays, now on
//     the deploy list) or asks for changes (RequestChanges: top of
//     in_progress); an approved card marked deployed goes to the top of done
//     (Deploy).
//   - Done is the end of the flow: a card that is not done carries over
//     when its week closes, and critical work jumps into the current week
//     (Finished).

// Placement says where a step puts the card in its column.
type Placement int

const (
	StayPut    Placement = iota // the card keeps its column and place
	PlaceAt                     // where the actor dropped it
	PlaceOnTop                  // at the top of the column, for its new owner to see first
)

// Recipients says who hears of a step.
type Recipients int

const (
	NoOne              Recipients = iota
	ClientUsers                   // every user of the project's client: it is their move
	AssigneeOrManagers            // the card's assignee, or without one the project's managers
	Managers                      // the project's managers: the decision is theirs
)

// Step is what a rule decided besides the card's own fields (the column
// it ends in among them): where in the column, the event to record, the
// comment the actor posts with it, and who is told.
type Step struct {
	Place   Placement
	Event   EventKind
	Reason  string // why a card moved by itself
	Waited  int64  // seconds the card waited for the client
	Comment string
	Notice  NotificationKind
	To      Recipients
}

// MoveInput is what a move may carry besides the column: the question
// when asking the client, the staging link and what to check when sending
// for approval.
type MoveInput struct {
	Question   string
	StagingURL string
	CheckNote  string
}

// Move applies the rules of the status flow to a move of t to the column
// to, writing the approval fields into t. Asking the client needs a
// question; sending for approval needs a staging link; leaving the approval
// column other than by deployment withdraws the approval, since it was
// given for what was on staging then. A card created in a column obeys the
// same rules, as a move from set.
func Move(t *Task, to Status, in MoveInput) (Step, error) {
	p := Problems{}
	from := t.Status
	st := Step{Place: PlaceAt, Event: EventTaskMoved}
	if to == StatusInProgress && from != StatusInProgress && t.QuoteState.Blocks() {
		return st, Invalid("status", QuoteNotAccepted)
	}
	if to == StatusAwaitingReply && from != StatusAwaitingReply {
		if strings.TrimSpace(in.Question) == "" {
			p.Add("question", QuestionRequired)
		}
		CleanText(p, "question", in.Question, QuestionMax)
		st.Comment, st.Notice, st.To = in.Question, NoteQuestion, ClientUsers
	}
	if to == StatusApproval && from != StatusApproval {
		if in.StagingURL != "" {
			t.StagingURL = CleanURL(p, "staging_url", in.StagingURL)
		}
		if t.StagingURL == "" {
			p.Add("staging_url", StagingURLRequired)
		}
		t.CheckNote = CleanText(p, "check_note", in.CheckNote, CheckNoteMax)
		t.resetApproval()
		t.ApprovalState = ApprovalPending
		st.Notice, st.To = NoteApprovalRequest, ClientUsers
	}
	if from == StatusApproval && to != StatusApproval {
		t.resetApproval()
	}
	t.Status = to
	return st, p.Err()
}

func (t *Task) resetApproval() {
	t.ApprovalState = ApprovalNone
	t.ApprovedBy, t.ApprovedAt, t.DeployOn = nil, nil, nil
	t.ApprovalOnBehalf, t.ApprovalReason = false, ""
}

// Answered decides whether a comment by a on t answers the question the
// card waits on: a client user's comment on a card awaiting reply does,
// and the card returns to the top of in progress with how long it waited.
func Answered(t *Task, a Actor, now time.Time) (Step, bool) {
	if a.Role != RoleClient || t.Status != StatusAwaitingReply {
		return Step{}, false
	}
	waited := max(int64(now.Sub(t.StatusChangedAt).Seconds()), 0)
	t.Status = StatusInProgress
	return Step{Place: PlaceOnTop, Event: EventTaskMoved, Reason: ReasonClientAnswered,
		Waited: waited, Notice: NoteAnswered, To: AssigneeOrManagers}, true
}

// Approve records the client's approval of a change on staging. A client
// user of the project's company approves; a manager or admin may record it
// on the client's behalf with a reason, shown as such. The card stays in
// approval, now on the deploy list.
func Approve(t *Task, a Actor, now time.Time, deployOn *Date, reason string) (Step, error) {
	if t.Status != StatusApproval || t.ApprovalState != ApprovalPending {
		return Step{}, &ConflictError{Reason: NotAwaiting.With(), Current: *t}
	}
	p := Problems{}
	reason = strings.TrimSpace(reason)
	switch {
	case a.Role == RoleClient:
		reason = ""
	case a.Can(ActManageProjects):
		if reason == "" {
			p.Add("reason", OnBehalfReason)
		}
		CleanText(p, "reason", reason, ApprovalReasonMax)
	default:
		return Step{}, ErrForbidden
	}
	// Yesterday in UTC is still today somewhere west of here.
	if deployOn != nil && deployOn.Before(now.Truncate(24*time.Hour).AddDate(0, 0, -1)) {
		p.Add("deploy_on", DeployDayPast)
	}
	if err := p.Err(); err != nil {
		return Step{}, err
	}
	t.ApprovalState = ApprovalApproved
	t.ApprovedBy, t.ApprovedAt, t.DeployOn = &a.UserID, &now, deployOn
	t.ApprovalOnBehalf, t.ApprovalReason = a.Role != RoleClient, reason
	return Step{Place: StayPut, Event: EventTaskApproved, Notice: NoteApproved, To: AssigneeOrManagers}, nil
}

// RequestChanges sends a change back to the agency: only the client's own
// users may, and they must say what to change. The card returns to the top
// of in progress with the client's comment.
func RequestChanges(t *Task, a Actor, comment string) (Step, error) {
	if a.Role != RoleClient {
		return Step{}, ErrForbidden
	}
	if t.Status != StatusApproval || t.ApprovalState != ApprovalPending {
		return Step{}, &ConflictError{Reason: NotAwaiting.With(), Current: *t}
	}
	if strings.TrimSpace(comment) == "" {
		return Step{}, Invalid("comment", ChangesRequired)
	}
	t.resetApproval()
	t.ApprovalState = ApprovalChanges
	t.Status = StatusInProgress
	return Step{Place: PlaceOnTop, Event: EventTaskChanges, Comment: comment,
		Notice: NoteChangesRequested, To: AssigneeOrManagers}, nil
}

// Deploy records that an approved change reached production: the card
// goes to the top of done.
func Deploy(t *Task, now time.Time) (Step, error) {
	if t.Status != StatusApproval || t.ApprovalState != ApprovalApproved {
		return Step{}, &ConflictError{Reason: NotApproved.With(), Current: *t}
	}
	t.Status, t.DeployedAt = StatusDone, &now
	return Step{Place: PlaceOnTop, Event: EventTaskDeployed}, nil
}

// Finished reports whether a card has left the flow: a done card is not
// planned any more, does not carry over into the next week and does not
// jump the queue when it turns critical.
func (s Status) Finished() bool { return s == StatusDone }
