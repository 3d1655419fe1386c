package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/doska/doska/server/store"
)

// reports measures the time report a manager reads: 100,000 entries of 50
// people on the projects of 20 clients, spread over the last year (about
// 8,300 in a month, a busy agency's), read for one month grouped by person
// and for the whole year grouped by client.
func reports(ctx context.Context, e *benchEnv) ([]Result, error) {
	const clients = 20
	entries := e.pick(10000, 100000)
	db := e.db.WithContext(ctx)
	var tasks []int64
	for i := range clients {
		c, err := e.store.CreateClient(ctx, e.manager.Actor(), fmt.Sprintf("Report client %d", i+1))
		if err != nil {
			return nil, err
		}
		members := make([]int64, len(e.people))
		for j, p := range e.people {
			members[j] = p.ID
		}
		p, err := e.store.CreateProject(ctx, e.manager.Actor(), store.NewProject{ClientID: c.ID, Name: "Retainer", MemberIDs: members})
		if err != nil {
			return nil, err
		}
		var id int64
		if err := db.Raw(`INSERT INTO tasks (project_id, title, status, rank, kind, priority, reporter_id)
			VALUES (?, 'Retainer work', 'in_progress', '00000001', 'task', 'normal', ?) RETURNING id`, p.ID, e.manager.ID).Row().Scan(&id); err != nil {
			return nil, err
		}
		tasks = append(tasks, id)
	}
	people := make([]int64, len(e.people))
	for i, p := range e.people {
		people[i] = p.ID
	}
	end := time.Now().UTC()
	err := db.Exec(`
INSERT INTO time_entries (user_id, task_id, project_id, started_at, ended_at, minutes, billable)
SELECT (CAST(@people AS bigint[]))[1 + g % cardinality(CAST(@people AS bigint[]))], t.id, t.project_id, s.at, s.at + interval '45 minutes', 45, g % 5 <> 0
FROM generate_series(1, @n) g
JOIN tasks t ON t.id = (CAST(@tasks AS bigint[]))[1 + g % cardinality(CAST(@tasks AS bigint[]))]
CROSS JOIN LATERAL (SELECT CAST(@end AS timestamptz) - (g * (365 * 86400 / @n)) * interval '1 second' AS at) s`,
		map[string]any{"people": pgArray(people), "tasks": pgArray(tasks), "n": entries, "end": end}).Error
	if err != nil {
		return nil, err
	}
	if err := db.Exec("ANALYZE time_entries").Error; err != nil {
		return nil, err
	}
	var out []Result
	month, year := end.AddDate(0, -1, 1), end.AddDate(-1, 0, 1)
	for _, v := range []struct {
		name string
		from time.Time
		by   string
	}{{"a month by person", month, "person"}, {"a year by client", year, "client"}} {
		path := fmt.Sprintf("/api/reports/time?from=%s&to=%s&group=%s", v.from.Format(time.DateOnly), end.Format(time.DateOnly), v.by)
		r := measure(ctx, 1, e.pick(50, 300), 20*time.Second, func(int, int) error {
			_, err := e.get(path, true)
			return err
		})
		r.Scenario, r.Variant, r.Size = "report", v.name, entries
		out = append(out, r)
	}
	return out, nil
}

// pgArray writes IDs as a PostgreSQL array literal, one parameter.
func pgArray(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return textArray(parts)
}
