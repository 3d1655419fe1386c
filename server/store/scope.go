package store

import (
	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// scopeProjects limits a query over "projects" to the scope, the SQL
// translation of models.Scope.Includes.
func scopeProjects(q *gorm.DB, s models.Scope) *gorm.DB {
	switch s.Kind {
	case models.ScopeAll:
		return q
	case models.ScopeMember:
		return q.Where("EXISTS (SELECT 1 FROM project_members pm WHERE pm.project_id = projects.id AND pm.user_id = ?)", s.UserID)
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
