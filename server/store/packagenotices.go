package store

// Package notices: when billable time takes a client's package to 80 % or
// 100 % of its current window, the client's managers, the admins and the
// client's own users are told, in the bell and by mail, once per package,
// level and period (package_notices' primary key). Developers are not:
// they never see package money.

import (
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/mail"
)

// packagedClientOf selects the client of the project (an SQL expression
// for its ID) when that client has hour packages, else 0: the time of a
// client without packages costs a write this one lookup, which a timer
// stop reads in a statement it makes anyway.
const packagedClientOf = `coalesce((SELECT p.client_id FROM projects p WHERE p.id = %s
	AND EXISTS (SELECT FROM hour_packages h WHERE h.client_id = p.client_id)), 0)`

// billedTimeChanged sends the package notices that a write of billable
// time of the client's has made due. The caller has written the time in
// tx; client 0 (no packages) does nothing.
func billedTimeChanged(tx *gorm.DB, client int64, now time.Time) error {
	if client == 0 {
		return nil
	}
	// Under READ COMMITTED two writes at once could each read 79 % and
	// commit 81 % together, and nobody would be told. The lock makes them
	// take turns until commit, and the time is read by a statement after
	// it, so the later write sees the earlier one's time.
	if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext('doska package notices'), ?::int)", client).Error; err != nil {
		return wrap("lock package notices", err)
	}
	loc, err := agencyZone(tx)
	if err != nil {
		return err
	}
	pkgs, err := clientPackages(tx, client)
	if err != nil {
		return err
	}
	today := dayIn(now, loc)
	since, scope := models.NoticeScope(pkgs, today)
	if len(scope) == 0 {
		return nil
	}
	entries, err := billableTime(tx, client, since, today, loc)
	if err != nil {
		return err
	}
	for _, u := range models.Burn(scope, entries, today, today, loc).Packages {
		reached := u.Reached()
		if len(reached) == 0 {
			continue
		}
		var fresh []int
		err := tx.Raw(`INSERT INTO package_notices (package_id, period, level) SELECT ?, ?, unnest(?::int[])
			ON CONFLICT DO NOTHING RETURNING level`, u.ID, u.Period(today), intArray(reached)).Scan(&fresh).Error
		if err != nil {
			return wrap("package notices", err)
		}
		// A write that jumps past both levels tells the higher only; the
		// lower is recorded as sent all the same.
		if len(fresh) > 0 {
			if err := notifyPackage(tx, u, slices.Max(fresh)); err != nil {
				return err
			}
		}
	}
	return nil
}

func intArray(list []int) string {
	ids := make([]int64, len(list))
	for i, v := range list {
		ids[i] = int64(v)
	}
	return pgArray(ids)
}

// notifyPackage tells the package's people that it reached level percent:
// a bell notification each, and mail as each chose. Staff are led to the
// client's page, the client's users to their home.
func notifyPackage(tx *gorm.DB, u models.PackageUse, level int) error {
	var people []struct {
		ID     int64 `gorm:"column:id"`
		Client bool  `gorm:"column:client"`
	}
	err := tx.Raw(`SELECT u.id, u.role = 'client' AS client FROM users u WHERE u.active AND (
		(u.role = 'client' AND u.client_id = ?) OR u.role = 'admin' OR (u.role = 'manager' AND EXISTS (
			SELECT FROM project_members m JOIN projects p ON p.id = m.project_id WHERE m.user_id = u.id AND p.client_id = ?)))
		ORDER BY u.id`, u.ClientID, u.ClientID).Scan(&people).Error
	if err != nil || len(people) == 0 {
		return wrap("package readers", err)
	}
	var staff, clients, all []int64
	for _, p := range people {
		all = append(all, p.ID)
		if p.Client {
			clients = append(clients, p.ID)
		} else {
			staff = append(staff, p.ID)
		}
	}
	err = notifyUsers(tx, `INSERT INTO notifications (user_id, kind, package_id, package_level, package_left_minutes)
		SELECT unnest(?::bigint[]), ?::text, ?::bigint, ?::int, ?::int`,
		pgArray(all), models.NotePackageUsed, u.ID, level, u.LeftMinutes)
	if err != nil {
		return err
	}
	d := mail.Data{Title: u.Name, Package: &mail.Package{Client: u.ClientID, Kind: string(u.Kind), Level: level, LeftMinutes: u.LeftMinutes}}
	if err := tx.Raw("SELECT name FROM clients WHERE id = ?", u.ClientID).Row().Scan(&d.Project); err != nil {
		return wrap("package mail", err)
	}
	d.Package.Staff = true
	if err := queueMail(tx, mail.PackageUsed, staff, nil, d); err != nil {
		return err
	}
	home := *d.Package
	home.Staff = false
	d.Package = &home
	return queueMail(tx, mail.PackageUsed, clients, nil, d)
}
