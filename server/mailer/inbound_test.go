package mailer_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/mailer"
	"github.com/doska/doska/server/store"
)

// inbound starts the reply listener on a free port and returns its
// address and its log.
func (r *rig) inbound(t *testing.T) (string, *bytes.Buffer) {
	t.Helper()
	logs := &bytes.Buffer{}
	in := &mailer.Inbound{Store: r.st, Composer: composer, Log: slog.New(slog.NewTextHandler(logs, nil)), Now: r.clock.now}
	srv := in.Server()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), logs
}

func send(addr, from, to, body string) error {
	msg := "From: " + from + "\r\nTo: " + to + "\r\nSubject: Re: question\r\nMessage-ID: <" + time.Now().Format("150405.000000000") + "@client.test>\r\n" + body
	return sendRaw(addr, from, to, msg)
}

// sendRaw speaks plain SMTP, as the MX in front of the listener does on
// the local network.
func sendRaw(addr, from, to, msg string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.SendMail(from, []string{to}, strings.NewReader(msg))
}

const plainReply = "Content-Type: text/plain; charset=utf-8\r\n\r\nThe blue one, please.\r\n\r\nOn Mon, 30 Nov 2026 at 09:12, Doska <doska@agency.test> wrote:\r\n> Which logo do you prefer?\r\n"

// TestReplyByMailBecomesComment: the client's reply to a question is a
// public comment without the quoted mail, and the card is back in
// progress, as after a comment in the app; the same mail again changes
// nothing.
func TestReplyByMailBecomesComment(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	addr, logs := r.inbound(t)
	ctx := context.Background()
	w := r.w
	to := composer.ReplyAddress(w.WaitingA.ID, w.ClientA.ID, time.Now().Add(time.Hour))
	msg := "From: Alice <ALICE@acme.test>\r\nTo: " + to + "\r\nSubject: Re: question\r\nMessage-ID: <once@client.test>\r\n" + plainReply
	for range 2 {
		if err := sendRaw(addr, "alice@acme.test", to, msg); err != nil {
			t.Fatalf("reply refused: %v\n%s", err, logs)
		}
	}
	list, err := r.st.Comments(ctx, w.ClientA.Actor(), w.WaitingA.ID)
	if err != nil {
		t.Fatal(err)
	}
	var mine []models.Comment
	for _, c := range list {
		if c.AuthorID == w.ClientA.ID {
			mine = append(mine, c)
		}
	}
	if len(mine) != 1 || mine[0].Body != "The blue one, please." || mine[0].Internal {
		t.Fatalf("comments by the client: %+v", mine)
	}
	task, _ := r.st.Task(ctx, w.Dev.Actor(), w.WaitingA.ID)
	if task.Status != models.StatusInProgress {
		t.Errorf("card is %s, want in_progress", task.Status)
	}
}

// TestReplyByMailRefusals: a forged or expired address, another sender, a
// card the sender cannot see, attachments and oversize mail are refused
// with a reason, logged, and never become a comment.
func TestReplyByMailRefusals(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	addr, logs := r.inbound(t)
	ctx := context.Background()
	w := r.w
	valid := composer.ReplyAddress(w.WaitingA.ID, w.ClientA.ID, time.Now().Add(time.Hour))
	forged := strings.Replace(valid, "reply+"+itoa(w.WaitingA.ID), "reply+"+itoa(w.TaskA.ID), 1)
	expired := composer.ReplyAddress(w.WaitingA.ID, w.ClientA.ID, time.Now().Add(-time.Minute))
	hidden := composer.ReplyAddress(w.TaskB.ID, w.ClientA.ID, time.Now().Add(time.Hour))
	attachment := "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the file.\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"brief.pdf\"\r\n\r\nJVBERi0=\r\n--b--\r\n"
	huge := "Content-Type: text/plain\r\n\r\n" + strings.Repeat("long text\r\n", 40<<10)
	cases := []struct {
		name, from, to, body, reason string
		code                         int
	}{
		{"forged", "alice@acme.test", forged, plainReply, "forged", 550},
		{"other domain", "alice@acme.test", "reply+1-2-3-abc@elsewhere.test", plainReply, "forged", 550},
		{"expired", "alice@acme.test", expired, plainReply, "expired", 550},
		{"foreign sender", "bob@globex.test", valid, plainReply, "foreign_sender", 550},
		{"card not visible", "alice@acme.test", hidden, plainReply, "not_visible", 550},
		{"attachment", "alice@acme.test", valid, attachment, "attachment", 554},
		{"too large", "alice@acme.test", valid, huge, "too_large", 552},
	}
	before := r.count(t, "SELECT count(*) FROM comments")
	for _, c := range cases {
		logs.Reset()
		err := send(addr, c.from, c.to, c.body)
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != c.code {
			t.Errorf("%s: %v, want SMTP %d", c.name, err, c.code)
			continue
		}
		if c.reason != "" && !strings.Contains(logs.String(), "reason="+c.reason) {
			t.Errorf("%s: not logged as %s:\n%s", c.name, c.reason, logs)
		}
	}
	// A deactivated client user can no longer answer either.
	off := false
	if _, err := r.st.UpdateUser(ctx, w.Admin.Actor(), w.ClientA.ID, store.UserPatch{Active: &off}); err != nil {
		t.Fatal(err)
	}
	if err := send(addr, "alice@acme.test", valid, plainReply); err == nil {
		t.Error("a deactivated user's reply was taken")
	}
	if after := r.count(t, "SELECT count(*) FROM comments"); after != before {
		t.Errorf("refused replies made %d comments", after-before)
	}
}

func (r *rig) count(t *testing.T, q string) int {
	t.Helper()
	var n int
	if err := r.db.Raw(q).Row().Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
