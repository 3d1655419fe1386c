package store

// The mail outbox. A command that should send mail calls queueMail (or
// queueMailTo, for an address without an account) inside its own
// transaction: the mail exists if and only if the change commits. The
// sender (server/mailer) takes due rows one at a time with DeliverNext.
// See docs/ARCHITECTURE.md#mail.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/mail"
)

// queueMail queues a mail of kind to each of the users, in their language
// and as each chose for the kind: at once, held for the daily digest, or
// not at all. Critical mail reaches staff at once whatever they chose.
// The caller has checked that each user may see what data says. A person
// who chose no language gets the agency's, read inside the INSERT rather
// than through readSettings: mail follows moves and comments, and that is
// one round trip less on each.
func queueMail(tx *gorm.DB, kind mail.Kind, users []int64, task *int64, data mail.Data) error {
	if len(users) == 0 {
		return nil
	}
	b, err := json.Marshal(data) //nolint:gosec // the outbox row is the mail: a one-time link must reach it, and is dropped once delivered
	if err != nil {
		return err
	}
	q, args := queueMailQuery(kind, users, task, "?::jsonb", b)
	return wrap("queue mail", tx.Exec(q, args...).Error)
}

// queueMailQuery is queueMail's INSERT, with the mail's data as the SQL
// expression data (and its arguments).
func queueMailQuery(kind mail.Kind, users []int64, task *int64, data string, dataArgs ...any) (string, []any) {
	q := `
INSERT INTO mail_outbox (kind, user_id, to_addr, locale, task_id, data, message_id, status)
SELECT ?::text, u.id, u.email, coalesce(u.locale, (SELECT value #>> '{}' FROM settings WHERE key = 'default_locale'), ?), ?::bigint, ` + data + `, replace(gen_random_uuid()::text, '-', ''),
       CASE WHEN p.mode = 'digest' AND NOT (?::text = 'critical' AND u.role <> 'client') THEN 'held' ELSE 'queued' END
FROM users u LEFT JOIN mail_prefs p ON p.user_id = u.id AND p.kind = ?::text
WHERE u.id = ANY(?::bigint[]) AND u.active
  AND (coalesce(p.mode, 'immediate') <> 'off' OR (?::text = 'critical' AND u.role <> 'client'))`
	args := append(append([]any{kind, models.DefaultLocale, task}, dataArgs...), kind, kind, pgArray(users), kind)
	return q, args
}

// queueMailTo queues a mail to an address that has no account yet.
func queueMailTo(tx *gorm.DB, kind mail.Kind, addr string, locale models.Locale, data mail.Data) error {
	b, err := json.Marshal(data) //nolint:gosec // the outbox row is the mail: a one-time link must reach it, and is dropped once delivered
	if err != nil {
		return err
	}
	err = tx.Exec(`INSERT INTO mail_outbox (kind, to_addr, locale, data, message_id)
		VALUES (?, ?, ?, ?::jsonb, replace(gen_random_uuid()::text, '-', ''))`, kind, addr, locale, b).Error
	return wrap("queue mail", err)
}

// mailNotice follows an in-app notification of kind about t with a mail
// to the same people, or for the client's answers on a change to the
// assignee and the project's managers. users are the readers notify found.
// The mail goes in with the commit (outbox.atCommit): the names of the
// project and the actor, and the excerpt, are read by its INSERT.
func mailNotice(tx *gorm.DB, out *outbox, a models.Actor, t models.Task, kind models.NotificationKind, users []int64) error {
	mk := mail.Kind(kind)
	if !mk.Notice() {
		return nil
	}
	if mk == mail.Approved || mk == mail.ChangesRequested {
		var err error
		users, err = readers(tx, a, t.ProjectID, `SELECT ?::bigint UNION SELECT m.user_id FROM project_members m
			JOIN users pm ON pm.id = m.user_id WHERE m.project_id = ? AND pm.role = 'manager'`, []any{t.AssigneeID, t.ProjectID})
		if err != nil {
			return err
		}
	}
	if len(users) == 0 {
		return nil
	}
	d := mail.Data{Number: t.Number, Title: t.Title}
	if mk == mail.ApprovalRequest {
		d.Staging = t.StagingURL
	}
	b, err := json.Marshal(d) //nolint:gosec // a notice's data holds no secret: Secret is only set for invitations and resets
	if err != nil {
		return err
	}
	// The excerpt of a question or of requested changes is the comment the
	// step just posted; never an internal one, since these mails go to
	// clients as well.
	excerpt := mk == mail.Question || mk == mail.ChangesRequested
	q, args := queueMailQuery(mk, users, &t.ID, `?::jsonb || jsonb_strip_nulls(jsonb_build_object(
	'project', nullif((SELECT name FROM projects WHERE id = ?), ''),
	'actor', nullif((SELECT name FROM users WHERE id = ?), ''),
	'excerpt', nullif(CASE WHEN ? THEN (SELECT body FROM comments WHERE task_id = ? AND author_id = ? AND NOT internal ORDER BY id DESC LIMIT 1) END, '')))`,
		b, t.ProjectID, a.UserID, excerpt, t.ID, a.UserID)
	out.atCommit("mail notice", q, args...)
	return nil
}

// MailMaxAttempts is how often the sender tries a mail before it is
// marked failed: with the backoff below, about a day.
const MailMaxAttempts = 12

// mailBackoff is the wait after the n-th failed attempt: 30 s doubling,
// at most 4 hours.
func mailBackoff(n int) time.Duration {
	d := 30 * time.Second << min(n-1, 9)
	return min(d, 4*time.Hour)
}

// DeliverNext takes the oldest due mail no other sender holds and calls
// send with it while holding its row lock, then records the SMTP server's
// answer or the error in the same transaction. A sender killed during send
// leaves the row queued and unlocked; the only duplicate possible is a
// crash between the server's answer and the commit. It reports whether
// there was a mail.
func (s *Store) DeliverNext(ctx context.Context, send func(mail.Outgoing) (reply string, err error)) (bool, error) {
	found := false
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var o mail.Outgoing
		var attempts int
		res := tx.Raw(`SELECT id, kind, user_id, to_addr, locale, task_id, data, message_id, created_at, attempts FROM mail_outbox
			WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`, s.now()).
			Row()
		var data []byte
		if err := res.Scan(&o.ID, &o.Kind, &o.UserID, &o.To, &o.Locale, &o.TaskID, &data, &o.MessageID, &o.CreatedAt, &attempts); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			return wrap("deliver mail", err)
		}
		found = true
		if err := json.Unmarshal(data, &o.Data); err != nil {
			return fmt.Errorf("store: mail %d data: %w", o.ID, err)
		}
		reply, sendErr := send(o)
		now := s.now()
		if sendErr == nil {
			return wrap("deliver mail", tx.Exec(`UPDATE mail_outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?,
				smtp_reply = ?, last_error = '', data = data - 'secret' WHERE id = ?`, now, clip(reply), o.ID).Error)
		}
		status := "queued"
		if attempts+1 >= MailMaxAttempts {
			status = "failed"
		}
		return wrap("deliver mail", tx.Exec(`UPDATE mail_outbox SET status = ?, attempts = attempts + 1, next_attempt_at = ?,
			last_error = ? WHERE id = ?`, status, now.Add(mailBackoff(attempts+1)), clip(sendErr.Error()), o.ID).Error)
	})
	return found, err
}

func clip(s string) string {
	if len(s) > 1000 {
		return s[:1000]
	}
	return s
}

// SentMail is one outbox row as the Sent mail page lists it.
type SentMail struct {
	mail.Outgoing
	Status    string     `gorm:"column:status" json:"status"`
	Attempts  int        `gorm:"column:attempts" json:"attempts"`
	LastError string     `gorm:"column:last_error" json:"last_error"`
	SMTPReply string     `gorm:"column:smtp_reply" json:"smtp_reply"`
	SentAt    *time.Time `gorm:"column:sent_at" json:"sent_at"`
}

// MailLog returns the newest mails, failed ones first (admins only): what
// went out, what waits, and without SMTP everything that would have gone.
func (s *Store) MailLog(ctx context.Context, a models.Actor, limit int) ([]SentMail, error) {
	if !a.Can(models.ActManageUsers) {
		return nil, fmt.Errorf("store: mail log: %w", models.ErrForbidden)
	}
	list := []SentMail{}
	err := s.db.WithContext(ctx).Table("mail_outbox").
		Select("id, kind, user_id, to_addr, locale, task_id, data, message_id, created_at, status, attempts, last_error, smtp_reply, sent_at").
		Order("status = 'failed' DESC, id DESC").Limit(limit).Find(&list).Error
	return list, wrap("mail log", err)
}

// Unsubscribe turns one kind of mail off for a user (the one-click link in
// every mail). Staff cannot turn off critical mail.
func (s *Store) Unsubscribe(ctx context.Context, user int64, kind mail.Kind) error {
	return s.SetMailPrefs(ctx, user, MailPrefs{DigestHour: -1, Modes: map[mail.Kind]string{kind: "off"}})
}

// MailPrefs is how a person wants their mail: per notice kind immediate,
// digest or off (a kind not listed is immediate), and the hour (UTC) of
// the daily digest.
type MailPrefs struct {
	DigestHour int                  `json:"digest_hour"`
	Modes      map[mail.Kind]string `json:"modes"`
}

// MailPrefsOf reads a user's mail preferences; every notice kind is listed.
func (s *Store) MailPrefsOf(ctx context.Context, user int64) (MailPrefs, error) {
	db := s.db.WithContext(ctx)
	p := MailPrefs{Modes: map[mail.Kind]string{}}
	if err := db.Raw("SELECT digest_hour FROM users WHERE id = ?", user).Row().Scan(&p.DigestHour); err != nil {
		return p, wrap("mail prefs", err)
	}
	for _, k := range mail.Notices {
		p.Modes[k] = "immediate"
	}
	var rows []struct {
		Kind mail.Kind `gorm:"column:kind"`
		Mode string    `gorm:"column:mode"`
	}
	if err := db.Table("mail_prefs").Where("user_id = ?", user).Find(&rows).Error; err != nil {
		return p, wrap("mail prefs", err)
	}
	for _, r := range rows {
		p.Modes[r.Kind] = r.Mode
	}
	return p, nil
}

// SetMailPrefs changes the given kinds' modes and, when DigestHour is
// not negative, the digest hour. Staff cannot turn critical mail off or
// into the digest: a site is down.
func (s *Store) SetMailPrefs(ctx context.Context, user int64, p MailPrefs) error {
	probs := models.Problems{}
	if p.DigestHour > 23 {
		probs.Add("digest_hour", models.DigestHourRange)
	}
	for k, mode := range p.Modes {
		if !k.Notice() {
			probs.Add("modes."+string(k), models.MailKindChoice)
		} else if mode != "immediate" && mode != "digest" && mode != "off" {
			probs.Add("modes."+string(k), models.MailModeChoice)
		}
	}
	if err := probs.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *gorm.DB) error {
		var role models.Role
		if err := tx.Raw("SELECT role FROM users WHERE id = ? FOR UPDATE", user).Row().Scan(&role); errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: mail prefs of user %d: %w", user, models.ErrNotFound)
		} else if err != nil {
			return wrap("mail prefs", err)
		}
		if mode, ok := p.Modes[mail.Critical]; ok && role.Staff() && mode != "immediate" {
			return models.Problems{"modes.critical": models.MailCritical.With()}.Err()
		}
		if p.DigestHour >= 0 {
			if err := tx.Exec("UPDATE users SET digest_hour = ? WHERE id = ?", p.DigestHour, user).Error; err != nil {
				return wrap("mail prefs", err)
			}
		}
		for k, mode := range p.Modes {
			err := tx.Exec(`INSERT INTO mail_prefs (user_id, kind, mode) VALUES (?, ?, ?)
				ON CONFLICT (user_id, kind) DO UPDATE SET mode = excluded.mode`, user, k, mode).Error
			if err != nil {
				return wrap("mail prefs", err)
			}
		}
		return nil
	})
}

// QueueDigests gathers, for every person whose digest hour has come today
// and who has mail held, that mail into one digest, in one statement: the
// held rows turn digested and the person's digest day is set together, so
// a digest goes out once even with several instances running this.
func (s *Store) QueueDigests(ctx context.Context) (int, error) {
	now := s.now().UTC()
	today := now.Format(time.DateOnly)
	var n int
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		set, err := readSettings(tx)
		if err != nil {
			return err
		}
		res := tx.Exec(`
WITH due AS (
    SELECT u.id, u.email, coalesce(u.locale, ?) AS locale FROM users u
    WHERE u.active AND u.digest_hour <= ? AND (u.digest_sent_on IS NULL OR u.digest_sent_on < ?::date)
      AND EXISTS (SELECT 1 FROM mail_outbox o WHERE o.user_id = u.id AND o.status = 'held')
    FOR UPDATE OF u SKIP LOCKED
), items AS (
    UPDATE mail_outbox o SET status = 'digested' FROM due WHERE o.user_id = due.id AND o.status = 'held'
    RETURNING o.user_id, o.id, o.kind, o.data
), digests AS (
    INSERT INTO mail_outbox (kind, user_id, to_addr, locale, data, message_id)
    SELECT 'digest', due.id, due.email, due.locale,
           jsonb_build_object('items', (SELECT jsonb_agg(jsonb_build_object('kind', i.kind, 'data', i.data) ORDER BY i.id) FROM items i WHERE i.user_id = due.id)),
           replace(gen_random_uuid()::text, '-', '')
    FROM due
    RETURNING user_id
)
UPDATE users SET digest_sent_on = ?::date FROM digests WHERE users.id = digests.user_id`,
			set.DefaultLocale, now.Hour(), today, today)
		n = int(res.RowsAffected)
		return wrap("queue digests", res.Error)
	})
	return n, err
}
