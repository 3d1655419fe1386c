package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// SavedFilters lists the actor's own saved filters by name.
func (s *Store) SavedFilters(ctx context.Context, a models.Actor) ([]models.SavedFilter, error) {
	list := []models.SavedFilter{}
	err := s.db.WithContext(ctx).Table("saved_filters").Where("user_id = ?", a.UserID).Order("lower(name), id").Find(&list).Error
	return list, wrap("saved filters", err)
}

// SaveFilter keeps a named filter for the actor; a name is theirs once.
func (s *Store) SaveFilter(ctx context.Context, a models.Actor, f models.SavedFilter) (models.SavedFilter, error) {
	probs := models.Problems{}
	f = models.CleanSavedFilter(probs, f)
	if err := probs.Err(); err != nil {
		return f, err
	}
	f.ID, f.UserID = 0, a.UserID
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Table("saved_filters").Where("user_id = ?", a.UserID).Count(&n).Error; err != nil {
			return wrap("count saved filters", err)
		}
		if n >= models.SavedFiltersMax {
			return models.Invalid("name", models.FiltersTooMany, 50)
		}
		if err := tx.Table("saved_filters").Create(&f).Error; err != nil {
			err = wrap("save filter", err)
			if errors.Is(err, models.ErrDuplicate) {
				return models.Invalid("name", models.FilterNameTaken)
			}
			return err
		}
		return tx.Table("saved_filters").Where("id = ?", f.ID).Take(&f).Error
	})
	return f, err
}

// RenameSavedFilter gives one of the actor's saved filters another name,
// free among theirs; another person's is not found.
func (s *Store) RenameSavedFilter(ctx context.Context, a models.Actor, id int64, name string) (models.SavedFilter, error) {
	probs := models.Problems{}
	name = models.CleanName(probs, "name", name, models.SavedFilterNameMax)
	if err := probs.Err(); err != nil {
		return models.SavedFilter{}, err
	}
	var f models.SavedFilter
	res := s.db.WithContext(ctx).Raw("UPDATE saved_filters SET name = ? WHERE id = ? AND user_id = ? RETURNING *", name, id, a.UserID).Scan(&f)
	if err := wrap("rename saved filter", res.Error); err != nil {
		if errors.Is(err, models.ErrDuplicate) {
			return f, models.Invalid("name", models.FilterNameTaken)
		}
		return f, err
	}
	if res.RowsAffected == 0 {
		return f, fmt.Errorf("store: saved filter %d: %w", id, models.ErrNotFound)
	}
	return f, nil
}

// DeleteSavedFilter removes one of the actor's saved filters; another
// person's is not found, as if it did not exist.
func (s *Store) DeleteSavedFilter(ctx context.Context, a models.Actor, id int64) error {
	res := s.db.WithContext(ctx).Exec("DELETE FROM saved_filters WHERE id = ? AND user_id = ?", id, a.UserID)
	if res.Error != nil {
		return wrap("delete saved filter", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: saved filter %d: %w", id, models.ErrNotFound)
	}
	return nil
}
