package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/store"
)

func file(t *testing.T, st *store.Store, a models.Actor, project int64, kind models.RequestKind, title string) models.Task {
	t.Helper()
	r, err := st.FileRequest(context.Background(), a, project, models.Intake{Kind: kind, Title: title,
		Description: "It happens on **checkout**.", PageURL: "https://shop.acme.test/checkout", Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// told reports who of the people has a notice of kind about the task.
func told(t *testing.T, st *store.Store, task int64, kind models.NotificationKind, people ...models.User) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, u := range people {
		n, err := st.ListNotifications(context.Background(), u.Actor())
		if err != nil {
			t.Fatal(err)
		}
		out[u.Name] = slices.ContainsFunc(n.Items, func(x models.Notification) bool { return x.TaskID == task && x.Kind == kind })
	}
	return out
}

// TestCriticalRequestAlerts: a client's critical bug alerts at once the
// PMs and, with nobody assigned, the project's staff, and nobody else; an
// unconfirmed one is refused and files nothing. Picking it up alerts the
// developer it is handed to as critical work.
func TestCriticalRequestAlerts(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	everyone := []models.User{w.Admin, w.Manager, w.Dev, w.OtherDev, w.ClientA, w.ClientB, w.Inactive}

	_, err := st.FileRequest(ctx, w.ClientA.Actor(), w.ProjectA.ID, models.Intake{Kind: models.RequestCritical, Title: "Checkout is down"})
	var ve *models.ValidationError
	if !errors.As(err, &ve) || ve.Fields["confirmed"].Code() == "" {
		t.Fatalf("unconfirmed critical bug: %v, want a problem on confirmed", err)
	}
	if list, _ := st.Triage(ctx, w.Manager.Actor()); len(list) != 0 {
		t.Fatalf("an unconfirmed request was filed: %v", list)
	}

	r := file(t, st, w.ClientA.Actor(), w.ProjectA.ID, models.RequestCritical, "Checkout button missing on Safari")
	if r.Priority != models.PriorityCritical || r.Kind != models.KindBug || !r.Request || r.PageURL == "" {
		t.Fatalf("filed %+v, want a critical bug request with its page", r)
	}
	want := map[string]bool{w.Manager.Name: true, w.Dev.Name: true}
	for name, got := range told(t, st, r.ID, models.NoteCritical, everyone...) {
		if got != want[name] {
			t.Errorf("%s alerted: %v, want %v", name, got, want[name])
		}
	}

	// Pat picks it up for Otto, who joins the project for it.
	if _, err := st.SetMembers(ctx, w.Admin.Actor(), w.ProjectA.ID, []int64{w.Dev.ID, w.OtherDev.ID}); err != nil {
		t.Fatal(err)
	}
	otto, est := &w.OtherDev.ID, 60
	estP := &est
	if _, err := st.UpdateTask(ctx, w.Manager.Actor(), r.ID, r.Version, models.TaskFields{AssigneeID: &otto, EstimateMinutes: &estP}); err != nil {
		t.Fatal(err)
	}
	if got := told(t, st, r.ID, models.NoteCritical, w.OtherDev); !got[w.OtherDev.Name] {
		t.Errorf("the developer handed the critical request was not alerted")
	}
	if list, _ := st.Triage(ctx, w.Manager.Actor()); len(list) != 0 {
		t.Errorf("a picked-up request stays in triage: %v", list)
	}
}

// TestClientEditsOwnRequest: the client who filed a request changes its
// words until work starts, then is refused; a colleague never may.
func TestClientEditsOwnRequest(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	colleague := dbtest.User(t, st, "carol@acme.test", "Carol Acme", models.RoleClient, &w.A.ID)
	r := file(t, st, w.ClientA.Actor(), w.ProjectA.ID, models.RequestBug, "Footer overlaps")
	desc := "Only on phones in landscape."
	words := models.TaskFields{Description: &desc}

	if _, err := st.UpdateTask(ctx, colleague.Actor(), r.ID, r.Version, words); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a colleague's edit: %v, want forbidden", err)
	}
	r, err := st.UpdateTask(ctx, w.ClientA.Actor(), r.ID, r.Version, words)
	if err != nil {
		t.Fatalf("own edit in set: %v", err)
	}
	full, _ := st.Task(ctx, w.ClientA.Actor(), r.ID)
	if full.Description != desc {
		t.Errorf("description %q, want %q", full.Description, desc)
	}
	r, err = st.MoveTask(ctx, w.Dev.Actor(), r.ID, store.TaskMove{Version: r.Version, Status: models.StatusInProgress})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpdateTask(ctx, w.ClientA.Actor(), r.ID, r.Version, words); !errors.Is(err, models.ErrWorkStarted) {
		t.Errorf("edit after work started: %v, want ErrWorkStarted", err)
	}
}

// TestEscalation: a PM hands a request to a developer of the project with
// a reason; the activity keeps it for staff (not the client), the
// developer is told, and nobody outside the project can take it.
func TestEscalation(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	r := file(t, st, w.ClientA.Actor(), w.ProjectA.ID, models.RequestQuestion, "How do refunds work?")

	if _, err := st.Escalate(ctx, w.Manager.Actor(), r.ID, r.Version, &w.OtherDev.ID, "Needs code"); err == nil {
		t.Fatal("escalated to a developer outside the project")
	}
	if _, err := st.Escalate(ctx, w.Dev.Actor(), r.ID, r.Version, &w.Dev.ID, "Mine"); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a developer escalates: %v, want forbidden", err)
	}
	reason := "Refunds go through the payment module; Dana knows it"
	got, err := st.Escalate(ctx, w.Manager.Actor(), r.ID, r.Version, &w.Dev.ID, reason)
	if err != nil {
		t.Fatal(err)
	}
	if got.AssigneeID == nil || *got.AssigneeID != w.Dev.ID {
		t.Errorf("assignee %v, want Dana", got.AssigneeID)
	}
	note := func(a models.Actor) (string, bool) {
		events, err := st.Activity(ctx, a, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.Kind == models.EventTaskEscalated {
				var p models.TaskEvent
				if err := json.Unmarshal(e.Data, &p); err != nil {
					t.Fatal(err)
				}
				return p.Note, true
			}
		}
		return "", false
	}
	if n, ok := note(w.Dev.Actor()); !ok || n != reason {
		t.Errorf("staff activity: escalation %v with note %q, want %q", ok, n, reason)
	}
	if n, _ := note(w.ClientA.Actor()); n != "" {
		t.Errorf("the client reads the internal reason %q", n)
	}
	if !told(t, st, r.ID, models.NoteEscalated, w.Dev)[w.Dev.Name] {
		t.Error("Dana was not told of the escalation")
	}
}

// TestTriageOrder: requests nobody picked up, critical first, then first
// in, first out; staff cards and picked-up requests are not in it.
func TestTriageOrder(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	a := w.ClientA.Actor()
	first := file(t, st, a, w.ProjectA.ID, models.RequestQuestion, "First question")
	crit := file(t, st, a, w.ProjectA.ID, models.RequestCritical, "Site down")
	picked := file(t, st, a, w.ProjectA.ID, models.RequestBug, "Picked up")
	last := file(t, st, a, w.ProjectA.ID, models.RequestOrder, "New landing page")
	dev := &w.Dev.ID
	if _, err := st.UpdateTask(ctx, w.Manager.Actor(), picked.ID, picked.Version, models.TaskFields{AssigneeID: &dev}); err != nil {
		t.Fatal(err)
	}
	list, err := st.Triage(ctx, w.Manager.Actor())
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, c := range list {
		got = append(got, c.ID)
	}
	if want := []int64{crit.ID, first.ID, last.ID}; !slices.Equal(got, want) {
		t.Errorf("triage %v, want %v", got, want)
	}
	if list[0].ReporterName != w.ClientA.Name || list[0].ClientName != w.A.Name {
		t.Errorf("row says %q of %q, want the client user and company", list[0].ReporterName, list[0].ClientName)
	}
}

// TestWaitingBothWays: the waiting lists follow models.Whose: a new request
// and an approved change wait on the agency, a question and an approval
// on the client; ordinary work is in neither, but in the client overview.
func TestWaitingBothWays(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	r := file(t, st, w.ClientA.Actor(), w.ProjectA.ID, models.RequestBug, "Search is slow")
	lists, err := st.Waiting(ctx, w.Manager.Actor())
	if err != nil {
		t.Fatal(err)
	}
	reasons := func(cards []store.WaitingCard) map[int64]models.WaitReason {
		out := map[int64]models.WaitReason{}
		for _, c := range cards {
			out[c.ID] = c.Wait.Reason
		}
		return out
	}
	agency, client := reasons(lists.Agency), reasons(lists.Client)
	wantAgency := map[int64]models.WaitReason{r.ID: models.WaitNewRequest, w.ApprovedA.ID: models.WaitDeploy}
	wantClient := map[int64]models.WaitReason{w.WaitingA.ID: models.WaitQuestion, w.ApprovalA.ID: models.WaitApproval, w.ApprovalB.ID: models.WaitApproval}
	for id, want := range wantAgency {
		if agency[id] != want {
			t.Errorf("agency list: card %d %q, want %q", id, agency[id], want)
		}
	}
	for id, want := range wantClient {
		if client[id] != want {
			t.Errorf("client list: card %d %q, want %q", id, client[id], want)
		}
	}
	if _, ok := agency[w.TaskA.ID]; ok {
		t.Error("ordinary work is on the waiting list")
	}
	over, err := st.ClientOverview(ctx, w.Manager.Actor(), w.A.ID)
	if err != nil {
		t.Fatal(err)
	}
	if reasons(over.Agency)[w.TaskA.ID] != models.WaitWork {
		t.Error("the client overview leaves out ordinary work")
	}
	if _, ok := reasons(over.Client)[w.ApprovalB.ID]; ok {
		t.Error("the overview of Acme shows another client's card")
	}
}
