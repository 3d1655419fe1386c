package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

func TestRates(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	override := int64(15000)
	in := models.Rates{Currency: "PLN", HourlyRateCents: 12000, Projects: []models.ProjectRate{{ProjectID: w.ProjectA.ID, HourlyRateCents: &override}}}
	// Developers and another client's users may not set a rate.
	if _, err := st.SetRates(ctx, w.Dev.Actor(), w.A.ID, in); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("developer sets: %v", err)
	}
	if _, err := st.SetRates(ctx, w.ClientB.Actor(), w.A.ID, in); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("other client sets: %v", err)
	}
	got, err := st.SetRates(ctx, w.Manager.Actor(), w.A.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Currency != "PLN" || got.HourlyRateCents != 12000 || got.Rate(w.ProjectA.ID) != 15000 {
		t.Fatalf("set %+v", got)
	}
	// A project of another client is refused, and nothing changes.
	bad := in
	bad.HourlyRateCents = 1
	bad.Projects = []models.ProjectRate{{ProjectID: w.ProjectB.ID, HourlyRateCents: &override}}
	var ve *models.ValidationError
	if _, err := st.SetRates(ctx, w.Manager.Actor(), w.A.ID, bad); !errors.As(err, &ve) || ve.Fields["projects"].Code() != "line_project" {
		t.Fatalf("B's project: %v", err)
	}
	if r, _ := st.Rates(ctx, w.Manager.Actor(), w.A.ID); r.HourlyRateCents != 12000 {
		t.Fatalf("refused change was kept: %+v", r)
	}
	if r, err := st.Rates(ctx, w.ClientA.Actor(), w.A.ID); err != nil || r.HourlyRateCents != 12000 {
		t.Fatalf("client reads own rates: %+v %v", r, err)
	}
	// Developers see money only when the agency allows it.
	if _, err := st.Rates(ctx, w.Dev.Actor(), w.A.ID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("developer reads: %v", err)
	}
	show := true
	if _, err := st.UpdateSettings(ctx, w.Admin.Actor(), store.SettingsPatch{ShowMoneyToDevs: &show}); err != nil {
		t.Fatal(err)
	}
	if r, err := st.Rates(ctx, w.Dev.Actor(), w.A.ID); err != nil || r.Rate(w.ProjectA.ID) != 15000 {
		t.Fatalf("developer reads when shown: %+v %v", r, err)
	}
}

func TestInternalEntry(t *testing.T) {
	t.Parallel()
	st, w := newStore(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	e, err := st.AddEntry(ctx, w.Dev.Actor(), w.TaskA.ID, store.NewEntry{EntryInput: models.EntryInput{StartedAt: at, Minutes: 30, Note: "fixed our own bug"}, Internal: true})
	if err != nil || !e.Internal {
		t.Fatalf("added %+v %v", e, err)
	}
	public := false
	if e, err = st.UpdateEntry(ctx, w.Dev.Actor(), e.ID, store.EntryPatch{Internal: &public}); err != nil || e.Internal {
		t.Fatalf("made public %+v %v", e, err)
	}
}
