package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// The agency works Monday to Friday, nine to five in Warsaw.
var demoHours = models.BusinessHours{
	Days:  []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
	Start: "09:00", End: "17:00", TimeZone: "Europe/Warsaw", Holidays: []models.Date{},
}

// Acme's service agreement, in business minutes.
var acmeTargets = []models.SLATarget{
	{Priority: models.PriorityNormal, FirstResponseMinutes: 8 * 60, ResolutionMinutes: 40 * 60},
	{Priority: models.PriorityUrgent, FirstResponseMinutes: 2 * 60, ResolutionMinutes: 16 * 60},
	{Priority: models.PriorityCritical, FirstResponseMinutes: 30, ResolutionMinutes: 4 * 60},
}

// request is a demo request Acme's client filed, with how much of its
// first-response target has passed in business time.
type request struct {
	title, description string
	kind               models.Kind
	priority           models.Priority
	used               float64 // share of the first-response target
}

var acmeRequests = []request{
	// Unanswered past its target: the breach shows on the card and in the
	// PM's bell once the check runs.
	{"Prices on the invoice page show without VAT", "Since this morning the invoice page lists net prices as gross.", models.KindBug, models.PriorityUrgent, 1.5},
	// Three quarters of the way: the 80 % warning is near.
	{"Add a consent checkbox to the newsletter sign-up", "Legal asked for an explicit opt-in.", models.KindChange, models.PriorityNormal, 0.75},
}

// seedSLA sets the business hours, Acme's targets, and files Acme's open
// requests on the project, dated back so that their clocks stand where the
// demo wants them whatever the hour of the start.
func seedSLA(ctx context.Context, st *store.Store, admin, pm, client models.Actor, acme, projectID int64) error {
	if _, err := st.SetBusinessHours(ctx, admin, demoHours); err != nil {
		return fmt.Errorf("demo: business hours: %w", err)
	}
	if _, err := st.SetSLATargets(ctx, pm, acme, acmeTargets); err != nil {
		return fmt.Errorf("demo: targets: %w", err)
	}
	cal, err := demoHours.Calendar()
	if err != nil {
		return err
	}
	now := time.Now()
	for _, r := range acmeRequests {
		t, err := st.CreateTask(ctx, client, store.NewTask{ProjectID: projectID,
			Fields: models.TaskFields{Title: &r.title, Description: &r.description, Kind: &r.kind, Priority: &r.priority}})
		if err != nil {
			return fmt.Errorf("demo: request %q: %w", r.title, err)
		}
		var target time.Duration
		for _, tg := range acmeTargets {
			if tg.Priority == r.priority {
				target = time.Duration(tg.FirstResponseMinutes) * time.Minute
			}
		}
		filed := businessAgo(cal, now, time.Duration(r.used*float64(target)))
		db := st.DB().WithContext(ctx)
		if err := db.Exec("UPDATE tasks SET created_at = ?, status_changed_at = ? WHERE id = ?", filed, filed, t.ID).Error; err != nil {
			return fmt.Errorf("demo: date request %q: %w", r.title, err)
		}
		if err := db.Exec("UPDATE events SET created_at = ? WHERE task_id = ?", filed, t.ID).Error; err != nil {
			return fmt.Errorf("demo: date request %q: %w", r.title, err)
		}
	}
	return nil
}

// businessAgo returns the moment d of business time before now, to the
// quarter hour.
func businessAgo(cal models.Calendar, now time.Time, d time.Duration) time.Time {
	at := now
	for cal.Between(at, now) < d && now.Sub(at) < 60*24*time.Hour {
		at = at.Add(-15 * time.Minute)
	}
	return at
}
