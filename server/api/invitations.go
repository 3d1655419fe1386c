package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/store"
)

// invitationView is an invitation as its creator sees it; URL is present
// only in the answer to the creation, since the token is not kept.
type invitationView struct {
	models.Invitation
	URL string `json:"url,omitempty"`
}

type inviteRequest struct {
	Email    string      `json:"email"`
	Role     models.Role `json:"role"`
	ClientID *int64      `json:"client_id"`
}

func (h *handler) createInvitation(c echo.Context) error {
	var in inviteRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	token, err := auth.NewInvitationToken()
	if err != nil {
		return err
	}
	link := InvitationURL(h.siteURL, token)
	inv, err := h.store.CreateInvitation(c.Request().Context(), actor(c),
		store.NewInvitation{Email: in.Email, Role: in.Role, ClientID: in.ClientID, Link: link}, auth.HashToken(token))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, invitationView{Invitation: inv, URL: link})
}

// InvitationURL is the link an invitee opens. The token is in the fragment,
// which browsers never send to a server: it cannot leak into access logs or
// a Referer header.
func InvitationURL(siteURL, token string) string {
	return siteURL + "/invite#" + token
}

func (h *handler) listInvitations(c echo.Context) error {
	list, err := h.store.ListInvitations(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

func (h *handler) revokeInvitation(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.store.RevokeInvitation(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type tokenRequest struct {
	Token string `json:"token"`
}

// invitationInfo is what the landing page shows before the invitee signs up.
type invitationInfo struct {
	Email      string      `json:"email"`
	Role       models.Role `json:"role"`
	ClientName string      `json:"client_name"`
	ExpiresAt  time.Time   `json:"expires_at"`
	// Locale is the agency's default language: the invitation page speaks
	// it, since the invitee has chosen none yet.
	Locale models.Locale `json:"locale"`
}

func (h *handler) lookupInvitation(c echo.Context) error {
	var in tokenRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.Token == "" || len(in.Token) > 128 {
		return models.ErrNotFound
	}
	ctx := c.Request().Context()
	inv, err := h.store.InvitationByToken(ctx, auth.HashToken(in.Token))
	if err != nil {
		return err
	}
	set, err := h.store.Settings(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, invitationInfo{Email: inv.Email, Role: inv.Role, ClientName: inv.ClientName, ExpiresAt: inv.ExpiresAt, Locale: set.DefaultLocale})
}

type acceptRequest struct {
	Token    string `json:"token"`
	Name     string `json:"name" text:"name"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (h *handler) acceptInvitation(c echo.Context) error {
	var in acceptRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.Token == "" || len(in.Token) > 128 {
		return models.ErrNotFound
	}
	hash, err := newPasswordHash(in.Password)
	if err != nil {
		return err
	}
	u, err := h.store.AcceptInvitation(c.Request().Context(), auth.HashToken(in.Token),
		store.Acceptance{Name: in.Name, Email: in.Email, PasswordHash: hash})
	if err != nil {
		return err
	}
	h.log.Info("invitation_accepted", "actor_id", u.ID, "role", u.Role)
	return h.startSession(c, u)
}
