// Command bench measures what Doska's users feel — board loads, moves,
// creates and comments, live fan-out, idle connections, the team board —
// against the real binary and a real, durable PostgreSQL on this machine.
// It seeds its own data, prints a table and writes the figures as JSON to
// bench/results/latest.json and a dated copy, so runs compare as ratios.
//
//	go run ./bench [-bin bin/doska] [-only board,move] [-quick]
//
// Every loop is bounded in count and time; everything listens on
// 127.0.0.1 and is stopped when the run ends.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

// Result is one measurement, one line of the table and one JSON object.
type Result struct {
	Scenario    string  `json:"scenario"`
	Variant     string  `json:"variant,omitempty"`
	Size        int     `json:"size"`
	Concurrency int     `json:"concurrency"`
	Requests    int     `json:"requests"`
	P50         float64 `json:"p50_ms"`
	P95         float64 `json:"p95_ms"`
	P99         float64 `json:"p99_ms"`
	RPS         float64 `json:"rps"`
	Errors      int     `json:"errors"`
	Bytes       int     `json:"bytes,omitempty"`
	GzipBytes   int     `json:"gzip_bytes,omitempty"`
	Conns       int     `json:"conns,omitempty"`
	RSSMB       float64 `json:"rss_mb,omitempty"`
	KBPerConn   float64 `json:"kb_per_conn,omitempty"`
	Statements  float64 `json:"statements,omitempty"` // per command, from pg_stat_statements
	Note        string  `json:"note,omitempty"`
	Ratio       float64 `json:"ratio,omitempty"` // move_floor: moves on one board / floor, median of the alternating pairs
	// What measure saw, for pooling runs of one variant (see pooled).
	latencies []time.Duration
	elapsed   time.Duration
}

func main() {
	os.Exit(run())
}

func run() int {
	bin := flag.String("bin", "bin/doska", "the Doska binary to measure")
	only := flag.String("only", "", "comma-separated scenarios to run (board,move,move_floor,create,comment,timer,report,workshop,search,memory,attach,sla,triage,mail,fanout,connections,teamboard; crash and backup only when named)")
	quick := flag.Bool("quick", false, "small sizes and short loops, to check the bench itself")
	out := flag.String("out", "bench/results", "folder for latest.json and the dated copy")
	pprofAddr := flag.String("pprof", "", "give the server a profiling endpoint at this loopback address")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	raiseFileLimit()

	env, err := start(ctx, *bin, *quick, *pprofAddr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	defer env.close()

	wanted := map[string]bool{}
	for _, s := range strings.Split(*only, ",") {
		if s != "" {
			wanted[s] = true
		}
	}
	var results []Result
	broken := 0 // soak scenarios check invariants: any broken one fails the run
	for _, sc := range scenarios {
		if (len(wanted) > 0 || sc.soak) && !wanted[sc.name] {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		// Each scenario starts once the search indexer has taken what the
		// ones before queued: the board's 200,000 bulk-loaded cards and
		// comments kept it busy through the moves and the floor after them,
		// which then measured the indexer as much as themselves.
		if err := env.searchDrained(ctx); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %s: %v\n", sc.name, err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "bench: %s…\n", sc.name)
		rs, err := sc.run(ctx, env)
		if err != nil {
			fmt.Fprintf(os.Stderr, "bench: %s: %v\n", sc.name, err)
			return 1
		}
		results = append(results, rs...)
		if sc.soak {
			for _, r := range rs {
				broken += r.Errors
			}
		}
	}
	printTable(results)
	for _, line := range floorRatios(results) {
		fmt.Println(line)
	}
	if err := save(*out, env, results); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	if broken > 0 {
		fmt.Fprintf(os.Stderr, "bench: %d broken invariants or failed commands in the soak (listed above)\n", broken)
		return 1
	}
	return 0
}

func printTable(results []Result) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "scenario\tvariant\tsize\tconc\treqs\tp50 ms\tp95 ms\tp99 ms\treq/s\terrors\textra\t")
	for _, r := range results {
		extra := r.Note
		if r.GzipBytes > 0 {
			extra = fmt.Sprintf("%d kB, %d kB gzip", r.Bytes/1024, r.GzipBytes/1024)
		} else if r.Bytes > 0 {
			extra = fmt.Sprintf("%d kB; %s", r.Bytes/1024, r.Note)
		}
		if r.Conns > 0 {
			extra = fmt.Sprintf("%d conns, RSS %.0f MB, %.1f kB/conn", r.Conns, r.RSSMB, r.KBPerConn)
		}
		if r.Scenario == "memory" {
			extra = fmt.Sprintf("RSS %.0f MB after; %s", r.RSSMB, r.Note)
		}
		if r.Statements > 0 {
			extra = fmt.Sprintf("%.1f statements each", r.Statements)
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.0f\t%d\t%s\t\n",
			r.Scenario, r.Variant, r.Size, r.Concurrency, r.Requests, r.P50, r.P95, r.P99, r.RPS, r.Errors, extra)
	}
	w.Flush()
}

// save writes the results, with the machine they ran on, as latest.json and
// a dated copy.
func save(dir string, env *benchEnv, results []Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	doc := map[string]any{"started": env.started.UTC().Format(time.RFC3339), "machine": machine(), "results": results}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	dated := filepath.Join(dir, env.started.UTC().Format("2006-01-02T150405")+".json")
	for _, p := range []string{filepath.Join(dir, "latest.json"), dated} {
		if err := os.WriteFile(p, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "bench: wrote %s and %s\n", filepath.Join(dir, "latest.json"), dated)
	return nil
}

func machine() map[string]any {
	cpu := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "model name") {
				cpu = strings.TrimSpace(strings.SplitN(line, ":", 2)[1])
				break
			}
		}
	}
	host, _ := os.Hostname()
	return map[string]any{"cpu": cpu, "cores": numCPU(), "host": host}
}

func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}
