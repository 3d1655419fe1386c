// Package store holds every SQL statement of Doska. Each command runs in
// one transaction that loads what it needs, applies a rule from models and
// writes the change.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/doska/doska/models"
)

// Store runs Doska's commands and queries against PostgreSQL.
type Store struct {
	db      *gorm.DB
	now     func() time.Time
	bells   *doorbells
	writers turns
}

// New returns a Store over db. now is the clock used for expiry and
// timestamps the rules compare; tests pass a fixed one.
func New(db *gorm.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now, bells: &doorbells{}}
}

// Open connects GORM to PostgreSQL through pgx's database/sql driver, with
// a pool sized for a 2-core server. The returned *sql.DB is the same pool.
func Open(dsn string) (*gorm.DB, *sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("store: DATABASE_URL: %w", err)
	}
	return OpenConfig(cfg)
}

// OpenConfig is Open for a parsed configuration; tests set a tracer on it
// to watch or cut the statements a store sends.
func OpenConfig(cfg *pgx.ConnConfig) (*gorm.DB, *sql.DB, error) {
	// PostgreSQL compiles a query whose estimated cost passes jit_above_cost
	// before running it. Doska's queries take milliseconds, and one
	// misestimated draft spent 1.8 s of its 2.4 s compiling. A DATABASE_URL
	// that says jit=on keeps it.
	if _, set := cfg.RuntimeParams["jit"]; !set {
		cfg.RuntimeParams["jit"] = "off"
	}
	sqlDB := stdlib.OpenDB(*cfg)
	sqlDB.SetMaxOpenConns(40)
	sqlDB.SetMaxIdleConns(40)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		// Errors are returned and logged once where handled; GORM's own
		// logger would print query parameters (hashes, e-mails) as well.
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true, // commands open their own
		TranslateError:         false,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		sqlDB.Close()
		return nil, nil, fmt.Errorf("store: open: %w", err)
	}
	return db, sqlDB, nil
}

// DB exposes the connection for the few callers outside the store that need
// it (readiness checks, the demo seed).
func (s *Store) DB() *gorm.DB { return s.db }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return wrap("ping", sqlDB.PingContext(ctx))
}

// inTx runs fn in one transaction: committed when fn returns nil, rolled
// back otherwise. A transaction that loses its connection, at BEGIN, at any
// statement or at COMMIT, fails as models.ErrUnavailable, so the client is
// told to try again (503), not that something broke (500).
func (s *Store) inTx(ctx context.Context, fn func(tx *gorm.DB) error, opts ...*sql.TxOptions) error {
	return unavailable(s.db.WithContext(ctx).Transaction(fn, opts...))
}

// unavailable marks the error of a transaction that lost its connection as
// models.ErrUnavailable.
func unavailable(err error) error {
	if err != nil && !errors.Is(err, models.ErrUnavailable) && unreachable(err) {
		return fmt.Errorf("store: transaction: %w: %w", models.ErrUnavailable, err)
	}
	return err
}

// wrap maps driver errors to the domain's sentinels, adding the operation.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		err = models.ErrNotFound
	case errors.As(err, &pgErr) && pgErr.Code == "23505":
		err = fmt.Errorf("%w (%s)", models.ErrDuplicate, pgErr.ConstraintName)
	case unreachable(err):
		err = fmt.Errorf("%w: %w", models.ErrUnavailable, err)
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// unreachable tells whether err comes from losing the database: it could
// not be reached, ended the session (08xxx, 57P01-57P03), or the connection
// broke mid-way, which database/sql reports as a bad or closed connection.
func unreachable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || slices.Contains([]string{"57P01", "57P02", "57P03"}, pgErr.Code)
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	return errors.As(err, &ne) || errors.As(err, &ce) || pgconn.SafeToRetry(err) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, io.ErrUnexpectedEOF)
}
