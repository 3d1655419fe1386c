package models

import "time"

// Party is who holds the next move on a card: the agency or its client.
type Party string

const (
	PartyNone   Party = ""       // the card is done: nobody owes anything
	PartyAgency Party = "agency" // the agency's move
	PartyClient Party = "client" // the client's move
)

// Parties lists who can hold a move on an open card.
var Parties = []Party{PartyAgency, PartyClient}

// WaitReason says why a party holds the move. The Waiting page, the client
// overview and the workshop agenda all group and word cards by it.
type WaitReason string

const (
	WaitQuestion   WaitReason = "question"          // the client owes an answer
	WaitApproval   WaitReason = "approval"          // the client is to check a change on staging
	WaitNewRequest WaitReason = "new_request"       // a client's request nobody has answered yet
	WaitAnswered   WaitReason = "answered"          // the client answered and nobody acted on it
	WaitChanges    WaitReason = "changes_requested" // the client sent a change back
	WaitDeploy     WaitReason = "deploy"            // approved, not yet deployed
	WaitWork       WaitReason = "work"              // ordinary work on the agency's side
)

// WaitReasons lists every reason.
var WaitReasons = []WaitReason{WaitQuestion, WaitApproval, WaitNewRequest, WaitAnswered, WaitChanges, WaitDeploy, WaitWork}

// WaitFacts is what the rule reads about one card. The store fills it in
// one query per list; nothing here touches the database.
type WaitFacts struct {
	Status          Status
	ApprovalState   ApprovalState
	StatusChangedAt time.Time
	CreatedAt       time.Time
	ApprovedAt      *time.Time
	// ClientRequest: a client user reported the card.
	ClientRequest bool
	// ClientRepliedAt and StaffRepliedAt are the latest public comments by
	// a client user and by staff; FirstResponseAt is the first public staff
	// comment.
	ClientRepliedAt *time.Time
	StaffRepliedAt  *time.Time
	FirstResponseAt *time.Time
}

// Wait is the rule's answer: whose move it is, why, and since when.
type Wait struct {
	Whose  Party      `json:"whose"`
	Reason WaitReason `json:"reason"`
	Since  time.Time  `json:"since"`
}

// answerGrace covers the answer's own move: a client's answer moves the card
// back to in progress in the same command, a moment after the comment, and
// that move is not the agency acting on it.
const answerGrace = time.Second

// Whose decides who waits for whom on a card, and since when. The columns
// say most of it; a client's unanswered request and a client's answer that
// nobody acted on are the agency's move even though the column looks idle.
func Whose(f WaitFacts) Wait {
	switch f.Status {
	case StatusDone:
		return Wait{}
	case StatusAwaitingReply:
		return Wait{PartyClient, WaitQuestion, f.StatusChangedAt}
	case StatusApproval:
		switch f.ApprovalState {
		case ApprovalPending:
			return Wait{PartyClient, WaitApproval, f.StatusChangedAt}
		case ApprovalApproved:
			return Wait{PartyAgency, WaitDeploy, orTime(f.ApprovedAt, f.StatusChangedAt)}
		}
		return Wait{PartyAgency, WaitWork, f.StatusChangedAt}
	}
	if f.ClientRequest && f.Status == StatusSet && f.FirstResponseAt == nil {
		return Wait{PartyAgency, WaitNewRequest, f.CreatedAt}
	}
	if r := f.ClientRepliedAt; r != nil && !actedSince(f, *r) && !requestedChanges(f, *r) {
		return Wait{PartyAgency, WaitAnswered, *r}
	}
	if f.ApprovalState == ApprovalChanges {
		return Wait{PartyAgency, WaitChanges, f.StatusChangedAt}
	}
	return Wait{PartyAgency, WaitWork, f.StatusChangedAt}
}

// actedSince reports whether the agency did something public after the
// client's reply at t: a public comment, or a move of its own.
func actedSince(f WaitFacts, t time.Time) bool {
	if f.StaffRepliedAt != nil && f.StaffRepliedAt.After(t) {
		return true
	}
	return f.StatusChangedAt.After(t.Add(answerGrace))
}

// requestedChanges reports whether the client's reply at t is the comment
// that came with sending a change back, written in the same command.
func requestedChanges(f WaitFacts, t time.Time) bool {
	return f.ApprovalState == ApprovalChanges && !t.After(f.StatusChangedAt.Add(answerGrace))
}

func orTime(t *time.Time, fallback time.Time) time.Time {
	if t != nil {
		return *t
	}
	return fallback
}
