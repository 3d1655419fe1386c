package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

func (h *handler) listUsers(c echo.Context) error {
	clientID, err := int64Query(c, "client_id")
	if err != nil {
		return err
	}
	staff, err := boolQuery(c, "staff")
	if err != nil {
		return err
	}
	list, err := h.store.ListUsers(c.Request().Context(), actor(c), store.UserFilter{ClientID: clientID, Staff: staff})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

type userPatchRequest struct {
	Name   *string      `json:"name" text:"name"`
	Role   *models.Role `json:"role"`
	Active *bool        `json:"active"`
}

func (h *handler) updateUser(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in userPatchRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	u, err := h.store.UpdateUser(c.Request().Context(), actor(c), id, store.UserPatch{Name: in.Name, Role: in.Role, Active: in.Active})
	if err != nil {
		return err
	}
	h.sessions.Forget(id)
	if in.Active != nil && !*in.Active {
		h.log.Info("user_deactivated", "actor_id", actorID(c), "user_id", id)
	}
	return c.JSON(http.StatusOK, u)
}
