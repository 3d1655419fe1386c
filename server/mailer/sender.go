// Package mailer moves Doska's mail over SMTP: the Sender delivers the
// outbox (server/store/mail.go) with github.com/wneessen/go-mail, and the
// Inbound listener turns replies into comments with
// github.com/emersion/go-smtp.
package mailer

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/doska/doska/server/mail"
	"github.com/doska/doska/server/store"
)

// Sender delivers queued mail. Several may run, in one process or in many:
// each takes one mail at a time under a row lock (FOR UPDATE SKIP LOCKED).
type Sender struct {
	Store    *store.Store
	Composer *mail.Composer
	SMTP     *url.URL // smtp:// (STARTTLS when offered) or smtps://
	Log      *slog.Logger
	// Idle is how long an idle sender waits before it looks again.
	Idle time.Duration

	client *gomail.Client // open between mails, closed when idle
}

// Run delivers mail until ctx ends.
func (s *Sender) Run(ctx context.Context) error {
	idle := s.Idle
	if idle == 0 {
		idle = time.Second
	}
	for {
		if _, err := s.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			s.Log.Warn("mail delivery", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(idle):
		}
	}
}

// DeliverDue delivers mail until none is due (failures count: they wait
// for their retry), then hangs up. It returns how many it tried.
func (s *Sender) DeliverDue(ctx context.Context) (int, error) {
	defer s.hangUp()
	for n := 0; ; n++ {
		found, err := s.Store.DeliverNext(ctx, func(o mail.Outgoing) (string, error) { return s.send(ctx, o) })
		if err != nil || !found {
			return n, err
		}
	}
}

// send hands one mail to the SMTP server over the open connection (dialled
// when there is none) and returns the server's answer.
func (s *Sender) send(ctx context.Context, o mail.Outgoing) (string, error) {
	msg, err := Build(s.Composer.Compose(o))
	if err != nil {
		return "", err
	}
	if s.client == nil {
		c, err := s.dial(ctx)
		if err != nil {
			return "", err
		}
		s.client = c
	}
	if err := s.client.Send(msg); err != nil {
		s.hangUp()
		s.Log.Warn("mail not delivered", "mail_id", o.ID, "kind", o.Kind, "err", err)
		return "", err
	}
	s.Log.Info("mail delivered", "mail_id", o.ID, "kind", o.Kind)
	return msg.ServerResponse(), nil
}

func (s *Sender) dial(ctx context.Context) (*gomail.Client, error) {
	port, _ := strconv.Atoi(s.SMTP.Port())
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second), gomail.WithTLSPolicy(gomail.TLSOpportunistic)}
	switch s.SMTP.Scheme {
	case "smtps":
		opts = append(opts, gomail.WithSSL(), gomail.WithPort(or(port, 465)))
	default:
		opts = append(opts, gomail.WithPort(or(port, 587)))
	}
	if u := s.SMTP.User; u != nil {
		pw, _ := u.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(u.Username()), gomail.WithPassword(pw))
	}
	c, err := gomail.NewClient(s.SMTP.Hostname(), opts...)
	if err != nil {
		return nil, err
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Sender) hangUp() {
	if s.client != nil {
		_ = s.client.Close()
		s.client = nil
	}
}

func or(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// Build turns a composed mail into a MIME message: a plain-text part and
// an HTML alternative, the Date, and the headers the composer set.
func Build(m mail.Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	err := errors.Join(msg.From(m.From), msg.To(m.To))
	msg.Subject(m.Subject)
	msg.SetDate()
	for k, v := range m.Headers {
		switch k {
		case "Message-ID":
			msg.SetMessageIDWithValue(strings.Trim(v, "<>"))
		case "Reply-To":
			err = errors.Join(err, msg.ReplyTo(v))
		default:
			msg.SetGenHeader(gomail.Header(k), v)
		}
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, err
}
