package store_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// TestTimeReport adds up October's time every way it can be grouped and
// filtered: managers see everyone's, a developer only their own, and days
// are the reader's calendar days.
func TestTimeReport(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	no := false
	add := func(u models.User, task models.Task, at time.Time, minutes int, billable *bool) {
		t.Helper()
		if _, err := st.AddEntry(ctx, u.Actor(), task.ID, store.NewEntry{
			EntryInput: models.EntryInput{StartedAt: at, Minutes: minutes}, Billable: billable}); err != nil {
			t.Fatal(err)
		}
	}
	oct := func(day, hour int) time.Time { return time.Date(2026, 10, day, hour, 0, 0, 0, time.UTC) }
	add(w.Dev, w.TaskA, oct(5, 9), 60, nil)
	add(w.Dev, w.PlannedA, oct(5, 23), 30, &no) // 6 October in Warsaw
	add(w.OtherDev, w.TaskB, oct(6, 9), 120, nil)
	add(w.Manager, w.TaskA, oct(31, 9), 15, nil)
	add(w.Manager, w.TaskA, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), 999, nil) // November: outside

	month := models.ReportFilter{From: date(t, "2026-10-01"), To: date(t, "2026-10-31")}
	report := func(a models.Actor, f models.ReportFilter, group models.ReportGroup, loc *time.Location) models.Report {
		t.Helper()
		f.Group = group
		r, err := st.TimeReport(ctx, a, f, loc)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	type row struct {
		label             string
		minutes, billable int
	}
	check := func(name string, r models.Report, want ...row) {
		t.Helper()
		got := make([]row, len(r.Rows))
		total := 0
		for i, x := range r.Rows {
			got[i] = row{x.Label, x.Minutes, x.BillableMinutes}
		}
		for _, x := range want {
			total += x.minutes
		}
		if len(got) != len(want) || r.Minutes != total {
			t.Fatalf("%s: rows %v (total %d), want %v (total %d)", name, got, r.Minutes, want, total)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: rows %v, want %v", name, got, want)
			}
		}
	}
	pm := w.Manager.Actor()
	check("by client", report(pm, month, models.GroupClient, time.UTC),
		row{w.B.Name, 120, 120}, row{w.A.Name, 105, 75})
	check("by project", report(pm, month, models.GroupProject, time.UTC),
		row{w.ProjectB.Name, 120, 120}, row{w.ProjectA.Name, 105, 75})
	check("by person", report(pm, month, models.GroupPerson, time.UTC),
		row{w.OtherDev.Name, 120, 120}, row{w.Dev.Name, 90, 60}, row{w.Manager.Name, 15, 15})
	check("by day in UTC", report(pm, month, models.GroupDay, time.UTC),
		row{"2026-10-05", 90, 60}, row{"2026-10-06", 120, 120}, row{"2026-10-31", 15, 15})
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	check("by day in Warsaw", report(pm, month, models.GroupDay, warsaw),
		row{"2026-10-05", 60, 60}, row{"2026-10-06", 150, 120}, row{"2026-10-31", 15, 15})

	f := month
	f.ProjectID = w.ProjectA.ID
	check("project A by task", report(pm, f, models.GroupTask, time.UTC),
		row{"#" + strconv.FormatInt(w.TaskA.Number, 10) + " " + w.TaskA.Title, 75, 75}, row{"#" + strconv.FormatInt(w.PlannedA.Number, 10) + " " + w.PlannedA.Title, 30, 0})
	f = month
	f.ClientID, f.Billable = w.A.ID, &no
	check("client A, not billable", report(pm, f, models.GroupPerson, time.UTC), row{w.Dev.Name, 30, 0})
	f = month
	f.TaskID, f.UserID = w.TaskA.ID, w.Manager.ID
	check("one task, one person", report(pm, f, models.GroupDay, time.UTC), row{"2026-10-31", 15, 15})

	// A developer reads their own time only, whatever they filter.
	check("developer", report(w.Dev.Actor(), month, models.GroupPerson, time.UTC), row{w.Dev.Name, 90, 60})
	f = month
	f.Group, f.UserID = models.GroupPerson, w.OtherDev.ID
	if _, err := st.TimeReport(ctx, w.Dev.Actor(), f, time.UTC); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("another developer's time: %v", err)
	}
	f.UserID = 0
	if _, err := st.TimeReport(ctx, w.ClientA.Actor(), f, time.UTC); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a client: %v", err)
	}
	// A period the wrong way round is the reader's mistake, not a report.
	f.From, f.To = month.To, month.From
	var v *models.ValidationError
	if _, err := st.TimeReport(ctx, pm, f, time.UTC); !errors.As(err, &v) || v.Fields["to"].Code() != "period_order" {
		t.Fatalf("reversed period: %v", err)
	}
}

func date(t *testing.T, s string) models.Date {
	t.Helper()
	d, err := models.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
