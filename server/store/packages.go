package store

// Hour packages: hours a client bought in advance, and the balance their
// billable time leaves of them. The arithmetic is models.Burn; this file
// reads what it needs and writes the packages. Days are the agency's
// (the time zone of its business hours), so every reader sees the same
// balance.

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

// BalanceChannel announces "<client>": the client's packages or billable
// time changed, so open pages read its balance again.
const BalanceChannel = "doska_balance"

// notifyBalance rings BalanceChannel for a client.
func notifyBalance(tx *gorm.DB, clientID int64) error {
	return wrap("notify balance", tx.Exec("SELECT pg_notify(?, ?)", BalanceChannel, strconv.FormatInt(clientID, 10)).Error)
}

// PackageBalance is a client's balance as one reader may see it: Money is
// nil for a reader who may not see amounts (a developer, unless the agency
// shows them money).
type PackageBalance struct {
	models.Balance
	Money *BalanceMoney `json:"money"`
}

// BalanceMoney prices the overrun at the client's rates.
type BalanceMoney struct {
	Currency        string `json:"currency"`
	HourlyRateCents int64  `json:"hourly_rate_cents"`
	OverrunCents    int64  `json:"overrun_cents"`
}

// agencyZone is the zone the agency's days are in: its business hours'.
func agencyZone(tx *gorm.DB) (*time.Location, error) {
	hours, err := readBusinessHours(tx)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(hours.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("store: agency time zone %q: %w", hours.TimeZone, err)
	}
	return loc, nil
}

// Today is the agency's current calendar day.
func (s *Store) Today(ctx context.Context) (models.Date, error) {
	loc, err := agencyZone(s.db.WithContext(ctx))
	if err != nil {
		return models.Date{}, err
	}
	return dayIn(s.now(), loc), nil
}

func dayIn(t time.Time, loc *time.Location) models.Date {
	y, m, d := t.In(loc).Date()
	return models.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// canReadPackages: managers and admins, the client's own users (s.client
// already hid other clients), and developers who see the client's
// projects, in hours only.
func canReadPackages(a models.Actor) bool {
	return a.Can(models.ActManageClients) || a.Role == models.RoleClient || a.Can(models.ActLogTime)
}

// ClientBalance is a client's packages and overrun over from..to (days of
// the agency, both counted), as the actor may see them; another client's
// is not found.
func (s *Store) ClientBalance(ctx context.Context, a models.Actor, clientID int64, from, to models.Date) (PackageBalance, error) {
	probs := models.Problems{}
	models.ReportFilter{From: from, To: to, Group: models.GroupDay}.Check(probs)
	if err := probs.Err(); err != nil {
		return PackageBalance{}, err
	}
	var out PackageBalance
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if _, err := s.client(tx, a, clientID); err != nil {
			return err
		}
		if !canReadPackages(a) {
			return fmt.Errorf("store: packages of client %d: %w", clientID, models.ErrForbidden)
		}
		var err error
		if out.Balance, err = clientBalance(tx, clientID, from, to); err != nil {
			return err
		}
		set, err := readSettings(tx)
		if err != nil || !a.SeesMoney(set.ShowMoneyToDevs) {
			return err
		}
		r, err := rates(tx, clientID)
		if err != nil {
			return err
		}
		out.Money = &BalanceMoney{Currency: r.Currency, HourlyRateCents: r.HourlyRateCents, OverrunCents: out.OverrunCents(r)}
		return nil
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	return out, err
}

// clientBalance burns the client's finished billable time into its
// packages, from the oldest package's start (or the period's, if earlier)
// to the period's end, so the balance is right as of both ends. A caller
// in a transaction (a statement being issued) reads it there.
func clientBalance(tx *gorm.DB, clientID int64, from, to models.Date) (models.Balance, error) {
	loc, err := agencyZone(tx)
	if err != nil {
		return models.Balance{}, err
	}
	pkgs, err := clientPackages(tx, clientID)
	if err != nil {
		return models.Balance{}, err
	}
	first := from
	for _, p := range pkgs {
		if p.StartsOn.Before(first.Time) {
			first = p.StartsOn
		}
	}
	entries, err := billableTime(tx, clientID, first, to, loc)
	if err != nil {
		return models.Balance{}, err
	}
	return models.Burn(pkgs, entries, from, to, loc), nil
}

// billableTime is the client's finished billable time worked on the days
// first..to of the agency (in loc).
func billableTime(tx *gorm.DB, clientID int64, first, to models.Date, loc *time.Location) ([]models.BillableTime, error) {
	// An entry that started a day or two before still has minutes on the
	// first day (a timer may run past a day): the margin catches it.
	since := time.Date(first.Year(), first.Month(), first.Day()-2, 0, 0, 0, 0, loc)
	until := time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, loc)
	var entries []models.BillableTime
	err := tx.Raw(`SELECT e.started_at, e.minutes, e.project_id FROM time_entries e JOIN projects p ON p.id = e.project_id
WHERE p.client_id = ? AND e.billable AND e.ended_at IS NOT NULL AND e.started_at >= ? AND e.started_at < ?
ORDER BY e.started_at, e.id`, clientID, since, until).Scan(&entries).Error
	return entries, wrap("billable time", err)
}

func clientPackages(tx *gorm.DB, clientID int64) ([]models.HourPackage, error) {
	var list []models.HourPackage
	err := tx.Where("client_id = ?", clientID).Order("starts_on, id").Find(&list).Error
	return list, wrap("packages", err)
}

// CreatePackage adds a package to a client (managers and admins).
func (s *Store) CreatePackage(ctx context.Context, a models.Actor, clientID int64, pk models.HourPackage) (models.HourPackage, error) {
	probs := models.Problems{}
	pk.Check(probs)
	if err := probs.Err(); err != nil {
		return pk, err
	}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := managePackages(tx, s, a, clientID); err != nil {
			return err
		}
		pk.ID, pk.ClientID = 0, clientID
		if err := tx.Omit("created_at", "updated_at").Create(&pk).Error; err != nil {
			return wrap("create package", err)
		}
		return notifyBalance(tx, clientID)
	})
	if err != nil {
		return pk, err
	}
	return s.hourPackage(ctx, pk.ID)
}

// UpdatePackage replaces a package's terms (managers and admins); ending
// it is setting EndsOn. Its client stays.
func (s *Store) UpdatePackage(ctx context.Context, a models.Actor, id int64, pk models.HourPackage) (models.HourPackage, error) {
	probs := models.Problems{}
	pk.Check(probs)
	if err := probs.Err(); err != nil {
		return pk, err
	}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		old, err := packageByID(tx, id)
		if err != nil {
			return err
		}
		if err := managePackages(tx, s, a, old.ClientID); err != nil {
			return err
		}
		err = tx.Exec(`UPDATE hour_packages SET kind = ?, name = ?, minutes = ?, rollover = ?,
			starts_on = ?, ends_on = ?, updated_at = now() WHERE id = ?`,
			pk.Kind, pk.Name, pk.Minutes, pk.Rollover, pk.StartsOn, pk.EndsOn, id).Error
		if err != nil {
			return wrap("update package", err)
		}
		return notifyBalance(tx, old.ClientID)
	})
	if err != nil {
		return pk, err
	}
	return s.hourPackage(ctx, id)
}

// managePackages checks the actor may change the client's packages: the
// client must be visible (else not found), and the actor a manager or admin.
func managePackages(tx *gorm.DB, s *Store, a models.Actor, clientID int64) error {
	if _, err := s.client(tx, a, clientID); err != nil {
		return err
	}
	if !a.Can(models.ActManageClients) {
		return fmt.Errorf("store: packages of client %d: %w", clientID, models.ErrForbidden)
	}
	return nil
}

func packageByID(tx *gorm.DB, id int64) (models.HourPackage, error) {
	var pk models.HourPackage
	err := tx.Where("id = ?", id).Take(&pk).Error
	return pk, wrap(fmt.Sprintf("package %d", id), err)
}

func (s *Store) hourPackage(ctx context.Context, id int64) (models.HourPackage, error) {
	return packageByID(s.db.WithContext(ctx), id)
}
