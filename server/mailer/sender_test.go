package mailer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	netmail "net/mail"

	"github.com/emersion/go-message"
	"gorm.io/gorm"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/mail"
	"github.com/doska/doska/server/mailer"
	"github.com/doska/doska/server/mailer/smtpsink"
	"github.com/doska/doska/server/store"
)

// clock is the real time plus what the test skipped (retries wait).
type clock struct {
	mu   sync.Mutex
	skip time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.skip)
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.skip += d
	c.mu.Unlock()
}

type rig struct {
	st     *store.Store
	db     *gorm.DB
	w      dbtest.World
	sink   *smtpsink.Sink
	clock  *clock
	sender *mailer.Sender
}

var composer = &mail.Composer{Site: &url.URL{Scheme: "https", Host: "doska.test"},
	From: netmail.Address{Name: "Doska", Address: "doska@agency.test"}, Key: []byte("0123456789abcdef0123456789abcdef"), Replies: true}

// newRig seeds the test world (whose own mails are set aside), starts an
// SMTP sink and a sender pointed at it.
func newRig(t *testing.T) *rig {
	t.Helper()
	db := dbtest.New(t)
	c := &clock{}
	st := store.New(db, c.now)
	w := dbtest.Seed(t, st)
	if _, err := st.SetMembers(context.Background(), w.Admin.Actor(), w.ProjectA.ID, []int64{w.Dev.ID, w.Manager.ID}); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("DELETE FROM mail_outbox").Error; err != nil {
		t.Fatal(err)
	}
	sink, err := smtpsink.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	return &rig{st: st, db: db, w: w, sink: sink, clock: c, sender: newSender(st, sink)}
}

func newSender(st *store.Store, sink *smtpsink.Sink) *mailer.Sender {
	return &mailer.Sender{Store: st, Composer: composer, SMTP: &url.URL{Scheme: "smtp", Host: sink.Addr},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// deliver sends what is due and returns the messages the sink got since
// the last call.
func (r *rig) deliver(t *testing.T) []smtpsink.Message {
	t.Helper()
	before := r.sink.Count()
	if _, err := r.sender.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r.sink.Messages()[before:]
}

func recipients(msgs []smtpsink.Message) []string {
	var to []string
	for _, m := range msgs {
		to = append(to, m.To...)
	}
	slices.Sort(to)
	return to
}

// TestEachTriggerMailsExactlyTheRightPeople: every event that mails does
// so once per person who should hear of it, and to nobody else.
func TestEachTriggerMailsExactlyTheRightPeople(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := context.Background()
	w := r.w
	dev, client := w.Dev.Actor(), w.ClientA.Actor()
	dev1 := &w.Dev.ID
	task, err := r.st.UpdateTask(ctx, dev, w.TaskA.ID, w.TaskA.Version, models.TaskFields{AssigneeID: &dev1})
	if err != nil {
		t.Fatal(err)
	}
	r.deliver(t) // assignment mails nobody: it is not a mail kind
	steps := []struct {
		name string
		do   func() error
		want []string
	}{
		{"question to the client", func() error {
			task, err = r.st.MoveTask(ctx, dev, task.ID, store.TaskMove{Version: task.Version, Status: models.StatusAwaitingReply,
				Move: models.MoveInput{Question: "Which logo do you prefer?"}})
			return err
		}, []string{"alice@acme.test"}},
		{"the client's answer in the app mails nobody", func() error {
			_, err := r.st.AddComment(ctx, client, task.ID, store.NewComment{Body: "The blue one."})
			task, _ = r.st.Task(ctx, dev, task.ID)
			return err
		}, nil},
		{"change waiting for approval", func() error {
			task, err = r.st.MoveTask(ctx, dev, task.ID, store.TaskMove{Version: task.Version, Status: models.StatusApproval,
				Move: models.MoveInput{StagingURL: "https://staging.acme.test/menu"}})
			return err
		}, []string{"alice@acme.test"}},
		{"changes requested: assignee and the project's PMs", func() error {
			task, err = r.st.RequestChanges(ctx, client, task.ID, task.Version, "Make it bigger.")
			return err
		}, []string{"dev@agency.test", "pm@agency.test"}},
		{"approved: assignee and the project's PMs", func() error {
			if task, err = r.st.MoveTask(ctx, dev, task.ID, store.TaskMove{Version: task.Version, Status: models.StatusApproval,
				Move: models.MoveInput{StagingURL: "https://staging.acme.test/menu2"}}); err != nil {
				return err
			}
			r.deliver(t)
			task, _, err = r.st.ApproveTask(ctx, client, task.ID, store.Approval{Version: task.Version})
			return err
		}, []string{"dev@agency.test", "pm@agency.test"}},
		{"critical card: assignee and managers at once", func() error {
			crit := models.PriorityCritical
			_, err := r.st.UpdateTask(ctx, w.Admin.Actor(), w.PlannedA.ID, w.PlannedA.Version, models.TaskFields{Priority: &crit})
			return err
		}, []string{"dev@agency.test", "pm@agency.test"}},
		{"mention", func() error {
			_, err := r.st.AddComment(ctx, dev, w.TaskA.ID, store.NewComment{Body: "@Alice have a look", Mentions: []int64{w.ClientA.ID}})
			return err
		}, []string{"alice@acme.test"}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := recipients(r.deliver(t)); !slices.Equal(got, s.want) {
			t.Errorf("%s: mailed %v, want %v", s.name, got, s.want)
		}
	}
}

// TestClientMailCarriesNothingHidden: a client's mail never holds an
// internal comment or anything of another client (the canary of the
// permission matrix: every client-B name carries CANARY-B).
func TestClientMailCarriesNothingHidden(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := context.Background()
	w := r.w
	dev, other := w.Dev.Actor(), w.OtherDev.Actor()
	// Internal words right before the question, on the same card.
	if _, err := r.st.AddComment(ctx, dev, w.TaskA.ID, store.NewComment{Body: "INTERNAL-ONLY: they never pay", Internal: true}); err != nil {
		t.Fatal(err)
	}
	ta, _ := r.st.Task(ctx, dev, w.TaskA.ID)
	if _, err := r.st.MoveTask(ctx, dev, ta.ID, store.TaskMove{Version: ta.Version, Status: models.StatusAwaitingReply,
		Move: models.MoveInput{Question: "Which logo?"}}); err != nil {
		t.Fatal(err)
	}
	// Everything that mails on client B's side.
	tb, _ := r.st.Task(ctx, other, w.TaskB.ID)
	tb, err := r.st.MoveTask(ctx, other, tb.ID, store.TaskMove{Version: tb.Version, Status: models.StatusAwaitingReply,
		Move: models.MoveInput{Question: "CANARY-B question"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.AddComment(ctx, other, tb.ID, store.NewComment{Body: "CANARY-B @Bob", Mentions: []int64{w.ClientB.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.RequestChanges(ctx, w.ClientB.Actor(), w.ApprovalB.ID, w.ApprovalB.Version, "CANARY-B not like this"); err != nil {
		t.Fatal(err)
	}
	msgs := r.deliver(t)
	var toAlice, toBob int
	for _, m := range msgs {
		switch m.To[0] {
		case "alice@acme.test":
			toAlice++
			raw := decoded(t, m)
			if strings.Contains(raw, "CANARY-B") || strings.Contains(raw, "INTERNAL-ONLY") {
				t.Errorf("a mail to client A carries hidden words:\n%s", raw)
			}
			if !strings.Contains(raw, "Which logo?") {
				t.Errorf("the question mail lacks the question:\n%s", raw)
			}
		case "bob@globex.test":
			toBob++
		}
	}
	if toAlice != 1 || toBob != 2 {
		t.Errorf("alice got %d mails, bob %d; want 1 and 2", toAlice, toBob)
	}
}

// decoded is the message's headers and its parts' text, decoded from
// quoted-printable or base64, so a test can search it.
func decoded(t *testing.T, m smtpsink.Message) string {
	t.Helper()
	e, err := message.Read(bytes.NewReader(m.Raw))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for k, v := range m.Header {
		fmt.Fprintf(&sb, "%s: %s\n", k, v)
	}
	err = e.Walk(func(_ []int, part *message.Entity, err error) error {
		if err != nil {
			return err
		}
		if mt, _, _ := part.Header.ContentType(); strings.HasPrefix(mt, "text/") {
			b, err := io.ReadAll(part.Body)
			sb.Write(b)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

// TestKilledSenderLosesNoMail: a sender whose database session dies while
// it talks to the SMTP server (the process was killed) leaves the mail
// queued; the next sender delivers it, once.
func TestKilledSenderLosesNoMail(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := context.Background()
	if err := r.st.RequestPasswordReset(ctx, "alice@acme.test", []byte("hash-1"), "https://doska.test/reset#t1"); err != nil {
		t.Fatal(err)
	}
	killed := false
	r.sink.Accept = func(smtpsink.Message) error {
		if killed {
			return nil
		}
		killed = true
		// The sender holds the row lock in an open transaction: end that
		// session the way a dying process does, and wait until it is gone: until
		// then it still holds the lock, and the next sender would skip the mail.
		err := r.db.Exec(`SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
			WHERE datname = current_database() AND state LIKE 'idle in transaction%'`).Error
		if err != nil {
			t.Error(err)
		}
		return errors.New("connection lost")
	}
	if _, err := r.sender.DeliverDue(ctx); err == nil {
		t.Fatal("the killed sender's transaction should have failed")
	}
	var status string
	var attempts int
	if err := r.db.Raw("SELECT status, attempts FROM mail_outbox").Row().Scan(&status, &attempts); err != nil {
		t.Fatal(err)
	}
	if status != "queued" || attempts != 0 {
		t.Fatalf("after the kill the mail is %s after %d attempts, want queued after 0", status, attempts)
	}
	next := newSender(r.st, r.sink)
	if _, err := next.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := next.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := recipients(r.sink.Messages()); !slices.Equal(got, []string{"alice@acme.test"}) {
		t.Errorf("delivered %v, want the one mail once", got)
	}
}

// TestRetryAfterFailingServer: a server that refuses gets the mail again
// after the backoff, the answer of the accepting server is kept, and a
// mail that never goes through is failed after MailMaxAttempts, not
// dropped.
func TestRetryAfterFailingServer(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := context.Background()
	for _, who := range []string{"alice@acme.test", "dev@agency.test"} {
		if err := r.st.RequestPasswordReset(ctx, who, []byte("hash-"+who), "https://doska.test/reset#"+who); err != nil {
			t.Fatal(err)
		}
	}
	r.sink.Refuse(2)
	if got := r.deliver(t); len(got) != 0 {
		t.Fatalf("a refusing server got %d mails", len(got))
	}
	if got := r.deliver(t); len(got) != 0 {
		t.Fatal("a refused mail was tried again before its backoff")
	}
	r.clock.add(time.Minute)
	if got := recipients(r.deliver(t)); !slices.Equal(got, []string{"alice@acme.test", "dev@agency.test"}) {
		t.Fatalf("after the backoff delivered %v", got)
	}
	var reply, secret string
	if err := r.db.Raw("SELECT smtp_reply, coalesce(data->>'secret', '') FROM mail_outbox WHERE to_addr = 'alice@acme.test'").Row().Scan(&reply, &secret); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(reply, "queued") || secret != "" {
		t.Errorf("kept SMTP answer %q and secret %q; want the server's answer and no live link", reply, secret)
	}

	if err := r.st.RequestPasswordReset(ctx, "pm@agency.test", []byte("hash-pm"), "https://doska.test/reset#pm"); err != nil {
		t.Fatal(err)
	}
	r.sink.Refuse(1000)
	for range store.MailMaxAttempts {
		r.deliver(t)
		r.clock.add(5 * time.Hour)
	}
	var status, lastError string
	if err := r.db.Raw("SELECT status, last_error FROM mail_outbox WHERE to_addr = 'pm@agency.test'").Row().Scan(&status, &lastError); err != nil {
		t.Fatal(err)
	}
	if status != "failed" || !strings.Contains(lastError, "try again later") {
		t.Errorf("after %d refusals: %s (%q), want failed with the server's words", store.MailMaxAttempts, status, lastError)
	}
}

// TestMailHeadersAndLanguage: the headers that make mail thread, reply
// and unsubscribe, both parts, and the recipient's own language.
func TestMailHeadersAndLanguage(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := context.Background()
	pl := models.LocalePolish
	if _, err := r.st.UpdateProfile(ctx, r.w.ClientA.Actor(), store.ProfilePatch{Locale: &pl}); err != nil {
		t.Fatal(err)
	}
	ta := r.w.TaskA
	if _, err := r.st.MoveTask(ctx, r.w.Dev.Actor(), ta.ID, store.TaskMove{Version: ta.Version, Status: models.StatusAwaitingReply,
		Move: models.MoveInput{Question: "Który logotyp?"}}); err != nil {
		t.Fatal(err)
	}
	msgs := r.deliver(t)
	if len(msgs) != 1 {
		t.Fatalf("%d mails", len(msgs))
	}
	h := msgs[0].Header
	thread := fmt.Sprintf("<task-%d@agency.test>", ta.ID)
	for k, want := range map[string]string{"In-Reply-To": thread, "References": thread, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if id := h.Get("Message-Id"); !strings.HasSuffix(id, "@agency.test>") {
		t.Errorf("Message-ID %q", id)
	}
	if _, err := h.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	if !strings.HasPrefix(h.Get("List-Unsubscribe"), "<https://doska.test/api/mail/unsubscribe/") {
		t.Errorf("List-Unsubscribe %q", h.Get("List-Unsubscribe"))
	}
	replyTo, err := h.AddressList("Reply-To")
	if err != nil || len(replyTo) != 1 {
		t.Fatalf("Reply-To %q: %v", h.Get("Reply-To"), err)
	}
	task, user, err := composer.ParseReply(replyTo[0].Address, time.Now())
	if err != nil || task != ta.ID || user != r.w.ClientA.ID {
		t.Errorf("reply address %s names task %d user %d (%v)", replyTo[0].Address, task, user, err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if !strings.Contains(subject, "pytanie do Ciebie") {
		t.Errorf("subject %q is not Polish", subject)
	}
	body := decoded(t, msgs[0])
	if !strings.Contains(body, "text/html") && !strings.Contains(body, "<p>") {
		t.Errorf("no HTML part:\n%s", body)
	}
	if !strings.Contains(body, "Który logotyp?") || !strings.Contains(body, "Otwórz kartę") {
		t.Errorf("body lacks the question or the Polish link:\n%s", body)
	}
}

// TestDigestCollectsAndSendsOnce: mail a person wants as a digest is held,
// then goes out as one mail at their hour, once, even when the digest run
// repeats; critical mail to staff never waits for it.
func TestDigestCollectsAndSendsOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ctx := context.Background()
	w := r.w
	hour := time.Now().UTC().Hour()
	if err := r.st.SetMailPrefs(ctx, w.ClientA.ID, store.MailPrefs{DigestHour: hour,
		Modes: map[mail.Kind]string{mail.Question: "digest", mail.Mentioned: "digest"}}); err != nil {
		t.Fatal(err)
	}
	if err := r.st.SetMailPrefs(ctx, w.Dev.ID, store.MailPrefs{DigestHour: -1, Modes: map[mail.Kind]string{mail.Critical: "digest"}}); err == nil {
		t.Error("a developer put critical mail into the digest")
	}
	ta := w.TaskA
	if _, err := r.st.MoveTask(ctx, w.Dev.Actor(), ta.ID, store.TaskMove{Version: ta.Version, Status: models.StatusAwaitingReply,
		Move: models.MoveInput{Question: "Which logo?"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.AddComment(ctx, w.Dev.Actor(), ta.ID, store.NewComment{Body: "@Alice see above", Mentions: []int64{w.ClientA.ID}}); err != nil {
		t.Fatal(err)
	}
	if got := r.deliver(t); len(got) != 0 {
		t.Fatalf("held mail went out at once: %v", recipients(got))
	}
	for run := range 2 {
		n, err := r.st.QueueDigests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := 1 - run; n != want {
			t.Fatalf("digest run %d queued %d digests, want %d", run+1, n, want)
		}
	}
	msgs := r.deliver(t)
	if got := recipients(msgs); !slices.Equal(got, []string{"alice@acme.test"}) {
		t.Fatalf("digest went to %v", got)
	}
	body := decoded(t, msgs[0])
	if !strings.Contains(body, "2 updates") || !strings.Contains(body, "a question for you") || !strings.Contains(body, "you were mentioned") {
		t.Errorf("the digest does not list both mails:\n%s", body)
	}
	// Tomorrow's digest collects only what came after.
	r.clock.add(24 * time.Hour)
	if n, _ := r.st.QueueDigests(ctx); n != 0 {
		t.Errorf("an empty digest was queued")
	}
}
