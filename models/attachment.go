package models

import (
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultAttachmentMaxMB is the size limit of one file until an admin sets
// another.
const DefaultAttachmentMaxMB = 25

// AttachmentMaxMBLimit bounds the admin's setting: the server streams
// files, but a bucket and a browser tab are not unlimited.
const AttachmentMaxMBLimit = 1024

// Attachment is a file on a card, or on one of its comments (CommentID).
// Its bytes live in the blob store; this is what people see of it.
type Attachment struct {
	ID           int64     `gorm:"column:id;primaryKey" json:"id"`
	TaskID       int64     `gorm:"column:task_id" json:"task_id"`
	CommentID    *int64    `gorm:"column:comment_id" json:"comment_id"`
	UploaderID   int64     `gorm:"column:uploader_id" json:"uploader_id"`
	UploaderName string    `gorm:"column:uploader_name;->;-:migration" json:"uploader_name"`
	Name         string    `gorm:"column:name" json:"name"`
	ContentType  string    `gorm:"column:content_type" json:"content_type"`
	Size         int64     `gorm:"column:size" json:"size"`
	CreatedAt    time.Time `gorm:"column:created_at" json:"created_at"`
	// Image tells that the file is a picture browsers show inline, so it
	// has a thumbnail and opens in the viewer.
	Image bool `gorm:"-" json:"image"`
}

// inlineImages are the only types served for display: formats browsers
// render as pictures and nothing else. SVG is not among them: it can
// carry scripts.
var inlineImages = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// InlineImage tells whether a file of this (sniffed) type may be shown in
// the page instead of downloaded.
func InlineImage(contentType string) bool { return inlineImages[contentType] }

// CanAttachToCard tells whether the actor may add files to the card itself:
// staff on any card they see; a client user on a card they reported, until
// someone starts work on it (it leaves set).
func CanAttachToCard(a Actor, t Task) bool {
	return a.IsStaff() || (t.ReporterID == a.UserID && t.Status == StatusSet)
}

// CanRemoveAttachment tells whether the actor may delete the file:
// managers any; others their own, client users from the card itself only
// in the window in which they may add one (a comment's file goes with the
// comment, which is theirs).
func CanRemoveAttachment(a Actor, t Task, at Attachment) bool {
	if a.Can(ActModerate) {
		return true
	}
	if at.UploaderID != a.UserID {
		return false
	}
	return at.CommentID != nil || CanAttachToCard(a, t)
}

// AttachmentName cleans a file's name as the uploader's browser gave it:
// no folders, no control characters, at most 200 characters. An empty
// name becomes "file".
func AttachmentName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == "/" || name == "" {
		return "file"
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	return name
}
