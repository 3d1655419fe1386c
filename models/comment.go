package models

import "time"

// CommentMax bounds a comment's markdown.
const CommentMax = 20_000

// Comment is a message on a task: the single channel between the agency
// and the client. Internal comments are for staff only.
type Comment struct {
	ID         int64      `gorm:"column:id;primaryKey" json:"id"`
	TaskID     int64      `gorm:"column:task_id" json:"task_id"`
	AuthorID   int64      `gorm:"column:author_id" json:"author_id"`
	AuthorName string     `gorm:"column:author_name;->;-:migration" json:"author_name"`
	AuthorRole Role       `gorm:"column:author_role;->;-:migration" json:"author_role"`
	Body       string     `gorm:"column:body" json:"body"`
	Internal   bool       `gorm:"column:internal" json:"internal"`
	Mentions   IDs        `gorm:"column:mentions" json:"mentions"`
	CreatedAt  time.Time  `gorm:"column:created_at" json:"created_at"`
	EditedAt   *time.Time `gorm:"column:edited_at" json:"edited_at"`
	// Attachments are the files sent with the comment.
	Attachments []Attachment `gorm:"-" json:"attachments"`
}
