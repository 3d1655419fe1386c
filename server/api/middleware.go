package api

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/doska/doska/models"
)

const userKey = "doska.user"

// currentUser is the authenticated user of the request; routes behind
// requireUser always have one.
func currentUser(c echo.Context) models.User {
	u, _ := c.Get(userKey).(models.User)
	return u
}

func actor(c echo.Context) models.Actor { return currentUser(c).Actor() }

func actorID(c echo.Context) int64 { return currentUser(c).ID }

// requireUser authenticates the bearer token.
func (h *handler) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		raw, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		if !ok {
			return models.ErrUnauthenticated
		}
		u, _, err := h.sessions.Authenticate(c.Request().Context(), raw)
		if err != nil {
			return err
		}
		c.Set(userKey, u)
		return next(c)
	}
}

// securityHeaders sets the headers of ASVS V3.4 on every answer.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if c.Scheme() == "https" {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

// crossOrigin refuses state-changing requests that a browser sent from
// another site (Sec-Fetch-Site / Origin, Go's CrossOriginProtection). Only
// the site's own origins are trusted.
func crossOrigin(origins []string) (echo.MiddlewareFunc, error) {
	cop := http.NewCrossOriginProtection()
	for _, o := range origins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return echo.NewHTTPError(http.StatusForbidden, "Send this from the site itself; requests from other sites are refused.")
			}
			return next(c)
		}
	}, nil
}

// requestLogger writes one structured line per request and tells observe.
// It logs the route pattern, never the raw URL, so nothing secret in a path
// reaches the log.
func requestLogger(log *slog.Logger, observe func(method, route string, status int, latency time.Duration)) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogLatency: true, LogMethod: true, LogRoutePath: true, LogRequestID: true, LogRemoteIP: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("request_id", v.RequestID), slog.String("method", v.Method),
				slog.String("route", v.RoutePath), slog.Int("status", v.Status),
				slog.Float64("latency_ms", float64(v.Latency)/float64(time.Millisecond)),
				slog.String("ip", v.RemoteIP), slog.Int64("actor_id", actorID(c)))
			if observe != nil {
				observe(v.Method, v.RoutePath, v.Status, v.Latency)
			}
			return nil
		},
	})
}

// requestID gives every request a fresh ID (never the caller's, which could
// forge log lines) and returns it in X-Request-ID.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var b [12]byte
		_, _ = rand.Read(b[:])
		c.Response().Header().Set(echo.HeaderXRequestID, hex.EncodeToString(b[:]))
		return next(c)
	}
}
