package models

import (
	"errors"
	"strings"
)

// RequestKind is what a client says a request is, in their words; the
// card's kind and priority follow from it (Intake.Fields).
type RequestKind string

const (
	RequestQuestion RequestKind = "question"     // a question or a call for help
	RequestBug      RequestKind = "bug"          // something is wrong, customers can still use the site
	RequestCritical RequestKind = "critical_bug" // the site is down or customers cannot pay
	RequestChange   RequestKind = "change"       // a new feature or a change
	RequestOrder    RequestKind = "order"        // paid work beyond the agreement
)

// RequestKinds lists the kinds a client chooses from, in the form's order.
var RequestKinds = []RequestKind{RequestQuestion, RequestBug, RequestCritical, RequestChange, RequestOrder}

// ErrWorkStarted refuses a client's edit of their own request once the
// agency started work on it: from then on they add a comment instead.
var ErrWorkStarted = errors.New("work on the request has started")

// Intake is a client's request as the form sends it.
type Intake struct {
	Kind        RequestKind
	Title       string
	Description string
	PageURL     string
	// Confirmed is the client's yes to "Customers cannot use the site
	// right now?", which a critical bug needs: it alerts people at once.
	Confirmed bool
	// Files are the client's uploads for this request (their IDs), sent
	// before the card existed.
	Files []int64
}

// RequestMaxFiles bounds the files one request brings: enough screenshots
// to show a problem, not a folder dumped into the inbox.
const RequestMaxFiles = 10

// requestFileTypes are what a client may attach to a request: what shows a
// problem (screenshots, screen recordings, PDFs, plain-text logs), not
// archives or programs that staff would have to open to see what they are.
var requestFileTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
	"video/mp4": true, "video/webm": true, "video/quicktime": true,
	"application/pdf": true, "text/plain": true,
}

// RequestFileAllowed tells whether a file of this sniffed type (with its
// parameters, as "text/plain; charset=utf-8") may come with a request.
func RequestFileAllowed(contentType string) bool {
	media, _, _ := strings.Cut(contentType, ";")
	return requestFileTypes[strings.TrimSpace(media)]
}

// Fields turns a request into the new card's fields. A critical bug is a
// bug of critical priority; everything else starts at normal priority and
// the agency raises it at triage.
func (in Intake) Fields(p Problems) TaskFields {
	kind, priority := KindTask, PriorityNormal
	switch in.Kind {
	case RequestQuestion:
		kind = KindQuestion
	case RequestBug:
		kind = KindBug
	case RequestCritical:
		kind, priority = KindBug, PriorityCritical
		if !in.Confirmed {
			p.Add("confirmed", CriticalConfirm)
		}
	case RequestChange:
		kind = KindChange
	case RequestOrder:
		kind = KindOrder
	default:
		p.Add("kind", RequestKindChoice)
	}
	if len(in.Files) > RequestMaxFiles {
		p.Add("attachments", RequestFilesMax, RequestMaxFiles)
	}
	return TaskFields{Title: &in.Title, Description: &in.Description, PageURL: &in.PageURL, Kind: &kind, Priority: &priority}
}

// CheckEdit decides whether a may change the fields f of t. Staff who edit
// cards may. A client user may change the title, description and page of
// a request they filed, until work on it starts (the card leaves set).
func CheckEdit(t Task, a Actor, f TaskFields) error {
	if a.Can(ActEditTasks) {
		return nil
	}
	if a.Role != RoleClient || !t.Request || t.ReporterID != a.UserID {
		return ErrForbidden
	}
	if t.Status != StatusSet {
		return ErrWorkStarted
	}
	p := Problems{}
	if f.Kind != nil {
		p.Add("kind", RequestAgency)
	}
	if f.Priority != nil {
		p.Add("priority", RequestAgency)
	}
	return p.Err()
}

// EscalationReasonMax bounds the reason given when a request is escalated.
const EscalationReasonMax = 2000

// Escalate hands a request from the first line to a developer, with the
// reason the developer reads in the card's activity. Only those who triage
// requests escalate them; whether the developer may take the card (a
// member of its project) is the store's to check.
func Escalate(t *Task, a Actor, to *int64, reason string) error {
	if !a.Can(ActTriage) {
		return ErrForbidden
	}
	p := Problems{}
	if to == nil {
		p.Add("assignee_id", EscalateTo)
	}
	if CleanText(p, "reason", reason, EscalationReasonMax) == "" {
		p.Add("reason", EscalateReason)
	}
	t.AssigneeID = to
	return p.Err()
}
