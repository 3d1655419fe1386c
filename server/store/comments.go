package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

const commentColumns = "comments.id, comments.task_id, comments.author_id, comments.body, comments.internal, " +
	"comments.mentions, comments.created_at, comments.edited_at, users.name AS author_name, users.role AS author_role"

func commentsQuery(tx *gorm.DB, a models.Actor) *gorm.DB {
	q := tx.Table("comments").Select(commentColumns).Joins("JOIN users ON users.id = comments.author_id")
	if !a.Can(models.ActInternal) {
		q = q.Where("NOT comments.internal")
	}
	return q
}

// Comments returns a task's comments the actor may read, oldest first.
// Client users never receive internal ones.
func (s *Store) Comments(ctx context.Context, a models.Actor, taskID int64) ([]models.Comment, error) {
	db := s.db.WithContext(ctx)
	if _, err := s.taskForRead(db, a, taskID); err != nil {
		return nil, err
	}
	list := []models.Comment{}
	if err := commentsQuery(db, a).Where("comments.task_id = ?", taskID).Order("comments.id").Find(&list).Error; err != nil {
		return list, wrap("comments", err)
	}
	return list, commentAttachments(db, list)
}

// NewComment is the input of AddComment.
type NewComment struct {
	Body     string
	Internal bool
	Mentions []int64
	// Attachments are the actor's uploads on the card to send with it.
	Attachments []int64
}

// AddComment posts a comment on a task. Anyone who sees the task may
// comment; only staff may write internal comments, and mentions must name
// people who can read the comment.
func (s *Store) AddComment(ctx context.Context, a models.Actor, taskID int64, n NewComment) (models.Comment, error) {
	probs := models.Problems{}
	body := models.CleanText(probs, "body", n.Body, models.CommentMax)
	if body == "" {
		probs.Add("body", models.CommentRequired)
	}
	if n.Internal && !a.Can(models.ActInternal) {
		probs.Add("internal", models.InternalStaffOnly)
	}
	if err := probs.Err(); err != nil {
		return models.Comment{}, err
	}
	var c models.Comment
	err := s.command(ctx, func(tx *gorm.DB, out *outbox) error {
		t, err := loadTask(tx, a, taskID, true)
		if err != nil {
			return err
		}
		mentions, err := checkMentions(tx, t.ProjectID, n.Mentions, n.Internal)
		if err != nil {
			return err
		}
		if c, err = insertComment(tx, out, a, &t, models.Comment{Body: body, Internal: n.Internal, Mentions: mentions}, n.Attachments); err != nil {
			return err
		}
		if err := notify(tx, out, a, t, models.NoteMentioned, idsOf(mentions)); err != nil {
			return err
		}
		before := t
		if step, ok := models.Answered(&t, a, s.now()); ok {
			_, err = s.carryOut(tx, out, a, before, t, step, Position{}, writeNow)
		}
		return err
	})
	return c, err
}

// insertComment stores a comment on t by the actor, counts it on t (the
// card a command answers with), and appends its event.
func insertComment(tx *gorm.DB, out *outbox, a models.Actor, t *models.Task, c models.Comment, files []int64) (models.Comment, error) {
	c.TaskID, c.AuthorID = t.ID, a.UserID
	if c.Mentions == nil {
		c.Mentions = models.IDs{}
	}
	// One round trip: the comment comes back as readers see it, with the
	// card's counts for the event. The counts are read in the statement's
	// snapshot, which does not hold the new comment yet.
	var before, publicBefore int
	err := queryRows(tx, `WITH c AS (
	INSERT INTO comments (task_id, author_id, body, internal, mentions) VALUES (?, ?, ?, ?, ?) RETURNING *
)
SELECT `+commentColumns+`, n.all_before, n.public_before
FROM c AS comments JOIN users ON users.id = comments.author_id,
	LATERAL (SELECT count(*) AS all_before, count(*) FILTER (WHERE NOT internal) AS public_before
		FROM comments x WHERE x.task_id = comments.task_id) n`,
		[]any{c.TaskID, c.AuthorID, c.Body, c.Internal, c.Mentions}, func(row pgx.Rows) error {
			return row.Scan(&c.ID, &c.TaskID, &c.AuthorID, &c.Body, &c.Internal, &c.Mentions, &c.CreatedAt, &c.EditedAt,
				&c.AuthorName, &c.AuthorRole, &before, &publicBefore)
		})
	if err != nil {
		return c, wrap("add comment", err)
	}
	c.Attachments = []models.Attachment{}
	if len(files) > 0 {
		if err := attachToComment(tx, a, c, files); err != nil {
			return c, err
		}
		list := []models.Comment{c}
		if err := commentAttachments(tx, list); err != nil {
			return c, err
		}
		c = list[0]
	}
	all, public := before+1, publicBefore
	if !c.Internal {
		public++
	}
	t.CommentCount, t.PublicCommentCount = all, public
	announceComment(out, a, models.EventCommentCreated, *t, c, all, public)
	return c, nil
}

func commentByID(tx *gorm.DB, a models.Actor, id int64) (models.Comment, error) {
	var c models.Comment
	if err := commentsQuery(tx, a).Where("comments.id = ?", id).Take(&c).Error; err != nil {
		return c, wrap(fmt.Sprintf("comment %d", id), err)
	}
	list := []models.Comment{c}
	err := commentAttachments(tx, list)
	return list[0], err
}

// checkMentions keeps the mentioned people who can read the comment: staff
// members of the project, and for public comments the client's users too.
func checkMentions(tx *gorm.DB, project int64, ids []int64, internal bool) (models.IDs, error) {
	ids = dedupe(ids)
	if len(ids) == 0 {
		return models.IDs{}, nil
	}
	if len(ids) > 50 {
		return nil, models.Invalid("mentions", models.MentionsTooMany, 50)
	}
	q := `SELECT count(*) FROM users u WHERE u.id IN ? AND u.active AND (
		EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = ? AND m.user_id = u.id)`
	if !internal {
		q += ` OR u.client_id = (SELECT client_id FROM projects WHERE id = ?)`
	}
	q += `)`
	args := []any{ids, project}
	if !internal {
		args = append(args, project)
	}
	var n int
	if err := tx.Raw(q, args...).Row().Scan(&n); err != nil {
		return nil, wrap("check mentions", err)
	}
	if n != len(ids) {
		if internal {
			return nil, models.Invalid("mentions", models.MentionsInternal)
		}
		return nil, models.Invalid("mentions", models.MentionsProject)
	}
	return models.IDs(ids), nil
}

// publishComment appends a comment event. Internal comments produce events
// that clients never receive; the counts in each audience's payload are
// those of the comments that audience can read.
func publishComment(tx *gorm.DB, out *outbox, a models.Actor, kind models.EventKind, t models.Task, c models.Comment) error {
	var all, public int
	if err := tx.Raw(`SELECT count(*), count(*) FILTER (WHERE NOT internal) FROM comments WHERE task_id = ?`, t.ID).Row().Scan(&all, &public); err != nil {
		return wrap("count comments", err)
	}
	announceComment(out, a, kind, t, c, all, public)
	return nil
}

// announceComment is publishComment with the card's counts known: all its
// comments, and those a client reads.
func announceComment(out *outbox, a models.Actor, kind models.EventKind, t models.Task, c models.Comment, all, public int) {
	staff := models.CommentEvent{TaskID: t.ID, CommentID: c.ID, AuthorID: c.AuthorID, Internal: c.Internal, CommentCount: all}
	var client any
	if !c.Internal {
		ce := staff
		ce.CommentCount = public
		client = ce
	}
	out.add(newEvent{project: t.ProjectID, kind: kind, actor: a.UserID, task: t.ID, staff: staff, client: client})
}

// EditComment changes the body of one's own comment.
func (s *Store) EditComment(ctx context.Context, a models.Actor, id int64, body string) (models.Comment, error) {
	probs := models.Problems{}
	body = models.CleanText(probs, "body", body, models.CommentMax)
	if body == "" {
		probs.Add("body", models.CommentRequired)
	}
	if err := probs.Err(); err != nil {
		return models.Comment{}, err
	}
	var c models.Comment
	err := s.command(ctx, func(tx *gorm.DB, out *outbox) error {
		t, c0, err := s.ownComment(tx, a, id, false)
		if err != nil {
			return err
		}
		if err := tx.Table("comments").Where("id = ?", id).Updates(map[string]any{"body": body, "edited_at": s.now()}).Error; err != nil {
			return wrap("edit comment", err)
		}
		if c, err = commentByID(tx, a, c0.ID); err != nil {
			return err
		}
		return publishComment(tx, out, a, models.EventCommentUpdated, t, c)
	})
	return c, err
}

// DeleteComment removes a comment: one's own, or anyone's for managers.
func (s *Store) DeleteComment(ctx context.Context, a models.Actor, id int64) error {
	return s.command(ctx, func(tx *gorm.DB, out *outbox) error {
		t, c, err := s.ownComment(tx, a, id, a.Can(models.ActModerate))
		if err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM comments WHERE id = ?", id).Error; err != nil {
			return wrap("delete comment", err)
		}
		return publishComment(tx, out, a, models.EventCommentDeleted, t, c)
	})
}

// ownComment loads a comment for a change: hidden or on an invisible task
// is not found; someone else's is forbidden unless anyone's is allowed.
func (s *Store) ownComment(tx *gorm.DB, a models.Actor, id int64, anyone bool) (models.Task, models.Comment, error) {
	c, err := commentByID(tx, a, id)
	if err != nil {
		return models.Task{}, c, err
	}
	t, err := loadTask(tx, a, c.TaskID, true)
	if err != nil {
		return t, c, err
	}
	if c.AuthorID != a.UserID && !anyone {
		return t, c, fmt.Errorf("store: comment %d of user %d: %w", id, c.AuthorID, models.ErrForbidden)
	}
	return t, c, nil
}

// ReplyByMail posts the text of a mail reply as a public comment by the
// client user the reply address was made for, exactly as a comment in the
// app (an awaiting-reply card returns to in progress). The user must still
// be an active client user who sees the card; mailID, the reply's
// Message-ID, makes a server's resending of the same mail count once.
func (s *Store) ReplyByMail(ctx context.Context, userID, taskID int64, body, mailID string) (models.Comment, error) {
	var u models.User
	if err := usersQuery(s.db.WithContext(ctx)).Where("users.id = ?", userID).Take(&u).Error; err != nil {
		return models.Comment{}, wrap("reply by mail", err)
	}
	if !u.Active || u.Role != models.RoleClient {
		return models.Comment{}, fmt.Errorf("store: reply by mail from user %d: %w", userID, models.ErrForbidden)
	}
	if mailID != "" {
		sum := sha256.Sum256([]byte(mailID))
		ctx, _ = WithIdempotencyKey(ctx, userID, "mail:"+hex.EncodeToString(sum[:16]), sum[:])
	}
	return s.AddComment(ctx, u.Actor(), taskID, NewComment{Body: body})
}
