package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/store"
)

// session is the answer to a sign-in or refresh. The access token is kept
// in the SPA's memory only; the refresh token travels in an httpOnly cookie.
type session struct {
	AccessToken string      `json:"access_token"`
	ExpiresAt   time.Time   `json:"expires_at"`
	User        models.User `json:"user"`
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Failed sign-ins are limited per address and account together (tight: the
// attacker's guesses), per address (a spray across accounts) and per account
// (a botnet on one account, loose and short so the owner is not locked out).
func loginLimits(email, ip string) []store.Limit {
	return []store.Limit{
		{Key: "acct-ip:" + email + "|" + ip, Max: 5, Window: 15 * time.Minute, Block: 5 * time.Minute},
		{Key: "ip:" + ip, Max: 30, Window: 15 * time.Minute, Block: 15 * time.Minute},
		{Key: "acct:" + email, Max: 50, Window: time.Hour, Block: time.Minute},
	}
}

func limitKeys(limits []store.Limit) []string {
	keys := make([]string, len(limits))
	for i, l := range limits {
		keys[i] = l.Key
	}
	return keys
}

// checkPassword verifies a password under the sign-in rate limits. Unknown
// users cost the same time as wrong passwords.
func (h *handler) checkPassword(ctx context.Context, ip string, u *models.User, email, password string) error {
	limits := loginLimits(email, ip)
	wait, err := h.store.Blocked(ctx, limitKeys(limits))
	if err != nil {
		return err
	}
	if wait > 0 {
		h.log.Warn("rate_limited", "ip", ip, "email", email)
		return &models.RateLimitedError{RetryAfterSeconds: int(math.Ceil(wait.Seconds()))}
	}
	ok := false
	if u != nil && u.Active {
		if ok, err = auth.CheckPassword(u.PasswordHash, password); err != nil {
			return err
		}
	} else {
		auth.BurnPasswordCheck(password)
	}
	if !ok {
		h.log.Warn("login_failure", "ip", ip, "email", email)
		if err := h.store.RecordFailure(ctx, limits); err != nil {
			return err
		}
		return models.ErrUnauthenticated
	}
	return h.store.ClearFailures(ctx, limitKeys(limits)[:1])
}

func (h *handler) login(c echo.Context) error {
	var in loginRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	probs := models.Problems{}
	email := models.CleanEmail(probs, "email", in.Email)
	if in.Password == "" {
		probs.Add("password", models.PasswordRequired)
	}
	if err := probs.Err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := h.store.UserByEmail(ctx, email)
	var found *models.User
	switch {
	case err == nil:
		found = &u
	case !errors.Is(err, models.ErrNotFound):
		return err
	}
	if err := h.checkPassword(ctx, c.RealIP(), found, email, in.Password); err != nil {
		return err
	}
	h.log.Info("login_success", "actor_id", u.ID, "ip", c.RealIP())
	return h.startSession(c, u)
}

// startSession opens a new refresh family (a new session, ASVS V7.2.4) and
// answers with an access token.
func (h *handler) startSession(c echo.Context, u models.User) error {
	refresh, err := auth.NewRefreshToken()
	if err != nil {
		return err
	}
	if _, err := h.store.StartSession(c.Request().Context(), u.ID, auth.HashToken(refresh)); err != nil {
		return err
	}
	h.setRefreshCookie(c, refresh)
	return h.answerSession(c, http.StatusOK, u)
}

func (h *handler) answerSession(c echo.Context, status int, u models.User) error {
	token, exp, err := h.tokens.Issue(u)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, session{AccessToken: token, ExpiresAt: exp, User: u})
}

func (h *handler) refresh(c echo.Context) error {
	// A visitor who never signed in (or signed out) sends no cookie at all.
	// That is an answer, not a failed request: the app asks on every page
	// load, and a 401 there would be logged in every visitor's console. A
	// cookie that is sent but no longer valid still gets a 401.
	if _, err := c.Cookie(h.cookieName()); errors.Is(err, http.ErrNoCookie) {
		return c.NoContent(http.StatusNoContent)
	}
	token := h.refreshCookie(c)
	if token == "" {
		return models.ErrUnauthenticated
	}
	successor := h.tokens.Successor(token)
	rot, err := h.store.RotateSession(c.Request().Context(), auth.HashToken(token), auth.HashToken(successor))
	if errors.Is(err, store.ErrRefreshReuse) {
		h.log.Warn("refresh_reuse", "ip", c.RealIP(), "actor_id", rot.User.ID)
		h.sessions.Forget(rot.User.ID)
	}
	if err != nil {
		h.clearRefreshCookie(c)
		return err
	}
	h.setRefreshCookie(c, successor)
	return h.answerSession(c, http.StatusOK, rot.User)
}

func (h *handler) logout(c echo.Context) error {
	if token := h.refreshCookie(c); token != "" {
		if err := h.store.EndSession(c.Request().Context(), auth.HashToken(token)); err != nil {
			return err
		}
	}
	h.clearRefreshCookie(c)
	return c.NoContent(http.StatusNoContent)
}

func (h *handler) me(c echo.Context) error {
	return c.JSON(http.StatusOK, currentUser(c))
}

type profileRequest struct {
	Name   *string        `json:"name" text:"name"`
	Locale *models.Locale `json:"locale"`
}

func (h *handler) updateMe(c echo.Context) error {
	var in profileRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	u, err := h.store.UpdateProfile(c.Request().Context(), actor(c), store.ProfilePatch{Name: in.Name, Locale: in.Locale})
	if err != nil {
		return err
	}
	h.sessions.Forget(u.ID)
	return c.JSON(http.StatusOK, u)
}

type passwordRequest struct {
	CurrentPassword  string `json:"current_password"`
	NewPassword      string `json:"new_password"`
	EndOtherSessions bool   `json:"end_other_sessions"`
}

// changePassword re-authenticates with the current password (rate limited
// like sign-in) before anything changes.
func (h *handler) changePassword(c echo.Context) error {
	var in passwordRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	u := currentUser(c)
	probs := models.Problems{}
	if in.CurrentPassword == "" {
		probs.Add("current_password", models.CurrentPasswordNone)
	}
	models.CheckPassword(probs, "new_password", in.NewPassword)
	if err := probs.Err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := h.checkPassword(ctx, c.RealIP(), &u, u.Email, in.CurrentPassword); err != nil {
		if errors.Is(err, models.ErrUnauthenticated) {
			return models.Invalid("current_password", models.CurrentPasswordBad)
		}
		return err
	}
	hash, err := auth.HashPassword(in.NewPassword)
	if err != nil {
		return err
	}
	var keep int64
	if token := h.refreshCookie(c); token != "" {
		if keep, err = h.store.SessionFamily(ctx, auth.HashToken(token)); err != nil {
			return err
		}
	}
	u, err = h.store.SetPassword(ctx, u.ID, hash, in.EndOtherSessions, keep)
	if err != nil {
		return err
	}
	h.sessions.Forget(u.ID)
	return h.answerSession(c, http.StatusOK, u)
}

// The refresh cookie is __Host- prefixed and Secure on an https site. On a
// plain-http local site browsers would drop a Secure cookie, so there it is
// a plain name without Secure; SameSite=Strict and HttpOnly hold either way.
func (h *handler) cookieName() string {
	if h.secure {
		return "__Host-doska_refresh"
	}
	return "doska_refresh"
}

func (h *handler) refreshCookie(c echo.Context) string {
	ck, err := c.Cookie(h.cookieName())
	if err != nil || len(ck.Value) > 128 {
		return ""
	}
	return strings.TrimSpace(ck.Value)
}

func (h *handler) setRefreshCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{Name: h.cookieName(), Value: token, Path: "/", HttpOnly: true, Secure: h.secure,
		SameSite: http.SameSiteStrictMode, MaxAge: int(store.RefreshIdleTTL.Seconds())})
}

func (h *handler) clearRefreshCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: h.cookieName(), Value: "", Path: "/", HttpOnly: true, Secure: h.secure,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
}
