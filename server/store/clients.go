package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

func clientsQuery(tx *gorm.DB, scope models.Scope) *gorm.DB {
	count := scopeProjects(tx.Session(&gorm.Session{NewDB: true}).Table("projects").Select("count(*)").
		Where("projects.client_id = clients.id AND projects.archived_at IS NULL"), scope)
	return scopeClients(tx.Table("clients").Select("clients.*, (?) AS project_count", count), scope)
}

// ListClients returns the clients the actor can see, by name; archived
// ones only when asked for.
func (s *Store) ListClients(ctx context.Context, a models.Actor, archived bool) ([]models.Client, error) {
	q := clientsQuery(s.db.WithContext(ctx), a.ProjectScope())
	if !archived {
		q = q.Where("clients.archived_at IS NULL")
	}
	list := []models.Client{}
	err := q.Order("lower(clients.name), clients.id").Find(&list).Error
	return list, wrap("list clients", err)
}

// Client returns one client the actor can see.
func (s *Store) Client(ctx context.Context, a models.Actor, id int64) (models.Client, error) {
	return s.client(s.db.WithContext(ctx), a, id)
}

func (s *Store) client(tx *gorm.DB, a models.Actor, id int64) (models.Client, error) {
	var c models.Client
	err := clientsQuery(tx, a.ProjectScope()).Where("clients.id = ?", id).Take(&c).Error
	return c, wrap(fmt.Sprintf("client %d", id), err)
}

// CreateClient adds a client company.
func (s *Store) CreateClient(ctx context.Context, a models.Actor, name string) (models.Client, error) {
	if !a.Can(models.ActManageClients) {
		return models.Client{}, fmt.Errorf("store: create client: %w", models.ErrForbidden)
	}
	probs := models.Problems{}
	name = models.CleanName(probs, "name", name, models.NameMax)
	if err := probs.Err(); err != nil {
		return models.Client{}, err
	}
	var c models.Client
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		row := models.Client{Name: name}
		if err := tx.Table("clients").Omit("project_count", "created_at").Create(&row).Error; err != nil {
			return clientNameTaken(wrap("create client", err))
		}
		var err error
		c, err = s.client(tx, a, row.ID)
		return err
	})
	return c, err
}

// ClientPatch is a change to a client. Nil fields stay.
type ClientPatch struct {
	Name     *string
	Archived *bool
}

// UpdateClient renames or archives a client.
func (s *Store) UpdateClient(ctx context.Context, a models.Actor, id int64, p ClientPatch) (models.Client, error) {
	var c models.Client
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if _, err := s.client(tx, a, id); err != nil {
			return err
		}
		if !a.Can(models.ActManageClients) {
			return fmt.Errorf("store: update client %d: %w", id, models.ErrForbidden)
		}
		probs := models.Problems{}
		set := map[string]any{}
		if p.Name != nil {
			set["name"] = models.CleanName(probs, "name", *p.Name, models.NameMax)
		}
		if p.Archived != nil {
			set["archived_at"] = archivedAt(*p.Archived, s.now())
		}
		if err := probs.Err(); err != nil {
			return err
		}
		if len(set) > 0 {
			if err := tx.Table("clients").Where("id = ?", id).Updates(set).Error; err != nil {
				return clientNameTaken(wrap("update client", err))
			}
			// Lists name each project's client, and drop an archived one's.
			if err := notifyProjects(tx, id); err != nil {
				return err
			}
		}
		var err error
		c, err = s.client(tx, a, id)
		return err
	})
	return c, err
}

func clientNameTaken(err error) error {
	if errors.Is(err, models.ErrDuplicate) {
		return models.Invalid("name", models.ClientNameTaken)
	}
	return err
}
