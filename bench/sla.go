package main

import (
	"context"
	"fmt"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// slaClocks measures the SLA clocks of 10,000 open client requests (one
// board's, as a list reads them: status events, first staff comments,
// business hours) and the monthly SLA report of a client with 5,000
// requests in the month.
func slaClocks(ctx context.Context, e *benchEnv) ([]Result, error) {
	open, monthly := e.pick(2000, 10000), e.pick(1000, 5000)
	mgr := e.manager.Actor()
	c, err := e.store.CreateClient(ctx, mgr, "SLA client")
	if err != nil {
		return nil, err
	}
	reporter, err := e.store.CreateUser(ctx, store.NewUser{Email: "requests@sla.bench.test", Name: "Requester", Role: models.RoleClient, ClientID: &c.ID, PasswordHash: "x"})
	if err != nil {
		return nil, err
	}
	if _, err := e.store.SetBusinessHours(ctx, models.Actor{Role: models.RoleAdmin}, models.BusinessHours{
		Days: []time.Weekday{1, 2, 3, 4, 5}, Start: "09:00", End: "17:00", TimeZone: "Europe/Warsaw",
		Holidays: []models.Date{{Time: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC)}}}); err != nil {
		return nil, err
	}
	if _, err := e.store.SetSLATargets(ctx, mgr, c.ID, []models.SLATarget{
		{Priority: models.PriorityNormal, FirstResponseMinutes: 480, ResolutionMinutes: 2400},
		{Priority: models.PriorityUrgent, FirstResponseMinutes: 120, ResolutionMinutes: 960},
		{Priority: models.PriorityCritical, FirstResponseMinutes: 30, ResolutionMinutes: 240},
	}); err != nil {
		return nil, err
	}
	now := time.Now()
	openID, err := e.requests(ctx, c.ID, reporter.ID, "Open requests", open, now.AddDate(0, 0, -20), 20*24*time.Hour, false)
	if err != nil {
		return nil, err
	}
	month := time.Date(now.Year(), now.Month()-2, 1, 0, 0, 0, 0, time.UTC)
	if _, err := e.requests(ctx, c.ID, reporter.ID, "Last quarter", monthly, month, 27*24*time.Hour, true); err != nil {
		return nil, err
	}
	var out []Result
	for _, q := range []struct {
		variant, path string
		size          int
	}{
		{"clocks of open requests", fmt.Sprintf("/api/projects/%d/sla", openID), open},
		{"monthly report", fmt.Sprintf("/api/clients/%d/sla-report?month=%s", c.ID, month.Format("2006-01")), monthly},
	} {
		raw, err := e.get(q.path, false)
		if err != nil {
			return nil, err
		}
		gz, _ := e.get(q.path, true)
		for _, conc := range []int{1, 8} {
			r := measure(ctx, conc, e.pick(20, 200), 20*time.Second, func(int, int) error {
				_, err := e.get(q.path, true)
				return err
			})
			r.Scenario, r.Variant, r.Size, r.Bytes, r.GzipBytes = "sla", q.variant, q.size, raw, gz
			out = append(out, r)
		}
	}
	return out, e.db.WithContext(ctx).Exec("UPDATE projects SET archived_at = now() WHERE client_id = ?", c.ID).Error
}

// requests files n client requests on a new project of the client, spread
// over span from since, of every kind and priority. A third got a public
// staff answer; most moved on (to in progress, some to awaiting reply);
// with finished set, half of them ended in done.
func (e *benchEnv) requests(ctx context.Context, client, reporter int64, name string, n int, since time.Time, span time.Duration, finished bool) (int64, error) {
	p, err := e.store.CreateProject(ctx, e.manager.Actor(), store.NewProject{ClientID: client, Name: name, MemberIDs: []int64{e.people[0].ID}})
	if err != nil {
		return 0, err
	}
	step := span / time.Duration(n)
	db := e.db.WithContext(ctx)
	err = db.Exec(`
INSERT INTO tasks (project_id, title, status, rank, kind, priority, reporter_id, created_at, status_changed_at)
SELECT @p, 'Request ' || g, s.status, lpad(g::text, 8, '0'), (ARRAY['task','bug','question','change'])[1 + g % 4],
       (ARRAY['normal','normal','urgent','critical'])[1 + g % 4], @reporter, s.at, s.at
FROM generate_series(1, @n) g
CROSS JOIN LATERAL (SELECT CAST(@since AS timestamptz) + (g * CAST(@step AS bigint)) * interval '1 microsecond' AS at,
	CASE WHEN NOT @finished THEN (ARRAY['set','in_progress','in_progress','awaiting_reply'])[1 + g % 4]
	     ELSE (ARRAY['done','done','in_progress','set'])[1 + g % 4] END AS status) s`,
		map[string]any{"p": p.ID, "reporter": reporter, "n": n, "since": since, "step": step.Microseconds(), "finished": finished}).Error
	if err != nil {
		return 0, err
	}
	// The events a list reads the clocks from: the moves out of set (and,
	// for the cards waiting on the client, on to awaiting reply) and a
	// public staff comment on every third request.
	err = db.Exec(`
WITH history AS (
	SELECT t.id, t.created_at + interval '40 minutes' AS at, 'task.moved' AS kind, 'in_progress' AS st, NULL::bigint AS actor
	FROM tasks t WHERE t.project_id = @p AND t.status <> 'set'
	UNION ALL
	SELECT t.id, t.created_at + interval '3 hours', 'task.moved', t.status, NULL FROM tasks t WHERE t.project_id = @p AND t.status IN ('awaiting_reply', 'done')
	UNION ALL
	SELECT t.id, t.created_at + interval '25 minutes', 'comment.created', NULL, @staff FROM tasks t WHERE t.project_id = @p AND t.id % 3 = 0
), numbered AS (SELECT h.*, row_number() OVER (ORDER BY h.at, h.id, h.kind) AS seq FROM history h)
INSERT INTO events (project_id, seq, kind, actor_id, task_id, payload, client_payload, created_at)
SELECT @p, seq, kind, actor, id,
	CASE WHEN st IS NULL THEN jsonb_build_object('task_id', id) ELSE jsonb_build_object('changes', jsonb_build_object('status', jsonb_build_object('to', st))) END,
	'{}', at FROM numbered`,
		map[string]any{"p": p.ID, "staff": e.people[0].ID}).Error
	if err != nil {
		return 0, err
	}
	if err := db.Exec(`INSERT INTO project_event_seqs (project_id, n) SELECT @p, coalesce(max(seq), 0) FROM events WHERE project_id = @p
		ON CONFLICT (project_id) DO UPDATE SET n = excluded.n`, map[string]any{"p": p.ID}).Error; err != nil {
		return 0, err
	}
	return p.ID, nil
}
