package main

import (
	"context"
	"fmt"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// triage measures the PMs' triage inbox with 10,000 open client requests
// nobody picked up, spread over the last 30 days with a few urgent and
// critical ones, beside as many cards that are not in it (picked up, or
// staff's own). The inbox reads the first store.TriageMax of them, each
// with its SLA clocks in business hours.
func triage(ctx context.Context, e *benchEnv) ([]Result, error) {
	n := e.pick(2000, 10000)
	client, err := e.store.CreateUser(ctx, store.NewUser{Email: "client@bench.test", Name: "Bench Client", Role: models.RoleClient, ClientID: &e.client1, PasswordHash: e.manager.PasswordHash})
	if err != nil {
		return nil, err
	}
	p, noise, err := e.project(ctx, "Triage", n, 5)
	if err != nil {
		return nil, err
	}
	// Every listed request comes with its SLA clocks, as the inbox shows.
	if _, err := e.store.SetSLATargets(ctx, e.manager.Actor(), e.client1, []models.SLATarget{
		{Priority: models.PriorityNormal, FirstResponseMinutes: 480, ResolutionMinutes: 2400},
		{Priority: models.PriorityUrgent, FirstResponseMinutes: 120, ResolutionMinutes: 960},
		{Priority: models.PriorityCritical, FirstResponseMinutes: 30, ResolutionMinutes: 240},
	}); err != nil {
		return nil, err
	}
	// The noise cards are in every column: make those in set requests that
	// someone picked up, so the partial index has to tell them apart.
	if err := e.db.WithContext(ctx).Exec("UPDATE tasks SET request = true, reporter_id = ? WHERE id IN ?", client.ID, noise).Error; err != nil {
		return nil, err
	}
	keys := models.RankSequence(n)
	err = e.db.WithContext(ctx).Exec(`
INSERT INTO tasks (project_id, title, description, status, rank, kind, priority, reporter_id, request, created_at, status_changed_at, updated_at)
SELECT ?, 'Request ' || r.n, 'What the client wrote about request ' || r.n, 'set', 'zz' || r.rank,
       (ARRAY['question', 'bug', 'change', 'order'])[1 + r.n % 4],
       CASE WHEN r.n % 100 = 0 THEN 'critical' WHEN r.n % 10 = 0 THEN 'urgent' ELSE 'normal' END,
       ?, true, t.at, t.at, t.at
FROM unnest(?::text[]) WITH ORDINALITY AS r(rank, n), LATERAL (SELECT now() - (r.n * interval '259 seconds') AS at) t`,
		p, client.ID, textArray(keys)).Error
	if err != nil {
		return nil, err
	}
	path := "/api/triage"
	raw, err := e.get(path, false)
	if err != nil {
		return nil, err
	}
	gz, _ := e.get(path, true)
	var out []Result
	for _, conc := range []int{1, 8} {
		r := measure(ctx, conc, e.pick(50, 300), 30*time.Second, func(int, int) error {
			_, err := e.get(path, true)
			return err
		})
		r.Scenario, r.Size, r.Bytes, r.GzipBytes = "triage", n, raw, gz
		r.Note = fmt.Sprintf("%d open requests, %d listed with their SLA clocks", n, store.TriageMax)
		out = append(out, r)
	}
	return out, e.db.WithContext(ctx).Exec("UPDATE projects SET archived_at = now() WHERE id = ?", p).Error
}
