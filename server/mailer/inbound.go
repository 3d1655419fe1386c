package mailer

import (
	"context"
	"errors"
	"html"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // replies in any charset
	gomessage "github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"
	"github.com/microcosm-cc/bluemonday"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/mail"
	"github.com/doska/doska/server/store"
)

// MaxReplyBytes is the largest reply taken: a comment is at most a few
// kilobytes, the rest is quoted mail and formatting.
const MaxReplyBytes = 256 << 10

// Inbound takes replies to card mails over SMTP (behind the MX that
// receives the reply+…@ addresses) and posts them as comments. It accepts
// only mail to a valid reply address from the address of the person it was
// made for; everything else is refused with an SMTP error that says why,
// and logged. Whether the From header is genuine is for the MX to check
// (SPF, DKIM, DMARC) before it hands the mail over.
type Inbound struct {
	Store    *store.Store
	Composer *mail.Composer
	Log      *slog.Logger
	Now      func() time.Time
}

// Server returns the SMTP server; its caller listens and serves.
func (in *Inbound) Server() *smtp.Server {
	s := smtp.NewServer(in)
	s.Domain = in.Composer.Site.Hostname()
	s.MaxMessageBytes = MaxReplyBytes
	s.MaxRecipients = 1
	s.ReadTimeout, s.WriteTimeout = time.Minute, time.Minute
	return s
}

// NewSession is go-smtp's Backend.
func (in *Inbound) NewSession(*smtp.Conn) (smtp.Session, error) { return &reply{in: in}, nil }

type reply struct {
	in         *Inbound
	task, user int64
}

func (r *reply) Reset()        { r.task, r.user = 0, 0 }
func (r *reply) Logout() error { return nil }

func (r *reply) Mail(string, *smtp.MailOptions) error { return nil }

func (r *reply) Rcpt(to string, _ *smtp.RcptOptions) error {
	task, user, err := r.in.Composer.ParseReply(to, r.in.Now())
	switch {
	case errors.Is(err, mail.ErrExpired):
		r.in.refused("expired", task, user)
		return refuse(550, 5, 1, 1, "This reply address has expired; answer on the card in Doska.")
	case err != nil:
		r.in.refused("forged", 0, 0)
		return refuse(550, 5, 1, 1, "No such reply address.")
	}
	r.task, r.user = task, user
	return nil
}

func (r *reply) Data(body io.Reader) error {
	ctx := context.Background()
	msg, err := gomessage.CreateReader(body)
	if err != nil && !message.IsUnknownCharset(err) {
		return r.unreadable(err)
	}
	from, _ := msg.Header.AddressList("From")
	owner, err := r.in.Store.UserEmail(ctx, r.user)
	if err != nil || len(from) != 1 || !strings.EqualFold(from[0].Address, owner) {
		r.in.refused("foreign_sender", r.task, r.user)
		return refuse(550, 5, 7, 1, "Reply from the address this mail was sent to.")
	}
	text, err := readText(msg)
	if errors.Is(err, errAttachment) {
		r.in.refused("attachment", r.task, r.user)
		return refuse(554, 5, 6, 0, "Attachments are not taken by mail yet; please add files on the card in Doska.")
	}
	if err != nil {
		return r.unreadable(err)
	}
	text = mail.StripReply(text)
	if text == "" {
		r.in.refused("empty", r.task, r.user)
		return refuse(550, 5, 6, 0, "The reply has no text of its own.")
	}
	mailID, _ := msg.Header.MessageID()
	c, err := r.in.Store.ReplyByMail(ctx, r.user, r.task, text, mailID)
	var invalid *models.ValidationError
	switch {
	case errors.Is(err, store.ErrKeyClaimed):
		return nil // the same mail again: it is a comment already
	case errors.Is(err, models.ErrNotFound), errors.Is(err, models.ErrForbidden):
		r.in.refused("not_visible", r.task, r.user)
		return refuse(550, 5, 7, 1, "You can no longer comment on this card.")
	case errors.As(err, &invalid):
		r.in.refused("invalid", r.task, r.user)
		return refuse(550, 5, 6, 0, "The reply is too long for a comment; please shorten it.")
	case err != nil:
		r.in.Log.Error("mail reply", "task_id", r.task, "actor_id", r.user, "err", err)
		return refuse(451, 4, 3, 0, "Try again later.")
	}
	r.in.Log.Info("mail_reply_posted", "task_id", r.task, "actor_id", r.user, "comment_id", c.ID)
	return nil
}

// unreadable answers a mail that could not be read: too large (go-smtp
// stops reading at MaxMessageBytes) or broken.
func (r *reply) unreadable(err error) error {
	if errors.Is(err, smtp.ErrDataTooLarge) {
		r.in.refused("too_large", r.task, r.user)
		return refuse(552, 5, 3, 4, "The reply is too large; please write a shorter one, without the quoted mail.")
	}
	r.in.refused("unreadable", r.task, r.user)
	return refuse(554, 5, 6, 0, "The mail could not be read.")
}

func (in *Inbound) refused(reason string, task, user int64) {
	in.Log.Warn("mail_reply_refused", "reason", reason, "task_id", task, "actor_id", user)
}

func refuse(code, a, b, c int, text string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{a, b, c}, Message: text}
}

var errAttachment = errors.New("mailer: attachment")

// readText returns the plain text of a mail (the HTML part's text when
// there is none), refusing any attachment.
func readText(msg *gomessage.Reader) (string, error) {
	var plain, html string
	for {
		p, err := msg.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !message.IsUnknownCharset(err) {
			return "", err
		}
		switch h := p.Header.(type) {
		case *gomessage.AttachmentHeader:
			return "", errAttachment
		case *gomessage.InlineHeader:
			mt, _, _ := h.ContentType()
			b, err := io.ReadAll(io.LimitReader(p.Body, MaxReplyBytes))
			if err != nil {
				return "", err
			}
			switch {
			case mt == "text/plain" && plain == "":
				plain = string(b)
			case mt == "text/html" && html == "":
				html = string(b)
			case !strings.HasPrefix(mt, "text/") && !strings.HasPrefix(mt, "multipart/"):
				return "", errAttachment // an inline image is a file too
			}
		}
	}
	if plain == "" && html != "" {
		plain = htmlText(html)
	}
	return plain, nil
}

// htmlText keeps the words of an HTML-only reply, a line per block, up to
// where the quoted mail starts (Gmail's and Outlook's markers, or the first
// blockquote).
func htmlText(s string) string {
	low := strings.ToLower(s)
	for _, marker := range []string{`class="gmail_quote`, `id="divrplyfwdmsg"`, `id="appendonsend"`, "<blockquote"} {
		if i := strings.Index(low, marker); i >= 0 {
			s, low = s[:i], low[:i]
		}
	}
	for _, tag := range []string{"</p>", "<br>", "<br/>", "<br />", "</div>"} {
		s = strings.ReplaceAll(s, tag, tag+"\n")
	}
	return html.UnescapeString(bluemonday.StrictPolicy().Sanitize(s))
}
