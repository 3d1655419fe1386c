package store

import (
	"context"
	"fmt"
	"time"

	"github.com/doska/doska/models"
)

// reportKeys are each grouping's key, label and the join that names it. A
// day is the reader's calendar day the entry started on: an entry past
// midnight counts whole on its first day, so that the report adds up in
// SQL (the timesheet, a week of one person, splits it instead).
var reportKeys = map[models.ReportGroup]struct{ key, label, join string }{
	models.GroupClient:  {"c.id", "c.name", "JOIN clients c ON c.id = p.client_id"},
	models.GroupProject: {"p.id", "p.name", ""},
	models.GroupTask:    {"t.id", "'#' || t.number || ' ' || t.title", "JOIN tasks t ON t.id = e.task_id"},
	models.GroupPerson:  {"u.id", "u.name", "JOIN users u ON u.id = e.user_id"},
	models.GroupDay:     {"0", "to_char(e.started_at AT TIME ZONE @tz, 'YYYY-MM-DD')", ""},
}

// TimeReport adds up the finished time entries that started in the
// period (days of loc), grouped one way, in one aggregate query. Managers
// and admins read everyone's time; a developer reads their own, on the
// projects they are a member of; clients read none. Amounts are there for
// readers who may see money (developers only with show_money_to_devs).
func (s *Store) TimeReport(ctx context.Context, a models.Actor, f models.ReportFilter, loc *time.Location) (models.Report, error) {
	probs := models.Problems{}
	f.Check(probs)
	if err := probs.Err(); err != nil {
		return models.Report{}, err
	}
	person, err := a.ReportPerson(f.UserID)
	if err != nil {
		return models.Report{}, err
	}
	k := reportKeys[f.Group]
	from := time.Date(f.From.Year(), f.From.Month(), f.From.Day(), 0, 0, 0, 0, loc)
	to := time.Date(f.To.Year(), f.To.Month(), f.To.Day()+1, 0, 0, 0, 0, loc)
	args := map[string]any{"from": from, "to": to, "tz": loc.String()}
	where := "e.ended_at IS NOT NULL AND e.started_at >= @from AND e.started_at < @to"
	for _, c := range []struct {
		column string
		id     int64
	}{{"p.client_id", f.ClientID}, {"e.project_id", f.ProjectID}, {"e.task_id", f.TaskID}, {"e.user_id", person}} {
		if c.id != 0 {
			name := fmt.Sprintf("id%d", len(args))
			where += fmt.Sprintf(" AND %s = @%s", c.column, name)
			args[name] = c.id
		}
	}
	if f.Billable != nil {
		where += " AND e.billable = @billable"
		args["billable"] = *f.Billable
	}
	if sc := a.ProjectScope(); sc.Kind != models.ScopeAll {
		where += " AND e.project_id IN (SELECT pm.project_id FROM project_members pm WHERE pm.user_id = @member)"
		args["member"] = sc.UserID
	}
	db := s.db.WithContext(ctx)
	money, err := seesMoney(db, a)
	if err != nil {
		return models.Report{}, err
	}
	// A line per group and project, each project at its effective rate:
	// the rates are joined to the added-up lines, not to every entry.
	var lines []models.ReportLine
	err = db.Raw(`SELECT g.*, coalesce(rp.hourly_rate_cents, rc.hourly_rate_cents) AS rate_cents, rc.currency
FROM (SELECT `+k.key+` AS key, `+k.label+` AS label, e.project_id, sum(e.minutes) AS minutes,
	coalesce(sum(e.minutes) FILTER (WHERE e.billable), 0) AS billable_minutes
	FROM time_entries e JOIN projects p ON p.id = e.project_id `+k.join+`
	WHERE `+where+`
	GROUP BY 1, 2, 3) g
JOIN projects rp ON rp.id = g.project_id JOIN clients rc ON rc.id = rp.client_id`, args).Scan(&lines).Error
	out := models.Report{From: f.From, To: f.To, Group: f.Group}
	out.Fold(lines, money)
	return out, wrap("time report", err)
}
