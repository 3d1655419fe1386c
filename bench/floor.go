package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// floorScript is the least a move can cost: lock and update the card, bump
// the project's event counter, store the event and announce it, in one
// transaction. The notification goes to a channel nobody listens on, so
// the server does no work for it.
const floorScript = `\set id random(%d, %d)
BEGIN;
SELECT version FROM tasks WHERE id = :id FOR UPDATE;
UPDATE tasks SET version = version + 1, updated_at = now() WHERE id = :id;
WITH s AS (
    INSERT INTO project_event_seqs AS c (project_id, n) VALUES (%d, 1)
    ON CONFLICT (project_id) DO UPDATE SET n = c.n + 1
    RETURNING n
), e AS (
    INSERT INTO events (project_id, seq, kind, task_id, payload)
    SELECT %d, s.n, 'task.moved', :id, '{"floor": true}' FROM s
    RETURNING seq
)
SELECT pg_notify('doska_floor', e.seq::text) FROM e;
COMMIT;
`

// moveFloor runs PostgreSQL alone through the minimal move transaction with
// pgbench at c=16, on the same cluster in the same run as Doska's moves, so
// the two compare as a ratio whatever the machine.
func moveFloor(ctx context.Context, e *benchEnv) ([]Result, error) {
	project, ids, err := e.project(ctx, "Floor", e.pick(200, 2000), 5)
	if err != nil {
		return nil, err
	}
	lo, hi := ids[0], ids[0]
	for _, id := range ids {
		lo, hi = min(lo, id), max(hi, id)
	}
	if hi-lo+1 != int64(len(ids)) {
		return nil, fmt.Errorf("move_floor: the floor's cards are not numbered contiguously (%d..%d for %d)", lo, hi, len(ids))
	}
	dir, err := os.MkdirTemp("", "doska-floor")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "move.sql")
	if err := os.WriteFile(script, fmt.Appendf(nil, floorScript, lo, hi, project, project), 0o644); err != nil {
		return nil, err
	}
	floor := func(seconds int) (float64, []time.Duration, int, error) {
		return pgbench(ctx, e, dir, script, seconds)
	}
	tps, lat, failed, err := floor(e.pick(3, 20))
	if err != nil {
		return nil, err
	}
	r := summarise(lat)
	r.Scenario, r.Size, r.Concurrency, r.Errors = "move_floor", len(ids), 16, failed
	r.RPS = tps
	r.Note = "pgbench -M prepared: lock, update, counter, event, pg_notify"
	ratios, err := floorPairs(ctx, e, floor)
	if err != nil {
		return nil, err
	}
	r.Note += "; " + describePairs("moves on one board / floor", ratios)
	r.Ratio = median(ratios)
	return []Result{r}, nil
}

// pgbench runs the floor's script at c=16 for seconds and reads its
// throughput and the latency of each transaction.
func pgbench(ctx context.Context, e *benchEnv, dir, script string, seconds int) (float64, []time.Duration, int, error) {
	logs, err := filepath.Glob(filepath.Join(dir, "log.*"))
	if err != nil {
		return 0, nil, 0, err
	}
	for _, l := range logs { // an earlier round's
		if err := os.Remove(l); err != nil {
			return 0, nil, 0, err
		}
	}
	cmd := exec.CommandContext(ctx, filepath.Join(e.cluster.BinDir(), "pgbench"), "-n", "-M", "prepared",
		"-c", "16", "-j", "2", "-T", strconv.Itoa(seconds), "-f", script, "-l", "--log-prefix", filepath.Join(dir, "log"),
		e.cluster.URL("postgres"))
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, nil, 0, fmt.Errorf("pgbench: %w\n%s", err, out)
	}
	lat, failed, err := pgbenchLatencies(dir)
	return pgbenchTPS(string(out)), lat, failed, err
}

// floorPairs measures moves on one board at c=16 and the floor in short
// rounds, one right after the other, in six pairs, each pair in the other
// order: the ratio of each pair. This machine's speed drifts within a
// minute by more than the gap a change in Doska makes (the floor alone gave
// 1,150–1,610 tps in runs of one day), and one move row against one floor
// row half a minute later measured the drift as much as Doska.
func floorPairs(ctx context.Context, e *benchEnv, floor func(seconds int) (float64, []time.Duration, int, error)) ([]float64, error) {
	_, ids, err := e.project(ctx, "Moves against the floor", e.pick(200, 2000), 5)
	if err != nil {
		return nil, err
	}
	m := newMover(ids)
	own := split(ids[:16*20], 16)
	moves := func() (float64, error) {
		r := measure(ctx, 16, e.pick(200, 2000), 20*time.Second, func(w, i int) error {
			return m.move(e, rand.New(rand.NewPCG(uint64(w), uint64(i))), own[w])
		})
		if r.Errors > r.Requests/10 {
			return 0, fmt.Errorf("move_floor: %d of %d moves failed", r.Errors, r.Requests)
		}
		return r.RPS, nil
	}
	// One round first, not counted: the floor's cards had the floor's own
	// measurement to settle in, these were just created. Counted, that
	// first round was the lowest of the six pairs in 14 of 20 runs (a mean
	// of 0.52 against 0.59 for the other five), as their table was
	// analysed and the plans made again.
	if _, err := moves(); err != nil {
		return nil, err
	}
	var ratios []float64
	for k := range 6 {
		var rps, tps float64
		var err error
		if k%2 == 0 {
			if rps, err = moves(); err == nil {
				tps, _, _, err = floor(e.pick(1, 3))
			}
		} else {
			if tps, _, _, err = floor(e.pick(1, 3)); err == nil {
				rps, err = moves()
			}
		}
		if err != nil {
			return nil, err
		}
		if tps == 0 {
			return nil, fmt.Errorf("move_floor: pgbench gave no throughput")
		}
		ratios = append(ratios, rps/tps)
	}
	return ratios, nil
}

// pgbenchLatencies reads pgbench's per-transaction logs (-l): the third
// field is the transaction's time in microseconds; a failed one is marked
// "failed" there instead.
func pgbenchLatencies(dir string) ([]time.Duration, int, error) {
	logs, err := filepath.Glob(filepath.Join(dir, "log.*"))
	if err != nil || len(logs) == 0 {
		return nil, 0, fmt.Errorf("move_floor: no pgbench log in %s", dir)
	}
	var lat []time.Duration
	failed := 0
	for _, name := range logs {
		f, err := os.Open(name)
		if err != nil {
			return nil, 0, err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 3 {
				continue
			}
			us, err := strconv.ParseInt(fields[2], 10, 64)
			if err != nil {
				failed++
				continue
			}
			lat = append(lat, time.Duration(us)*time.Microsecond)
		}
		f.Close()
	}
	return lat, failed, nil
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

func pgbenchTPS(out string) float64 {
	m := tpsLine.FindStringSubmatch(out)
	if m == nil {
		return 0
	}
	tps, _ := strconv.ParseFloat(m[1], 64)
	return tps
}

// floorRatios says how close Doska's moves and creates at c=16 come to the
// floor of the same run: the targets are ratios, since the floor moves with
// the machine.
func floorRatios(results []Result) []string {
	var floor *Result
	for i := range results {
		if results[i].Scenario == "move_floor" {
			floor = &results[i]
		}
	}
	if floor == nil || floor.RPS == 0 || floor.P99 == 0 {
		return nil
	}
	var lines []string
	for _, r := range results {
		if r.Concurrency != 16 || !(r.Scenario == "move" && r.Variant == "one board" || r.Scenario == "create") {
			continue
		}
		name := strings.TrimSpace(r.Scenario + " " + r.Variant)
		lines = append(lines, fmt.Sprintf("%s at c=16: %.0f %% of the floor's %.0f tps; p99 %.1f× the floor's %.1f ms",
			name, 100*r.RPS/floor.RPS, floor.RPS, r.P99/floor.P99, floor.P99))
	}
	if floor.Ratio > 0 {
		lines = append(lines, fmt.Sprintf("move one board at c=16, in alternating pairs of rounds with the floor: median %.0f %% of it", 100*floor.Ratio))
	}
	return lines
}

// counted runs a measurement and adds the statements the server sent per
// successful command, from pg_stat_statements. Transaction control (BEGIN,
// COMMIT) is left out: it is a round trip but no work. The hub's read of
// the events it fans out is in: every command causes it.
func (e *benchEnv) counted(ctx context.Context, measure func() Result) (Result, error) {
	if err := e.db.WithContext(ctx).Exec("SELECT pg_stat_statements_reset()").Error; err != nil {
		return Result{}, err
	}
	r := measure()
	var calls int64
	err := e.db.WithContext(ctx).Raw(`
SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
WHERE query !~* '^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SELECT pg_stat_statements_reset)'`).Scan(&calls).Error
	if err != nil {
		return Result{}, err
	}
	if r.Requests > 0 {
		r.Statements = float64(calls) / float64(r.Requests)
	}
	return r, nil
}
