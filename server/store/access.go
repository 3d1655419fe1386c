package store

// Every check of who may see a project lives in this file. The rule is
// models.Scope: checkAccess applies it to one project; scopeProjects,
// scopeTasks and scopeClients translate it into a WHERE clause for lists;
// readers applies it to the people a notification would reach. A project (or a
// task, a comment) outside the actor's scope is not found, the same answer
// as one that does not exist.

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// isMember is a SQL test that a user is a staff member of a project: the
// format arguments name the project's id and the user's id ("?" for a
// parameter).
const isMember = "EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = %s AND m.user_id = %s)"

// checkAccess applies the actor's scope to one project.
func checkAccess(a models.Actor, project int64, pa models.ProjectAccess) error {
	if pa.ClientID == 0 || !a.ProjectScope().Includes(pa) {
		return fmt.Errorf("store: project %d: %w", project, models.ErrNotFound)
	}
	return nil
}

// access checks that the actor can see the project. It is the lean check
// of the task hot paths.
func access(tx *gorm.DB, a models.Actor, project int64) error {
	var row struct {
		ClientID int64 `gorm:"column:client_id"`
		IsMember bool  `gorm:"column:is_member"`
	}
	err := tx.Raw(`SELECT p.client_id, `+fmt.Sprintf(isMember, "p.id", "?")+` AS is_member FROM projects p WHERE p.id = ?`,
		a.UserID, project).Find(&row).Error
	if err != nil {
		return wrap("access", err)
	}
	return checkAccess(a, project, models.ProjectAccess{ClientID: row.ClientID, IsMember: row.IsMember})
}

// CanSee reports (as ErrNotFound) whether the actor may see the project.
func (s *Store) CanSee(ctx context.Context, a models.Actor, project int64) error {
	return access(s.db.WithContext(ctx), a, project)
}

// loadTask reads a task the actor can see, locking it for the rest of the
// transaction when lock is set.
func loadTask(tx *gorm.DB, a models.Actor, id int64, lock bool) (models.Task, error) {
	// The access check rides along in the same query: this is the first
	// statement of every task command.
	var row struct {
		models.Task
		AccessClient int64 `gorm:"column:access_client"`
		AccessMember bool  `gorm:"column:access_member"`
	}
	q := tx.Table("tasks").Select(taskColumns+`, tasks.description, projects.client_id AS access_client, `+
		fmt.Sprintf(isMember, "tasks.project_id", "?")+` AS access_member`, a.UserID).
		Joins("JOIN projects ON projects.id = tasks.project_id").Where("tasks.id = ?", id)
	if lock {
		q = q.Clauses(forUpdateOf("tasks"))
	}
	if err := q.Take(&row).Error; err != nil {
		return row.Task, wrap(fmt.Sprintf("task %d", id), err)
	}
	if err := checkAccess(a, row.ProjectID, models.ProjectAccess{ClientID: row.AccessClient, IsMember: row.AccessMember}); err != nil {
		return models.Task{}, fmt.Errorf("store: task %d: %w", id, err)
	}
	return row.Task, nil
}

// project loads a project the actor can see, with its members.
func (s *Store) project(tx *gorm.DB, a models.Actor, id int64) (models.Project, error) {
	p, err := s.loadProject(tx, id)
	if err != nil {
		return p, err
	}
	pa := models.ProjectAccess{ClientID: p.ClientID}
	for _, m := range p.Members {
		pa.IsMember = pa.IsMember || m.ID == a.UserID
	}
	if err := checkAccess(a, id, pa); err != nil {
		return models.Project{}, err
	}
	return p, nil
}

// scopeProjects limits a query over "projects" to the scope.
func scopeProjects(q *gorm.DB, s models.Scope) *gorm.DB {
	switch s.Kind {
	case models.ScopeAll:
		return q
	case models.ScopeMember:
		return q.Where(fmt.Sprintf(isMember, "projects.id", "?"), s.UserID)
	case models.ScopeClient:
		return q.Where("projects.client_id = ?", s.ClientID)
	}
	return q.Where("false")
}

// scopeTasks limits a query over "tasks" to the projects in the scope. It
// names tasks.project_id itself, not the joined project, so that
// PostgreSQL reads the cards of those projects through the (project_id,
// status) index instead of filtering the open cards of every project.
func scopeTasks(q *gorm.DB, s models.Scope) *gorm.DB {
	switch s.Kind {
	case models.ScopeAll:
		return q
	case models.ScopeMember:
		return q.Where("tasks.project_id IN (SELECT pm.project_id FROM project_members pm WHERE pm.user_id = ?)", s.UserID)
	case models.ScopeClient:
		return q.Where("tasks.project_id IN (SELECT p.id FROM projects p WHERE p.client_id = ?)", s.ClientID)
	}
	return q.Where("false")
}

// scopeClients limits a query over "clients" to those with a project in
// the scope (or the client user's own company).
func scopeClients(q *gorm.DB, s models.Scope) *gorm.DB {
	switch s.Kind {
	case models.ScopeAll:
		return q
	case models.ScopeMember:
		return q.Where(`EXISTS (SELECT 1 FROM projects p JOIN project_members pm ON pm.project_id = p.id
			WHERE p.client_id = clients.id AND pm.user_id = ?)`, s.UserID)
	case models.ScopeClient:
		return q.Where("clients.id = ?", s.ClientID)
	}
	return q.Where("false")
}

// visibleSets returns the projects (open or archived) and the clients the
// actor can see.
func visibleSets(tx *gorm.DB, a models.Actor) (projects, clients map[int64]bool, err error) {
	var rows []struct {
		ID       int64 `gorm:"column:id"`
		ClientID int64 `gorm:"column:client_id"`
	}
	if err := scopeProjects(tx.Table("projects").Select("projects.id, projects.client_id"), a.ProjectScope()).Find(&rows).Error; err != nil {
		return nil, nil, wrap("visible projects", err)
	}
	projects, clients = map[int64]bool{}, map[int64]bool{}
	for _, r := range rows {
		projects[r.ID], clients[r.ClientID] = true, true
	}
	return projects, clients, nil
}

// readers keeps, of the active users the candidates query returns (the
// actor excepted), those who can see the project now, each judged by the
// scope they would have as an actor.
func readers(tx *gorm.DB, a models.Actor, project int64, candidates string, args []any) ([]int64, error) {
	q := `SELECT u.id, u.role, u.client_id, p.client_id, ` + fmt.Sprintf(isMember, "p.id", "u.id") + `
FROM users u JOIN projects p ON p.id = ? WHERE u.active AND u.id <> ? AND u.id IN (` + candidates + `)`
	var ids []int64
	err := queryRows(tx, q, append([]any{project, a.UserID}, args...), func(row pgx.Rows) error {
		var u models.User
		var pa models.ProjectAccess
		if err := row.Scan(&u.ID, &u.Role, &u.ClientID, &pa.ClientID, &pa.IsMember); err != nil {
			return err
		}
		if checkAccess(u.Actor(), project, pa) == nil {
			ids = append(ids, u.ID)
		}
		return nil
	})
	if err != nil {
		return nil, wrap("readers", err)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// scopeDocs is the scope as a condition on search_docs (alias d): the rows
// of the projects in scope, the clients of those projects (with their
// workshops), and for a client user never a staff-only text (internal notes
// and items, a workshop not yet published). A search puts it in the same WHERE as the
// match, so nothing out of scope is ranked, counted or cut by a LIMIT.
func scopeDocs(s models.Scope) (string, []any) {
	switch s.Kind {
	case models.ScopeAll:
		return "true", nil
	case models.ScopeMember:
		return `(d.project_id IN (SELECT pm.project_id FROM project_members pm WHERE pm.user_id = ?)
			OR d.source IN ('client', 'workshop', 'workshop_internal', 'workshop_item') AND d.client_id IN (SELECT p.client_id FROM projects p JOIN project_members pm ON pm.project_id = p.id WHERE pm.user_id = ?))`,
			[]any{s.UserID, s.UserID}
	case models.ScopeClient:
		return "d.client_id = ? AND NOT d.internal", []any{s.ClientID}
	}
	return "false", nil
}

// scopeLexemes are the lexemes migrations 00018 and 00026 write into
// search_docs.tsv for who may see a row, as tsquery terms narrowing a
// search to the scope and the client and project filters: the GIN index
// then returns only those rows instead of every company's matches for
// scopeDocs to drop. scopeDocs stays the rule; these only spare reading
// what it would refuse. member is a developer's projects and clients as
// tsquery terms (searchTerms reads them), "" for anyone else.
func scopeLexemes(s models.Scope, member string, clientID, projectID int64) []string {
	var out []string
	switch {
	case s.Kind == models.ScopeClient:
		out = append(out, fmt.Sprintf("'§c%d'", s.ClientID))
	case clientID != 0:
		out = append(out, fmt.Sprintf("('§c%d' | '§i%d')", clientID, clientID))
	}
	if s.Kind == models.ScopeMember && member != "" {
		out = append(out, "("+member+")")
	}
	if projectID != 0 {
		out = append(out, fmt.Sprintf("'§p%d'", projectID))
	}
	return out
}
