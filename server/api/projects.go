package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/server/store"
)

func (h *handler) listProjects(c echo.Context) error {
	clientID, err := int64Query(c, "client_id")
	if err != nil {
		return err
	}
	archived, err := boolQuery(c, "archived")
	if err != nil {
		return err
	}
	list, err := h.store.ListProjects(c.Request().Context(), actor(c), store.ProjectFilter{ClientID: clientID, Archived: archived})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

func (h *handler) getProject(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := h.store.Project(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

type newProjectRequest struct {
	ClientID    int64   `json:"client_id"`
	Name        string  `json:"name"`
	Description string  `json:"description" text:"multiline"`
	MemberIDs   []int64 `json:"member_ids"`
}

func (h *handler) createProject(c echo.Context) error {
	var in newProjectRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	p, err := h.store.CreateProject(c.Request().Context(), actor(c),
		store.NewProject{ClientID: in.ClientID, Name: in.Name, Description: in.Description, MemberIDs: in.MemberIDs})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

type projectPatchRequest struct {
	Name        *string `json:"name"`
	Description *string `json:"description" text:"multiline"`
	Archived    *bool   `json:"archived"`
	Billable    *bool   `json:"billable"`
}

func (h *handler) updateProject(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in projectPatchRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	p, err := h.store.UpdateProject(c.Request().Context(), actor(c), id,
		store.ProjectPatch{Name: in.Name, Description: in.Description, Archived: in.Archived, Billable: in.Billable})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

type membersRequest struct {
	UserIDs []int64 `json:"user_ids"`
}

func (h *handler) setMembers(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in membersRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	p, err := h.store.SetMembers(c.Request().Context(), actor(c), id, in.UserIDs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}
