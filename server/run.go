package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/doska/doska/frontend"
	"github.com/doska/doska/server/api"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/config"
	"github.com/doska/doska/server/demo"
	"github.com/doska/doska/server/files"
	"github.com/doska/doska/server/live"
	"github.com/doska/doska/server/mail"
	"github.com/doska/doska/server/mailer"
	"github.com/doska/doska/server/metrics"
	"github.com/doska/doska/server/pgcluster"
	"github.com/doska/doska/server/reclaim"
	"github.com/doska/doska/server/store"
)

// run is the whole program: it returns when ctx is cancelled (a signal) and
// everything has shut down, or at once on a start-up error.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "help" {
			usage(stdout)
			return 0
		}
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, "doska: unknown argument %q; see doska --help\n", args[0])
		return 2
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "doska: configuration:\n%v\n", err)
		return 2
	}
	log := newLogger(cfg, stderr)
	if err := serve(ctx, cfg, log, stdout); err != nil {
		log.Error("doska stopped", "err", err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "doska — a live Kanban board for agencies and their clients")
	fmt.Fprintln(w, "\nUsage: doska [--stop-with-parent]   (configured by environment variables)")
	fmt.Fprintln(w, "\n  --stop-with-parent  stop when the process that started doska dies (make run uses it)")
	fmt.Fprintln(w, "\nEnvironment:")
	for _, v := range config.Vars {
		fmt.Fprintf(w, "  %-22s %s\n  %-22s (default: %s)\n", v.Name, v.Help, "", v.Default)
	}
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger, out io.Writer) error {
	dsn := cfg.DatabaseURL
	if dsn == "" {
		started := time.Now()
		cluster, err := pgcluster.Start(ctx, pgcluster.Options{Dir: cfg.DataDir, Durable: true})
		if err != nil {
			return err
		}
		defer func() {
			if err := cluster.Stop(); err != nil {
				log.Error("stop postgres", "err", err)
			}
		}()
		log.Info("private postgres started", "data", filepath.Join(cfg.DataDir, "pgdata"), "ms", time.Since(started).Milliseconds())
		dsn = cluster.URL("postgres")
	}
	db, sqlDB, err := store.Open(dsn)
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	if err := store.Migrate(ctx, sqlDB); err != nil {
		return err
	}
	st := store.New(db, time.Now)
	st.LimitCommands(cfg.Commands)
	key := cfg.JWTSecret
	if len(key) == 0 {
		if key, err = st.Secret(ctx, "jwt_hs256", 32); err != nil {
			return err
		}
	}
	tokens, err := auth.NewTokens(key, time.Now)
	if err != nil {
		return err
	}
	if err := firstStart(ctx, cfg, st, out); err != nil {
		return err
	}
	bucket, err := files.Open(ctx, cfg.BlobURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer bucket.Close()
	dist, built := frontend.Dist()
	if !built {
		log.Warn("frontend not built: the API works, the UI answers 503; run make frontend")
	}
	var listener *store.Listener
	// The poll only catches a ring lost while the listener reconnected.
	indexer := store.NewSearchIndexer(st, log, time.Second)
	sessions := auth.NewSessions(tokens, st, func() bool { return listener.Healthy() })
	hub := live.NewHub(st, auth.LiveAccess(sessions, st), log)
	listener = &store.Listener{DSN: dsn, Log: log, Event: hub.Wake, Notification: hub.Notify, Time: hub.TimeChanged, Sprint: hub.SprintChanged, Projects: hub.ProjectsChanged,
		Workshop: hub.WorkshopChanged, Balance: hub.BalanceChanged, Search: indexer.Wake,
		User: func(id int64) {
			sessions.Forget(id)
			hub.UserChanged(id)
		},
		// Notifications sent while the listener was away are lost.
		Connected: func() {
			sessions.ForgetAll()
			hub.CatchUp()
			indexer.Wake()
		}}
	ready := func(ctx context.Context) error {
		if err := st.Ping(ctx); err != nil {
			return err
		}
		if !listener.Healthy() {
			return errors.New("event listener not connected")
		}
		return nil
	}
	boards := api.NewBoardCache(64 << 20)
	var observe func(method, route string, status int, latency time.Duration)
	var meter *metrics.Metrics
	if cfg.MetricsAddr != "" {
		meter = metrics.New(metrics.Sources{DB: sqlDB, Hub: hub, Boards: boards, Reconnects: listener.Reconnects, Waiting: st.CommandsWaiting})
		observe = meter.Observe
	}
	mailKey, err := st.Secret(ctx, "mail_hmac", 32)
	if err != nil {
		return err
	}
	composer := &mail.Composer{Site: cfg.SiteURL, From: cfg.MailFrom, Key: mailKey, Replies: cfg.InboundAddr != ""}
	e, err := api.New(api.Params{Boards: boards, Observe: observe, Store: st, Tokens: tokens, Sessions: sessions, Log: log, SiteURL: cfg.SiteURL.String(), Mail: composer, SMTP: cfg.SMTP != nil,
		Origins: cfg.Origins(), TrustedProxies: cfg.TrustedProxies, Frontend: dist,
		Live: hub.Handler(cfg.Origins(), live.Limits{PerUser: cfg.SocketsPerUser, ClientIP: api.ClientIP(cfg.TrustedProxies)}), Ready: ready, Now: time.Now, Files: bucket})
	if err != nil {
		return err
	}
	// After a burst of writes the heap keeps about twice what is live
	// until the runtime slowly returns it; a quiet spell returns it at once.
	quiet := reclaim.New(10 * time.Second)
	go quiet.Run(ctx)
	srv := &http.Server{
		Handler:           quiet.Handler(e),
		ReadHeaderTimeout: 5 * time.Second, // Slowloris
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on DOSKA_ADDR %s: %w", cfg.Addr, err)
	}
	var inboundLn net.Listener
	if cfg.InboundAddr != "" {
		if inboundLn, err = net.Listen("tcp", cfg.InboundAddr); err != nil {
			ln.Close()
			return fmt.Errorf("listen on DOSKA_SMTP_INBOUND_ADDR %s: %w", cfg.InboundAddr, err)
		}
	}
	fmt.Fprintf(out, "\nDoska is running at %s (listening on %s). Stop it with Ctrl-C.\n\n", cfg.SiteURL, ln.Addr())
	// The hub and listener outlive the HTTP server during shutdown, so
	// requests still draining can commit and be announced.
	bg, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBackground()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return hub.Run(bg) })
	// Any number of instances may index: each takes queued texts nobody
	// else holds.
	g.Go(func() error { return indexer.Run(bg) })
	// Spent credentials, uploads never attached and the blobs of deleted
	// files go hourly.
	g.Go(func() error {
		return every(bg, time.Hour, "sweep", func(ctx context.Context) error {
			return errors.Join(st.Sweep(ctx), files.Sweep(ctx, st, bucket))
		}, log)
	})
	// Any number of instances may run the check: each alert is claimed by
	// its own row.
	g.Go(func() error {
		return every(bg, time.Minute, "sla check", func(ctx context.Context) error { _, err := st.CheckSLAs(ctx); return err }, log)
	})
	// Any number of instances may queue digests: the store takes each
	// person once a day.
	g.Go(func() error {
		return every(bg, time.Minute, "digests", func(ctx context.Context) error { _, err := st.QueueDigests(ctx); return err }, log)
	})
	if cfg.SMTP != nil {
		sender := &mailer.Sender{Store: st, Composer: composer, SMTP: cfg.SMTP, Log: log}
		g.Go(func() error { return sender.Run(bg) })
	} else {
		log.Info("no SMTP server configured (DOSKA_SMTP_URL): mail is kept on the Sent mail page")
	}
	if inboundLn != nil {
		inbound := (&mailer.Inbound{Store: st, Composer: composer, Log: log, Now: time.Now}).Server()
		log.Info("taking replies by mail", "addr", inboundLn.Addr().String())
		g.Go(func() error {
			if err := inbound.Serve(inboundLn); err != nil && bg.Err() == nil {
				return err
			}
			return nil
		})
		g.Go(func() error {
			<-bg.Done()
			return inbound.Close()
		})
	}
	if cfg.PprofAddr != "" {
		g.Go(func() error { return servePprof(bg, cfg.PprofAddr, log) })
	}
	if meter != nil {
		g.Go(func() error { return meter.Serve(bg, cfg.MetricsAddr, log) })
	}
	g.Go(func() error { return listener.Run(bg) })
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		select {
		case <-gctx.Done():
		case <-bg.Done():
		}
		log.Info("shutting down: closing sockets, draining requests")
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		// Sockets are hijacked connections that http.Server.Shutdown neither
		// closes nor waits for: tell them "going away" first.
		hubErr := hub.Shutdown(sctx)
		err := srv.Shutdown(sctx)
		stopBackground()
		return errors.Join(hubErr, err)
	})
	return g.Wait()
}

// firstStart fills an empty database with the demo data set, or, without
// the demo, prints a one-time link to create the first admin.
func firstStart(ctx context.Context, cfg config.Config, st *store.Store, out io.Writer) error {
	has, err := st.HasUsers(ctx)
	if err != nil {
		return err
	}
	if !has && cfg.Demo {
		logins, err := demo.Seed(ctx, st)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\nDemo data created. Sign in at %s with any of these (password %q):\n", cfg.SiteURL, demo.Password)
		for _, l := range logins {
			fmt.Fprintf(out, "  %-28s %s\n", l.Email, l.Note)
		}
		return nil
	}
	token, err := auth.NewInvitationToken()
	if err != nil {
		return err
	}
	issued, err := st.SetupInvitation(ctx, auth.HashToken(token))
	if err != nil || !issued {
		return err
	}
	fmt.Fprintf(out, "\nNo admin account yet. Create it with this one-time link (valid 7 days):\n  %s\n", api.InvitationURL(cfg.SiteURL.String(), token))
	return nil
}

// servePprof serves Go's profiles on a loopback address until ctx ends.
func servePprof(ctx context.Context, addr string, log *slog.Logger) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	log.Info("profiling endpoint", "addr", addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("DOSKA_PPROF_ADDR: %w", err)
	}
	return nil
}

// every runs a periodic job (clearing spent credentials, the SLA check)
// now and then at each interval until ctx ends.
func every(ctx context.Context, interval time.Duration, name string, job func(context.Context) error, log *slog.Logger) error {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if err := job(ctx); err != nil && ctx.Err() == nil {
			log.Warn(name, "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
