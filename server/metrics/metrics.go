// Package metrics serves Doska's operating figures in Prometheus' text
// format on an address of their own: request latency per route, sockets
// and the hub's queues, the board cache, the database pool and the event
// listener. It is off unless DOSKA_METRICS_ADDR is set.
package metrics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/doska/doska/server/api"
	"github.com/doska/doska/server/live"
)

// Sources are the parts whose state is read at each scrape.
type Sources struct {
	DB         *sql.DB
	Hub        *live.Hub
	Boards     *api.BoardCache
	Reconnects func() int64 // the event listener's
	Waiting    func() int64 // commands waiting for their turn (store.CommandsWaiting)
}

// Metrics holds one registry and the request histogram fed by the API.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.HistogramVec
}

// New registers every figure over src.
func New(src Sources) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{reg: reg, requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "doska_http_request_duration_seconds",
		Help: "Time to answer an HTTP request, by method, route pattern and status.",
		// From a cached board (about a millisecond) to a slow export.
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"method", "route", "status"})}
	hub := func() live.Stats { return src.Hub.Stats() }
	boards := func() api.CacheStats { return src.Boards.Stats() }
	reg.MustRegister(m.requests,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(src.DB, "doska"),
		gauge("doska_websockets", "Open websockets, signed in or not yet.", func() float64 { return float64(hub().Sockets) }),
		gauge("doska_hub_commands_queued", "Work waiting for the hub's dispatcher.", func() float64 { return float64(hub().Commands) }),
		gauge("doska_hub_frames_queued", "Frames waiting in sockets' send queues, all sockets together.", func() float64 { return float64(hub().Frames) }),
		gauge("doska_board_cache_bytes", "Bytes of board snapshots held.", func() float64 { return float64(boards().Bytes) }),
		gauge("doska_board_cache_max_bytes", "The bound on doska_board_cache_bytes.", func() float64 { return float64(boards().MaxBytes) }),
		counter("doska_board_cache_hits_total", "Board reads answered from the cache.", func() float64 { return float64(boards().Hits) }),
		counter("doska_board_cache_misses_total", "Board reads that built their snapshot.", func() float64 { return float64(boards().Misses) }),
		gauge("doska_commands_waiting", "Changes waiting for their turn to run (DOSKA_COMMANDS).", func() float64 { return float64(src.Waiting()) }),
		counter("doska_listener_reconnects_total", "Times the event listener lost PostgreSQL and connected again.", func() float64 { return float64(src.Reconnects()) }),
	)
	return m
}

func gauge(name, help string, f func() float64) prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
}

func counter(name, help string, f func() float64) prometheus.Collector {
	return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f)
}

// Observe records one answered request; api.Params.Observe takes it.
func (m *Metrics) Observe(method, route string, status int, latency time.Duration) {
	if route == "" {
		route = "unmatched" // raw paths would let callers grow the label set
	}
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Observe(latency.Seconds())
}

// Handler answers a scrape.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Serve answers scrapes at /metrics on addr until ctx ends.
func (m *Metrics) Serve(ctx context.Context, addr string, log *slog.Logger) error {
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	log.Info("metrics endpoint", "addr", addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("DOSKA_METRICS_ADDR: %w", err)
	}
	return nil
}
