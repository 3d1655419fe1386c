package store_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/mail"
	"github.com/doska/doska/server/store"
)

func newWorkshop(t *testing.T, st *store.Store, a models.Actor, clientID int64) models.Workshop {
	t.Helper()
	w, err := st.CreateWorkshop(context.Background(), a, store.NewWorkshop{ClientID: clientID, StartsAt: time.Now().Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWorkshopAgendaFromBoard(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	pm := w.Manager.Actor()
	ws := newWorkshop(t, st, pm, w.A.ID)
	got := map[int64]models.AgendaSource{}
	for _, it := range ws.Items {
		got[*it.TaskID] = it.Source
		if it.Since == nil || it.TaskNumber == nil {
			t.Errorf("item %q: since %v, number %v; want both", it.Title, it.Since, it.TaskNumber)
		}
	}
	if got[w.WaitingA.ID] != models.SourceAwaitingReply || got[w.ApprovalA.ID] != models.SourceApproval {
		t.Errorf("agenda %v: want the card awaiting reply and the one in approval", got)
	}
	if _, ok := got[w.ApprovedA.ID]; ok {
		t.Error("an approved card waits for the agency's deploy, not for the client; it is on the agenda")
	}
	if _, ok := got[w.TaskB.ID]; ok {
		t.Error("another client's card is on the agenda")
	}
}

// TestAgendaCapsSections: a section of the draft holds its longest waits
// only, and the workshop remembers how many it left out; a refresh counts
// again, and a point with notes stays on top of the cap. A client does
// not see the counts of a workshop not yet published.
func TestAgendaCapsSections(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	// Twenty more questions to the client, each older than the seed's
	// (WaitingA), so that one is the newest: 21 in the section.
	var asked []int64
	for i := range 20 {
		c, err := st.CreateTask(ctx, pm, store.NewTask{ProjectID: w.ProjectA.ID, Status: models.StatusAwaitingReply,
			Fields: title(fmt.Sprintf("Question %d", i)), Move: anyColumn})
		if err != nil {
			t.Fatal(err)
		}
		asked = append(asked, c.ID)
		err = st.DB().Exec("UPDATE tasks SET status_changed_at = now() - make_interval(days => ?) WHERE id = ?", 30-i, c.ID).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	waiting := func(ws models.Workshop) []int64 {
		var ids []int64
		for _, it := range ws.Items {
			if it.Source == models.SourceAwaitingReply {
				ids = append(ids, *it.TaskID)
			}
		}
		return ids
	}
	wantLeft := func(ws models.Workshop, n int) {
		t.Helper()
		want := models.LeftOut{{Source: models.SourceAwaitingReply, Count: n}}
		if !slices.Equal(ws.LeftOut, want) {
			t.Errorf("left out %+v, want %+v", ws.LeftOut, want)
		}
		read, err := st.Workshop(ctx, pm, ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(read.LeftOut, want) {
			t.Errorf("stored left out %+v, want %+v", read.LeftOut, want)
		}
	}

	ws := newWorkshop(t, st, pm, w.A.ID)
	if got := waiting(ws); !slices.Equal(got, asked[:models.AgendaSectionMax]) {
		t.Errorf("awaiting reply %v, want the %d longest waits in order: %v", got, models.AgendaSectionMax, asked[:models.AgendaSectionMax])
	}
	wantLeft(ws, 21-models.AgendaSectionMax)
	if cw, err := st.Workshop(ctx, w.ClientA.Actor(), ws.ID); err != nil || len(cw.LeftOut) != 0 {
		t.Errorf("the client reads the draft's counts %+v (%v), want none before it is published", cw.LeftOut, err)
	}

	// A note under the longest wait keeps it; three cards leave the
	// section. Of the 17 others, 15 are points again and 2 are counted.
	items := make([]store.ItemInput, len(ws.Items))
	for i, it := range ws.Items {
		items[i] = store.ItemInput{ID: it.ID, Title: it.Title, Notes: it.Notes, Decision: it.Decision}
		if it.TaskID != nil && *it.TaskID == asked[0] {
			items[i].Notes = "Ask Anna on Monday"
		}
	}
	ws, err := st.UpdateWorkshop(ctx, pm, ws.ID, store.WorkshopPatch{Version: ws.Version, Items: &items})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DB().Exec("UPDATE tasks SET archived_at = now() WHERE id IN ?", asked[1:4]).Error; err != nil {
		t.Fatal(err)
	}
	ws, err = st.RefreshAgenda(ctx, pm, ws.ID, ws.Version)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]int64{asked[0]}, asked[4:4+models.AgendaSectionMax]...)
	if got := waiting(ws); !slices.Equal(got, want) {
		t.Errorf("refreshed awaiting reply %v, want the noted point and then %v", got, want[1:])
	}
	wantLeft(ws, 2)
}

// TestAgendaOverEstimate: a card in progress that took more time than its
// estimate is stuck with the agency, even though it moved today; one
// within its estimate is not on the agenda.
func TestAgendaOverEstimate(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	card := func(title string, estimate, logged int) models.Task {
		c, err := st.CreateTask(ctx, pm, store.NewTask{ProjectID: w.ProjectA.ID, Status: models.StatusInProgress,
			Fields: models.TaskFields{Title: &title, EstimateMinutes: ptr(&estimate)}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddEntry(ctx, pm, c.ID, store.NewEntry{EntryInput: models.EntryInput{
			StartedAt: time.Now().Add(-3 * time.Hour), Minutes: logged, Note: "work"}}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	over, within := card("Past its estimate", 30, 45), card("Within its estimate", 60, 45)
	ws := newWorkshop(t, st, pm, w.A.ID)
	got := map[int64]models.AgendaSource{}
	for _, it := range ws.Items {
		if it.TaskID != nil {
			got[*it.TaskID] = it.Source
		}
	}
	if got[over.ID] != models.SourceStuck {
		t.Errorf("the card past its estimate is %q on the agenda, want stuck", got[over.ID])
	}
	if src, ok := got[within.ID]; ok {
		t.Errorf("the card within its estimate is on the agenda as %q", src)
	}
}

// trapRank makes inserting the card titled title collide on its rank the
// first times times it is tried. The count is a sequence, which a rolled
// back transaction does not reset.
func trapRank(t *testing.T, st *store.Store, title string, times int) {
	t.Helper()
	db := st.DB()
	for _, q := range []string{
		`CREATE SEQUENCE IF NOT EXISTS trap_seq`,
		`SELECT setval('trap_seq', 1, false)`,
		fmt.Sprintf(`CREATE OR REPLACE FUNCTION trap_rank() RETURNS trigger AS $$
BEGIN
	IF NEW.title = %s AND nextval('trap_seq') <= %d THEN
		RAISE unique_violation USING MESSAGE = 'duplicate key value violates unique constraint "tasks_rank_key"',
			CONSTRAINT = 'tasks_rank_key';
	END IF;
	RETURN NEW;
END $$ LANGUAGE plpgsql`, "'"+title+"'", times),
		`CREATE OR REPLACE TRIGGER trap_rank BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION trap_rank()`,
	} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { db.Exec(`DROP TRIGGER IF EXISTS trap_rank ON tasks`) })
}

func countCards(t *testing.T, st *store.Store, workshopID int64) (cards, links int64) {
	t.Helper()
	db := st.DB()
	if err := db.Raw(`SELECT count(*) FROM tasks WHERE title LIKE 'Line %'`).Row().Scan(&cards); err != nil {
		t.Fatal(err)
	}
	if err := db.Raw(`SELECT count(*) FROM workshop_tasks WHERE workshop_id = ?`, workshopID).Row().Scan(&links); err != nil {
		t.Fatal(err)
	}
	return cards, links
}

func tenLines(projectID int64) []models.NoteLine {
	lines := make([]models.NoteLine, 10)
	for i := range lines {
		lines[i] = models.NoteLine{Line: fmt.Sprintf("Line %d", i+1), ProjectID: projectID, Plan: models.PlanBacklog}
	}
	return lines
}

// TestConvertLinesAllOrNothing: a batch of ten lines, one of which keeps
// colliding on its rank, creates no card at all; when the collision passes
// on a retry of the command, all ten. The same batch sent again with the
// same idempotency key creates nothing more.
func TestConvertLinesAllOrNothing(t *testing.T) {
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	ws := newWorkshop(t, st, pm, w.A.ID)
	seqs, err := st.Seqs(ctx, pm)
	if err != nil {
		t.Fatal(err)
	}

	trapRank(t, st, "Line 7", 1000)
	if _, err := st.ConvertLines(ctx, pm, ws.ID, tenLines(w.ProjectA.ID)); err == nil {
		t.Fatal("a batch whose seventh card never finds a rank was accepted")
	}
	if cards, links := countCards(t, st, ws.ID); cards != 0 || links != 0 {
		t.Fatalf("after the failed batch: %d cards, %d links; want none", cards, links)
	}
	after, _ := st.Seqs(ctx, pm)
	if after[w.ProjectA.ID] != seqs[w.ProjectA.ID] {
		t.Errorf("the failed batch left events: seq %d → %d", seqs[w.ProjectA.ID], after[w.ProjectA.ID])
	}

	trapRank(t, st, "Line 7", 1)
	keyed, _ := store.WithIdempotencyKey(ctx, w.Manager.ID, "batch-1", []byte("fingerprint"))
	got, err := st.ConvertLines(keyed, pm, ws.ID, tenLines(w.ProjectA.ID))
	if err != nil {
		t.Fatal(err)
	}
	if cards, links := countCards(t, st, ws.ID); cards != 10 || links != 10 || len(got.Cards) != 10 {
		t.Fatalf("after a batch that collided once: %d cards, %d links, %d in the answer; want 10", cards, links, len(got.Cards))
	}
	again, _ := store.WithIdempotencyKey(ctx, w.Manager.ID, "batch-1", []byte("fingerprint"))
	if _, err := st.ConvertLines(again, pm, ws.ID, tenLines(w.ProjectA.ID)); !errors.Is(err, store.ErrKeyClaimed) {
		t.Errorf("the same batch with the same key: %v, want the key claimed", err)
	}
	if cards, _ := countCards(t, st, ws.ID); cards != 10 {
		t.Errorf("after the retry: %d cards, want exactly 10", cards)
	}
}

func TestConvertLinesRules(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	ws := newWorkshop(t, st, pm, w.A.ID)
	cases := []struct {
		name  string
		actor models.Actor
		lines []models.NoteLine
		want  string // field, or "forbidden"
	}{
		{"another client's project", pm, []models.NoteLine{{Line: "x", ProjectID: w.ProjectB.ID, Plan: models.PlanBacklog}}, "lines.0.project_id"},
		{"no plan", pm, []models.NoteLine{{Line: "x", ProjectID: w.ProjectA.ID}}, "lines.0.plan"},
		{"empty line", pm, []models.NoteLine{{ProjectID: w.ProjectA.ID, Plan: models.PlanBacklog}}, "lines.0.line"},
		{"assignee outside the project", pm, []models.NoteLine{{Line: "x", ProjectID: w.ProjectA.ID, Plan: models.PlanBacklog, AssigneeID: &w.OtherDev.ID}}, "lines.0.assignee_id"},
		{"a developer", w.Dev.Actor(), []models.NoteLine{{Line: "x", ProjectID: w.ProjectA.ID, Plan: models.PlanBacklog}}, "forbidden"},
	}
	for _, c := range cases {
		_, err := st.ConvertLines(ctx, c.actor, ws.ID, c.lines)
		var v *models.ValidationError
		switch {
		case c.want == "forbidden" && errors.Is(err, models.ErrForbidden):
		case errors.As(err, &v) && v.Fields[c.want].Code() != "":
		default:
			t.Errorf("%s: %v, want a problem with %s", c.name, err, c.want)
		}
	}
}

// TestClientTodoAndThisWeek: a client to-do waits for the client's reply
// with the question asked; a line for this week is planned into it.
func TestClientTodoAndThisWeek(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	ws := newWorkshop(t, st, pm, w.A.ID)
	item := ws.Items[0].ID
	got, err := st.ConvertLines(ctx, pm, ws.ID, []models.NoteLine{
		{ItemID: &item, Line: "Send the new logo", ProjectID: w.ProjectA.ID, Plan: models.PlanClientTodo, Question: "Can you send the logo as SVG?"},
		{Line: "Fix the cart rounding", ProjectID: w.ProjectA.ID, Plan: models.PlanThisWeek, AssigneeID: &w.Dev.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Cards) != 2 {
		t.Fatalf("%d cards, want 2", len(got.Cards))
	}
	for _, c := range got.Cards {
		task, err := st.Task(ctx, pm, c.TaskID)
		if err != nil {
			t.Fatal(err)
		}
		switch c.Line {
		case "Send the new logo":
			if task.Status != models.StatusAwaitingReply || !c.ClientTodo || c.ItemNo != 1 {
				t.Errorf("client to-do: %s, client_todo %v, item %d", task.Status, c.ClientTodo, c.ItemNo)
			}
		default:
			if task.SprintID == nil || c.ItemNo != 0 {
				t.Errorf("this week's line: sprint %v, item %d; want planned, from the free section", task.SprintID, c.ItemNo)
			}
		}
		if task.Description != "> "+c.Line {
			t.Errorf("description %q, want the line quoted", task.Description)
		}
		link, err := st.TaskWorkshop(ctx, pm, c.TaskID)
		if err != nil || link.WorkshopID != ws.ID || link.ClientName != "Acme" {
			t.Errorf("backlink %+v, %v", link, err)
		}
	}
}

func TestWorkshopStaleSave(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	ws := newWorkshop(t, st, pm, w.A.ID)
	notes := "Server disk was full on Tuesday"
	saved, err := st.UpdateWorkshop(ctx, pm, ws.ID, store.WorkshopPatch{Version: ws.Version, Notes: &notes})
	if err != nil {
		t.Fatal(err)
	}
	other := "an older text"
	_, err = st.UpdateWorkshop(ctx, w.Admin.Actor(), ws.ID, store.WorkshopPatch{Version: ws.Version, Notes: &other})
	var conflict *models.ConflictError
	if !errors.As(err, &conflict) || conflict.Reason.Code() != "workshop_stale" {
		t.Fatalf("stale save: %v, want a conflict", err)
	}
	if cur, ok := conflict.Current.(models.Workshop); !ok || cur.Notes != notes || cur.Version != saved.Version {
		t.Errorf("conflict carries %+v, want the saved workshop", conflict.Current)
	}
}

func publish(t *testing.T, st *store.Store, a models.Actor, ws models.Workshop) models.Workshop {
	t.Helper()
	for _, step := range []models.WorkshopState{models.WorkshopHeld, models.WorkshopPublished} {
		var err error
		if ws, err = st.UpdateWorkshop(context.Background(), a, ws.ID, store.WorkshopPatch{Version: ws.Version, State: &step}); err != nil {
			t.Fatal(err)
		}
	}
	return ws
}

// TestPublishNotifiesClient: publishing a summary puts it in the bell of
// the client's users, next to their notices about cards; nobody else's.
func TestPublishNotifiesClient(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	ws := publish(t, st, w.Manager.Actor(), newWorkshop(t, st, w.Manager.Actor(), w.A.ID))
	aboutIt := func(u models.User) (n models.Notification, cards int) {
		t.Helper()
		inbox, err := st.ListNotifications(ctx, u.Actor())
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range inbox.Items {
			if x.WorkshopID != nil && *x.WorkshopID == ws.ID {
				n = x
			}
			if x.TaskID != 0 {
				cards++
			}
		}
		return n, cards
	}
	n, cards := aboutIt(w.ClientA)
	if n.Kind != models.NoteWorkshopSummary || n.ClientName != "Acme" || n.WorkshopStartsAt == nil || n.TaskID != 0 {
		t.Errorf("Acme's client was told %+v; want the summary of Acme's workshop", n)
	}
	if cards == 0 {
		t.Error("Acme's client no longer sees the notices about cards")
	}
	for _, u := range []models.User{w.ClientB, w.Manager, w.Dev} {
		if n, _ := aboutIt(u); n.ID != 0 {
			t.Errorf("%s was told about Acme's summary", u.Name)
		}
	}
}

// TestSummaryEstimates: the client reads each card made at the workshop
// with the estimate agreed there, though not a later re-estimate, which
// stays the agency's planning like the card's own estimate.
func TestSummaryEstimates(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	two := 120
	ws, err := st.ConvertLines(ctx, pm, newWorkshop(t, st, pm, w.A.ID).ID,
		[]models.NoteLine{{Line: "Cookie banner", ProjectID: w.ProjectA.ID, Plan: models.PlanBacklog, EstimateMinutes: &two}})
	if err != nil {
		t.Fatal(err)
	}
	ws = publish(t, st, pm, ws)
	card, err := st.Task(ctx, pm, ws.Cards[0].TaskID)
	if err != nil {
		t.Fatal(err)
	}
	nine := 540
	if _, err := st.UpdateTask(ctx, pm, card.ID, card.Version, models.TaskFields{EstimateMinutes: func() **int { e := &nine; return &e }()}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []models.Actor{w.ClientA.Actor(), pm} {
		got, err := st.Workshop(ctx, a, ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Cards) != 1 || got.Cards[0].EstimateMinutes == nil || *got.Cards[0].EstimateMinutes != two {
			t.Errorf("%s reads the summary's cards %+v; want the one card estimated at 120 minutes", a.Role, got.Cards)
		}
	}
}

// TestPublishMailsSummary: publishing mails the summary to the client's
// users in each one's language, with the cards' numbers and agreed
// estimates, nothing internal, and not to whoever turned this mail off.
func TestPublishMailsSummary(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	pm := w.Manager.Actor()
	quiet := dbtest.User(t, st, "quiet@acme.test", "Quinn Quiet", models.RoleClient, &w.A.ID)
	if err := st.SetMailPrefs(ctx, quiet.ID, store.MailPrefs{DigestHour: -1, Modes: map[mail.Kind]string{mail.WorkshopSummary: "off"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().Exec("UPDATE users SET locale = 'pl' WHERE id = ?", w.ClientA.ID).Error; err != nil {
		t.Fatal(err)
	}
	ws := newWorkshop(t, st, pm, w.A.ID)
	items := []store.ItemInput{{Title: "Checkout", Decision: "Ship on Monday"}, {Title: "INTERNAL-ONLY margin", Decision: "INTERNAL-ONLY raise", Internal: true}}
	ws, err := st.UpdateWorkshop(ctx, pm, ws.ID, store.WorkshopPatch{Version: ws.Version, Items: &items})
	if err != nil {
		t.Fatal(err)
	}
	est := 90
	ws, err = st.ConvertLines(ctx, pm, ws.ID, []models.NoteLine{
		{ItemID: &ws.Items[0].ID, Line: "Cookie banner", ProjectID: w.ProjectA.ID, Plan: models.PlanBacklog, EstimateMinutes: &est},
		{ItemID: &ws.Items[1].ID, Line: "Send the logo", ProjectID: w.ProjectA.ID, Plan: models.PlanClientTodo}})
	if err != nil {
		t.Fatal(err)
	}
	ws = publish(t, st, pm, ws)

	var sent []mail.Outgoing
	err = st.DB().Table("mail_outbox").Select("id, kind, user_id, to_addr, locale, task_id, data, message_id, created_at").
		Where("kind = ? AND (data->'summary'->>'workshop')::bigint = ?", mail.WorkshopSummary, ws.ID).Find(&sent).Error
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 || *sent[0].UserID != w.ClientA.ID || sent[0].Locale != models.LocalePolish {
		t.Fatalf("summary mails %+v; want one, to Acme's client, in Polish", sent)
	}
	site, _ := url.Parse("https://doska.test")
	msg := (&mail.Composer{Site: site}).Compose(sent[0])
	banner := "#" + strconv.FormatInt(ws.Cards[0].Number, 10) + " Cookie banner · wycena 1,5 godz."
	for _, want := range []string{"Ship on Monday", banner, "Send the logo", "https://doska.test/workshops/" + strconv.FormatInt(ws.ID, 10)} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("the mail lacks %q:\n%s", want, msg.Text)
		}
	}
	if strings.Contains(msg.Text+msg.HTML, "INTERNAL-ONLY") {
		t.Errorf("an internal point reached the client's mail:\n%s", msg.Text)
	}
}
