// Package api is Doska's HTTP interface: it binds requests, calls one store
// command and encodes the answer. Rules live in models, SQL in store.
package api

import (
	"context"
	"crypto/rand"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	netmail "net/mail"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/files"
	"github.com/doska/doska/server/mail"
	"github.com/doska/doska/server/markdown"
	"github.com/doska/doska/server/store"
)

// Params are the dependencies of the HTTP interface.
type Params struct {
	Store          *store.Store
	Tokens         *auth.Tokens
	Sessions       *auth.Sessions // nil: no cache, every request reads its user
	Log            *slog.Logger
	SiteURL        string   // the public origin, for links
	Origins        []string // origins a browser may send state changes from
	TrustedProxies []netip.Prefix
	Frontend       fs.FS         // the built SPA; nil or without index.html = not built
	Live           http.Handler  // the websocket endpoint
	Files          *files.Bucket // where attachments are kept
	// Ready reports whether the instance can serve: the database answers
	// and the event listener is connected.
	Ready func(ctx context.Context) error
	Now   func() time.Time
	// Boards caches board snapshots; nil gets a 64 MiB cache of its own.
	Boards *BoardCache
	// Observe, when set, hears every request's route pattern, status and
	// latency, after the error handler chose the status.
	Observe func(method, route string, status int, latency time.Duration)
	// Mail writes mails for the Sent mail page and checks unsubscribe
	// tokens; SMTP says whether mail leaves the server at all.
	Mail *mail.Composer
	SMTP bool
}

type handler struct {
	store    *store.Store
	files    *files.Bucket
	sessions *auth.Sessions
	boards   *BoardCache
	tokens   *auth.Tokens
	md       *markdown.Renderer
	log      *slog.Logger
	siteURL  string
	secure   bool
	ready    func(ctx context.Context) error
	now      func() time.Time
	mail     *mail.Composer
	smtp     bool
}

// bodyLimit caps every request body (ASVS V15.2.2).
const bodyLimit = "1M"

// New returns the HTTP interface of Doska: the API under /api, health
// checks, and the SPA for every other GET.
func New(p Params) (*echo.Echo, error) {
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Ready == nil {
		p.Ready = p.Store.Ping
	}
	if p.Live == nil {
		p.Live = http.NotFoundHandler()
	}
	if p.Boards == nil {
		p.Boards = NewBoardCache(64 << 20)
	}
	if p.Mail == nil {
		site, err := url.Parse(p.SiteURL)
		if err != nil {
			return nil, err
		}
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		p.Mail = &mail.Composer{Site: site, From: netmail.Address{Name: "Doska", Address: "doska@" + site.Hostname()}, Key: key}
	}
	if p.Sessions == nil {
		p.Sessions = auth.NewSessions(p.Tokens, p.Store, nil)
	}
	h := &handler{store: p.Store, files: p.Files, sessions: p.Sessions, boards: p.Boards, tokens: p.Tokens, md: markdown.New(), log: p.Log, siteURL: p.SiteURL, now: p.Now,
		ready: p.Ready, secure: strings.HasPrefix(p.SiteURL, "https://"), mail: p.Mail, smtp: p.SMTP}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = h.handleError
	e.IPExtractor = echo.IPExtractor(ClientIP(p.TrustedProxies))
	cop, err := crossOrigin(p.Origins)
	if err != nil {
		return nil, err
	}
	e.Use(requestID, requestLogger(p.Log, p.Observe), middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			p.Log.Error("panic", "err", err, "stack", string(stack), "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
			return err
		},
	}), securityHeaders, middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: bodyLimit, Skipper: func(c echo.Context) bool {
		return c.Path() == uploadPath || c.Path() == requestUploadPath // limited by the agency's setting instead
	}}), cop,
		// Board snapshots compress about tenfold; small answers are left alone.
		// Level 1: for answers built per request, speed matters more than
		// the last few percent of size.
		middleware.GzipWithConfig(middleware.GzipConfig{Level: 1, MinLength: 2048, Skipper: func(c echo.Context) bool {
			// The socket is not compressed; boards come compressed from
			// their cache.
			// Files are compressed already, or should be by their owner.
			return c.Path() == "/api/ws" || c.Path() == "/api/projects/:id/board" || c.Path() == "/api/team-board" ||
				c.Path() == "/api/attachments/:id" || c.Path() == "/api/attachments/:id/thumbnail"
		}}))
	h.routes(e, p.Live)
	spa(e, p.Frontend)
	return e, nil
}

// ClientIP names a request's caller. It believes X-Forwarded-For only from
// the configured proxies; otherwise anyone could rotate it to dodge the
// sign-in and socket limits.
func ClientIP(proxies []netip.Prefix) func(*http.Request) string {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		opts = append(opts, echo.TrustIPRange(prefixNet(p)))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

func (h *handler) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (h *handler) readyz(c echo.Context) error {
	if err := h.ready(c.Request().Context()); err != nil {
		h.log.Warn("not ready", "err", err)
		c.Response().Header().Set("Retry-After", "5")
		// The reason stays in the log: it names paths and hosts.
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "not ready"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

func prefixNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}
