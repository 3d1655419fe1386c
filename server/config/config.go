// Package config reads Doska's settings from the environment.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Config is every setting of a Doska server.
type Config struct {
	Addr           string         // DOSKA_ADDR
	DataDir        string         // DOSKA_DATA
	DatabaseURL    string         // DATABASE_URL; empty = Doska's own PostgreSQL
	Demo           bool           // DOSKA_DEMO
	SiteURL        *url.URL       // DOSKA_SITE_URL
	JWTSecret      []byte         // DOSKA_JWT_SECRET(_FILE); empty = generated, kept in the database
	TrustedProxies []netip.Prefix // DOSKA_TRUSTED_PROXIES
	LogFormat      string         // DOSKA_LOG_FORMAT: text or json
	LogLevel       string         // DOSKA_LOG_LEVEL
	PprofAddr      string         // DOSKA_PPROF_ADDR; empty = no profiling endpoint
	MetricsAddr    string         // DOSKA_METRICS_ADDR; empty = no /metrics
	SocketsPerUser int            // DOSKA_SOCKETS_PER_USER
	Commands       int            // DOSKA_COMMANDS: commands that change data run at most this many at once
	BlobURL        string         // DOSKA_BLOB_URL; empty = a folder in DOSKA_DATA
	// SMTP is the outgoing mail server: DOSKA_SMTP_URL, or built from
	// DOSKA_SMTP_HOST/PORT/USER/PASSWORD; nil = keep mail for the Sent
	// mail page only.
	SMTP        *url.URL
	MailFrom    mail.Address // DOSKA_MAIL_FROM
	InboundAddr string       // DOSKA_SMTP_INBOUND_ADDR; empty = no reply by mail
}

// Var documents one environment variable for --help and the README.
type Var struct {
	Name, Default, Help string
}

// Vars lists the settings in the order --help prints them.
var Vars = []Var{
	{"DOSKA_ADDR", "127.0.0.1:8080", "address the HTTP server listens on"},
	{"DOSKA_DATA", "./data", "data folder: Doska's own PostgreSQL lives here when DATABASE_URL is unset"},
	{"DATABASE_URL", "(unset)", "PostgreSQL connection URL; unset = start a private PostgreSQL in DOSKA_DATA"},
	{"DOSKA_DEMO", "1 without DATABASE_URL, else 0", "create the demo data set on first start (empty database)"},
	{"DOSKA_SITE_URL", "http://localhost:<port>", "public origin of the site: used for the Origin check and links"},
	{"DOSKA_JWT_SECRET", "(generated)", "access-token signing key, at least 32 bytes; unset = generated once and kept in the database. DOSKA_JWT_SECRET_FILE reads it from a file"},
	{"DOSKA_TRUSTED_PROXIES", "(none)", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed"},
	{"DOSKA_LOG_FORMAT", "text on a terminal, else json", "log format: text or json"},
	{"DOSKA_LOG_LEVEL", "info", "log level: debug, info, warn, error"},
	{"PG_BINDIR", "(searched)", "folder of initdb and postgres for the private PostgreSQL"},
	{"DOSKA_PPROF_ADDR", "(off)", "loopback address for Go's profiling endpoints (/debug/pprof/), e.g. 127.0.0.1:6060; never expose it"},
	{"DOSKA_METRICS_ADDR", "(off)", "address for Prometheus' /metrics (latency per route, sockets, board cache, database pool), e.g. 127.0.0.1:9090; keep it off the public internet"},
	{"DOSKA_SOCKETS_PER_USER", "50", "live-update sockets one account may hold open (tabs, screens); more are closed with 4429"},
	{"DOSKA_COMMANDS", "4 per CPU core, at least 8", "changes (moves, edits, comments, timers…) that run in the database at once; more wait their turn in Doska. Raise it when PostgreSQL has many more cores than Doska's machine"},
	{"DOSKA_BLOB_URL", "(a folder in DOSKA_DATA)", "bucket for attachments that every instance shares, e.g. s3://bucket?region=eu-central-1 (endpoint=…&use_path_style=true for S3-compatible stores; credentials from the usual AWS_* variables)"},
	{"DOSKA_SMTP_URL", "(unset)", "outgoing mail server, smtp://user:password@host:587 (STARTTLS when offered) or smtps://… (TLS); unset = mail is kept and shown to admins on the Sent mail page"},
	{"DOSKA_SMTP_HOST", "(unset)", "instead of DOSKA_SMTP_URL: the mail server's host, with DOSKA_SMTP_PORT (587), DOSKA_SMTP_USER and DOSKA_SMTP_PASSWORD"},
	{"DOSKA_MAIL_FROM", "Doska <doska@<site host>>", "sender of Doska's mail; its domain also names reply addresses (reply+…@domain) and Message-IDs"},
	{"DOSKA_SMTP_INBOUND_ADDR", "(off)", "address of the SMTP listener that takes replies to Doska's mail (e.g. 127.0.0.1:2525 behind your MX); off by default"},
}

// Load reads the settings through getenv and checks them. Errors name the
// variable at fault.
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:        or(getenv("DOSKA_ADDR"), "127.0.0.1:8080"),
		DataDir:     or(getenv("DOSKA_DATA"), "./data"),
		DatabaseURL: getenv("DATABASE_URL"),
		LogFormat:   getenv("DOSKA_LOG_FORMAT"),
		LogLevel:    or(getenv("DOSKA_LOG_LEVEL"), "info"),
		PprofAddr:   getenv("DOSKA_PPROF_ADDR"),
		MetricsAddr: getenv("DOSKA_METRICS_ADDR"),
		BlobURL:     getenv("DOSKA_BLOB_URL"),
	}
	var errs []error
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		errs = append(errs, fmt.Errorf("DOSKA_ADDR: %q is not host:port", c.Addr))
	}
	c.Demo = c.DatabaseURL == ""
	if v := getenv("DOSKA_DEMO"); v != "" {
		if c.Demo, err = strconv.ParseBool(v); err != nil {
			errs = append(errs, fmt.Errorf("DOSKA_DEMO: %q is not a boolean (use 1 or 0)", v))
		}
	}
	site := getenv("DOSKA_SITE_URL")
	if site == "" {
		if host == "" || host == "0.0.0.0" || host == "::" || host == "127.0.0.1" {
			host = "localhost"
		}
		site = "http://" + net.JoinHostPort(host, port)
	}
	if c.SiteURL, err = url.Parse(strings.TrimRight(site, "/")); err != nil || (c.SiteURL.Scheme != "http" && c.SiteURL.Scheme != "https") || c.SiteURL.Host == "" || c.SiteURL.Path != "" {
		errs = append(errs, fmt.Errorf("DOSKA_SITE_URL: %q must be an origin like https://doska.example.com", site))
	}
	secret := getenv("DOSKA_JWT_SECRET")
	if f := getenv("DOSKA_JWT_SECRET_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("DOSKA_JWT_SECRET_FILE: %w", err))
		}
		secret = strings.TrimSpace(string(b))
	}
	if secret != "" && len(secret) < 32 {
		errs = append(errs, errors.New("DOSKA_JWT_SECRET: must be at least 32 characters"))
	}
	c.JWTSecret = []byte(secret)
	for _, s := range strings.Split(getenv("DOSKA_TRUSTED_PROXIES"), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("DOSKA_TRUSTED_PROXIES: %q is not a CIDR", s))
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	if c.PprofAddr != "" {
		if h, _, err := net.SplitHostPort(c.PprofAddr); err != nil || !net.ParseIP(h).IsLoopback() {
			errs = append(errs, fmt.Errorf("DOSKA_PPROF_ADDR: %q must be a loopback host:port such as 127.0.0.1:6060", c.PprofAddr))
		}
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("DOSKA_METRICS_ADDR: %q is not host:port", c.MetricsAddr))
		}
	}
	c.SocketsPerUser = 50
	if v := getenv("DOSKA_SOCKETS_PER_USER"); v != "" {
		if c.SocketsPerUser, err = strconv.Atoi(v); err != nil || c.SocketsPerUser < 1 {
			errs = append(errs, fmt.Errorf("DOSKA_SOCKETS_PER_USER: %q must be a whole number of at least 1", v))
		}
	}
	c.Commands = max(8, 4*runtime.GOMAXPROCS(0))
	if v := getenv("DOSKA_COMMANDS"); v != "" {
		if c.Commands, err = strconv.Atoi(v); err != nil || c.Commands < 1 {
			errs = append(errs, fmt.Errorf("DOSKA_COMMANDS: %q must be a whole number of at least 1", v))
		}
	}
	errs = append(errs, c.loadMail(getenv)...)
	switch c.LogFormat {
	case "", "text", "json":
	default:
		errs = append(errs, fmt.Errorf("DOSKA_LOG_FORMAT: %q must be text or json", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("DOSKA_LOG_LEVEL: %q must be debug, info, warn or error", c.LogLevel))
	}
	return c, errors.Join(errs...)
}

// Origins are the browser origins the site is served from: the configured
// one, and for a local site its loopback twins, since people type either.
func (c Config) Origins() []string {
	origin := c.SiteURL.Scheme + "://" + c.SiteURL.Host
	out := []string{origin}
	if h := c.SiteURL.Hostname(); h == "localhost" || h == "127.0.0.1" {
		port := c.SiteURL.Port()
		for _, alt := range []string{"localhost", "127.0.0.1"} {
			if alt != h {
				out = append(out, c.SiteURL.Scheme+"://"+net.JoinHostPort(alt, port))
			}
		}
	}
	return out
}

// loadMail reads the mail settings; a password in DOSKA_SMTP_PASSWORD
// may hold any character, so the URL is built, not concatenated.
func (c *Config) loadMail(getenv func(string) string) []error {
	var errs []error
	if v := getenv("DOSKA_SMTP_URL"); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			errs = append(errs, errors.New("DOSKA_SMTP_URL: must look like smtp://user:password@host:587 or smtps://host:465"))
		} else {
			c.SMTP = u
		}
	} else if h := getenv("DOSKA_SMTP_HOST"); h != "" {
		port := or(getenv("DOSKA_SMTP_PORT"), "587")
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			errs = append(errs, fmt.Errorf("DOSKA_SMTP_PORT: %q is not a port number", port))
		}
		c.SMTP = &url.URL{Scheme: "smtp", Host: net.JoinHostPort(h, port)}
		if user := getenv("DOSKA_SMTP_USER"); user != "" {
			c.SMTP.User = url.UserPassword(user, getenv("DOSKA_SMTP_PASSWORD"))
		}
	}
	from := getenv("DOSKA_MAIL_FROM")
	if from == "" && c.SiteURL != nil {
		from = "Doska <doska@" + c.SiteURL.Hostname() + ">"
	}
	if a, err := mail.ParseAddress(from); err != nil {
		errs = append(errs, fmt.Errorf("DOSKA_MAIL_FROM: %q is not an address like Doska <doska@example.com>", from))
	} else {
		c.MailFrom = *a
	}
	if c.InboundAddr = getenv("DOSKA_SMTP_INBOUND_ADDR"); c.InboundAddr != "" {
		if _, _, err := net.SplitHostPort(c.InboundAddr); err != nil {
			errs = append(errs, fmt.Errorf("DOSKA_SMTP_INBOUND_ADDR: %q is not host:port", c.InboundAddr))
		}
	}
	return errs
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
