package api

import (
	"errors"
	"math"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/mail"
	"github.com/doska/doska/server/store"
)

// sentMailView is one mail on the Sent mail page: its delivery state and
// the message as it reads (or read) in its recipient's language.
type sentMailView struct {
	store.SentMail
	Message mail.Message `json:"message"`
}

// sentMailList is the Sent mail page: SMTP says whether mail leaves the
// server; without it the page is where mail is read.
type sentMailList struct {
	SMTP  bool           `json:"smtp"`
	Items []sentMailView `json:"items"`
}

func (h *handler) sentMail(c echo.Context) error {
	list, err := h.store.MailLog(c.Request().Context(), actor(c), 200)
	if err != nil {
		return err
	}
	out := make([]sentMailView, len(list))
	for i, m := range list {
		out[i] = sentMailView{SentMail: m, Message: h.mail.Compose(m.Outgoing)}
	}
	return c.JSON(http.StatusOK, sentMailList{SMTP: h.smtp, Items: out})
}

type forgotRequest struct {
	Email string `json:"email"`
}

// resetLimits bound how often reset mail can be asked for: per address, so
// nobody floods a mailbox, and per IP, so nobody floods many.
func resetLimits(email, ip string) []store.Limit {
	return []store.Limit{
		{Key: "reset-acct:" + email, Max: 3, Window: time.Hour, Block: time.Hour},
		{Key: "reset-ip:" + ip, Max: 20, Window: time.Hour, Block: time.Hour},
	}
}

// forgotPassword mails a reset link. The answer is the same whether the
// address has an account or not, so it tells nobody who has one.
func (h *handler) forgotPassword(c echo.Context) error {
	var in forgotRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	probs := models.Problems{}
	email := models.CleanEmail(probs, "email", in.Email)
	if err := probs.Err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	limits := resetLimits(email, c.RealIP())
	wait, err := h.store.Blocked(ctx, limitKeys(limits))
	if err != nil {
		return err
	}
	if wait > 0 {
		h.log.Warn("rate_limited", "ip", c.RealIP(), "what", "password_reset")
		return &models.RateLimitedError{RetryAfterSeconds: int(math.Ceil(wait.Seconds()))}
	}
	if err := h.store.RecordFailure(ctx, limits); err != nil {
		return err
	}
	token, err := auth.NewInvitationToken()
	if err != nil {
		return err
	}
	if err := h.store.RequestPasswordReset(ctx, email, auth.HashToken(token), ResetURL(h.siteURL, token)); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// ResetURL is the link of a password reset mail; like an invitation's, the
// token rides in the fragment, which never reaches a server log.
func ResetURL(siteURL, token string) string {
	return siteURL + "/reset#" + token
}

type resetRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (h *handler) resetPassword(c echo.Context) error {
	var in resetRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.Token == "" || len(in.Token) > 128 {
		return models.ErrGone
	}
	hash, err := newPasswordHash(in.Password)
	if err != nil {
		return err
	}
	u, err := h.store.ResetPassword(c.Request().Context(), auth.HashToken(in.Token), hash)
	if err != nil {
		return err
	}
	h.sessions.Forget(u.ID)
	h.log.Info("password_reset", "actor_id", u.ID, "ip", c.RealIP())
	return c.NoContent(http.StatusNoContent)
}

// newPasswordHash checks a password a person chose (field "password") and
// hashes it.
func newPasswordHash(password string) (string, error) {
	probs := models.Problems{}
	models.CheckPassword(probs, "password", password)
	if err := probs.Err(); err != nil {
		return "", err
	}
	return auth.HashPassword(password)
}

// unsubscribe is the one-click target of List-Unsubscribe (RFC 8058): mail
// programs POST "List-Unsubscribe=One-Click" as a form, without a session,
// so the signed token is the only credential and it can do only this.
func (h *handler) unsubscribe(c echo.Context) error {
	user, kind, err := h.mail.ParseUnsubscribe(c.Param("token"))
	if errors.Is(err, mail.ErrForged) {
		return models.ErrNotFound
	}
	if err := h.store.Unsubscribe(c.Request().Context(), user, kind); err != nil {
		return err
	}
	h.log.Info("mail_unsubscribed", "actor_id", user, "kind", kind)
	return c.NoContent(http.StatusNoContent)
}

func (h *handler) mailPrefs(c echo.Context) error {
	p, err := h.store.MailPrefsOf(c.Request().Context(), actorID(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

type mailPrefsRequest struct {
	DigestHour *int                 `json:"digest_hour"`
	Modes      map[mail.Kind]string `json:"modes"`
}

func (h *handler) updateMailPrefs(c echo.Context) error {
	var in mailPrefsRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	p := store.MailPrefs{DigestHour: -1, Modes: in.Modes}
	if in.DigestHour != nil {
		if *in.DigestHour < 0 {
			return models.Problems{"digest_hour": models.DigestHourRange.With()}.Err()
		}
		p.DigestHour = *in.DigestHour
	}
	ctx := c.Request().Context()
	if err := h.store.SetMailPrefs(ctx, actorID(c), p); err != nil {
		return err
	}
	return h.mailPrefs(c)
}
