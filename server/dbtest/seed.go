package dbtest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/store"
)

// Password is the password of every seeded user.
const Password = "correct horse battery staple"

// passwordHash is computed once per test binary: argon2id is slow on purpose.
var passwordHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(Password)
	if err != nil {
		panic(err)
	}
	return h
})

// World is a small agency with two clients, built for permission tests:
// every client-B name carries CANARY-B so a leak to A is easy to spot.
type World struct {
	Admin, Manager, Dev, OtherDev, ClientA, ClientB models.User
	Inactive                                        models.User // a deactivated manager
	A, B                                            models.Client
	ProjectA, ProjectB                              models.Project
	TaskA, ArchivedA, TaskB                         models.Task
	// WaitingA waits for A's answer; ApprovalA and ApprovalB wait for their
	// client's approval; ApprovedA is approved and on the deploy list.
	WaitingA, ApprovalA, ApprovedA, ApprovalB models.Task
	// PlannedA is in this week's sprint, in Dev's queue.
	PlannedA models.Task
	// On TaskA: a public comment and an internal one by Dev; on TaskB a
	// comment by OtherDev.
	CommentA, InternalA, CommentB models.Comment
	// Time written by hand: Dev's and the manager's on TaskA, Other's on
	// TaskB.
	EntryA, EntryPM, EntryB models.TimeEntry
	// WorkshopA is A's coming workshop, with a point ClientA proposed;
	// PublishedA is A's last one, published, with internal notes and an
	// internal item; WorkshopB is B's coming one.
	WorkshopA, PublishedA, WorkshopB models.Workshop
}

// Seed builds the World through the store's own commands.
func Seed(t testing.TB, st *store.Store) World {
	t.Helper()
	ctx := context.Background()
	var w World
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	w.Admin = User(t, st, "admin@agency.test", "Admin", models.RoleAdmin, nil)
	admin := w.Admin.Actor()
	w.A, err = st.CreateClient(ctx, admin, "Acme")
	must(err)
	w.B, err = st.CreateClient(ctx, admin, "CANARY-B Globex")
	must(err)
	w.Manager = User(t, st, "pm@agency.test", "Pat Manager", models.RoleManager, nil)
	w.Dev = User(t, st, "dev@agency.test", "Dana Dev", models.RoleDeveloper, nil)
	w.OtherDev = User(t, st, "other@agency.test", "Otto Other", models.RoleDeveloper, nil)
	w.ClientA = User(t, st, "alice@acme.test", "Alice Acme", models.RoleClient, &w.A.ID)
	w.ClientB = User(t, st, "bob@globex.test", "CANARY-B Bob", models.RoleClient, &w.B.ID)
	w.Inactive = User(t, st, "gone@agency.test", "Gone Manager", models.RoleManager, nil)
	off := false
	w.Inactive, err = st.UpdateUser(ctx, admin, w.Inactive.ID, store.UserPatch{Active: &off})
	must(err)
	w.ProjectA, err = st.CreateProject(ctx, admin, store.NewProject{ClientID: w.A.ID, Name: "Acme site", MemberIDs: []int64{w.Dev.ID}})
	must(err)
	w.ProjectB, err = st.CreateProject(ctx, admin, store.NewProject{ClientID: w.B.ID, Name: "CANARY-B portal", Description: "CANARY-B secret plans", MemberIDs: []int64{w.OtherDev.ID}})
	must(err)
	task := func(p models.Project, title string) models.Task {
		t.Helper()
		est := 90
		tk, err := st.CreateTask(ctx, admin, store.NewTask{ProjectID: p.ID, Fields: models.TaskFields{Title: &title, EstimateMinutes: func() **int { e := &est; return &e }()}})
		must(err)
		return tk
	}
	w.TaskA = task(w.ProjectA, "Fix the menu")
	w.ArchivedA = task(w.ProjectA, "Old banner")
	w.ArchivedA, err = st.ArchiveTask(ctx, admin, w.ArchivedA.ID, w.ArchivedA.Version)
	must(err)
	w.TaskB = task(w.ProjectB, "CANARY-B invoice export")
	w.CommentA, err = st.AddComment(ctx, w.Dev.Actor(), w.TaskA.ID, store.NewComment{Body: "Done on staging"})
	must(err)
	w.InternalA, err = st.AddComment(ctx, w.Dev.Actor(), w.TaskA.ID, store.NewComment{Body: "INTERNAL-ONLY: client is slow to pay", Internal: true})
	must(err)
	w.CommentB, err = st.AddComment(ctx, w.OtherDev.Actor(), w.TaskB.ID, store.NewComment{Body: "CANARY-B note"})
	must(err)
	w.TaskA, err = st.Task(ctx, admin, w.TaskA.ID)
	must(err)
	inColumn := func(p models.Project, title string, status models.Status) models.Task {
		t.Helper()
		staging := "https://staging.example.test/"
		tk, err := st.CreateTask(ctx, admin, store.NewTask{ProjectID: p.ID, Status: status,
			Fields: models.TaskFields{Title: &title, StagingURL: &staging}, Move: models.MoveInput{Question: "Which logo version?"}})
		must(err)
		return tk
	}
	w.WaitingA = inColumn(w.ProjectA, "Logo on the invoice", models.StatusAwaitingReply)
	w.ApprovalA = inColumn(w.ProjectA, "New footer", models.StatusApproval)
	w.ApprovedA = inColumn(w.ProjectA, "Faster search", models.StatusApproval)
	w.ApprovedA, _, err = st.ApproveTask(ctx, w.ClientA.Actor(), w.ApprovedA.ID, store.Approval{Version: w.ApprovedA.Version})
	must(err)
	w.ApprovalB = inColumn(w.ProjectB, "CANARY-B dashboard", models.StatusApproval)
	w.PlannedA = task(w.ProjectA, "Speed up the product pages")
	w.PlannedA, err = st.PlanTask(ctx, admin, models.WeekOf(time.Now()), w.PlannedA.ID, w.PlannedA.Version, &w.Dev.ID, store.Position{})
	must(err)
	entry := func(u models.User, task models.Task, note string) models.TimeEntry {
		t.Helper()
		e, err := st.AddEntry(ctx, u.Actor(), task.ID, store.NewEntry{EntryInput: models.EntryInput{
			StartedAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Minutes: 45, Note: note}})
		must(err)
		return e
	}
	w.EntryA = entry(w.Dev, w.TaskA, "Menu markup")
	w.EntryPM = entry(w.Manager, w.TaskA, "Call with Acme")
	w.EntryB = entry(w.OtherDev, w.TaskB, "CANARY-B export work")
	manager := w.Manager.Actor()
	w.PublishedA, err = st.CreateWorkshop(ctx, manager, store.NewWorkshop{ClientID: w.A.ID, StartsAt: time.Now().Add(-7 * 24 * time.Hour)})
	must(err)
	notes, internal := "We agreed on the new footer.", "INTERNAL-ONLY: the client is slow to pay"
	items := []store.ItemInput{{Title: "Footer", Notes: "Approved"}, {Title: "INTERNAL-ONLY margin", Internal: true}}
	w.PublishedA, err = st.UpdateWorkshop(ctx, manager, w.PublishedA.ID, store.WorkshopPatch{Version: w.PublishedA.Version,
		Notes: &notes, InternalNotes: &internal, Items: &items, State: ptr(models.WorkshopHeld)})
	must(err)
	w.PublishedA, err = st.UpdateWorkshop(ctx, manager, w.PublishedA.ID, store.WorkshopPatch{Version: w.PublishedA.Version, State: ptr(models.WorkshopPublished)})
	must(err)
	w.WorkshopA, err = st.CreateWorkshop(ctx, manager, store.NewWorkshop{ClientID: w.A.ID, StartsAt: time.Now().Add(48 * time.Hour)})
	must(err)
	_, err = st.ProposeItem(ctx, w.ClientA.Actor(), w.WorkshopA.ID, "Our newsletter signup", "")
	must(err)
	w.WorkshopA, err = st.Workshop(ctx, manager, w.WorkshopA.ID)
	must(err)
	w.WorkshopB, err = st.CreateWorkshop(ctx, manager, store.NewWorkshop{ClientID: w.B.ID, StartsAt: time.Now().Add(24 * time.Hour)})
	must(err)
	return w
}

func ptr[T any](v T) *T { return &v }

// User creates an active user with the seed password.
func User(t testing.TB, st *store.Store, email, name string, role models.Role, clientID *int64) models.User {
	t.Helper()
	u, err := st.CreateUser(context.Background(), store.NewUser{Email: email, Name: name, Role: role, ClientID: clientID, PasswordHash: passwordHash()})
	if err != nil {
		t.Fatal(err)
	}
	return u
}
