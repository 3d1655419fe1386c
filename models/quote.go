package models

import "strings"

// QuoteState says where a card's quote (estimate approval) stands.
type QuoteState string

const (
	QuoteNone       QuoteState = "none"
	QuoteSent       QuoteState = "sent"     // waiting for the client
	QuoteAccepted   QuoteState = "accepted" // the work may start
	QuoteDeclined   QuoteState = "declined" // back with the PM, to quote again or drop
	QuoteOverridden QuoteState = "overridden"
)

// QuoteStates lists every quote state.
var QuoteStates = []QuoteState{QuoteNone, QuoteSent, QuoteAccepted, QuoteDeclined, QuoteOverridden}

// QuoteReasonMax bounds the reason of an override.
const QuoteReasonMax = 1000

// Blocks reports whether a quote in this state keeps the card out of in
// progress: paid work starts only once the client agreed to the estimate,
// or a manager took it on themselves.
func (s QuoteState) Blocks() bool { return s == QuoteSent || s == QuoteDeclined }

// SendQuote puts an estimate of minutes before the client. Managers and
// admins quote; a quote may be sent again while the client has not
// accepted it (after a decline, with new hours), never after.
func SendQuote(t *Task, a Actor, minutes int) (Step, error) {
	if !a.Can(ActManageProjects) {
		return Step{}, ErrForbidden
	}
	if t.QuoteState == QuoteAccepted || t.QuoteState == QuoteOverridden {
		return Step{}, Invalid("quote_minutes", QuoteSettled)
	}
	if minutes <= 0 || minutes > EstimateMaxHours*60 {
		return Step{}, Invalid("quote_minutes", EstimateRange, EstimateMaxHours)
	}
	t.QuoteMinutes, t.QuoteState, t.QuoteReason = &minutes, QuoteSent, ""
	return Step{Place: StayPut, Event: EventQuoteSent, Notice: NoteQuoteSent, To: ClientUsers}, nil
}

// AcceptQuote records the client's agreement: only the client's own users
// accept, and only a quote that waits for them.
func AcceptQuote(t *Task, a Actor) (Step, error) {
	if err := quoteAnswer(t, a); err != nil {
		return Step{}, err
	}
	t.QuoteState = QuoteAccepted
	return Step{Place: StayPut, Event: EventQuoteAccepted, Notice: NoteQuoteAccepted, To: AssigneeOrManagers}, nil
}

// DeclineQuote records the client's refusal with their comment, which is
// required so the PM knows what to change. The card goes back to the top
// of set and the project's managers are told: requoting is theirs.
func DeclineQuote(t *Task, a Actor, comment string) (Step, error) {
	if err := quoteAnswer(t, a); err != nil {
		return Step{}, err
	}
	if strings.TrimSpace(comment) == "" {
		return Step{}, Invalid("comment", QuoteDeclineComment)
	}
	t.QuoteState, t.Status = QuoteDeclined, StatusSet
	return Step{Place: PlaceOnTop, Event: EventQuoteDeclined, Comment: comment, Notice: NoteQuoteDeclined, To: Managers}, nil
}

func quoteAnswer(t *Task, a Actor) error {
	if a.Role != RoleClient {
		return ErrForbidden
	}
	if t.QuoteState != QuoteSent {
		return Invalid("quote", QuoteNotWaiting)
	}
	return nil
}

// OverrideQuote lets a manager or admin start the work without the
// client's acceptance; the reason is required and shown in the activity.
func OverrideQuote(t *Task, a Actor, reason string) (Step, error) {
	if !a.Can(ActManageProjects) {
		return Step{}, ErrForbidden
	}
	if !t.QuoteState.Blocks() {
		return Step{}, Invalid("quote", QuoteNotWaiting)
	}
	p := Problems{}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		p.Add("reason", QuoteOverrideReason)
	}
	t.QuoteReason = CleanText(p, "reason", reason, QuoteReasonMax)
	if err := p.Err(); err != nil {
		return Step{}, err
	}
	t.QuoteState = QuoteOverridden
	return Step{Place: StayPut, Event: EventQuoteOverridden}, nil
}
