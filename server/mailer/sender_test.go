package mailer_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	netmail "net/mail"

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
