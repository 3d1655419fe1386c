package store

// Attachments: the rows that say who may read which file. The bytes are in
// the blob bucket (server/files); the rules of the lifecycle are in
// migrations/00009_attachments.sql: a row is committed before its blob is
// written, and a deleted row leaves its blob key in blob_trash in the same
// transaction, so PurgeBlobs can remove the blob after the commit.

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// A request's file has no card until the request is filed: task_id 0.
const attachmentColumns = "attachments.id, coalesce(attachments.task_id, 0) AS task_id, attachments.comment_id, attachments.uploader_id, " +
	"users.name AS uploader_name, attachments.name, attachments.content_type, attachments.size, attachments.created_at"

// UnattachedTTL is how long an upload may wait for its comment; after it,
// the sweep deletes it. It also covers uploads a crash cut off.
const UnattachedTTL = 24 * time.Hour

func attachmentsQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("attachments").Select(attachmentColumns).Joins("JOIN users ON users.id = attachments.uploader_id")
}

func withImage(list []models.Attachment) []models.Attachment {
	for i := range list {
		list[i].Image = models.InlineImage(list[i].ContentType)
	}
	return list
}

// BeginUpload records a file about to be written to blob key on a card the
// actor sees: to the card itself (toCard) or for a comment they are
// writing. The row comes first, so a blob always has one.
func (s *Store) BeginUpload(ctx context.Context, a models.Actor, taskID int64, key, name string, toCard bool) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		t, err := loadTask(tx, a, taskID, false)
		if err != nil {
			return err
		}
		if err := attachable(a, t, toCard); err != nil {
			return err
		}
		return wrap("begin upload", tx.Raw(`INSERT INTO attachments (task_id, uploader_id, blob_key, name, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, taskID, a.UserID, key, models.AttachmentName(name), s.now()).Row().Scan(&id))
	})
	return id, err
}

// BeginRequestUpload records a file a client user attaches to a request
// they are writing, before its card exists: only they may read it until
// FileRequest attaches it to the new card (or the sweep deletes it).
func (s *Store) BeginRequestUpload(ctx context.Context, a models.Actor, key, name string) (int64, error) {
	if a.Role != models.RoleClient {
		return 0, fmt.Errorf("store: request upload: %w", models.ErrForbidden)
	}
	var id int64
	err := s.db.WithContext(ctx).Raw(`INSERT INTO attachments (uploader_id, blob_key, name, created_at)
		VALUES (?, ?, ?, ?) RETURNING id`, a.UserID, key, models.AttachmentName(name), s.now()).Row().Scan(&id)
	return id, wrap("begin request upload", err)
}

// attachToNewCard attaches the actor's finished uploads without a card to
// the card just created.
func attachToNewCard(tx *gorm.DB, a models.Actor, t models.Task, ids []int64) error {
	ids = dedupe(ids)
	if len(ids) == 0 {
		return nil
	}
	res := tx.Exec(`UPDATE attachments SET task_id = ?, attached_at = now() WHERE id IN ? AND task_id IS NULL AND uploader_id = ?
		AND attached_at IS NULL AND size IS NOT NULL`, t.ID, ids, a.UserID)
	if res.Error != nil {
		return wrap("attach to new card", res.Error)
	}
	if int(res.RowsAffected) != len(ids) {
		return models.Invalid("attachments", models.AttachmentsGone)
	}
	return nil
}

// attachable checks that the actor may add a file to the card now.
func attachable(a models.Actor, t models.Task, toCard bool) error {
	if t.ArchivedAt != nil {
		return &models.ConflictError{Reason: models.TaskArchived.With(), Current: t.For(a)}
	}
	if toCard && !models.CanAttachToCard(a, t) {
		return fmt.Errorf("store: attach to task %d: %w", t.ID, models.ErrForbidden)
	}
	return nil
}

// FinishUpload records what the blob turned out to be. A file for the card
// is attached at once, with its event; one for a comment waits for
// AddComment.
func (s *Store) FinishUpload(ctx context.Context, a models.Actor, id, size int64, contentType string, toCard bool) (models.Attachment, error) {
	var at models.Attachment
	err := s.command(ctx, func(tx *gorm.DB, out *outbox) error {
		var taskID int64
		if err := tx.Raw(`UPDATE attachments SET size = ?, content_type = ? WHERE id = ? AND uploader_id = ? AND attached_at IS NULL
			RETURNING coalesce(task_id, 0)`,
			size, contentType, id, a.UserID).Row().Scan(&taskID); err != nil {
			return wrap(fmt.Sprintf("finish upload %d", id), err)
		}
		if toCard {
			// The card may have moved on while the file streamed in.
			t, err := loadTask(tx, a, taskID, true)
			if err != nil {
				return err
			}
			if err := attachable(a, t, true); err != nil {
				return err
			}
			if err := tx.Exec("UPDATE attachments SET attached_at = ? WHERE id = ?", s.now(), id).Error; err != nil {
				return wrap("attach", err)
			}
			publishAttachment(out, a, models.EventAttachmentAdded, t, id, nil, false)
		}
		var err error
		at, err = attachmentByID(tx, id)
		return err
	})
	return at, err
}

// AbandonUpload deletes the row of an upload that failed; its blob, if any
// was written, goes to the trash.
func (s *Store) AbandonUpload(ctx context.Context, id int64) error {
	return wrap("abandon upload", s.db.WithContext(ctx).Exec("DELETE FROM attachments WHERE id = ? AND attached_at IS NULL", id).Error)
}

func attachmentByID(tx *gorm.DB, id int64) (models.Attachment, error) {
	var at models.Attachment
	err := attachmentsQuery(tx).Where("attachments.id = ?", id).Take(&at).Error
	at.Image = models.InlineImage(at.ContentType)
	return at, wrap(fmt.Sprintf("attachment %d", id), err)
}

// Attachments lists the files on the card itself, oldest first.
func (s *Store) Attachments(ctx context.Context, a models.Actor, taskID int64) ([]models.Attachment, error) {
	db := s.db.WithContext(ctx)
	if _, err := s.taskForRead(db, a, taskID); err != nil {
		return nil, err
	}
	list := []models.Attachment{}
	err := attachmentsQuery(db).Where("attachments.task_id = ? AND attachments.comment_id IS NULL AND attachments.attached_at IS NOT NULL", taskID).
		Order("attachments.id").Find(&list).Error
	return withImage(list), wrap("attachments", err)
}

// commentAttachments fills in the files of comments already read for the
// actor.
func commentAttachments(tx *gorm.DB, list []models.Comment) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	at := make(map[int64]int, len(list))
	for i, c := range list {
		ids[i], at[c.ID] = c.ID, i
		list[i].Attachments = []models.Attachment{}
	}
	var files []models.Attachment
	if err := attachmentsQuery(tx).Where("attachments.comment_id IN ?", ids).Order("attachments.id").Find(&files).Error; err != nil {
		return wrap("comment attachments", err)
	}
	for _, f := range withImage(files) {
		c := &list[at[*f.CommentID]]
		c.Attachments = append(c.Attachments, f)
	}
	return nil
}

// attachToComment attaches the actor's finished uploads on the card to a
// new comment.
func attachToComment(tx *gorm.DB, a models.Actor, c models.Comment, ids []int64) error {
	ids = dedupe(ids)
	if len(ids) == 0 {
		return nil
	}
	res := tx.Exec(`UPDATE attachments SET comment_id = ?, attached_at = now() WHERE id IN ? AND task_id = ? AND uploader_id = ?
		AND attached_at IS NULL AND size IS NOT NULL`, c.ID, ids, c.TaskID, a.UserID)
	if res.Error != nil {
		return wrap("attach to comment", res.Error)
	}
	if int(res.RowsAffected) != len(ids) {
		return models.Invalid("attachments", models.AttachmentsGone)
	}
	return nil
}

// AttachmentFile returns a file the actor may read and the key of its
// blob. Whoever may not read it gets not found, the answer for a file that
// does not exist: files of cards they do not see, of internal comments for
// client users, and others' uploads not yet attached.
func (s *Store) AttachmentFile(ctx context.Context, a models.Actor, id int64) (models.Attachment, string, error) {
	return readableAttachment(s.db.WithContext(ctx), a, id)
}

func readableAttachment(db *gorm.DB, a models.Actor, id int64) (models.Attachment, string, error) {
	var row struct {
		models.Attachment
		BlobKey  string `gorm:"column:blob_key"`
		Attached bool   `gorm:"column:attached"`
		Internal bool   `gorm:"column:internal"`
	}
	err := attachmentsQuery(db).Select(attachmentColumns+`, attachments.blob_key, attachments.attached_at IS NOT NULL AS attached,
		coalesce(comments.internal, false) AS internal`).Joins("LEFT JOIN comments ON comments.id = attachments.comment_id").
		Where("attachments.id = ? AND attachments.size IS NOT NULL", id).Take(&row).Error
	if err != nil {
		return row.Attachment, "", wrap(fmt.Sprintf("attachment %d", id), err)
	}
	// A request's file before the request is filed has no card: the
	// uploader's own, below.
	if row.TaskID != 0 {
		if _, err := loadTask(db, a, row.TaskID, false); err != nil {
			return models.Attachment{}, "", err
		}
	}
	if (row.Internal && !a.Can(models.ActInternal)) || (!row.Attached && row.UploaderID != a.UserID) {
		return models.Attachment{}, "", fmt.Errorf("store: attachment %d: %w", id, models.ErrNotFound)
	}
	row.Image = models.InlineImage(row.ContentType)
	return row.Attachment, row.BlobKey, nil
}

// DeleteAttachment removes a file: the uploader's own (client users from
// the card itself only until work starts), anyone's for managers. Its
// blob goes to the trash in the same transaction.
func (s *Store) DeleteAttachment(ctx context.Context, a models.Actor, id int64) error {
	return s.command(ctx, func(tx *gorm.DB, out *outbox) error {
		at, _, err := readableAttachment(tx, a, id)
		if err != nil {
			return err
		}
		t, err := loadTask(tx, a, at.TaskID, true)
		if err != nil {
			return err
		}
		if !models.CanRemoveAttachment(a, t, at) {
			return fmt.Errorf("store: delete attachment %d: %w", id, models.ErrForbidden)
		}
		var internal bool
		if at.CommentID != nil {
			if err := tx.Raw("SELECT internal FROM comments WHERE id = ?", *at.CommentID).Row().Scan(&internal); err != nil {
				return wrap("attachment's comment", err)
			}
		}
		if err := tx.Exec("DELETE FROM attachments WHERE id = ?", id).Error; err != nil {
			return wrap("delete attachment", err)
		}
		publishAttachment(out, a, models.EventAttachmentRemoved, t, id, at.CommentID, internal)
		return nil
	})
}

// publishAttachment appends an attachment event on the card; a file on an
// internal comment is news for staff only.
func publishAttachment(out *outbox, a models.Actor, kind models.EventKind, t models.Task, id int64, comment *int64, internal bool) {
	ev := models.AttachmentEvent{TaskID: t.ID, AttachmentID: id, CommentID: comment}
	var client any
	if !internal {
		client = ev
	}
	out.add(newEvent{project: t.ProjectID, kind: kind, actor: a.UserID, task: t.ID, staff: ev, client: client})
}

// PurgeBlobs hands the keys in the trash to del, a batch at a time, and
// forgets those del removed. Several instances may run it at once: each
// batch is locked by the one that took it.
func (s *Store) PurgeBlobs(ctx context.Context, del func(keys []string) error) error {
	for {
		var n int
		err := s.inTx(ctx, func(tx *gorm.DB) error {
			var keys []string
			if err := tx.Raw("SELECT blob_key FROM blob_trash ORDER BY trashed_at LIMIT 100 FOR UPDATE SKIP LOCKED").Scan(&keys).Error; err != nil {
				return wrap("blob trash", err)
			}
			if n = len(keys); n == 0 {
				return nil
			}
			if err := del(keys); err != nil {
				return err
			}
			return wrap("empty blob trash", tx.Exec("DELETE FROM blob_trash WHERE blob_key IN ?", keys).Error)
		})
		if err != nil || n < 100 {
			return err
		}
	}
}

// SweepUploads deletes the uploads never attached within UnattachedTTL;
// their blobs go to the trash.
func (s *Store) SweepUploads(ctx context.Context) error {
	return wrap("sweep uploads", s.db.WithContext(ctx).Exec("DELETE FROM attachments WHERE attached_at IS NULL AND created_at < ?",
		s.now().Add(-UnattachedTTL)).Error)
}
