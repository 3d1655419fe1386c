package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
)

const userColumns = "users.id, users.email, users.name, users.role, users.client_id, users.active, users.locale, " +
	"users.password_hash, users.session_version, users.weekly_capacity_minutes, users.created_at, users.updated_at, " +
	"coalesce(clients.name, '') AS client_name"

func usersQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("users").Select(userColumns).Joins("LEFT JOIN clients ON clients.id = users.client_id")
}

// UserByEmail finds a user for sign-in, active or not.
func (s *Store) UserByEmail(ctx context.Context, email string) (models.User, error) {
	var u models.User
	err := usersQuery(s.db.WithContext(ctx)).Where("users.email = ?", email).Take(&u).Error
	return u, wrap("user by email", err)
}

// Authenticate returns the user of an access token if the account is still
// active and the token's session version is current. It runs on every
// request, which is what makes deactivation and "end other sessions" apply at
// once rather than when the token expires.
func (s *Store) Authenticate(ctx context.Context, userID, sessionVersion int64) (models.User, error) {
	var u models.User
	err := usersQuery(s.db.WithContext(ctx)).Where("users.id = ?", userID).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !u.SessionValid(sessionVersion)) {
		return models.User{}, fmt.Errorf("store: authenticate user %d: %w", userID, models.ErrUnauthenticated)
	}
	return u, wrap("authenticate", err)
}

// UserFilter narrows ListUsers.
type UserFilter struct {
	ClientID int64 // only this client's users
	Staff    bool  // only agency staff
}

// ListUsers returns the people directory: all staff, and the client users
// of the clients the actor can see (a developer does not learn who works at
// companies they have no project with). Client users may not list users.
func (s *Store) ListUsers(ctx context.Context, a models.Actor, f UserFilter) ([]models.User, error) {
	if !a.Can(models.ActListUsers) {
		return nil, fmt.Errorf("store: list users: %w", models.ErrForbidden)
	}
	db := s.db.WithContext(ctx)
	visible := scopeClients(db.Session(&gorm.Session{NewDB: true}).Table("clients").Select("clients.id"), a.ProjectScope())
	q := usersQuery(db).Where("users.client_id IS NULL OR users.client_id IN (?)", visible)
	if f.ClientID != 0 {
		q = q.Where("users.client_id = ?", f.ClientID)
	}
	if f.Staff {
		q = q.Where("users.role <> 'client'")
	}
	users := []models.User{}
	err := q.Order("users.role = 'client', lower(users.name), users.id").Find(&users).Error
	return users, wrap("list users", err)
}

// NewUser is an account created directly: by accepting an invitation, or by
// the demo data set.
type NewUser struct {
	Email        string
	Name         string
	Role         models.Role
	ClientID     *int64
	PasswordHash string
}

func (s *Store) insertUser(tx *gorm.DB, n NewUser) (models.User, error) {
	u := models.User{Email: n.Email, Name: n.Name, Role: n.Role, ClientID: n.ClientID, Active: true, PasswordHash: n.PasswordHash,
		SessionVersion: 1, WeeklyCapacity: models.DefaultCapacityMinutes}
	err := tx.Table("users").Omit("client_name", "created_at", "updated_at").Create(&u).Error
	if errors.Is(wrap("", err), models.ErrDuplicate) {
		return u, models.Invalid("email", models.EmailTaken)
	}
	if err != nil {
		return u, wrap("insert user", err)
	}
	err = usersQuery(tx).Where("users.id = ?", u.ID).Take(&u).Error
	return u, wrap("insert user", err)
}

// CreateUser adds an account without an invitation. Only the demo data set
// and the first-start set-up use it; people join through invitations.
func (s *Store) CreateUser(ctx context.Context, n NewUser) (models.User, error) {
	var u models.User
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		u, err = s.insertUser(tx, n)
		return err
	})
	return u, err
}

// UserPatch is an admin's change to an account. Nil fields stay.
type UserPatch struct {
	Name   *string
	Role   *models.Role
	Active *bool
}

// UpdateUser changes a user's name, role or active flag (admins only).
// Deactivation ends every session of the user at once. An admin cannot
// deactivate or demote themselves, so there is always someone in charge.
func (s *Store) UpdateUser(ctx context.Context, a models.Actor, id int64, p UserPatch) (models.User, error) {
	if !a.Can(models.ActManageUsers) {
		return models.User{}, fmt.Errorf("store: update user %d: %w", id, models.ErrForbidden)
	}
	var u models.User
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := usersQuery(tx).Where("users.id = ?", id).Clauses(forUpdateOf("users")).Take(&u).Error; err != nil {
			return wrap(fmt.Sprintf("update user %d", id), err)
		}
		probs := models.Problems{}
		set := map[string]any{}
		if p.Name != nil {
			set["name"] = models.CleanName(probs, "name", *p.Name, models.NameMax)
		}
		if p.Role != nil && *p.Role != u.Role {
			switch {
			case !p.Role.Valid():
				probs.Add("role", models.RoleChoice)
			case *p.Role == models.RoleClient || u.Role == models.RoleClient:
				probs.Add("role", models.RoleAcross)
			case id == a.UserID:
				probs.Add("role", models.RoleOwn)
			}
			set["role"] = *p.Role
		}
		if p.Active != nil && *p.Active != u.Active {
			if id == a.UserID {
				probs.Add("active", models.DeactivateSelf)
			}
			set["active"] = *p.Active
			set["session_version"] = gorm.Expr("session_version + 1")
		}
		if err := probs.Err(); err != nil {
			return err
		}
		if len(set) == 0 {
			return nil
		}
		set["updated_at"] = s.now()
		if err := tx.Table("users").Where("id = ?", id).Updates(set).Error; err != nil {
			return wrap("update user", err)
		}
		if p.Active != nil && !*p.Active {
			if err := revokeUserSessions(tx, id, 0, s.now()); err != nil {
				return err
			}
		}
		if err := notifyUser(tx, id); err != nil {
			return err
		}
		return wrap("update user", usersQuery(tx).Where("users.id = ?", id).Take(&u).Error)
	})
	return u, err
}

// ProfilePatch changes some of the actor's own fields; nil fields stay.
type ProfilePatch struct {
	Name   *string
	Locale *models.Locale
}

// UpdateProfile changes the actor's own display name and language.
func (s *Store) UpdateProfile(ctx context.Context, a models.Actor, p ProfilePatch) (models.User, error) {
	probs := models.Problems{}
	set := map[string]any{"updated_at": s.now()}
	if p.Name != nil {
		set["name"] = models.CleanName(probs, "name", *p.Name, models.NameMax)
	}
	if p.Locale != nil {
		models.CheckLocale(probs, "locale", *p.Locale)
		set["locale"] = *p.Locale
	}
	if err := probs.Err(); err != nil {
		return models.User{}, err
	}
	var u models.User
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Table("users").Where("id = ?", a.UserID).Updates(set).Error; err != nil {
			return wrap("update profile", err)
		}
		return wrap("update profile", usersQuery(tx).Where("users.id = ?", a.UserID).Take(&u).Error)
	})
	return u, err
}

// SetPassword stores a new password hash for the user. With endOthers it
// also ends every other session: all refresh families but keepFamily are
// revoked and the session version moves on, so outstanding access tokens
// stop working. It returns the user as now stored.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string, endOthers bool, keepFamily int64) (models.User, error) {
	var u models.User
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		set := map[string]any{"password_hash": hash, "updated_at": s.now()}
		if endOthers {
			set["session_version"] = gorm.Expr("session_version + 1")
		}
		if err := tx.Table("users").Where("id = ?", userID).Updates(set).Error; err != nil {
			return wrap("set password", err)
		}
		if endOthers {
			if err := revokeUserSessions(tx, userID, keepFamily, s.now()); err != nil {
				return err
			}
			if err := notifyUser(tx, userID); err != nil {
				return err
			}
		}
		return wrap("set password", usersQuery(tx).Where("users.id = ?", userID).Take(&u).Error)
	})
	return u, err
}

// HasUsers reports whether any account exists: a fresh install has none.
func (s *Store) HasUsers(ctx context.Context) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw("SELECT count(*) FROM (SELECT 1 FROM users LIMIT 1) u").Scan(&n).Error
	return n > 0, wrap("has users", err)
}

// UsersByID returns the users with the given IDs, by ID; missing ones are
// absent from the map.
func (s *Store) UsersByID(ctx context.Context, ids []int64) (map[int64]models.User, error) {
	out := make(map[int64]models.User, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var list []models.User
	if err := usersQuery(s.db.WithContext(ctx)).Where("users.id IN ?", ids).Find(&list).Error; err != nil {
		return nil, wrap("users by id", err)
	}
	for _, u := range list {
		out[u.ID] = u
	}
	return out, nil
}

// UserEmail is the address of an active user (the inbound mail checks a
// reply's sender against it); models.ErrNotFound otherwise.
func (s *Store) UserEmail(ctx context.Context, id int64) (string, error) {
	var email string
	if err := s.db.WithContext(ctx).Raw("SELECT email FROM users WHERE id = ? AND active", id).Scan(&email).Error; err != nil {
		return "", wrap("user email", err)
	}
	if email == "" {
		return "", fmt.Errorf("store: user %d: %w", id, models.ErrNotFound)
	}
	return email, nil
}
