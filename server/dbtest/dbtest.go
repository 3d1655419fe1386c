// Package dbtest gives tests a real PostgreSQL: one throw-away cluster per
// test binary and a fresh database per test, cloned from a migrated template.
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver for pgtestdb
	"github.com/peterldowns/pgtestdb"
	"go.uber.org/goleak"
	"gorm.io/gorm"

	"github.com/doska/doska/server/pgcluster"
	"github.com/doska/doska/server/store"
)

// cluster is the test binary's server, set once by Main before any test runs.
var cluster *pgcluster.Cluster

// Main starts the cluster, runs the tests and stops it. Call it from
// TestMain of every package with database tests. It also fails the package
// when goroutines outlive its tests: every server, hub, listener, pool and
// socket a test starts must stop with it.
func Main(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp(tempRoot(), "doska-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, "dbtest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	// The server runs as another user when tests run as root; let it in.
	_ = os.Chmod(dir, 0o755)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	cluster, err = pgcluster.Start(ctx, pgcluster.Options{Dir: filepath.Join(dir, "pg")})
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dbtest:", err)
		return 1
	}
	defer func() {
		if err := cluster.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "dbtest:", err)
		}
	}()
	code := m.Run()
	// Keep-alive connections of the shared test client are the client's,
	// and the cluster itself runs until after this check.
	http.DefaultClient.CloseIdleConnections()
	if err := goleak.Find(goleak.IgnoreAnyFunction("github.com/doska/doska/server/pgcluster.Start.func1")); err != nil && code == 0 {
		fmt.Fprintln(os.Stderr, "dbtest: goroutines outlived the tests:", err)
		return 1
	}
	return code
}

type migrator struct{}

func (migrator) Hash() (string, error) { return store.MigrationsHash() }

func (migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	return store.Migrate(ctx, db)
}

// URL creates a fresh migrated database for the test and returns its
// connection URL; it is dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	if cluster == nil {
		t.Fatal("dbtest: the cluster is not running; call dbtest.Main from TestMain")
	}
	conf := pgtestdb.Config{
		DriverName:                "pgx",
		User:                      "postgres",
		Database:                  "postgres",
		Port:                      "5432",
		Options:                   "host=" + cluster.SocketDir() + "&sslmode=disable",
		ForceTerminateConnections: true,
	}
	return pgtestdb.Custom(t, conf, migrator{}).URL()
}

// New returns GORM on a fresh migrated database for the test.
func New(t testing.TB) *gorm.DB {
	t.Helper()
	db, sqlDB, err := store.Open(URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	return db
}

// Traced seeds the test's database at dsn (from URL) and returns a store
// over it that sends every statement through tracer: for tests that watch
// or cut a store's queries.
func Traced(t testing.TB, dsn string, tracer pgx.QueryTracer) (*store.Store, *gorm.DB, World) {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Tracer = tracer
	db, sqlDB, err := store.OpenConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	st := store.New(db, time.Now)
	return st, db, Seed(t, st)
}

// tempRoot prefers memory-backed /dev/shm: cloning a database copies its
// files, and on a disk that costs several times as much.
func tempRoot() string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if f, err := os.CreateTemp("/dev/shm", "probe"); err == nil {
			f.Close()
			os.Remove(f.Name())
			return "/dev/shm"
		}
	}
	return os.TempDir()
}
