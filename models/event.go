package models

import (
	"encoding/json"
	"time"
)

// EventKind names a change. Events are at once a task's history, the audit
// log and the live updates.
type EventKind string

const (
	EventTaskCreated    EventKind = "task.created"
	EventTaskUpdated    EventKind = "task.updated"
	EventTaskMoved      EventKind = "task.moved"
	EventTaskArchived   EventKind = "task.archived"
	EventTaskRestored   EventKind = "task.restored"
	EventTaskApproved   EventKind = "task.approved"
	EventTaskChanges    EventKind = "task.changes_requested"
	EventTaskDeployed   EventKind = "task.deployed"
	EventTaskEscalated  EventKind = "task.escalated"
	EventColumnRespaced EventKind = "column.respaced"
	EventCommentCreated EventKind = "comment.created"
	EventCommentUpdated EventKind = "comment.updated"
	EventCommentDeleted EventKind = "comment.deleted"
	EventProjectUpdated EventKind = "project.updated"
	// A file added to a card or removed from it or from a comment (a
	// comment's files arrive with the comment).
	EventAttachmentAdded   EventKind = "attachment.added"
	EventAttachmentRemoved EventKind = "attachment.removed"
	// EventSLAAlert records that a request's SLA clock passed its warning
	// mark or its target (staff only).
	EventSLAAlert EventKind = "sla.alert"
	// The steps of a card's quote (estimate approval).
	EventQuoteSent       EventKind = "task.quote_sent"
	EventQuoteAccepted   EventKind = "task.quote_accepted"
	EventQuoteDeclined   EventKind = "task.quote_declined"
	EventQuoteOverridden EventKind = "task.quote_overridden"
)

// EventKinds lists every kind of event.
var EventKinds = []EventKind{EventTaskCreated, EventTaskUpdated, EventTaskMoved, EventTaskArchived, EventTaskRestored,
	EventTaskApproved, EventTaskChanges, EventTaskDeployed, EventColumnRespaced,
	EventCommentCreated, EventCommentUpdated, EventCommentDeleted, EventProjectUpdated,
	EventAttachmentAdded, EventAttachmentRemoved, EventSLAAlert, EventTaskEscalated,
	EventQuoteSent, EventQuoteAccepted, EventQuoteDeclined, EventQuoteOverridden}

// Event is one committed change in a project, numbered without gaps per
// project. ClientData is what client users receive; nil means the event is
// for staff only (an internal comment) and never reaches a client.
type Event struct {
	ProjectID  int64           `gorm:"column:project_id" json:"project_id"`
	Seq        int64           `gorm:"column:seq" json:"seq"`
	Kind       EventKind       `gorm:"column:kind" json:"kind"`
	ActorID    *int64          `gorm:"column:actor_id" json:"actor_id"`
	ActorName  string          `gorm:"column:actor_name;->;-:migration" json:"actor_name"`
	TaskID     *int64          `gorm:"column:task_id" json:"task_id"`
	Data       json.RawMessage `gorm:"column:payload" json:"data"`
	ClientData json.RawMessage `gorm:"column:client_payload" json:"-"`
	CreatedAt  time.Time       `gorm:"column:created_at" json:"created_at"`
	// QuoteAmount is the amount of a quote_sent event, in the card's
	// activity only and only for a reader who may see money; the live feed
	// never carries it.
	QuoteAmount *Money `gorm:"-" json:"quote_amount,omitempty"`
}

// For returns the event as the actor may receive it, and false when the
// actor may not receive it at all. Whether the actor sees the project is
// the caller's check; this decides by audience within a visible project.
func (e Event) For(a Actor) (Event, bool) {
	if a.IsStaff() {
		return e, true
	}
	if e.ClientData == nil {
		return Event{}, false
	}
	e.Data = e.ClientData
	return e, true
}

// Change is one field's old and new value in an update event.
type Change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// TaskEvent is the payload of task events.
type TaskEvent struct {
	Task    Task              `json:"task"`
	Changes map[string]Change `json:"changes,omitempty"`
	// Reason says why a card moved by itself ("client_answered"), and
	// WaitedSeconds how long it had waited for the client.
	Reason        string `json:"reason,omitempty"`
	WaitedSeconds int64  `json:"waited_seconds,omitempty"`
	// Note is what the actor wrote about the change: why a request was
	// escalated. Staff only.
	Note string `json:"note,omitempty"`
}

// Reasons for changes nobody made by hand.
const (
	// ReasonClientAnswered marks the move back to in progress when a
	// client user answers a question.
	ReasonClientAnswered = "client_answered"
	// ReasonRollover marks an unfinished task moved on when its week closed.
	ReasonRollover = "rollover"
)

// staffOnlyChanges are the changes of fields Task.ForClient hides.
var staffOnlyChanges = map[string]bool{"estimate_minutes": true, "sprint_id": true}

// ForClient strips what a client may not see from a task event.
func (p TaskEvent) ForClient() TaskEvent {
	p.Task = p.Task.ForClient()
	p.Note = ""
	if len(p.Changes) > 0 {
		changes := make(map[string]Change, len(p.Changes))
		for k, v := range p.Changes {
			if !staffOnlyChanges[k] {
				changes[k] = v
			}
		}
		p.Changes = changes
	}
	return p
}

// CommentEvent is the payload of comment events. The body is not in it:
// the open card fetches comments rendered for its reader.
type CommentEvent struct {
	TaskID       int64 `json:"task_id"`
	CommentID    int64 `json:"comment_id"`
	AuthorID     int64 `json:"author_id"`
	Internal     bool  `json:"internal"`
	CommentCount int   `json:"comment_count"`
}

// RespaceEvent gives a column's new ranks after it was respaced.
type RespaceEvent struct {
	Status Status           `json:"status"`
	Ranks  map[int64]string `json:"ranks"`
}

// AttachmentEvent is the payload of attachment events; the open card
// fetches the files themselves.
type AttachmentEvent struct {
	TaskID       int64  `json:"task_id"`
	AttachmentID int64  `json:"attachment_id"`
	CommentID    *int64 `json:"comment_id"`
}
