package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/doska/doska/server/store"
)

// backups checks backup and restore under load
// (docs/ARCHITECTURE.md#backup-and-restore): pg_dump -Fc of a database
// with 10,000 more cards while writers keep changing it, then pg_restore
// into a fresh database. A backup is only good if it restores: the restored database
// must hold exactly what the dump's snapshot held: the counts of cards,
// comments and events, and a checksum of every card's id and version.
func backups(ctx context.Context, e *benchEnv) ([]Result, error) {
	size := e.pick(1000, 10000)
	project, ids, err := e.project(ctx, "Backups", size, 5)
	if err != nil {
		return nil, err
	}
	w := newKeyedWriters(e, project, ids[:80])
	stop := w.start(8)
	defer func() {
		if stop != nil {
			stop()
		}
	}()
	time.Sleep(time.Duration(e.pick(1, 3)) * time.Second) // a database in use

	// The dump reads the snapshot this transaction exports, so the figures
	// taken in it are exactly what the dump holds.
	pool, err := e.db.DB()
	if err != nil {
		return nil, err
	}
	tx, err := pool.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var snapshot string
	if err := tx.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&snapshot); err != nil {
		return nil, err
	}
	want, err := contents(ctx, tx)
	if err != nil {
		return nil, err
	}
	file := filepath.Join(e.dir, "doska.dump")
	t0 := time.Now()
	if out, err := exec.CommandContext(ctx, filepath.Join(e.cluster.BinDir(), "pg_dump"), "-Fc", "--snapshot="+snapshot,
		"-f", file, "-d", e.cluster.URL("postgres")).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pg_dump: %w: %s", err, out)
	}
	dumped := time.Since(t0)
	tx.Rollback()
	stop()
	stop = nil
	info, err := os.Stat(file)
	if err != nil {
		return nil, err
	}

	if _, err := pool.ExecContext(ctx, "CREATE DATABASE restored"); err != nil {
		return nil, err
	}
	t0 = time.Now()
	if out, err := exec.CommandContext(ctx, filepath.Join(e.cluster.BinDir(), "pg_restore"), "--no-owner",
		"-d", e.cluster.URL("restored"), file).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pg_restore: %w: %s", err, out)
	}
	restored := time.Since(t0)
	_, rsql, err := store.Open(e.cluster.URL("restored"))
	if err != nil {
		return nil, err
	}
	defer rsql.Close()
	got, err := contents(ctx, rsql)
	if err != nil {
		return nil, err
	}
	var broken []string
	if n := w.refused.Load() + w.gaveUp.Load(); n > 0 {
		broken = append(broken, fmt.Sprintf("%d writes refused or given up during the dump", n))
	}
	if got != want {
		broken = append(broken, fmt.Sprintf("restored %+v, the dump's snapshot held %+v", got, want))
	}
	for _, b := range broken {
		fmt.Printf("bench: backup: %s\n", b)
	}
	note := fmt.Sprintf("%d cards, %d comments, %d events; %d broken", want.Tasks, want.Comments, want.Events, len(broken))
	dump := Result{Scenario: "backup", Variant: "pg_dump -Fc under load", Size: want.Tasks, Concurrency: 8, Requests: 1,
		P50: ms(dumped), P95: ms(dumped), P99: ms(dumped), Bytes: int(info.Size()), Note: note}
	restore := Result{Scenario: "backup", Variant: "pg_restore, fresh database", Size: want.Tasks, Concurrency: 1, Requests: 1,
		P50: ms(restored), P95: ms(restored), P99: ms(restored), Errors: len(broken), Bytes: int(info.Size()), Note: note}
	return []Result{dump, restore}, nil
}

// contents sums up what a database holds: counts, and a checksum of every
// card's id and version.
type contentsSum struct {
	Tasks, Comments, Events int
	Cards                   string
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func contents(ctx context.Context, q querier) (contentsSum, error) {
	var c contentsSum
	err := q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM tasks), (SELECT count(*) FROM comments), (SELECT count(*) FROM events),
		(SELECT md5(string_agg(id || ':' || version, ',' ORDER BY id)) FROM tasks)`).Scan(&c.Tasks, &c.Comments, &c.Events, &c.Cards)
	return c, err
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
