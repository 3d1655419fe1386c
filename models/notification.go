package models

import "time"

// NotificationKind is why someone is told about a task.
type NotificationKind string

const (
	NoteQuestion         NotificationKind = "question"          // the agency asked you (the client) a question
	NoteApprovalRequest  NotificationKind = "approval_request"  // a change waits for your approval
	NoteApproved         NotificationKind = "approved"          // the client approved your change
	NoteChangesRequested NotificationKind = "changes_requested" // the client wants changes
	NoteMentioned        NotificationKind = "mentioned"
	NoteAssigned         NotificationKind = "assigned"
	NoteAnswered         NotificationKind = "answered"         // the client answered your question
	NoteCritical         NotificationKind = "critical"         // a critical task landed in your queue
	NoteSLAWarning       NotificationKind = "sla_warning"      // a request used 80 % of its SLA target
	NoteSLABreach        NotificationKind = "sla_breach"       // a request passed its SLA target
	NoteEscalated        NotificationKind = "escalated"        // the first line handed you a client's request
	NoteWorkshopSummary  NotificationKind = "workshop_summary" // your company's workshop summary was published
	NoteQuoteSent        NotificationKind = "quote_sent"       // a quote waits for your (the client's) answer
	NoteQuoteAccepted    NotificationKind = "quote_accepted"   // the client accepted the quote
	NoteQuoteDeclined    NotificationKind = "quote_declined"   // the client declined the quote
	NotePackageUsed      NotificationKind = "package_used"     // a client's hour package reached 80 % or 100 %
)

// NotificationKinds lists every kind of notification.
var NotificationKinds = []NotificationKind{NoteQuestion, NoteApprovalRequest, NoteApproved, NoteChangesRequested,
	NoteMentioned, NoteAssigned, NoteAnswered, NoteCritical, NoteSLAWarning, NoteSLABreach, NoteEscalated, NoteWorkshopSummary,
	NoteQuoteSent, NoteQuoteAccepted, NoteQuoteDeclined, NotePackageUsed}

// Notification is an in-app notice to one user about a task they can see,
// or about a workshop or an hour package of theirs (then the task fields
// are zero).
type Notification struct {
	ID          int64            `gorm:"column:id;primaryKey" json:"id"`
	UserID      int64            `gorm:"column:user_id" json:"-"`
	Kind        NotificationKind `gorm:"column:kind" json:"kind"`
	TaskID      int64            `gorm:"column:task_id" json:"task_id"`
	ProjectID   int64            `gorm:"column:project_id" json:"project_id"`
	ActorID     *int64           `gorm:"column:actor_id" json:"actor_id"`
	ActorName   string           `gorm:"column:actor_name;->;-:migration" json:"actor_name"`
	TaskNumber  int64            `gorm:"column:task_number;->;-:migration" json:"task_number"`
	TaskTitle   string           `gorm:"column:task_title;->;-:migration" json:"task_title"`
	ProjectName string           `gorm:"column:project_name;->;-:migration" json:"project_name"`
	WorkshopID  *int64           `gorm:"column:workshop_id" json:"workshop_id"`
	// The workshop's date and company, for a notice about a workshop.
	WorkshopStartsAt *time.Time `gorm:"column:workshop_starts_at;->;-:migration" json:"workshop_starts_at"`
	ClientName       string     `gorm:"column:client_name;->;-:migration" json:"client_name"`
	// The package, the level it reached (80 or 100 %) and the minutes it
	// had left then, for a notice about a package; ClientID is its client.
	PackageID          *int64     `gorm:"column:package_id" json:"package_id"`
	PackageName        string     `gorm:"column:package_name;->;-:migration" json:"package_name"`
	PackageKind        string     `gorm:"column:package_kind;->;-:migration" json:"package_kind"`
	PackageLevel       *int       `gorm:"column:package_level" json:"package_level"`
	PackageLeftMinutes *int       `gorm:"column:package_left_minutes" json:"package_left_minutes"`
	ClientID           int64      `gorm:"column:client_id;->;-:migration" json:"client_id"`
	CreatedAt          time.Time  `gorm:"column:created_at" json:"created_at"`
	ReadAt             *time.Time `gorm:"column:read_at" json:"read_at"`
}
