package store_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/mail"
	"github.com/doska/doska/server/store"
)

// clockAt is a store clock the test moves.
type clockAt struct{ ns atomic.Int64 }

func (c *clockAt) set(t time.Time)  { c.ns.Store(t.UnixNano()) }
func (c *clockAt) now() time.Time   { return time.Unix(0, c.ns.Load()).UTC() }
func newClock(t time.Time) *clockAt { c := &clockAt{}; c.set(t); return c }
func at(day string, hour int) time.Time {
	d, _ := time.Parse(time.DateOnly, day)
	return d.Add(time.Duration(hour) * time.Hour)
}

// clockedStore is a seeded store whose clock starts on 10 December 2026.
func clockedStore(t *testing.T) (*store.Store, dbtest.World, *clockAt) {
	t.Helper()
	clock := newClock(at("2026-12-10", 12))
	st := store.New(dbtest.New(t), clock.now)
	return st, dbtest.Seed(t, st), clock
}

// packageNotices counts the package notices each level has in the user's
// bell.
func packageNotices(t *testing.T, st *store.Store, u models.User) map[int]int {
	t.Helper()
	list, err := st.ListNotifications(context.Background(), u.Actor())
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]int{}
	for _, n := range list.Items {
		if n.Kind == models.NotePackageUsed {
			out[*n.PackageLevel]++
		}
	}
	return out
}

// TestPackageNotices: a block of 10 hours tells the client's users, its
// managers and the admins once at 80 % and once at 100 %; developers and
// another client's users never. Edits that dip under 80 % and back, and a
// deleted entry, tell nobody again.
func TestPackageNotices(t *testing.T) {
	t.Parallel()
	clock := newClock(at("2026-12-10", 12))
	db := dbtest.New(t)
	st := store.New(db, clock.now)
	w := dbtest.Seed(t, st)
	ctx := context.Background()
	admin := w.Admin.Actor()
	if _, err := st.SetMembers(ctx, admin, w.ProjectA.ID, []int64{w.Dev.ID, w.Manager.ID}); err != nil {
		t.Fatal(err)
	}
	pl := models.Locale("pl")
	if _, err := st.UpdateProfile(ctx, w.ClientA.Actor(), store.ProfilePatch{Locale: &pl}); err != nil {
		t.Fatal(err)
	}
	pk, err := st.CreatePackage(ctx, w.Manager.Actor(), w.A.ID, models.HourPackage{Kind: models.PackageBlock, Minutes: 600, StartsOn: date(t, "2026-12-01")})
	if err != nil {
		t.Fatal(err)
	}
	add := func(minutes int) models.TimeEntry {
		t.Helper()
		e, err := st.AddEntry(ctx, w.Dev.Actor(), w.TaskA.ID, store.NewEntry{EntryInput: models.EntryInput{StartedAt: at("2026-12-03", 9), Minutes: minutes}})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	told := []models.User{w.ClientA, w.Manager, w.Admin}
	untold := []models.User{w.Dev, w.OtherDev, w.ClientB}
	expect := func(step string, want map[int]int) {
		t.Helper()
		for _, u := range told {
			if got := packageNotices(t, st, u); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: %s has %v, want %v", step, u.Email, got, want)
			}
		}
		for _, u := range untold {
			if got := packageNotices(t, st, u); len(got) != 0 {
				t.Errorf("%s: %s has %v, want none", step, u.Email, got)
			}
		}
	}
	add(470) // 78 %
	expect("78 %", map[int]int{})
	e := add(20) // 81 %
	expect("81 %", map[int]int{80: 1})

	// Under 80 % and back, by edit and by delete: nobody is told again.
	for _, m := range []int{5, 20} {
		if _, err := st.UpdateEntry(ctx, w.Dev.Actor(), e.ID, store.EntryPatch{Minutes: &m}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.DeleteEntry(ctx, w.Dev.Actor(), e.ID); err != nil {
		t.Fatal(err)
	}
	add(30)
	expect("back over 80 %", map[int]int{80: 1})

	// A timer stopped past the end tells 100 %.
	clock.set(at("2026-12-10", 9))
	if _, err := st.StartTimer(ctx, w.Dev.Actor(), w.TaskA.ID); err != nil {
		t.Fatal(err)
	}
	clock.set(at("2026-12-10", 11))
	if _, err := st.StopTimer(ctx, w.Dev.Actor()); err != nil {
		t.Fatal(err)
	}
	expect("over 100 %", map[int]int{80: 1, 100: 1})

	list, err := st.ListNotifications(ctx, w.ClientA.Actor())
	if err != nil {
		t.Fatal(err)
	}
	n := list.Items[0]
	if n.PackageID == nil || *n.PackageID != pk.ID || n.ClientID != w.A.ID || n.PackageKind != "block" || *n.PackageLeftMinutes != 0 {
		t.Errorf("the 100 %% notice %+v", n)
	}

	// The mail: each recipient in their language, the client's user led to
	// their home, staff to the client's page.
	var rows []mail.Outgoing
	if err := db.Table("mail_outbox").Where("kind = ?", mail.PackageUsed).Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 {
		t.Fatalf("%d package mails, want 6 (3 people, 2 levels)", len(rows))
	}
	site, _ := url.Parse("https://doska.test")
	c := mail.Composer{Site: site}
	for _, r := range rows {
		m := c.Compose(r)
		switch *r.UserID {
		case w.ClientA.ID:
			if r.Locale != pl || !strings.Contains(m.Subject, "pakiet „Pakiet godzin” wykorzystany w") || !strings.Contains(m.Text, "https://doska.test/\n") {
				t.Errorf("client's mail %s: %q\n%s", r.Locale, m.Subject, m.Text)
			}
		case w.Manager.ID, w.Admin.ID:
			if r.Locale != "en" || !strings.Contains(m.Text, fmt.Sprintf("https://doska.test/clients/%d", w.A.ID)) {
				t.Errorf("staff mail %s: %q\n%s", r.Locale, m.Subject, m.Text)
			}
		default:
			t.Errorf("mail to user %d", *r.UserID)
		}
	}
}

// TestRetainerNoticesEachMonth: a monthly retainer tells 80 % again in the
// next month.
func TestRetainerNoticesEachMonth(t *testing.T) {
	t.Parallel()
	st, w, clock := clockedStore(t)
	ctx := context.Background()
	if _, err := st.CreatePackage(ctx, w.Manager.Actor(), w.A.ID, models.HourPackage{Kind: models.PackageRetainer, Minutes: 600, StartsOn: date(t, "2026-12-01")}); err != nil {
		t.Fatal(err)
	}
	for _, day := range []string{"2026-12-03", "2027-01-04"} {
		clock.set(at(day, 12))
		if _, err := st.AddEntry(ctx, w.Dev.Actor(), w.TaskA.ID, store.NewEntry{EntryInput: models.EntryInput{StartedAt: at(day, 9), Minutes: 500}}); err != nil {
			t.Fatal(err)
		}
	}
	if got := packageNotices(t, st, w.ClientA); got[80] != 2 {
		t.Errorf("the client has %v, want 80 %% told in December and in January", got)
	}
}

// TestPackageNoticesConcurrent: two entries written at once, neither of
// which reaches 80 % alone, still tell it, once. Each round is a client of
// its own at 79.7 % whose two writes of a minute land together; unlocked,
// some rounds would read 79.8 % on both sides and tell nobody.
func TestPackageNoticesConcurrent(t *testing.T) {
	t.Parallel()
	st, w, _ := clockedStore(t)
	ctx := context.Background()
	admin := w.Admin.Actor()
	for round := range 20 {
		c, err := st.CreateClient(ctx, admin, fmt.Sprintf("Round %d", round))
		if err != nil {
			t.Fatal(err)
		}
		user := dbtest.User(t, st, fmt.Sprintf("r%d@client.test", round), "Reader", models.RoleClient, &c.ID)
		p, err := st.CreateProject(ctx, admin, store.NewProject{ClientID: c.ID, Name: "Site", MemberIDs: []int64{w.Dev.ID}})
		if err != nil {
			t.Fatal(err)
		}
		task, err := st.CreateTask(ctx, admin, store.NewTask{ProjectID: p.ID, Fields: title("Work")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreatePackage(ctx, admin, c.ID, models.HourPackage{Kind: models.PackageBlock, Minutes: 600, StartsOn: date(t, "2026-12-01")}); err != nil {
			t.Fatal(err)
		}
		write := func(minutes int) error {
			_, err := st.AddEntry(ctx, w.Dev.Actor(), task.ID, store.NewEntry{EntryInput: models.EntryInput{StartedAt: at("2026-12-03", 9), Minutes: minutes}})
			return err
		}
		if err := write(478); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, 2)
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs <- write(1)
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := packageNotices(t, st, user); got[80] != 1 {
			t.Errorf("round %d: the client has %v, want 80 %% told once", round, got)
		}
	}
}
