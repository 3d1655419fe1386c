package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

func projectsQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("projects").Select("projects.*, clients.name AS client_name").
		Joins("JOIN clients ON clients.id = projects.client_id")
}

// ProjectFilter narrows ListProjects.
type ProjectFilter struct {
	ClientID int64
	Archived bool // include archived projects
}

// ListProjects returns the projects the actor can see with their members.
func (s *Store) ListProjects(ctx context.Context, a models.Actor, f ProjectFilter) ([]models.Project, error) {
	q := scopeProjects(projectsQuery(s.db.WithContext(ctx)), a.ProjectScope())
	if f.ClientID != 0 {
		q = q.Where("projects.client_id = ?", f.ClientID)
	}
	if !f.Archived {
		q = q.Where("projects.archived_at IS NULL AND clients.archived_at IS NULL")
	}
	list := []models.Project{}
	if err := q.Order("lower(clients.name), lower(projects.name), projects.id").Find(&list).Error; err != nil {
		return nil, wrap("list projects", err)
	}
	return list, s.loadMembers(s.db.WithContext(ctx), list)
}

// Project returns one project the actor can see, with its members.
func (s *Store) Project(ctx context.Context, a models.Actor, id int64) (models.Project, error) {
	return s.project(s.db.WithContext(ctx), a, id)
}

// loadProject reads a project with its members, whoever may see it: the
// callers check access (project) or announce it to everyone (publishProject).
func (s *Store) loadProject(tx *gorm.DB, id int64) (models.Project, error) {
	var p models.Project
	if err := projectsQuery(tx).Where("projects.id = ?", id).Take(&p).Error; err != nil {
		return p, wrap(fmt.Sprintf("project %d", id), err)
	}
	list := []models.Project{p}
	err := s.loadMembers(tx, list)
	return list[0], err
}

func (s *Store) loadMembers(tx *gorm.DB, list []models.Project) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	byID := make(map[int64]*models.Project, len(list))
	for i := range list {
		ids[i] = list[i].ID
		list[i].Members = []models.Member{}
		byID[list[i].ID] = &list[i]
	}
	var rows []struct {
		ProjectID int64 `gorm:"column:project_id"`
		models.Member
	}
	err := tx.Table("project_members").Select("project_members.project_id, users.id, users.name, users.role").
		Joins("JOIN users ON users.id = project_members.user_id").
		Where("project_members.project_id IN ?", ids).Order("lower(users.name), users.id").Scan(&rows).Error
	if err != nil {
		return wrap("project members", err)
	}
	for _, r := range rows {
		p := byID[r.ProjectID]
		p.Members = append(p.Members, r.Member)
	}
	return nil
}

// NewProject is the input of CreateProject.
type NewProject struct {
	ClientID    int64
	Name        string
	Description string
	MemberIDs   []int64
}

// CreateProject adds a project under a client.
func (s *Store) CreateProject(ctx context.Context, a models.Actor, n NewProject) (models.Project, error) {
	if !a.Can(models.ActManageProjects) {
		return models.Project{}, fmt.Errorf("store: create project: %w", models.ErrForbidden)
	}
	probs := models.Problems{}
	n.Name = models.CleanName(probs, "name", n.Name, models.NameMax)
	n.Description = models.CleanText(probs, "description", n.Description, models.DescriptionMax)
	if n.ClientID <= 0 {
		probs.Add("client_id", models.ProjectClientRequired)
	}
	if err := probs.Err(); err != nil {
		return models.Project{}, err
	}
	var p models.Project
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		c, err := s.client(tx, a, n.ClientID)
		if errors.Is(err, models.ErrNotFound) {
			return models.Invalid("client_id", models.ClientUnknown)
		}
		if err != nil {
			return err
		}
		if c.ArchivedAt != nil {
			return models.Invalid("client_id", models.ClientArchived)
		}
		row := models.Project{ClientID: n.ClientID, Name: n.Name, Description: n.Description}
		if err := tx.Table("projects").Omit("client_name", "created_at").Create(&row).Error; err != nil {
			return projectNameTaken(wrap("create project", err))
		}
		if err := setMembers(tx, row.ID, n.MemberIDs); err != nil {
			return err
		}
		if err := notifyProjects(tx, n.ClientID); err != nil {
			return err
		}
		p, err = s.project(tx, a, row.ID)
		return err
	})
	return p, err
}

// ProjectPatch is a change to a project. Nil fields stay.
type ProjectPatch struct {
	Name        *string
	Description *string
	Archived    *bool
}

// UpdateProject renames, describes or archives a project.
func (s *Store) UpdateProject(ctx context.Context, a models.Actor, id int64, pp ProjectPatch) (models.Project, error) {
	var p models.Project
	err := s.command(ctx, func(tx *gorm.DB, out *outbox) error {
		if _, err := s.project(tx, a, id); err != nil {
			return err
		}
		if !a.Can(models.ActManageProjects) {
			return fmt.Errorf("store: update project %d: %w", id, models.ErrForbidden)
		}
		probs := models.Problems{}
		set := map[string]any{}
		if pp.Name != nil {
			set["name"] = models.CleanName(probs, "name", *pp.Name, models.NameMax)
		}
		if pp.Description != nil {
			set["description"] = models.CleanText(probs, "description", *pp.Description, models.DescriptionMax)
		}
		if pp.Archived != nil {
			set["archived_at"] = archivedAt(*pp.Archived, s.now())
		}
		if err := probs.Err(); err != nil {
			return err
		}
		if len(set) == 0 {
			var err error
			p, err = s.project(tx, a, id)
			return err
		}
		if err := tx.Table("projects").Where("id = ?", id).Updates(set).Error; err != nil {
			return projectNameTaken(wrap("update project", err))
		}
		var err error
		p, err = publishProject(tx, out, s, a, id)
		return err
	})
	return p, err
}

// SetMembers replaces the project's staff members.
func (s *Store) SetMembers(ctx context.Context, a models.Actor, id int64, userIDs []int64) (models.Project, error) {
	var p models.Project
	err := s.command(ctx, func(tx *gorm.DB, out *outbox) error {
		if _, err := s.project(tx, a, id); err != nil {
			return err
		}
		if !a.Can(models.ActManageProjects) {
			return fmt.Errorf("store: set members of project %d: %w", id, models.ErrForbidden)
		}
		if err := tx.Exec("DELETE FROM project_members WHERE project_id = ?", id).Error; err != nil {
			return wrap("set members", err)
		}
		if err := setMembers(tx, id, userIDs); err != nil {
			return err
		}
		var err error
		p, err = publishProject(tx, out, s, a, id)
		return err
	})
	return p, err
}

// setMembers adds active staff users to a project; anyone else in the list
// is a validation error naming the field.
func setMembers(tx *gorm.DB, projectID int64, userIDs []int64) error {
	if len(userIDs) == 0 {
		return nil
	}
	if len(userIDs) > 500 {
		return models.Invalid("user_ids", models.MembersTooMany, 500)
	}
	var staff int64
	err := tx.Table("users").Where("id IN ? AND role <> 'client' AND active", userIDs).Distinct("id").Count(&staff).Error
	if err != nil {
		return wrap("set members", err)
	}
	if int(staff) != len(dedupe(userIDs)) {
		return models.Invalid("user_ids", models.MembersStaffOnly)
	}
	type member struct {
		ProjectID int64 `gorm:"column:project_id"`
		UserID    int64 `gorm:"column:user_id"`
	}
	rows := make([]member, 0, len(userIDs))
	for _, id := range dedupe(userIDs) {
		rows = append(rows, member{projectID, id})
	}
	return wrap("set members", tx.Table("project_members").Create(&rows).Error)
}

func dedupe(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func projectNameTaken(err error) error {
	if errors.Is(err, models.ErrDuplicate) {
		return models.Invalid("name", models.ProjectNameTaken)
	}
	return err
}

func archivedAt(archived bool, now time.Time) *time.Time {
	if archived {
		return &now
	}
	return nil
}

// ProjectEvent is the payload of project.updated: the project as it is now.
type ProjectEvent struct {
	Project models.Project `json:"project"`
}

// publishProject announces a change of a project's name, description or
// members; the live hub also re-checks who may still follow it.
func publishProject(tx *gorm.DB, out *outbox, s *Store, a models.Actor, id int64) (models.Project, error) {
	p, err := s.loadProject(tx, id)
	if err != nil {
		return p, err
	}
	if err := notifyProjects(tx, p.ClientID); err != nil {
		return p, err
	}
	ev := ProjectEvent{Project: p}
	out.add(newEvent{project: id, kind: models.EventProjectUpdated, actor: a.UserID, staff: ev, client: ev})
	return s.project(tx, a, id)
}
