package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

func TestClientBalance(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	rate := int64(6000)
	if _, err := st.SetRates(ctx, w.Manager.Actor(), w.A.ID, models.Rates{Currency: "EUR", HourlyRateCents: rate}); err != nil {
		t.Fatal(err)
	}
	block := models.HourPackage{Kind: models.PackageBlock, Name: " Launch ", Minutes: 120, StartsOn: date(t, "2026-12-01")}
	if _, err := st.CreatePackage(ctx, w.Dev.Actor(), w.A.ID, block); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("developer creates: %v", err)
	}
	if _, err := st.CreatePackage(ctx, w.ClientB.Actor(), w.A.ID, block); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("other client creates: %v", err)
	}
	bad := block
	bad.Rollover = true
	var ve *models.ValidationError
	if _, err := st.CreatePackage(ctx, w.Manager.Actor(), w.A.ID, bad); !errors.As(err, &ve) || ve.Fields["rollover"].Code() != "package_rollover_block" {
		t.Fatalf("rollover block: %v", err)
	}
	pk, err := st.CreatePackage(ctx, w.Manager.Actor(), w.A.ID, block)
	if err != nil || pk.ID == 0 || pk.Name != "Launch" || pk.ClientID != w.A.ID {
		t.Fatalf("created %+v %v", pk, err)
	}
	// In December (the seed's entries are in November): 90 billable
	// minutes, 60 not billable, and 60 minutes of B's.
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	no := false
	for _, e := range []struct {
		task     int64
		minutes  int
		billable *bool
	}{{w.TaskA.ID, 90, nil}, {w.TaskA.ID, 60, &no}, {w.TaskB.ID, 60, nil}} {
		if _, err := st.AddEntry(ctx, w.Admin.Actor(), e.task, store.NewEntry{EntryInput: models.EntryInput{StartedAt: at, Minutes: e.minutes}, Billable: e.billable}); err != nil {
			t.Fatal(err)
		}
	}
	from, to := date(t, "2026-12-01"), date(t, "2026-12-31")
	b, err := st.ClientBalance(ctx, w.ClientA.Actor(), w.A.ID, from, to)
	if err != nil || len(b.Packages) != 1 || b.Packages[0].LeftMinutes != 30 || b.OverrunMinutes != 0 || b.Money == nil {
		t.Fatalf("client's balance %+v %v", b, err)
	}
	// Another 60 minutes: 30 from the package, 30 overrun at 60.00 an hour.
	if _, err := st.AddEntry(ctx, w.Admin.Actor(), w.TaskA.ID, store.NewEntry{EntryInput: models.EntryInput{StartedAt: at.Add(24 * time.Hour), Minutes: 60}}); err != nil {
		t.Fatal(err)
	}
	b, err = st.ClientBalance(ctx, w.Manager.Actor(), w.A.ID, from, to)
	if err != nil || b.Packages[0].LeftMinutes != 0 || b.OverrunMinutes != 30 || b.Money.OverrunCents != 3000 || b.Money.Currency != "EUR" {
		t.Fatalf("manager's balance %+v %v", b, err)
	}
	if _, err := st.ClientBalance(ctx, w.ClientB.Actor(), w.A.ID, from, to); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("other client reads: %v", err)
	}
	// Developers read hours, never amounts.
	if b, err := st.ClientBalance(ctx, w.Dev.Actor(), w.A.ID, from, to); err != nil || b.Money != nil || b.OverrunMinutes != 30 {
		t.Fatalf("developer's balance %+v %v", b, err)
	}
	if _, err := st.ClientBalance(ctx, w.Manager.Actor(), w.A.ID, to, from); !errors.As(err, &ve) || ve.Fields["to"].Code() != "period_order" {
		t.Fatalf("period backwards: %v", err)
	}
	// Ending the package before the second entry's day leaves that hour all overrun.
	pk.EndsOn = &models.Date{Time: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)}
	if _, err := st.UpdatePackage(ctx, w.ClientA.Actor(), pk.ID, pk); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("client ends: %v", err)
	}
	if pk, err = st.UpdatePackage(ctx, w.Manager.Actor(), pk.ID, pk); err != nil || pk.EndsOn == nil {
		t.Fatalf("ended %+v %v", pk, err)
	}
	if b, _ = st.ClientBalance(ctx, w.Manager.Actor(), w.A.ID, from, to); b.OverrunMinutes != 60 || b.Packages[0].LeftMinutes != 30 {
		t.Fatalf("after the end %+v", b)
	}
}
