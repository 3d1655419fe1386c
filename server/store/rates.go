package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// Rates returns a client's rates: to managers, admins and the client's own
// users; to developers only when the agency shows them money.
func (s *Store) Rates(ctx context.Context, a models.Actor, clientID int64) (models.Rates, error) {
	db := s.db.WithContext(ctx)
	if _, err := s.client(db, a, clientID); err != nil {
		return models.Rates{}, err
	}
	set, err := readSettings(db)
	if err != nil {
		return models.Rates{}, err
	}
	if !a.SeesMoney(set.ShowMoneyToDevs) {
		return models.Rates{}, fmt.Errorf("store: rates of client %d: %w", clientID, models.ErrForbidden)
	}
	return rates(db, clientID)
}

func rates(tx *gorm.DB, clientID int64) (models.Rates, error) {
	var r models.Rates
	err := tx.Raw("SELECT currency, hourly_rate_cents FROM clients WHERE id = ?", clientID).Row().Scan(&r.Currency, &r.HourlyRateCents)
	if err != nil {
		return r, wrap("rates", err)
	}
	r.Projects = []models.ProjectRate{}
	err = tx.Raw(`SELECT id AS project_id, name, hourly_rate_cents FROM projects
		WHERE client_id = ? AND archived_at IS NULL ORDER BY lower(name), id`, clientID).Scan(&r.Projects).Error
	return r, wrap("rates", err)
}

// SetRates replaces a client's rate, currency and project overrides
// (managers and admins). A project left out of r.Projects keeps its
// override; one of another client is refused.
func (s *Store) SetRates(ctx context.Context, a models.Actor, clientID int64, r models.Rates) (models.Rates, error) {
	var out models.Rates
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if _, err := s.client(tx, a, clientID); err != nil {
			return err
		}
		if !a.Can(models.ActManageClients) {
			return fmt.Errorf("store: rates of client %d: %w", clientID, models.ErrForbidden)
		}
		if err := r.Check(); err != nil {
			return err
		}
		if err := tx.Exec("UPDATE clients SET currency = ?, hourly_rate_cents = ? WHERE id = ?",
			r.Currency, r.HourlyRateCents, clientID).Error; err != nil {
			return wrap("rates", err)
		}
		for _, pr := range r.Projects {
			res := tx.Exec("UPDATE projects SET hourly_rate_cents = ? WHERE id = ? AND client_id = ?", pr.HourlyRateCents, pr.ProjectID, clientID)
			if res.Error != nil {
				return wrap("rates", res.Error)
			}
			if res.RowsAffected == 0 {
				return models.Invalid("projects", models.LineProject)
			}
		}
		var err error
		out, err = rates(tx, clientID)
		return err
	})
	return out, err
}
